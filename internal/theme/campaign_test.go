package theme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A campaign past its tenggat (its last day, to midnight WIB) says it has
// ended and sends the worker to the join page; it shows no form, no share
// links and no poster. The day before, it is the campaign as usual.
func TestEndedCampaign(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	read := func(dest, page string) string {
		data, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	const page = "kampanye/f-hukatan/index.html"
	running := read(buildRepoSiteAt(t, time.Date(2027, 6, 30, 23, 0, 0, 0, wib)), page)
	for _, want := range []string{"<form ", "href=#form-gabung", "sampai 30 Juni 2027", "class=share"} {
		if !strings.Contains(running, want) {
			t.Errorf("on its last day the campaign lacks %q", want)
		}
	}
	dest := buildRepoSiteAt(t, time.Date(2027, 7, 1, 0, 0, 0, 0, wib))
	ended := read(dest, page)
	for _, want := range []string{"Kampanye ini sudah berakhir pada 30 Juni 2027.", "<a href=/gabung/>", "berakhir 30 Juni 2027"} {
		if !strings.Contains(ended, want) {
			t.Errorf("the ended campaign lacks %q", want)
		}
	}
	for _, gone := range []string{"<form ", "href=#form-gabung", "class=share", "poster/"} {
		if strings.Contains(ended, gone) {
			t.Errorf("the ended campaign still has %q", gone)
		}
	}
	if !strings.Contains(read(dest, "gabung/index.html"), "<form ") {
		t.Error("the join page lost its form")
	}
}
