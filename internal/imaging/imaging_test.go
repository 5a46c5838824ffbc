package imaging_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/serikat-id/serikat/internal/imaging"
	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
)

func process(t *testing.T, p *imaging.Processor, name string, data []byte) (*imaging.Image, error) {
	t.Helper()
	fsys := fstest.MapFS{name: {Data: data}}
	return p.Process(context.Background(), imaging.Source{FS: fsys, Path: name})
}

func TestWidthsAndFormat(t *testing.T) {
	p := imaging.New(imaging.Options{})
	img, err := process(t, p, "foto.jpg", imagingtest.Photo(t, 2000, 1500, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		w, h   int
		suffix string
	}{{360, 270, "-360w"}, {720, 540, "-720w"}, {1080, 810, ""}}
	if len(img.Variants) != len(want) {
		t.Fatalf("variants = %+v", img.Variants)
	}
	for i, v := range img.Variants {
		data, err := v.Data()
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || format != "jpeg" || cfg.Width != want[i].w || cfg.Height != want[i].h || v.Suffix != want[i].suffix {
			t.Errorf("variant %d: %s %dx%d %q, %v; want jpeg %dx%d %q", i, format, cfg.Width, cfg.Height, v.Suffix, err, want[i].w, want[i].h, want[i].suffix)
		}
	}
	if img.Width != 1080 || img.Height != 810 {
		t.Errorf("size = %dx%d", img.Width, img.Height)
	}
	if got := img.Variants[0].Name("modul/foto.jpg"); got != "modul/foto-360w.jpg" {
		t.Errorf("Name = %q", got)
	}

	// a photo narrower than the largest width keeps its own width
	small, err := process(t, p, "kecil.jpg", imagingtest.Photo(t, 500, 400, nil))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(small.Variants); n != 2 || small.Variants[0].Width != 360 || small.Variants[1].Width != 500 {
		t.Errorf("500-pixel photo: %+v", small.Variants)
	}
}

// Orientation is applied and every byte of Exif, GPS above all, is gone.
func TestOrientationAndGPS(t *testing.T) {
	src := imagingtest.Photo(t, 1600, 1200, imagingtest.Exif(6)) // 6: the camera was turned right; show it turned back
	if !bytes.Contains(src, []byte(imagingtest.GPSMarker)) {
		t.Fatal("the test photo has no GPS block")
	}
	img, err := process(t, imaging.New(imaging.Options{}), "foto.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 1080 || img.Height != 1440 {
		t.Errorf("upright size = %dx%d, want 1080x1440", img.Width, img.Height)
	}
	for _, v := range img.Variants {
		data, _ := v.Data()
		if bytes.Contains(data, []byte(imagingtest.GPSMarker)) || bytes.Contains(data, []byte("Exif")) || bytes.Contains(data, []byte{0xFF, 0xE1}) {
			t.Errorf("the %d-pixel version keeps Exif data", v.Width)
		}
	}
}

func TestPalettePNG(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			img.Set(x, y, []color.Color{color.NRGBA{200, 30, 40, 255}, color.NRGBA{255, 255, 255, 255}}[(x/20+y/20)%2])
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	out, err := process(t, imaging.New(imaging.Options{}), "bagan.png", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := out.Variants[len(out.Variants)-1].Data()
	decoded, format, err := image.Decode(bytes.NewReader(data))
	if err != nil || format != "png" {
		t.Fatal(format, err)
	}
	if _, ok := decoded.(*image.Paletted); !ok {
		t.Errorf("a two-colour PNG is written as %T, want a palette", decoded)
	}
}

func TestBrokenInput(t *testing.T) {
	p := imaging.New(imaging.Options{})
	photo := imagingtest.Photo(t, 800, 600, nil)
	var gif bytes.Buffer
	gif.WriteString("GIF89a")
	huge := imagingtest.Photo(t, 16, 16, nil)
	// a JPEG whose frame header claims 12000×9000 pixels (108 megapixels)
	if i := bytes.Index(huge, []byte{0xFF, 0xC0}); i >= 0 {
		binary.BigEndian.PutUint16(huge[i+5:], 9000)
		binary.BigEndian.PutUint16(huge[i+7:], 12000)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"terpotong.jpg", photo[:len(photo)/2], "cut short"},
		{"rusak.jpg", append(append([]byte{}, photo[:600]...), bytes.Repeat([]byte{0x00}, 2000)...), "copy it again"},
		{"teks.jpg", []byte("bukan gambar"), "not a JPG image"},
		{"besar.jpg", huge, "108 megapixels"},
	} {
		img, err := process(t, p, tc.name, tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, %v; want an error with %q", tc.name, img, err, tc.want)
		}
	}
	if err := imaging.Unsupported("IMG_0001.HEIC"); err == nil || !strings.Contains(err.Error(), "JPEG") {
		t.Errorf("HEIC: %v", err)
	}
}

func TestCache(t *testing.T) {
	dir := t.TempDir()
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "foto.jpg"), imagingtest.Photo(t, 1200, 900, nil), 0o644)
	run := func() *imaging.Image {
		p := imaging.New(imaging.Options{CacheDir: dir})
		res := p.ProcessAll(context.Background(), []imaging.Source{{FS: os.DirFS(site), Path: "foto.jpg"}}, nil)
		r := res["foto.jpg"]
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		return r.Image
	}
	first := run()
	second := run()
	if first.Cached || !second.Cached {
		t.Fatalf("cached: first %v, second %v", first.Cached, second.Cached)
	}
	for i := range first.Variants {
		a, _ := first.Variants[i].Data()
		b, _ := second.Variants[i].Data()
		if !bytes.Equal(a, b) || first.Variants[i].Sum != second.Variants[i].Sum {
			t.Errorf("variant %d differs between the build and the cache", i)
		}
	}
	// other settings are another entry
	p := imaging.New(imaging.Options{CacheDir: dir, Quality: 50})
	img, err := p.Process(context.Background(), imaging.Source{FS: os.DirFS(site), Path: "foto.jpg"})
	if err != nil || img.Cached {
		t.Errorf("quality 50 came from the quality 75 cache: %v", err)
	}
}
