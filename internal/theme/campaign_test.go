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
// links and no poster. The day before, it is the campaign as usual. The
// repository's campaigns have no tenggat until the federations agree one,
// so the test gives F HUKATAN's page and the joint campaign one in a copy
// of the site.
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
	src := copyRepoSite(t, "content", "layouts", "assets")
	// F HUKATAN's page, and the joint campaign whose target it shows
	for _, name := range []string{"f-hukatan.md", "lampung-651.md"} {
		file := filepath.Join(src, "content", "kampanye", name)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), "\nkonfederasi:", "\ntenggat: 2027-06-30\nkonfederasi:", 1)
		if text == string(data) {
			t.Fatalf("%s has no konfederasi line to put a tenggat before", name)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	running := read(buildSiteAt(t, src, time.Date(2027, 6, 30, 23, 0, 0, 0, wib)), page)
	for _, want := range []string{"<form ", "href=#form-gabung", "sampai 30 Juni 2027", "class=share"} {
		if !strings.Contains(running, want) {
			t.Errorf("on its last day the campaign lacks %q", want)
		}
	}
	dest := buildSiteAt(t, src, time.Date(2027, 7, 1, 0, 0, 0, 0, wib))
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

// A campaign without tenggat never ends: years on, it still has its form,
// and its target line names no last day ("sampai" with no date).
func TestCampaignWithoutDeadline(t *testing.T) {
	dest := buildRepoSiteAt(t, time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, page := range []string{"kampanye/f-hukatan/index.html", "kampanye/lampung-651/index.html"} {
		data, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		for _, want := range []string{"<form ", "href=#form-gabung", "651 anggota baru"} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
		target := html[strings.Index(html, "class=target"):]
		target = target[:strings.Index(target, "</div>")]
		for _, gone := range []string{"sampai", "berakhir"} {
			if strings.Contains(target, gone) {
				t.Errorf("%s: the target line says %q without a tenggat: %s", page, gone, target)
			}
		}
	}
}
