package site

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/buildcache"
)

// A sidebar of the latest pages with their summaries, on every page, reads
// only the site: it is rendered once a build and shared. Every page still
// follows what it shows, in a build and in a preview's text edit.
const sidebarSite = `
-- serikat.toml --
title = "Serikat"
baseURL = "https://serikat.example.org/"
-- layouts/_default/baseof.html --
<html><body><aside>{{ range first 2 .Site.Pages }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Summary }}</p>{{ end }}</aside>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Pages }}<p>{{ .Title }}</p>{{ end }}{{ end }}
-- content/modul/01-dasar.md --
---
title: Dasar
weight: 1
---
Ringkasan dasar.
-- content/modul/02-rekrutmen.md --
---
title: Rekrutmen
weight: 2
---
Ringkasan rekrutmen.
-- content/modul/03-rencana.md --
---
title: Rencana Kerja
weight: 3
---
Target 651 anggota.
`

func TestSharedFragmentsFollowWhatTheyShow(t *testing.T) {
	steps := []struct {
		name, file, from, to string
		all                  bool // every page shows the change
		text                 bool // an edit of text alone
	}{
		{"summary in the sidebar", "content/modul/01-dasar.md", "Ringkasan dasar.", "Ringkasan dasar yang baru.", true, true},
		{"page not in the sidebar", "content/modul/03-rencana.md", "Target 651", "Target enam ratus lima puluh satu", false, true},
		{"title in the sidebar", "content/modul/02-rekrutmen.md", "title: Rekrutmen", "title: Strategi Rekrutmen", true, false},
	}
	for _, mode := range []string{"build", "session"} {
		t.Run(mode, func(t *testing.T) {
			dir := writeSite(t, sidebarSite)
			age(t, dir)
			var s *Session
			build := func() *Report {
				if mode == "build" {
					return mustBuild(t, dir, Options{})
				}
				if s == nil {
					s = builtSession(t, dir)
					return &Report{}
				}
				r, err := s.Build(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				return finishSession(t, s, r)
			}
			build()
			sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
			// one dependency on the sidebar, not one per page it shows
			if mode == "build" {
				c, err := buildcache.Open(filepath.Join(dir, ".serikat", "cache"))
				if err != nil {
					t.Fatal(err)
				}
				out, ok := c.Output("modul/03-rencana/index.html")
				c.Close()
				if !ok {
					t.Fatal("no cached output for modul/03-rencana/")
				}
				var fragments, summaries int
				for _, d := range out.Deps {
					switch d.Kind {
					case buildcache.DepFragment:
						fragments++
					case buildcache.DepSummary:
						summaries++
					}
				}
				if fragments != 1 || summaries != 0 {
					t.Errorf("the page records %d fragments and %d summaries, want the sidebar as one fragment", fragments, summaries)
				}
			}
			for _, step := range steps {
				age(t, dir)
				if s != nil {
					s.Changed(step.file)
				}
				edit(t, dir, step.file, step.from, step.to)
				r := build()
				sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
				if mode == "session" && r.TextEdit != step.text {
					t.Errorf("%s: text edit %v, want %v", step.name, r.TextEdit, step.text)
				}
				if step.all && r.Rendered < 4 {
					t.Errorf("%s: rendered %d outputs; every page shows it", step.name, r.Rendered)
				}
				if !step.all && r.Rendered > 1 {
					t.Errorf("%s: rendered %d outputs, want the page alone", step.name, r.Rendered)
				}
				if !strings.Contains(read(t, dir, "modul/03-rencana/index.html"), "Ringkasan dasar yang baru.") {
					t.Errorf("%s: the sidebar of an unchanged page is out of date", step.name)
				}
				if t.Failed() {
					t.Fatalf("after %s, the build differs from a cold one", step.name)
				}
			}
		})
	}
}

// A preview's text edit finds the outputs to render again by their names:
// the page, its poster, the home page and the not-found page among them.
func TestSessionTextEditRendersPagesAndPosters(t *testing.T) {
	dir := writeSite(t, `
-- serikat.toml --
title = "Serikat"
baseURL = "https://serikat.example.org/"
-- layouts/_default/single.html --
<h1>{{ .Title }}</h1>{{ .Content }}
-- layouts/_default/list.html --
<h1>{{ .Title }}</h1>{{ range .Pages }}<p>{{ .Title }}: {{ .Summary }}</p>{{ end }}
-- layouts/kampanye/poster.html --
<h1>Poster {{ .Title }}</h1>{{ .Summary }}
-- layouts/404.html --
<h1>Tidak ada</h1>{{ range .Site.Pages }}<p>{{ .Summary }}</p>{{ end }}
-- content/kampanye/f-hukatan.md --
---
title: Bergabung dengan F HUKATAN
---
Ringkasan kampanye.
`)
	age(t, dir)
	s := builtSession(t, dir)
	s.Changed("content/kampanye/f-hukatan.md")
	edit(t, dir, "content/kampanye/f-hukatan.md", "Ringkasan kampanye.", "Ringkasan yang baru.")
	r, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	finishSession(t, s, r)
	if !r.TextEdit {
		t.Fatal("not a text edit")
	}
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
	for _, name := range []string{"kampanye/f-hukatan/index.html", "kampanye/f-hukatan/poster/index.html", "kampanye/index.html", "404.html"} {
		if !strings.Contains(read(t, dir, name), "Ringkasan yang baru.") {
			t.Errorf("%s does not show the edit", name)
		}
	}
}
