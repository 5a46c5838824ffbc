package sharecard

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var accent = color.RGBA{0xa4, 0x16, 0x1a, 0xff}

func TestCardSizeAndWeight(t *testing.T) {
	for _, c := range []Card{
		{Title: "Bergabung dengan F HUKATAN", Kicker: "F HUKATAN · KSBSI", Site: "Serikat Buruh KSBSI Lampung", Colour: accent},
		{Title: strings.Repeat("Pengorganisasian Pasca UU Cipta Kerja dan Strategi Rekrutmen dari Bawah ", 4), Kicker: "Modul Pelatihan", Site: "Serikat", Colour: color.RGBA{0xf5, 0xc5, 0x18, 0xff}},
	} {
		data, err := Render(c)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
			t.Errorf("card is %v", b)
		}
		if len(data) > 100<<10 {
			t.Errorf("card is %d KB, want under 100 KB", len(data)>>10)
		}
		// text was drawn: the card is not one flat colour above the band
		if flat(img, image.Rect(0, 0, Width, Height-110)) {
			t.Error("no text on the card")
		}
		if dir := os.Getenv("SERIKAT_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "kartu-"+strings.Fields(c.Title)[0]+".png"), data, 0o644)
		}
	}
}

func TestIcon(t *testing.T) {
	for _, size := range []int{192, 512} {
		data, err := Icon(size, "S", accent)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil || img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Fatalf("icon %d: %v, %v", size, img.Bounds(), err)
		}
		if flat(img, img.Bounds()) {
			t.Errorf("icon %d has no letter", size)
		}
	}
}

func TestTextColourContrast(t *testing.T) {
	if textColour(accent) != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Error("white text on dark red")
	}
	if textColour(color.RGBA{0xf5, 0xc5, 0x18, 0xff}) == (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Error("dark text on yellow")
	}
	if _, err := ParseColour("#zz0000"); err == nil {
		t.Error("a bad colour parsed")
	}
}

func flat(img image.Image, r image.Rectangle) bool {
	first := img.At(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}
