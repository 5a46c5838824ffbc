// Package benchsite writes synthetic sites for measuring build speed: N
// Markdown pages in ten sections, each with headings, lists, a table, links
// to other pages and a few hundred words, plus simple layouts that Serikat
// and Hugo both run unchanged (Hugo gets its own config file). The same
// size always gives the same site.
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
	for name, text := range layouts {
		if err := write(name, text); err != nil {
			return err
		}
	}
	return nil
}

// layouts are written in the subset of Go templates that Serikat and Hugo
// share, so both do the same work.
var layouts = map[string]string{
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
