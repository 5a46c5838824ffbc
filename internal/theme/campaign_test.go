package theme

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/check"
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

// serikat check passes on this repository's site and fails on a copy where
// a campaign has ended or lacks its contact and sector: each at the file
// and line to fix.
func TestCheckKeepsCampaignsCurrentAndReachable(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	run := func(src string) *check.Report {
		t.Helper()
		r, err := check.Run(context.Background(), check.Options{Source: src, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := run(copyRepoSite(t, "content", "layouts", "assets")); r.Errors() != 0 {
		t.Fatalf("the repository's site has problems: %v", r.Problems)
	}
	src := copyRepoSite(t, "content", "layouts", "assets")
	edit := func(name, from, to string) {
		t.Helper()
		file := filepath.Join(src, "content", "kampanye", name)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), from, to, 1)
		if text == string(data) {
			t.Fatalf("%s lacks %q", name, from)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("f-hukatan.md", "\nkonfederasi:", "\ntenggat: 2025-07-28\nkonfederasi:")
	edit("fsb-nikeuba.md", "\nkontak:", "\nkontak-lama:")
	edit("fsb-nikeuba.md", "\nsektor:", "\nsektor-lama:")
	r := run(src)
	var got []string
	for _, p := range r.Problems {
		if !p.Warning {
			got = append(got, fmt.Sprintf("%s:%d", p.Path, p.Line))
		}
	}
	for _, want := range []string{"content/kampanye/f-hukatan.md:6", "content/kampanye/fsb-nikeuba.md:2"} {
		if !slices.Contains(got, want) {
			t.Errorf("no problem at %s; problems at %v", want, got)
		}
	}
	if n := r.Errors(); n != 3 {
		t.Errorf("%d problems, want 3 (ended; no contact; no sector): %v", n, r.Problems)
	}
}
