package site

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// Point 3 of the generator issue: content, sections, bundles, pretty URLs,
// order, tags, drafts and future pages.
func TestContentModel(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- serikat.toml --
title = "Serikat Uji"
baseURL = "https://uji.example.org/"
-- content/_index.md --
---
title: Beranda
---
Selamat datang.
-- content/modul/_index.md --
---
title: Modul Pelatihan
---
Daftar modul.
-- content/modul/01-dasar.md --
---
title: Dasar Berserikat
weight: 1
tags: [dasar, hukum]
---
Isi modul satu.
-- content/modul/02-organisasi.md --
+++
title = "Menjalankan Organisasi"
weight = 2
tags = ["Dasar"]
+++
Isi modul dua.
-- content/modul/lanjutan/kampanye-digital.md --
---
title: Kampanye Digital
---
Subseksi tanpa _index.
-- content/berita/lama.md --
---
title: Berita Lama
date: 2024-07-01
---
Lama.
-- content/berita/baru.md --
---
title: Berita Baru
date: 2024-07-30
slug: pelatihan-lampung
aliases: [/berita/pelatihan/]
---
Baru.
-- content/berita/draf.md --
---
title: Draf
draft: true
---
Belum siap.
-- content/berita/masa-depan.md --
---
title: Masa Depan
date: 2030-01-01
---
Nanti.
-- content/kampanye/hukatan/index.md --
---
title: Kampanye F HUKATAN
url: /gabung/hukatan/
federasi: hukatan
target: 200
---
![Foto](foto.svg)
-- content/kampanye/hukatan/foto.svg --
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>
-- content/unduh/panduan.pdf --
PDFDATA
`)
	mustBuild(t, dir, Options{})

	for _, name := range []string{
		"index.html", "modul/index.html", "modul/01-dasar/index.html", "modul/02-organisasi/index.html",
		"modul/lanjutan/index.html", "modul/lanjutan/kampanye-digital/index.html",
		"berita/index.html", "berita/lama/index.html", "berita/pelatihan-lampung/index.html",
		"gabung/hukatan/index.html", "gabung/hukatan/foto.svg", "unduh/panduan.pdf",
		"tags/index.html", "tags/dasar/index.html", "tags/hukum/index.html",
	} {
		if !exists(dir, name) {
			t.Errorf("missing %s", name)
		}
	}
	for _, name := range []string{"berita/draf/index.html", "berita/masa-depan/index.html", "berita/baru/index.html"} {
		if exists(dir, name) {
			t.Errorf("%s should not be built", name)
		}
	}
	// a section lists its pages in order: weight, then date, then title, subsections too
	list := read(t, dir, "modul/index.html")
	if !orderedIn(list, "Dasar Berserikat", "Menjalankan Organisasi", "Lanjutan") {
		t.Errorf("modul list out of order:\n%s", list)
	}
	berita := read(t, dir, "berita/index.html")
	if !orderedIn(berita, "Berita Baru", "Berita Lama") {
		t.Errorf("newest news should come first:\n%s", berita)
	}
	// tags: "dasar" and "Dasar" are one tag
	if tag := read(t, dir, "tags/dasar/index.html"); !strings.Contains(tag, "Dasar Berserikat") || !strings.Contains(tag, "Menjalankan Organisasi") {
		t.Errorf("tag page should list both pages:\n%s", tag)
	}
	// the bundle's image resolves beside the page, at its custom url
	if page := read(t, dir, "gabung/hukatan/index.html"); !strings.Contains(page, `src=/gabung/hukatan/foto.svg`) {
		t.Errorf("bundle image not resolved:\n%s", page)
	}
	// alias page redirects with a canonical link
	alias := read(t, dir, "berita/pelatihan/index.html")
	for _, want := range []string{`rel=canonical href=https://uji.example.org/berita/pelatihan-lampung/`, `http-equiv=refresh`, `noindex`} {
		if !strings.Contains(alias, want) {
			t.Errorf("alias page lacks %q:\n%s", want, alias)
		}
	}

	// drafts and future pages when asked
	mustBuild(t, dir, Options{Drafts: true, Future: true})
	for _, name := range []string{"berita/draf/index.html", "berita/masa-depan/index.html"} {
		if !exists(dir, name) {
			t.Errorf("with --drafts --future, %s should be built", name)
		}
	}
}

// orderedIn reports whether the strings appear in s in this order.
func orderedIn(s string, parts ...string) bool {
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			return false
		}
		at += i + len(p)
	}
	return true
}

func TestPrevNextFollowSectionOrder(t *testing.T) {
	dir := writeSite(t, `
-- layouts/_default/single.html --
{{ .Title }}|{{ with .Prev }}{{ .Title }}{{ end }}|{{ with .Next }}{{ .Title }}{{ end }}
-- layouts/_default/list.html --
{{ .Title }}
-- content/modul/a.md --
---
title: Tanpa Bobot
---
-- content/modul/b.md --
---
title: Kedua
weight: 2
---
-- content/modul/c.md --
---
title: Pertama
weight: 1
---
`)
	mustBuild(t, dir, Options{NoMinify: true})
	for name, want := range map[string]string{
		"modul/c/index.html": "Pertama||Kedua",
		"modul/b/index.html": "Kedua|Pertama|Tanpa Bobot",
		"modul/a/index.html": "Tanpa Bobot|Kedua|",
	} {
		if got := strings.TrimSpace(read(t, dir, name)); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// Point 7: sitemap, feeds, robots.txt, 404, and pages.json when a template
// names it.
func TestOtherOutputs(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- serikat.toml --
title = "Serikat"
baseURL = "https://serikat.example.org/sub/"
-- content/berita/satu.md --
---
title: "Berita <Satu>"
date: 2024-07-28
lastmod: 2024-08-01
tags: [lampung]
---
Pelatihan pengorganisasian di Bandar Lampung.
-- layouts/404.html --
{{ define "main" }}<h1>{{ .Title }}</h1><p>tidak ada</p>{{ end }}
-- layouts/index.html --
{{ define "main" }}<link rel="alternate" type="application/json" href="{{ "/pages.json" | relURL }}">{{ end }}
`)
	mustBuild(t, dir, Options{})
	sitemap := read(t, dir, "sitemap.xml")
	for _, want := range []string{
		"<loc>https://serikat.example.org/sub/berita/satu/</loc><lastmod>2024-08-01</lastmod>",
		"<loc>https://serikat.example.org/sub/</loc>",
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %q:\n%s", want, sitemap)
		}
	}
	feed := read(t, dir, "berita/index.xml")
	for _, want := range []string{"<title>Berita &lt;Satu&gt;</title>", "<link>https://serikat.example.org/sub/berita/satu/</link>", "<pubDate>Sun, 28 Jul 2024 00:00:00 +0700</pubDate>", "Pelatihan pengorganisasian"} {
		if !strings.Contains(feed, want) {
			t.Errorf("section feed lacks %q:\n%s", want, feed)
		}
	}
	if !strings.Contains(read(t, dir, "index.xml"), "Berita &lt;Satu&gt;") {
		t.Error("home feed lacks the news page")
	}
	if robots := read(t, dir, "robots.txt"); !strings.Contains(robots, "Sitemap: https://serikat.example.org/sub/sitemap.xml") {
		t.Errorf("robots.txt: %q", robots)
	}
	if nf := read(t, dir, "404.html"); !strings.Contains(nf, "tidak ada") || !strings.Contains(nf, "Halaman tidak ditemukan") {
		t.Errorf("404.html from layouts/404.html: %s", nf)
	}
	var pages []map[string]any
	if err := json.Unmarshal([]byte(read(t, dir, "pages.json")), &pages); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0]["url"] != "/sub/berita/satu/" || pages[0]["section"] != "berita" ||
		pages[0]["summary"] != "Pelatihan pengorganisasian di Bandar Lampung." || pages[0]["title"] != "Berita <Satu>" {
		t.Errorf("pages.json = %v", pages)
	}
	// a site without layouts/404.html still gets one
	dir2 := writeSite(t, minimalLayouts+"-- content/a.md --\n---\ntitle: A\n---\n")
	mustBuild(t, dir2, Options{})
	if nf := read(t, dir2, "404.html"); !strings.Contains(nf, "Halaman tidak ditemukan") {
		t.Errorf("built-in 404: %s", nf)
	}
}

var hashedCSS = regexp.MustCompile(`css/main\.[0-9a-f]{10}\.css`)

// Point 6: assets minified and fingerprinted; outputs minified unless asked not to.
func TestAssets(t *testing.T) {
	dir := writeSite(t, `
-- layouts/_default/single.html --
<!doctype html>
<html lang="id">
<head>
  <link rel="stylesheet" href="{{ asset "css/main.css" }}">
  <style>{{ assetInline "css/kecil.css" }}</style>
</head>
<body>
  <p>  {{ .Title }}  </p>
</body>
</html>
-- layouts/_default/list.html --
list
-- assets/css/main.css --
body {
  color : #ff0000 ;
}
-- assets/css/kecil.css --
p { margin : 0px ; }
-- assets/js/app.js --
function   halo ( nama ) {  return "Halo " + nama ;  }
-- assets/img/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"   width="10" height="10">  <rect width="10" height="10"/>  </svg>
-- assets/doc/info.txt --
  teks   apa adanya
-- content/a.md --
---
title: Halaman A
---
`)
	mustBuild(t, dir, Options{})
	page := read(t, dir, "a/index.html")
	css := hashedCSS.FindString(page)
	if css == "" {
		t.Fatalf("no fingerprinted stylesheet in %s", page)
	}
	if got := read(t, dir, css); got != "body{color:red}" {
		t.Errorf("%s = %q, want minified", css, got)
	}
	if !strings.Contains(page, "<style>p{margin:0}</style>") {
		t.Errorf("inlined stylesheet not minified: %s", page)
	}
	if !strings.Contains(page, "<p>Halaman A") || strings.Contains(page, "\n") {
		t.Errorf("HTML not minified: %q", page)
	}
	files := tree(t, dir+"/public")
	var js string
	for name := range files {
		if strings.HasPrefix(name, "js/app.") {
			js = name
		}
	}
	if !regexp.MustCompile(`^js/app\.[0-9a-f]{10}\.js$`).MatchString(js) || strings.Contains(files[js], "  ") {
		t.Errorf("script %q not fingerprinted and minified: %q", js, files[js])
	}
	if svg := files["img/logo.svg"]; strings.Contains(svg, "  ") || !strings.HasPrefix(svg, "<svg") {
		t.Errorf("SVG not minified: %q", files["img/logo.svg"])
	}
	if files["doc/info.txt"] != "  teks   apa adanya\n" {
		t.Errorf("other files must be copied as they are: %q", files["doc/info.txt"])
	}

	mustBuild(t, dir, Options{NoMinify: true})
	if page := read(t, dir, "a/index.html"); !strings.Contains(page, "<p>  Halaman A  </p>") {
		t.Errorf("--no-minify should keep the template's whitespace: %q", page)
	}
}
