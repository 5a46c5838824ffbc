package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
)

const shareLayouts = `
-- layouts/_default/baseof.html --
<!doctype html><html lang="id"><head><title>{{ .Title }}</title>{{ with .ShareImage }}{{ if .URL }}<meta property="og:image" content="{{ .URL }}"><meta property="og:image:width" content="{{ .Width }}"><meta property="og:image:alt" content="{{ .Alt }}">{{ end }}{{ end }}</head><body>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}
-- serikat.toml --
title = "Serikat Uji"
baseURL = "https://uji.example.org/"
-- content/_index.md --
---
title: Beranda
---
-- content/berita/aksi.md --
---
title: Aksi Hari Buruh
---
Teks.
-- content/berita/foto/index.md --
---
title: Foto Pelatihan
gambar: foto.jpg
gambarAlt: Peserta pelatihan di Lampung
---
Teks.
`

// Pages get share cards, drawn once and kept by what they show; a page
// that names its own picture shares that instead.
func TestShareCardsAndOwnPictures(t *testing.T) {
	dir := writeSite(t, shareLayouts)
	writePhoto(t, dir, "content/berita/foto/foto.jpg", imagingtest.Photo(t, 1600, 1200, nil))
	mustBuild(t, dir, Options{})

	aksi := read(t, dir, "berita/aksi/index.html")
	if !strings.Contains(aksi, `content="https://uji.example.org/berita/aksi/share.png"`) || !exists(dir, "berita/aksi/share.png") {
		t.Errorf("no share card for a page:\n%s", aksi)
	}
	foto := read(t, dir, "berita/foto/index.html")
	if !strings.Contains(foto, `content="https://uji.example.org/berita/foto/foto.jpg"`) || !strings.Contains(foto, `og:image:width" content=1080`) && !strings.Contains(foto, `content="1080"`) ||
		!strings.Contains(foto, "Peserta pelatihan di Lampung") || exists(dir, "berita/foto/share.png") {
		t.Errorf("the page's own picture is not shared:\n%s", foto)
	}

	cards := func() int {
		entries, _ := os.ReadDir(filepath.Join(dir, ".serikat", "share"))
		return len(entries)
	}
	before := cards()
	if before < 3 { // the home, the section, aksi
		t.Fatalf("%d cards kept", before)
	}
	// a fresh build draws nothing: every card comes from the card cache
	os.RemoveAll(filepath.Join(dir, "public"))
	mustBuild(t, dir, Options{})
	if cards() != before || !exists(dir, "berita/aksi/share.png") {
		t.Errorf("a fresh build drew cards again: %d, was %d", cards(), before)
	}
	// a new title is a new card
	writeArchive(t, dir, "-- content/berita/aksi.md --\n---\ntitle: Aksi Hari Buruh 2025\n---\nTeks.\n")
	mustBuild(t, dir, Options{})
	if cards() != before+1 {
		t.Errorf("after a title changed: %d cards, want %d", cards(), before+1)
	}

	// a picture that does not exist is an error at its line
	writeArchive(t, dir, "-- content/berita/hilang.md --\n---\ntitle: Hilang\ngambar: tidak-ada.jpg\n---\n")
	_, err := build(t, dir, Options{})
	wantProblem(t, problems(t, err), "content/berita/hilang.md:3: gambar: tidak-ada.jpg: no such file")
}

// Posters need the site's address for their QR codes: without a host in
// baseURL the build says so (and check, which builds with "/", does not).
func TestPostersWarnWithoutHost(t *testing.T) {
	site := minimalLayouts + `
-- layouts/kampanye/poster.html --
{{ define "main" }}{{ qrSVG (.JoinURL "poster") "QR" }} {{ .ShortLink }}{{ end }}
-- content/kampanye/a.md --
---
title: A
federasi: f-a
target: 10
---
`
	dir := writeSite(t, site+"-- serikat.toml --\nbaseURL = \"/\"\n")
	r := mustBuild(t, dir, Options{})
	if len(r.Warnings) != 1 || !errors.Is(r.Warnings[0], ErrNoHost) || !exists(dir, "kampanye/a/poster/index.html") {
		t.Errorf("warnings %v", r.Warnings)
	}
	r = mustBuild(t, dir, Options{BaseURL: "https://f-a.example.org/"})
	if len(r.Warnings) != 0 || !strings.Contains(read(t, dir, "j/f-a/index.html"), "https://f-a.example.org/kampanye/a/?src=poster#form-gabung") {
		t.Errorf("with a host: warnings %v", r.Warnings)
	}
}
