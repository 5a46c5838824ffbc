package site

import (
	"bytes"
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
)

// photoSite is a module with a 4000×3000 phone photo (GPS included) in its
// bundle, shown twice in the text and once by the template.
const photoSite = minimalLayouts + `
-- layouts/modul/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Image "foto.jpg" "Peserta pelatihan" "eager" }}{{ .Content }}{{ end }}
-- content/modul/01-dasar/index.md --
---
title: Dasar Berserikat
---
Pelatihan di Lampung.

![Peserta pelatihan di Lampung](foto.jpg)

Diskusi kelompok.

![Diskusi kelompok](foto.jpg)
`

func writePhoto(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPhotosArePublishedAtPhoneWidths(t *testing.T) {
	dir := writeSite(t, photoSite)
	writePhoto(t, dir, "content/modul/01-dasar/foto.jpg", imagingtest.Photo(t, 4000, 3000, imagingtest.Exif(1)))
	report := mustBuild(t, dir, Options{})
	if report.ImagesProcessed != 1 || report.ImagesCached != 0 {
		t.Errorf("first build: %d processed, %d cached; want 1, 0", report.ImagesProcessed, report.ImagesCached)
	}

	for name, width := range map[string]int{"modul/01-dasar/foto-360w.jpg": 360, "modul/01-dasar/foto-720w.jpg": 720, "modul/01-dasar/foto.jpg": 1080} {
		data := read(t, dir, name)
		cfg, format, err := image.DecodeConfig(strings.NewReader(data))
		if err != nil || format != "jpeg" || cfg.Width != width {
			t.Errorf("%s: %s %dx%d, %v; want a %d-pixel JPEG", name, format, cfg.Width, cfg.Height, err, width)
		}
	}
	// no byte of the camera's GPS block is published anywhere
	for name, data := range tree(t, filepath.Join(dir, "public")) {
		if strings.Contains(data, imagingtest.GPSMarker) {
			t.Errorf("%s carries the photo's GPS position", name)
		}
	}

	page := read(t, dir, "modul/01-dasar/index.html")
	srcset := `srcset="/modul/01-dasar/foto-360w.jpg 360w, /modul/01-dasar/foto-720w.jpg 720w, /modul/01-dasar/foto.jpg 1080w"`
	imgs := strings.Split(page, "<img ")[1:]
	if len(imgs) != 3 {
		t.Fatalf("want 3 images, got %d:\n%s", len(imgs), page)
	}
	for i, img := range imgs {
		img = img[:strings.Index(img, ">")]
		unquoted := strings.ReplaceAll(img, `"`, "")
		for _, want := range []string{strings.ReplaceAll(srcset, `"`, ""), "width=1080", "height=810", "decoding=async", "src=/modul/01-dasar/foto-720w.jpg", "sizes="} {
			if !strings.Contains(unquoted, want) {
				t.Errorf("image %d lacks %s: <img %s>", i, want, img)
			}
		}
		// the template's hero is eager, and so is the text's first photo
		// (it may be on the first screen); later ones wait
		if lazy := strings.Contains(img, "loading=lazy"); lazy != (i == 2) {
			t.Errorf("image %d: lazy = %v: <img %s>", i, lazy, img)
		}
	}

	// a rebuild takes the photo from the cache and writes nothing
	report = mustBuild(t, dir, Options{})
	if report.ImagesProcessed != 0 || report.ImagesCached != 1 || report.Written != 0 {
		t.Errorf("rebuild: %d processed, %d cached, %d written; want 0, 1, 0", report.ImagesProcessed, report.ImagesCached, report.Written)
	}
	// so does a fresh build into an empty destination
	os.RemoveAll(filepath.Join(dir, "public"))
	report = mustBuild(t, dir, Options{})
	if report.ImagesCached != 1 || !exists(dir, "modul/01-dasar/foto-360w.jpg") {
		t.Errorf("fresh build from the cache: %d cached", report.ImagesCached)
	}

	// a new photo at the same path is processed again, and the page shows its size
	writePhoto(t, dir, "content/modul/01-dasar/foto.jpg", imagingtest.Photo(t, 600, 800, nil))
	report = mustBuild(t, dir, Options{})
	if report.ImagesProcessed != 1 {
		t.Errorf("changed photo: %d processed", report.ImagesProcessed)
	}
	if page := read(t, dir, "modul/01-dasar/index.html"); !strings.Contains(page, "width=600 height=800") || exists(dir, "modul/01-dasar/foto-720w.jpg") {
		t.Errorf("after the photo changed to 600×800:\n%s", page)
	}
}

func TestImageWithoutAltIsAWarning(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- content/berita/aksi/index.md --
---
title: Aksi
---
Foto aksi:

![](aksi.jpg)
`)
	writePhoto(t, dir, "content/berita/aksi/aksi.jpg", imagingtest.Photo(t, 800, 600, nil))
	for range 2 { // every build says it again, until it is fixed
		report := mustBuild(t, dir, Options{})
		if len(report.Warnings) != 1 || !strings.HasPrefix(report.Warnings[0].Error(), "content/berita/aksi/index.md:6: image aksi.jpg has no alt text") {
			t.Errorf("warnings = %v", report.Warnings)
		}
	}
}

// Each kind of broken photo is an error naming the page and line, and the
// previous site stays.
func TestBrokenPhotos(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- content/baik.md --
---
title: Baik
---
Tanpa foto.
`)
	mustBuild(t, dir, Options{})
	before := tree(t, filepath.Join(dir, "public"))

	photo := imagingtest.Photo(t, 800, 600, nil)
	huge := imagingtest.Photo(t, 16, 16, nil)
	i := bytes.Index(huge, []byte{0xFF, 0xC0}) // the frame header: claim 12000×9000
	binary.BigEndian.PutUint16(huge[i+5:], 9000)
	binary.BigEndian.PutUint16(huge[i+7:], 12000)
	writeArchive(t, dir, `
-- content/aksi/index.md --
---
title: Aksi
---
Terpotong:

![Terpotong](terpotong.jpg)

![Dari iPhone](IMG_0001.HEIC)

![Raksasa](besar.jpg)

![Tidak ada](hilang.jpg)

![Bukan gambar](teks.png)
-- content/aksi/IMG_0001.HEIC --
not really HEIC
-- content/aksi/teks.png --
catatan rapat
`)
	writePhoto(t, dir, "content/aksi/terpotong.jpg", photo[:len(photo)/2])
	writePhoto(t, dir, "content/aksi/besar.jpg", huge)
	_, err := build(t, dir, Options{})
	if err == nil {
		t.Fatal("the build succeeded")
	}
	got := problems(t, err)
	wantProblem(t, got, "content/aksi/index.md:6: image terpotong.jpg:", "cut short")
	wantProblem(t, got, "content/aksi/index.md:8: image IMG_0001.HEIC:", "HEIC", "JPEG")
	wantProblem(t, got, "content/aksi/index.md:10: image besar.jpg:", "108 megapixels")
	wantProblem(t, got, "content/aksi/index.md:12: image hilang.jpg: no such file", "content/aksi/hilang.jpg")
	wantProblem(t, got, "content/aksi/index.md:14: image teks.png:", "not a PNG image")
	if len(got) != 5 {
		t.Errorf("want 5 problems, got %d:\n%s", len(got), strings.Join(got, "\n"))
	}
	sameTree(t, before, tree(t, filepath.Join(dir, "public")))
}
