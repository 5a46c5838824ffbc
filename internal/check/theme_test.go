package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// joinSite is a site whose home page shows the modules by name and has a
// join form, as the default theme's do, with none of the pages they lead to.
const joinSite = `
-- layouts/_default/baseof.html --
<!doctype html><html lang="id"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/index.html --
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Site.GetPage "modul/_index.md" }}<ol>{{ range .RegularPages }}<li>{{ .Title }}</li>{{ end }}</ol>{{ end }}
{{ with .Site.GetPage "berita/_index.md" }}{{ .Title }}{{ end }}
{{ $join := .Site.Join }}<form method="post" action="{{ $join.Endpoint }}" data-thanks="{{ $join.Thanks }}"><button>Gabung</button></form>
{{ end }}
-- content/_index.md --
---
title: Beranda
---
Selamat datang di [ISI: nama federasi].
-- content/modul/01-dasar.md --
---
title: Dasar
durasi: 90 menit
tujuan: [Memahami serikat]
---
Isi.
`

func runProblems(t *testing.T, dir string) []string {
	t.Helper()
	report, err := Run(context.Background(), Options{Source: dir, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range report.Problems {
		got = append(got, p.String())
	}
	return got
}

// The pages the theme's flows reach must exist: the thank-you page the
// join endpoint redirects to (named by the template, or by [join] thanks
// when it is set) and the section page the home page lists modules from.
// Placeholders left to fill in are warnings.
func TestJoinFlowPages(t *testing.T) {
	dir := writeSite(t, joinSite)
	want := []string{
		`content/_index.md:4: warning: [ISI: nama federasi] is still to be written`,
		`layouts/index.html:2: the template shows modul/_index.md, which does not exist, so it leaves out the 1 page of content/modul/: add content/modul/_index.md`,
		`layouts/index.html:4: the join form sends a worker who has signed up to /gabung/terima-kasih/ ([join] thanks), but the site has no page there`,
	}
	assertProblems(t, runProblems(t, dir), want)

	// named in serikat.toml, it is reported there
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nthanks = \"/terima-kasih/\"\n"), 0o644)
	want[2] = `serikat.toml:4: the join form sends a worker who has signed up to /terima-kasih/ ([join] thanks), but the site has no page there`
	assertProblems(t, runProblems(t, dir), want)

	// with the pages, and the placeholder written, nothing is left
	for name, text := range map[string]string{
		"content/terima-kasih.md": "---\ntitle: Terima kasih\nurl: /terima-kasih/\n---\nKami akan menghubungi Anda.\n",
		"content/modul/_index.md": "---\ntitle: Modul\n---\n",
		"content/_index.md":       "---\ntitle: Beranda\n---\nSelamat datang.\n",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	assertProblems(t, runProblems(t, dir), nil)
}

// publishedJoinSite is joinSite with the pages its templates ask for: the
// section page, the thank-you page and the home page.
const publishedJoinSite = joinSite + `
-- content/modul/_index.md --
---
title: Modul
---
-- content/terima-kasih.md --
---
title: Terima kasih
url: /gabung/terima-kasih/
---
-- content/_index.md --
---
title: Beranda
---
`

// On Netlify, a form posting to the site's own /api/join needs a rule
// passing it on to the endpoint, at an address that is not an example.
func TestNetlifyEndpointWarnings(t *testing.T) {
	dir := writeSite(t, publishedJoinSite+`
-- serikat.toml --
title = "Uji"

[join]
backend = "endpoint"
`)
	// no netlify.toml: the host is not known, so nothing is said
	assertProblems(t, runProblems(t, dir), nil)

	noProxy := "[build]\n  publish = \"public\"\n\n[[redirects]]\n  from = \"/*\"\n  to = \"/404.html\"\n  status = 404\n"
	os.WriteFile(filepath.Join(dir, "netlify.toml"), []byte(noProxy), 0o644)
	assertProblems(t, runProblems(t, dir), []string{
		`serikat.toml:4: warning: the join form posts to /api/join, but netlify.toml passes nothing under it on to a join endpoint`,
	})

	example := "[[redirects]]\n  from = \"/api/*\"\n  to = \"https://gabung.serikat.example.org/api/:splat\"\n  status = 200\n\n" + noProxy
	os.WriteFile(filepath.Join(dir, "netlify.toml"), []byte(example), 0o644)
	assertProblems(t, runProblems(t, dir), []string{
		`netlify.toml:2: warning: signups posted to /api/join are passed on to gabung.serikat.example.org, an example address`,
	})

	real := strings.Replace(example, "gabung.serikat.example.org", "gabung.fsb-contoh.or.id", 1)
	os.WriteFile(filepath.Join(dir, "netlify.toml"), []byte(real), 0o644)
	assertProblems(t, runProblems(t, dir), nil)

	// Netlify Forms answer on Netlify itself
	os.WriteFile(filepath.Join(dir, "netlify.toml"), []byte(noProxy), 0o644)
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nbackend = \"netlify\"\n"), 0o644)
	assertProblems(t, runProblems(t, dir), nil)
}

// On GitHub Pages (a workflow deploys the site) the form must post to an
// endpoint on its own address: Netlify Forms and the site's own /api/join
// get nothing there. An endpoint at an example address fails anywhere.
func TestPagesEndpointWarnings(t *testing.T) {
	dir := writeSite(t, publishedJoinSite+`
-- .github/workflows/pages.yml --
name: Pages
on: push
jobs:
  deploy:
    steps:
      - uses: actions/upload-pages-artifact@v3
      - uses: actions/deploy-pages@v4
-- serikat.toml --
title = "Uji"

[join]
backend = "endpoint"
`)
	assertProblems(t, runProblems(t, dir), []string{
		`serikat.toml:4: warning: the join form posts to /api/join on the site's own address, but GitHub Pages (.github/workflows/pages.yml) only serves files`,
	})
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nbackend = \"netlify\"\n"), 0o644)
	assertProblems(t, runProblems(t, dir), []string{
		`serikat.toml:4: warning: the site is published on GitHub Pages (.github/workflows/pages.yml), which does not collect Netlify Forms`,
	})
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nbackend = \"endpoint\"\nendpoint = \"https://gabung.federasi.example/api/join\"\n"), 0o644)
	assertProblems(t, runProblems(t, dir), []string{
		`serikat.toml:5: warning: the join form posts to https://gabung.federasi.example/api/join, an example address`,
	})
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nbackend = \"endpoint\"\nendpoint = \"https://gabung.fsb-contoh.or.id/api/join\"\n"), 0o644)
	assertProblems(t, runProblems(t, dir), nil)
	// without the workflow the host is not known
	os.RemoveAll(filepath.Join(dir, ".github"))
	os.WriteFile(filepath.Join(dir, "serikat.toml"), []byte("title = \"Uji\"\n\n[join]\nbackend = \"endpoint\"\n"), 0o644)
	assertProblems(t, runProblems(t, dir), nil)
}

// assertProblems wants exactly the problems that start with want, in order.
func assertProblems(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
