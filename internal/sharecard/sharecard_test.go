package sharecard

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
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

// write draws text as image/draw would, in the card's palette: every
// pixel within half a shade of what font.Drawer draws in full colour, or
// a shade and a half where glyphs overlap and the first was rounded.
func TestWriteMatchesFontDrawer(t *testing.T) {
	if err := fonts(); err != nil {
		t.Fatal(err)
	}
	ink := textColour(accent)
	f := face(bold, 60)
	text := "Gabung, AVATAR! Wajib kerja"
	// one shade is a sixteenth of the way from a background to the ink
	step := (int(ink.G) - int(shade(accent).G)) / 16
	for _, tc := range []struct {
		dots []image.Point
		most int
	}{
		{[]image.Point{{10, 120}}, step/2 + 1},
		{[]image.Point{{10, 120}, {14, 124}}, step*3/2 + 1},
	} {
		r := image.Rect(0, 0, 600, 200)
		fast := flatImage(r, ink, accent, shade(accent))
		for y := 100; y < 200; y++ { // the band, under part of the text
			for x := range 600 {
				fast.Pix[y*fast.Stride+x] = bandIndex
			}
		}
		want := image.NewRGBA(r)
		for y := range 200 {
			for x := range 600 {
				want.Set(x, y, fast.At(x, y))
			}
		}
		for _, dot := range tc.dots {
			write(fast, f, dot.X, dot.Y, text)
			d := &font.Drawer{Dst: want, Src: image.NewUniform(ink), Face: f, Dot: fixed.P(dot.X, dot.Y)}
			d.DrawString(text)
		}
		worst, inked := 0, 0
		for y := range 200 {
			for x := range 600 {
				a := color.RGBAModel.Convert(fast.At(x, y)).(color.RGBA)
				b := want.RGBAAt(x, y)
				for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B)} {
					worst = max(worst, d, -d)
				}
				if fast.Pix[y*fast.Stride+x] == inkIndex {
					inked++
				}
			}
		}
		if worst > tc.most {
			t.Errorf("%d writes: a pixel differs by %d levels from image/draw's, want at most %d", len(tc.dots), worst, tc.most)
		}
		if inked < 2000 {
			t.Errorf("%d writes: only %d pixels in full ink: the text was not drawn", len(tc.dots), inked)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	c := Card{Title: "Pengorganisasian Pasca UU Cipta Kerja dan Strategi Rekrutmen", Kicker: "Modul Pelatihan", Site: "Serikat Buruh KSBSI Lampung", Colour: accent}
	for b.Loop() {
		if _, err := Render(c); err != nil {
			b.Fatal(err)
		}
	}
}

// encodeFlat's PNG decodes, with image/png, to exactly the image encoded:
// flat rows, repeated rows, runs of every length around deflate's limits
// (3 and 258), noise, and widths down to one pixel.
func TestFlatPNGRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pal := color.Palette{color.RGBA{1, 2, 3, 255}, color.RGBA{200, 100, 50, 255}, color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}}
	for _, size := range [][2]int{{1, 1}, {2, 3}, {3, 2}, {257, 4}, {258, 3}, {259, 5}, {260, 2}, {1200, 630}, {517, 9}} {
		img := image.NewPaletted(image.Rect(0, 0, size[0], size[1]), pal)
		for y := range size[1] {
			switch y % 4 {
			case 1: // noise
				for x := range size[0] {
					img.Pix[y*img.Stride+x] = uint8(r.IntN(len(pal)))
				}
			case 2: // runs of random lengths
				for x := 0; x < size[0]; {
					n, v := 1+r.IntN(300), uint8(r.IntN(len(pal)))
					for ; n > 0 && x < size[0]; n, x = n-1, x+1 {
						img.Pix[y*img.Stride+x] = v
					}
				}
			} // 0 and 3: the row above, or flat
		}
		roundTrip(t, img)
	}
}

func roundTrip(t *testing.T, img *image.Paletted) {
	t.Helper()
	data := encodeFlat(img)
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%v: image/png cannot read it: %v", img.Rect, err)
	}
	p, ok := got.(*image.Paletted)
	if !ok || !p.Rect.Eq(img.Rect) || len(p.Palette) != len(img.Palette) {
		t.Fatalf("%v: decoded as %T %v", img.Rect, got, got.Bounds())
	}
	for y := range img.Rect.Dy() {
		if !bytes.Equal(p.Pix[y*p.Stride:y*p.Stride+img.Rect.Dx()], img.Pix[y*img.Stride:y*img.Stride+img.Rect.Dx()]) {
			t.Fatalf("%v: row %d differs", img.Rect, y)
		}
	}
}

// FuzzFlatPNG: any small image, any pixels, round-trips.
func FuzzFlatPNG(f *testing.F) {
	f.Add(uint8(5), []byte{0, 0, 0, 0, 0, 1, 1, 1, 2, 0})
	f.Fuzz(func(t *testing.T, width uint8, pix []byte) {
		w := int(width%64) + 1
		h := len(pix)/w + 1
		pal := color.Palette{}
		for i := range 8 {
			pal = append(pal, color.RGBA{uint8(i * 30), 0, 0, 255})
		}
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for i, b := range pix {
			img.Pix[i] = b % 8
		}
		roundTrip(t, img)
	})
}

// BenchmarkEncode compares encodeFlat with image/png at its fastest, on a
// drawn card.
func BenchmarkEncode(b *testing.B) {
	data, err := Render(Card{Title: "Strategi Rekrutmen dari Bawah: Advokasi Kasus", Kicker: "Modul 4", Site: "Serikat Buruh", Colour: color.RGBA{164, 22, 26, 255}})
	if err != nil {
		b.Fatal(err)
	}
	decoded, _ := png.Decode(bytes.NewReader(data))
	img := decoded.(*image.Paletted)
	b.Run("flat", func(b *testing.B) {
		for b.Loop() {
			b.SetBytes(int64(len(encodeFlat(img))))
		}
	})
	b.Run("image-png-best-speed", func(b *testing.B) {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		for b.Loop() {
			var buf bytes.Buffer
			enc.Encode(&buf, img)
			b.SetBytes(int64(buf.Len()))
		}
	})
}

// A card drawn from kept glyphs and reused pixels is byte for byte the card
// drawn from scratch, whatever was drawn before.
func TestKeptGlyphsDrawTheSameCard(t *testing.T) {
	a := Card{Title: "Dasar-Dasar Berserikat", Kicker: "Modul 1", Site: "Serikat", Colour: accent}
	b := Card{Title: "Gabung FSB NIKEUBA: Wujudkan Kerja Layak", Kicker: "FSB NIKEUBA · KSBSI", Site: "Serikat Buruh", Colour: color.RGBA{0x1d, 0x4e, 0x89, 0xff}}
	glyphs.Clear()
	fresh, err := Render(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Card{b, a, b} {
		if _, err := Render(c); err != nil {
			t.Fatal(err)
		}
	}
	again, _ := Render(a)
	if !bytes.Equal(fresh, again) {
		t.Error("the card drawn from kept glyphs and reused pixels differs from the card drawn fresh")
	}
}
