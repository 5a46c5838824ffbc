// Package benchsite writes sites for measuring build speed, for
// cmd/serikat-bench and the benchmarks of package site. The same size
// always gives the same site, byte for byte.
//
// # Synthetic sites
//
// Write makes the site Serikat's speed was first tuned on: N Markdown pages
// in ten sections of equal size, each of a few hundred words with three
// headings, lists, one table and a link to another page, plus layouts that
// Serikat and Hugo both run unchanged (Hugo reads config.toml). Share cards
// and the search index are off and Hugo makes no tag pages, so both do the
// same work. It is our own design, and a site we designed is one we may
// have tuned for without knowing.
//
// # Corpus
//
// WriteCorpus makes a site shaped like the ones others write, to check that
// a speed claim holds on them:
//
//   - n pages in up to 30 sections (bagian-00 …) of very unequal sizes,
//     section k holding about 1/(k+1) as many as the largest (Zipf's law):
//     with 1,000 pages the largest has 250 and the smallest 9; each section
//     has an _index.md with a title, a description and a paragraph;
//   - YAML front matter: title, date (2014 to 2025, some with a time and
//     zone), description, 3 to 6 tags from 200 with Zipf-like popularity
//     (so a few tags list hundreds of pages and many list a handful),
//     draft: false on 30% of pages, weight on 20%;
//   - text of about 550 words on average but varied: one page in twelve a
//     notice of 30 to 80 words, one in twenty a guide of 2,000 to 2,900,
//     the rest 150 to 800, drawn from 20,000 words (Indonesian function
//     words, the subject's words, and made-up words with Indonesian
//     affixes) with Zipf's law, as in real text, so the search index has a
//     realistic vocabulary;
//   - ## and ### headings, paragraphs, bullet and numbered lists, bold,
//     italic and inline code, a Markdown table on about 30% of pages and a
//     fenced code block (sh, yaml or toml) on about 15%;
//   - 2 to 5 links to other pages, within paragraphs or under "Bacaan
//     Lanjutan", written as site URLs (/bagian-03/halaman-00042/). Serikat
//     would resolve and check links to .md files, but Hugo 0.111 publishes
//     them as written (it resolves them only with a render hook), so
//     they would be broken there.
//
// CorpusPagePath names page i's file. cmd/serikat-bench's hidden
// -write-corpus flag writes a corpus for inspection:
//
//	go run ./cmd/serikat-bench -write-corpus /tmp/korpus -corpus hugo -pages 1000
//
// # Layouts of a corpus
//
// With HugoLayouts ("hugo"), layouts/ holds plain Hugo-style layouts that
// Serikat and Hugo both run unchanged: _default/baseof.html (with a
// navigation of every section), single.html (title, date, reading time,
// description, tags, table of contents, content), list.html (every child
// with its date and description; Serikat has no pagination),
// terms.html and term.html (the tags, and a tag's pages), 404.html and the
// partial head.html. They use no share image, search or manifest, so
// Serikat, which makes those only for templates that ask, makes none.
// serikat.toml is Serikat's defaults.
//
// With DefaultTheme ("theme"), layouts/ and assets/ are Serikat's default
// theme, copied as serikat init copies it, with serikat init's settings
// (menus to the three largest sections and search) and the pages
// serikat init adds that the theme links to (cari, gabung, tentang,
// privasi, offline: five more pages). Share cards, the search index, the
// manifest and the service worker are made, as a new site makes them. Hugo
// cannot run the theme, so hugo.toml points it (layoutDir) at the same
// Hugo-style layouts in hugo-layouts/.
//
// # What Hugo is told
//
// Both corpora have a hugo.toml that has Hugo do what Serikat does: one
// taxonomy, tags (Hugo also makes categories by default); RSS feeds for
// the home page and the sections only, of the newest FeedItems pages
// (Hugo's default is a feed for every tag too, of every page); code
// blocks left unhighlighted (Hugo highlights them with Chroma by default).
// Each setting spares Hugo work, so they err in Hugo's favour.
package benchsite

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Sections is how many sections the pages are spread over.
const Sections = 10

var words = strings.Fields(`serikat buruh pekerja anggota rekrutmen pengorganisasian federasi
cabang komisariat advokasi upah kontrak outsourcing perundingan kesepakatan kerja bersama
pabrik perkebunan kehutanan konstruksi pertambangan hak kewajiban iuran rapat laporan target
strategi media sosial video poster tulisan manajemen lobi negosiasi pelatihan peserta diskusi
kelompok rencana tahun bulan minggu data catatan organisasi solidaritas keadilan perlindungan`)

// PagePath is the path, under the site, of page i of a site of n pages.
func PagePath(n, i int) string {
	section, file := name(n, i)
	return "content/" + section + "/" + file
}

func name(n, i int) (section, file string) {
	perSection := (n + Sections - 1) / Sections
	return fmt.Sprintf("bagian-%02d", i/perSection), fmt.Sprintf("halaman-%05d.md", i)
}

// Write creates a site of n pages in dir.
func Write(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	sentence := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	write := func(rel, text string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(text), 0o644)
	}
	for s := 0; s < Sections; s++ {
		if err := write(fmt.Sprintf("content/bagian-%02d/_index.md", s), fmt.Sprintf("---\ntitle: Bagian %d\n---\n\n%s\n", s, sentence(20))); err != nil {
			return err
		}
	}
	for i := 0; i < n; i++ {
		section, _ := name(n, i)
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: \"Halaman %d: %s\"\ndate: 2024-%02d-%02d\nweight: %d\n---\n\n",
			i, sentence(3), 1+i%12, 1+i%28, i%50+1)
		b.WriteString(sentence(30) + " " + sentence(25) + "\n\n")
		for h := 1; h <= 3; h++ {
			fmt.Fprintf(&b, "## Bagian %d %s\n\n%s %s\n\n", h, words[r.IntN(len(words))], sentence(40), sentence(30))
			b.WriteString("- " + sentence(8) + "\n- " + sentence(6) + "\n- **" + sentence(4) + "** " + sentence(5) + "\n\n")
			if h == 2 {
				b.WriteString("| Federasi | Target | Capaian |\n|---|---:|---:|\n")
				for row := 0; row < 4; row++ {
					fmt.Fprintf(&b, "| %s | %d | %d |\n", words[r.IntN(len(words))], r.IntN(500), r.IntN(500))
				}
				b.WriteString("\n")
			}
		}
		other := r.IntN(n)
		otherSection, otherFile := name(n, other)
		rel := otherFile
		if otherSection != section {
			rel = "../" + otherSection + "/" + otherFile
		}
		fmt.Fprintf(&b, "### Bacaan lanjutan\n\nLihat [halaman %d](%s) dan [sumber](https://example.org/%d).\n", other, rel, i)
		if err := write(PagePath(n, i), b.String()); err != nil {
			return err
		}
	}
	for name, text := range syntheticLayouts {
		if err := write(name, text); err != nil {
			return err
		}
	}
	return nil
}

// syntheticLayouts are written in the subset of Go templates that Serikat
// and Hugo share, so both do the same work.
var syntheticLayouts = map[string]string{
	// Share cards and the search index are off: Hugo makes neither, and
	// the comparison is of the same work.
	"serikat.toml": "title = \"Bench\"\nbaseURL = \"https://bench.example.org/\"\nlanguageCode = \"id\"\n" +
		"[share]\ncards = false\n[search]\nindex = false\n",
	"config.toml": "title = \"Bench\"\nbaseURL = \"https://bench.example.org/\"\nlanguageCode = \"id\"\n" +
		"disableKinds = [\"taxonomy\", \"term\"]\n",
	"layouts/_default/baseof.html": `<!doctype html>
<html lang="{{ .Site.LanguageCode }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:auto;padding:0 1rem}</style>
</head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }}</p></footer></body></html>
`,
	"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time> · {{ .WordCount }} kata</p>
{{ .TableOfContents }}
{{ .Content }}</article>{{ end }}
`,
	"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}
`,
	"layouts/index.html": `{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`,
}
