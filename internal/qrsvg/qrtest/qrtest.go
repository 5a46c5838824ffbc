// Package qrtest reads QR codes back for tests: it draws a qrsvg SVG as a
// printer would and decodes it with ZXing's decoder (gozxing), so a test
// can check that a poster's code opens what it should.
package qrtest

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"
)

var (
	viewBox = regexp.MustCompile(`viewBox="?0 0 (\d+) (\d+)"?`)
	pathD   = regexp.MustCompile(`<path[^>]*\sd="?([^">]+)"?`)
	token   = regexp.MustCompile(`[MmHhVvZzLl]|-?\d*\.?\d+`)
)

// rects reads the rectangles of an SVG path made of axis-aligned
// rectangles (as qrsvg writes it, and as a minifier may rewrite it:
// absolute or relative moves and lines).
func rects(d string) ([]image.Rectangle, error) {
	var out []image.Rectangle
	toks := token.FindAllString(d, -1)
	var cx, cy, sx, sy float64
	var cmd string
	var box image.Rectangle
	open := false
	num := func(i *int) (float64, error) {
		*i++
		if *i >= len(toks) {
			return 0, fmt.Errorf("path ends early")
		}
		return strconv.ParseFloat(toks[*i], 64)
	}
	grow := func() {
		p := image.Pt(int(cx+0.5), int(cy+0.5))
		if !open {
			box, open = image.Rectangle{p, p}, true
			return
		}
		if p.X < box.Min.X {
			box.Min.X = p.X
		}
		if p.Y < box.Min.Y {
			box.Min.Y = p.Y
		}
		if p.X > box.Max.X {
			box.Max.X = p.X
		}
		if p.Y > box.Max.Y {
			box.Max.Y = p.Y
		}
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if _, err := strconv.ParseFloat(t, 64); err == nil {
			i-- // a repeated command
		} else {
			cmd = t
		}
		switch cmd {
		case "M", "m", "L", "l":
			x, err := num(&i)
			if err != nil {
				return nil, err
			}
			y, err := num(&i)
			if err != nil {
				return nil, err
			}
			if cmd == "m" || cmd == "l" {
				x, y = cx+x, cy+y
			}
			cx, cy = x, y
			if cmd == "M" || cmd == "m" {
				if open {
					out = append(out, box)
					open = false
				}
				sx, sy = cx, cy
			}
			grow()
		case "H", "h", "V", "v":
			v, err := num(&i)
			if err != nil {
				return nil, err
			}
			switch cmd {
			case "H":
				cx = v
			case "h":
				cx += v
			case "V":
				cy = v
			case "v":
				cy += v
			}
			grow()
		case "Z", "z":
			cx, cy = sx, sy
		default:
			return nil, fmt.Errorf("path command %q", cmd)
		}
	}
	if open {
		out = append(out, box)
	}
	return out, nil
}

// Rasterize draws an SVG made by qrsvg (or minified from one) at scale
// pixels a module.
func Rasterize(svg string, scale int) (image.Image, error) {
	box := viewBox.FindStringSubmatch(svg)
	if box == nil {
		return nil, fmt.Errorf("not a qrsvg SVG: no viewBox")
	}
	n, _ := strconv.Atoi(box[1])
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := pathD.FindStringSubmatch(svg)
	if d == nil {
		return nil, fmt.Errorf("not a qrsvg SVG: no path")
	}
	boxes, err := rects(d[1])
	if err != nil {
		return nil, err
	}
	for _, r := range boxes {
		draw.Draw(img, image.Rect(r.Min.X*scale, r.Min.Y*scale, r.Max.X*scale, r.Max.Y*scale), image.NewUniform(color.Black), image.Point{}, draw.Src)
	}
	return img, nil
}

// Decode reads the QR code in img.
func Decode(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// DecodeSVG rasterizes and decodes an SVG made by qrsvg.
func DecodeSVG(svg string) (string, error) {
	img, err := Rasterize(svg, 4)
	if err != nil {
		return "", err
	}
	return Decode(img)
}
