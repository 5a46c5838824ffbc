// Package sharecard draws the pictures a shared link shows: a 1200×630
// card for each page (what WhatsApp, Facebook, X and Telegram put above
// the link) and the square icons a phone shows for the site on its home
// screen.
//
// A card shows the page's title in large type, above it the federation's
// name or the series ("Modul Pelatihan"), below it the site's name, on the
// federation's colour. It is drawn in pure Go with the Go fonts (BSD
// licence), embedded in the binary, so a build needs no network, no
// browser and no font installed; it is a PNG of a few dozen kilobytes.
package sharecard

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Width and Height are a card's size, the one Open Graph recommends.
const (
	Width  = 1200
	Height = 630
)

// Version changes whenever cards are drawn differently, so caches keyed
// by a card's content can include it.
const Version = 3

// Card is what a share card shows.
type Card struct {
	Title  string
	Kicker string // the federation or the series, above the title
	Site   string // the site's name, at the bottom
	Colour color.RGBA
}

var (
	fontsOnce  sync.Once
	bold, reg  *opentype.Font
	fontsError error
)

func fonts() error {
	fontsOnce.Do(func() {
		if bold, fontsError = opentype.Parse(gobold.TTF); fontsError == nil {
			reg, fontsError = opentype.Parse(goregular.TTF)
		}
	})
	return fontsError
}

func face(f *opentype.Font, size float64) font.Face {
	fc, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	return &sizedFace{Face: fc, font: f, size: size}
}

// sizedFace is a face that knows its font and size, so that the glyphs it
// draws can be kept for the next card.
type sizedFace struct {
	font.Face
	font *opentype.Font
	size float64
}

// glyphKey names a drawn glyph: a site's cards share a few fonts and
// sizes, and letters land on whole pixels (full hinting), so most glyphs
// of a build are drawn once.
type glyphKey struct {
	font   *opentype.Font
	size   float64
	r      rune
	fx, fy fixed.Int26_6 // where the dot is within its pixel
}

// glyph is a drawn glyph, kept: its mask and where it goes from the dot.
type glyph struct {
	off     image.Point // the mask's top left from the dot's pixel
	mask    *image.Alpha
	advance fixed.Int26_6
	ok      bool
}

// glyphs holds the glyphs drawn so far (glyphKey → *glyph); bounded by the
// fonts, sizes and letters the cards use.
var glyphs sync.Map

// drawGlyph returns the glyph of r at dot, drawn once per key.
func drawGlyph(f font.Face, dot fixed.Point26_6, r rune) *glyph {
	sf, cacheable := f.(*sizedFace)
	var key glyphKey
	if cacheable {
		key = glyphKey{font: sf.font, size: sf.size, r: r, fx: dot.X & 63, fy: dot.Y & 63}
		if g, ok := glyphs.Load(key); ok {
			return g.(*glyph)
		}
	}
	dr, mask, mp, advance, ok := f.Glyph(dot, r)
	g := &glyph{advance: advance, ok: ok}
	if ok {
		// the face reuses its mask for the next glyph: keep a copy
		g.off = dr.Min.Sub(image.Pt(dot.X.Floor(), dot.Y.Floor()))
		g.mask = image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		for y := range dr.Dy() {
			for x := range dr.Dx() {
				_, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA()
				g.mask.Pix[y*g.mask.Stride+x] = uint8(a >> 8)
			}
		}
	}
	if cacheable {
		glyphs.Store(key, g)
	}
	return g
}

// Render draws c as a PNG.
func Render(c Card) ([]byte, error) {
	if err := fonts(); err != nil {
		return nil, err
	}
	ink := textColour(c.Colour)
	// a band along the bottom holds the site's name
	band := image.Rect(0, Height-110, Width, Height)
	img := flatImage(image.Rect(0, 0, Width, Height), ink, c.Colour, shade(c.Colour))
	defer cards.Put(&img.Pix)
	band0 := img.Pix[band.Min.Y*img.Stride : band.Max.Y*img.Stride]
	for i := range band0 {
		band0[i] = bandIndex
	}

	const margin = 80
	y := 130
	if c.Kicker != "" {
		f := face(bold, 38)
		write(img, f, margin, y, fit(f, strings.ToUpper(c.Kicker), Width-2*margin))
		y += 40
	}
	// the title: the largest size at which it fits in four lines
	var lines []string
	var f font.Face
	var size float64
	for _, size = range []float64{76, 66, 58, 50, 44} {
		f = face(bold, size)
		lines = wrap(f, c.Title, Width-2*margin)
		if len(lines) <= 4 && (len(lines)+1)*int(size*1.2)+y <= band.Min.Y-20 {
			break
		}
	}
	if len(lines) > 4 {
		lines = append(lines[:3], fit(f, strings.Join(lines[3:], " "), Width-2*margin))
	}
	for _, line := range lines {
		y += int(size * 1.2)
		write(img, f, margin, y, line)
	}
	write(img, face(reg, 34), margin, Height-44, fit(face(reg, 34), c.Site, Width-2*margin))
	return encode(img)
}

// Icon draws a square icon of size pixels: the letter on the colour.
func Icon(size int, letter string, c color.RGBA) ([]byte, error) {
	if err := fonts(); err != nil {
		return nil, err
	}
	img := flatImage(image.Rect(0, 0, size, size), textColour(c), c, c)
	f := face(bold, float64(size)*0.62)
	w := font.MeasureString(f, letter).Round()
	m := f.Metrics()
	// centred on the cap height, not the line box
	capHeight := (m.Ascent - m.Descent/2).Round() * 3 / 4
	write(img, f, (size-w)/2, (size+capHeight)/2, letter)
	return encode(img)
}

// flatImage is a paletted image filled with bg (index 0), whose palette
// also holds band (index 1), ink, and the shades between ink and each
// background that antialiased text needs. A card has a few dozen colours,
// so it is drawn and encoded a byte a pixel: several times faster and
// smaller than full colour.
func flatImage(r image.Rectangle, ink, bg, band color.RGBA) *image.Paletted {
	pal := color.Palette{bg, band, ink}
	for _, base := range []color.RGBA{bg, band} {
		for i := 1; i < 16; i++ {
			mix := func(a, b uint8) uint8 { return uint8((int(a)*(16-i) + int(b)*i) / 16) }
			pal = append(pal, color.RGBA{mix(base.R, ink.R), mix(base.G, ink.G), mix(base.B, ink.B), 0xff})
		}
	}
	if r.Dx() != Width || r.Dy() != Height {
		return image.NewPaletted(r, pal) // Pix is all zero: bg
	}
	// a card's pixels are drawn, encoded and forgotten: reuse them
	var pix []byte
	if p, _ := cards.Get().(*[]byte); p != nil {
		pix = *p
		clear(pix)
	} else {
		pix = make([]byte, Width*Height)
	}
	return &image.Paletted{Pix: pix, Stride: Width, Rect: r, Palette: pal}
}

// cards holds the pixels (*[]byte) of cards already encoded, for the next.
var cards sync.Pool

// write draws s in ink at the dot (x, y), as font.Drawer would, but
// straight into the palette flatImage made: each antialiased pixel becomes
// the shade between its background and ink. Going through image/draw
// instead looks up the nearest of the palette's colours for every pixel of
// every glyph, which made a card cost several times as much.
func write(img *image.Paletted, f font.Face, x, y int, s string) {
	dot := fixed.P(x, y)
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			dot.X += f.Kern(prev, r)
		}
		g := drawGlyph(f, dot, r)
		if !g.ok {
			continue // as font.Drawer does
		}
		dr := g.mask.Rect.Add(image.Pt(dot.X.Floor(), dot.Y.Floor()).Add(g.off))
		clip := dr.Intersect(img.Rect)
		blend(img, clip, g.mask, clip.Min.Sub(dr.Min))
		dot.X += g.advance
		prev = r
	}
}

// Palette indices of flatImage: the two backgrounds, the ink, and the 15
// shades from each background to the ink.
const (
	bgIndex, bandIndex, inkIndex = 0, 1, 2
	shades                       = 16
	bgShades                     = 3
	bandShades                   = bgShades + shades - 1
)

// blend lays the glyph mask over r of img, starting at mask point mp.
func blend(img *image.Paletted, r image.Rectangle, mask image.Image, mp image.Point) {
	alpha, _ := mask.(*image.Alpha)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):]
		for x := range r.Dx() {
			var a uint32
			if alpha != nil {
				a = uint32(alpha.Pix[alpha.PixOffset(mp.X+x, mp.Y+y-r.Min.Y)])
			} else {
				_, _, _, a16 := mask.At(mp.X+x, mp.Y+y-r.Min.Y).RGBA()
				a = a16 >> 8
			}
			if a == 0 {
				continue
			}
			level := (a*shades + 127) / 255 // of 16: how much ink
			base, first := uint32(0), uint8(bgShades)
			switch i := row[x]; {
			case i == inkIndex:
				continue
			case i == bandIndex:
				first = bandShades
			case i >= bandShades:
				base, first = uint32(i-bandShades+1), bandShades
			case i >= bgShades:
				base = uint32(i - bgShades + 1)
			}
			// glyphs that touch add up as "over" does: 1-(1-a)(1-b)
			level = shades - (shades-level)*(shades-base)/shades
			switch {
			case level >= shades:
				row[x] = inkIndex
			case level > 0:
				row[x] = first + uint8(level) - 1
			}
		}
	}
}

// wrap breaks s into lines no wider than width.
func wrap(f font.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := strings.TrimSpace(line + " " + word)
		if line != "" && font.MeasureString(f, try).Round() > width {
			lines = append(lines, line)
			line = word
			continue
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fit shortens s with an ellipsis until it is no wider than width.
func fit(f font.Face, s string, width int) string {
	if font.MeasureString(f, s).Round() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && font.MeasureString(f, string(r)+"…").Round() > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// textColour is white on dark colours and near-black on light ones,
// whichever has the higher contrast.
func textColour(bg color.RGBA) color.RGBA {
	if luminance(bg) > 0.18 {
		return color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	}
	return color.RGBA{0xff, 0xff, 0xff, 0xff}
}

// shade darkens c a little, for the band at the bottom.
func shade(c color.RGBA) color.RGBA {
	return color.RGBA{uint8(int(c.R) * 4 / 5), uint8(int(c.G) * 4 / 5), uint8(int(c.B) * 4 / 5), 0xff}
}

// luminance is the relative luminance of WCAG 2.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// encode writes a card or an icon as a PNG (see encodeFlat).
func encode(img *image.Paletted) ([]byte, error) {
	if img.Rect.Dx() >= 32767 {
		return nil, fmt.Errorf("encoding the share card: %d pixels is too wide", img.Rect.Dx())
	}
	return encodeFlat(img), nil
}

// ParseColour reads "#a4161a" or "a4161a".
func ParseColour(s string) (color.RGBA, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	var r, g, b uint8
	if len(s) != 6 {
		return color.RGBA{}, fmt.Errorf("colour %q: want six hex digits such as #a4161a", s)
	}
	if _, err := fmt.Sscanf(s, "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.RGBA{}, fmt.Errorf("colour %q: want six hex digits such as #a4161a", s)
	}
	return color.RGBA{r, g, b, 0xff}, nil
}
