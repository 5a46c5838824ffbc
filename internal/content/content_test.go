package content

import (
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestParseFrontMatterTypes(t *testing.T) {
	p, problems := Parse("content/modul/01-dasar.md", []byte(`---
title: Dasar
description: Hak berserikat
date: 2024-07-27 09:30
lastmod: 2024-07-28T10:00:00+07:00
draft: false
weight: 3
slug: dasar-serikat
aliases: [/lama/]
tags: Dasar
type: modul
layout: khusus
summary: Ringkas.
durasi: 90 menit
---
Isi.
`), Options{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if p.Title != "Dasar" || p.Description != "Hak berserikat" || p.Weight != 3 || p.URL != "/modul/dasar-serikat/" ||
		p.Type != "modul" || p.Layout != "khusus" || p.Summary != "Ringkas." || p.Params["durasi"] != "90 menit" ||
		len(p.Tags) != 1 || p.Tags[0] != "Dasar" || p.Aliases[0] != "/lama/" || p.BodyLine != 16 || p.Line("weight") != 7 {
		t.Errorf("page = %+v", p)
	}
	if want := time.Date(2024, 7, 27, 9, 30, 0, 0, WIB); !p.Date.Equal(want) {
		t.Errorf("date %v, want %v (WIB)", p.Date, want)
	}
	if _, ok := p.Params["title"]; ok {
		t.Error("known keys must not be in Params")
	}
}

func TestParseProblems(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"---\ntitle: 5\n---\n", "content/a.md:2: front matter: title must be text, got 5"},
		{"---\ntitle: A\ndraft: ya\n---\n", `content/a.md:3: front matter: draft must be true or false, got "ya"`},
		{"---\ntitle: A\nweight: 1.5\n---\n", "content/a.md:3: front matter: weight must be a whole number, got 1.5"},
		{"---\ntitle: A\ntags: [1, [2]]\n---\n", "content/a.md:3: front matter: tags must be a list of text, got a list"},
		{"---\ntitle: A\ndate: kemarin\n---\n", `content/a.md:3: front matter: date: "kemarin" is not a date`},
		{"---\ntitle: A\nurl: gabung\n---\n", `content/a.md:3: front matter: url: "gabung" must be a path from the site root`},
		{"---\ntitle: A\nslug: a/b\n---\n", `content/a.md:3: front matter: slug: "a/b" must be one URL segment`},
		{"---\ntitle: \"\"\n---\n", "content/a.md:2: title is empty"},
		{"Tanpa front matter.\n", "content/a.md:1: page has no title"},
	} {
		_, problems := Parse("content/a.md", []byte(tc.src), Options{})
		if len(problems) != 1 || !strings.HasPrefix(problems[0].Error(), tc.want) {
			t.Errorf("%q: problems %v, want one starting %q", tc.src, problems, tc.want)
		}
	}
}

func TestURLs(t *testing.T) {
	for file, want := range map[string]string{
		"content/_index.md":                   "/",
		"content/modul/_index.md":             "/modul/",
		"content/modul/01 Dasar Serikat.md":   "/modul/01-dasar-serikat/",
		"content/kampanye/hukatan/index.md":   "/kampanye/hukatan/",
		"content/modul/lanjut/_index.md":      "/modul/lanjut/",
		"content/tentang.md":                  "/tentang/",
		"content/Berita/Pelatihan Lampung.md": "/berita/pelatihan-lampung/",
	} {
		p, problems := Parse(file, []byte("---\ntitle: X\n---\n"), Options{})
		if len(problems) > 0 || p.URL != want {
			t.Errorf("%s: URL %q (%v), want %q", file, p.URL, problems, want)
		}
	}
}

// FuzzCleanURL checks that a url from front matter either is refused or
// stays inside the site.
func FuzzCleanURL(f *testing.F) {
	for _, s := range []string{"/gabung/", "/a/../b", "//evil.org/x", "/x.html", "/a/./b", "/%2e%2e/", "/a\\b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		clean, err := CleanURL(u)
		if err != nil {
			return
		}
		if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
			t.Fatalf("CleanURL(%q) = %q does not start with one /", u, clean)
		}
		for _, seg := range strings.Split(clean, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("CleanURL(%q) = %q has a %q segment", u, clean, seg)
			}
		}
		if strings.ContainsAny(clean, "\\?#") {
			t.Fatalf("CleanURL(%q) = %q", u, clean)
		}
	})
}

// FuzzParsePage checks that no page source can panic the parser or give a
// page a URL outside the site.
func FuzzParsePage(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\nslug: b\n---\nIsi",
		"---\ntitle: A\nurl: /x/../y/\n---\n",
		"+++\ntitle = \"A\"\nslug = \"..\"\n+++\n",
		"---\ntitle: A\ndate: 2024-07-27\ntags: [a]\naliases: [/a/]\nweight: 2\n---\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, problems := Parse("content/modul/a.md", []byte(src), Options{})
		lines := strings.Count(src, "\n") + 2
		for _, pr := range problems {
			if pr.Path != "content/modul/a.md" || pr.Line < 0 || pr.Line > lines {
				t.Fatalf("problem at %s:%d of a %d-line file: %v", pr.Path, pr.Line, lines, pr)
			}
		}
		if p == nil || len(problems) > 0 {
			return
		}
		if !strings.HasPrefix(p.URL, "/") || strings.HasPrefix(p.URL, "//") || path.Clean(p.URL) != strings.TrimSuffix(p.URL, "/") && p.URL != "/" {
			t.Fatalf("page URL %q from %q", p.URL, src)
		}
		for _, seg := range strings.Split(p.URL, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("page URL %q leaves its place", p.URL)
			}
		}
	})
}

// Two pages, or a page's alias and another page, on one address: each
// clash is reported once, at the later claim (pages' own addresses first,
// then aliases, each in file order).
func TestURLClashes(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md":   &fstest.MapFile{Data: []byte("---\ntitle: A\nurl: /sama/\n---\n")},
		"content/b.md":   &fstest.MapFile{Data: []byte("---\ntitle: B\nurl: /sama/\n---\n")},
		"content/c.md":   &fstest.MapFile{Data: []byte("---\ntitle: C\naliases: [/d/]\n---\n")},
		"content/d.md":   &fstest.MapFile{Data: []byte("---\ntitle: D\n---\n")},
		"content/e.md":   &fstest.MapFile{Data: []byte("---\ntitle: E\naliases: [/e/]\n---\n")}, // its own address: no clash
		"content/f/g.md": &fstest.MapFile{Data: []byte("---\ntitle: G\n---\n")},
	}
	_, err := Load(fsys, Options{})
	got := err.Error()
	for _, want := range []string{"content/b.md:3: URL /sama/ is also the URL of content/a.md", "content/c.md:3: URL /d/ is also the URL of content/d.md"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "is also the URL"); n != 2 {
		t.Errorf("%d clashes reported, want 2:\n%s", n, got)
	}
	// no clash at all: nothing to say
	if _, err := Load(fstest.MapFS{"content/a.md": &fstest.MapFile{Data: []byte("---\ntitle: A\naliases: [/lama/]\n---\n")}}, Options{}); err != nil {
		t.Errorf("a site without clashes: %v", err)
	}
}
