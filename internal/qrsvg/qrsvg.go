// Package qrsvg draws QR codes as SVG, for posters a phone camera reads.
//
// Codes use error correction level M (a poster can lose 15% of its code to
// a fold or a stain and still scan) and keep the quiet zone of 4 modules
// the standard asks for, as part of the drawing: a poster template cannot
// crowd it with text by accident. The SVG scales to any size without
// blurring; print it at least 4 cm wide.
package qrsvg

import (
	"fmt"
	"html"
	"strings"

	"rsc.io/qr"
)

// QuietZone is the blank margin around the code, in modules.
const QuietZone = 4

// SVG returns an <svg> element with the QR code of text, labelled with
// label for screen readers (role="img").
func SVG(text, label string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("QR code for %q: %w", text, err)
	}
	n := code.Size + 2*QuietZone
	var d strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			// one rectangle per run of dark modules keeps the path short
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="qr" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, html.EscapeString(label), n, n, d.String()), nil
}
