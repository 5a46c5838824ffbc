package site

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const onDemandContent = `
-- content/_index.md --
---
title: Beranda
---
-- content/kampanye/_index.md --
---
title: Kampanye
---
-- content/kampanye/a.md --
---
title: Gabung A
federasi: f-a
target: 10
---
Teks.
-- content/modul/satu.md --
---
title: Satu
---
Teks modul.
`

// generatedFiles lists the files of a build that no template rendered.
func generatedFiles(t *testing.T, dir string) []string {
	var names []string
	for name := range tree(t, filepath.Join(dir, "public")) {
		if strings.HasSuffix(name, "share.png") || strings.HasPrefix(name, "search/") || strings.HasPrefix(name, "j/") ||
			strings.HasPrefix(name, "icon-") || name == "sw.js" || name == "manifest.webmanifest" || name == "pages.json" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Templates that never mention share images, search, the manifest, the
// service worker or pages.json get none of them, with every setting at its default; a
// theme that asks gets exactly what it asks for, also from outputs reused
// from the build cache, and loses it when it stops asking.
func TestGeneratedFilesOnlyWhenTheThemeAsks(t *testing.T) {
	dir := writeSite(t, minimalLayouts+onDemandContent)
	mustBuild(t, dir, Options{})
	if got := generatedFiles(t, dir); len(got) != 0 {
		t.Errorf("templates that ask for nothing got %v", got)
	}

	// single pages show their share picture, and the theme names the
	// service worker and the search index; campaign pages show a short link
	writeArchive(t, dir, `
-- layouts/_default/single.html --
{{ define "main" }}<h1 data-sw="{{ relURL "/sw.js" }}">{{ .Title }}</h1><img src="{{ .ShareImage.URL }}" alt="">{{ .Content }}{{ end }}
-- layouts/_default/cari.html --
{{ define "main" }}<form data-index="{{ relURL "/search/" }}"></form>{{ end }}
-- layouts/kampanye/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1><img src="{{ .ShareImage.URL }}" alt="">{{ .ShortLink }}{{ end }}
`)
	mustBuild(t, dir, Options{})
	want := []string{"j/f-a/index.html", "j/f-a/video/index.html", "kampanye/a/share.png", "modul/satu/share.png", "sw.js"}
	got := generatedFiles(t, dir)
	if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "search/") }) {
		t.Errorf("no search index: %v", got)
	}
	got = slices.DeleteFunc(got, func(s string) bool { return strings.HasPrefix(s, "search/") })
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (no card for the home or list pages, which do not show one; no manifest or icons)", got, want)
	}

	// a warm build reuses every output; the cards they asked for stay
	r := mustBuild(t, dir, Options{})
	if r.Rendered != 0 {
		t.Fatalf("the warm build rendered %d outputs", r.Rendered)
	}
	if got := generatedFiles(t, dir); !slices.Contains(got, "modul/satu/share.png") || !slices.Contains(got, "j/f-a/index.html") {
		t.Errorf("after a warm build: %v", got)
	}

	// modules stop showing their picture: their card goes, the campaign's stays
	writeArchive(t, dir, `
-- layouts/_default/single.html --
{{ define "main" }}<h1 data-sw="{{ relURL "/sw.js" }}">{{ .Title }}</h1>{{ .Content }}{{ end }}
`)
	mustBuild(t, dir, Options{})
	if got := generatedFiles(t, dir); slices.Contains(got, "modul/satu/share.png") || !slices.Contains(got, "kampanye/a/share.png") {
		t.Errorf("after the template stopped asking: %v", got)
	}
}

// A theme names a file from the root or, as Hugo themes often do, by its
// name in quotes; a name inside another (mysw.js, research/) is not asking.
func TestFeaturesFromTemplateSources(t *testing.T) {
	for src, want := range map[string]features{
		`<link rel="manifest" href="{{ relURL "/manifest.webmanifest" }}">`: {manifest: true},
		`<html data-sw="{{ "sw.js" | relURL }}">`:                           {serviceWorker: true},
		`<form data-index="{{ relURL "search/" }}">`:                        {search: true},
		`<script src="/js/mysw.js"></script><a href="/research/x">`:         {},
		`<link rel="icon" href="{{ relURL "icon-192.png" }}">`:              {},
		`<link rel="alternate" href="{{ "/pages.json" | relURL }}">`:        {pagesJSON: true},
	} {
		got := featuresOf(map[string][]byte{"layouts/x.html": []byte(src)}, true)
		if got.manifest != want.manifest || got.serviceWorker != want.serviceWorker || got.search != want.search || got.pagesJSON != want.pagesJSON {
			t.Errorf("%s: %+v, want %+v", src, got, want)
		}
	}
	if got := featuresOf(map[string][]byte{"a": []byte(`{{ relURL "icon-192.png" }}`)}, true); !got.icons[192] || got.icons[512] {
		t.Errorf("icons %v, want 192 alone", got.icons)
	}
}
