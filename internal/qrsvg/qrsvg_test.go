package qrsvg

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/qrsvg/qrtest"
)

func TestSVGDecodes(t *testing.T) {
	for _, text := range []string{
		"https://serikat.example.org/kampanye/f-hukatan/?src=poster#form-gabung",
		"https://serikat.example.org/kampanye/lampung-651-anggota-baru-dalam-setahun/?src=poster",
	} {
		svg, err := SVG(text, "Kode QR formulir pendaftaran")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(svg, `role="img" aria-label="Kode QR formulir pendaftaran"`) {
			t.Errorf("the SVG has no label: %.200s", svg)
		}
		got, err := qrtest.DecodeSVG(svg)
		if err != nil || got != text {
			t.Errorf("decoded %q, %v; want %q", got, err, text)
		}
		// the quiet zone: no dark module in the outer four
		n, _ := strconv.Atoi(regexp.MustCompile(`viewBox="0 0 (\d+)`).FindStringSubmatch(svg)[1])
		for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)`).FindAllStringSubmatch(svg, -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			w, _ := strconv.Atoi(m[3])
			if x < QuietZone || y < QuietZone || x+w > n-QuietZone || y >= n-QuietZone {
				t.Fatalf("a module at %d,%d is inside the quiet zone", x, y)
			}
		}
	}
}
