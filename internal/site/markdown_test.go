package site

import (
	"strings"
	"testing"
)

// Point 4: GFM, footnotes, definition lists, typographer, heading IDs, a
// table of contents, escaped raw HTML and links between pages.
func TestMarkdown(t *testing.T) {
	dir := writeSite(t, `
-- layouts/_default/single.html --
<nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main>
-- layouts/_default/list.html --
{{ .Content }}
-- content/modul/01-dasar.md --
---
title: Dasar
---
## Apa Itu Serikat?

| Hak | Dasar hukum |
|-----|-------------|
| Berserikat | UU No. 21/2000 |

~~dihapus~~ dan tugas:

- [x] hadir rapat
- [ ] bayar iuran

Kunjungi https://ksbsi.org untuk info.

Catatan kaki[^1] dan "kutipan" -- tanda.

Iuran
: Sumbangan anggota tiap bulan.

## Tujuan Pembelajaran

### Tujuan Pembelajaran

<script>alert("x")</script>

Lanjut ke [Modul 2](02-rekrutmen.md), [target](../federasi/hukatan.md#target) atau [tujuan](#tujuan-pembelajaran).

[^1]: Isi catatan.
-- content/modul/02-rekrutmen.md --
---
title: Rekrutmen
---
Isi.
-- content/federasi/hukatan.md --
---
title: F HUKATAN
---
## Target
`)
	mustBuild(t, dir, Options{NoMinify: true})
	page := read(t, dir, "modul/01-dasar/index.html")
	for _, want := range []string{
		`<h2 id="apa-itu-serikat">Apa Itu Serikat?</h2>`,
		`<td>Berserikat</td>`,
		`<del>dihapus</del>`,
		`<input checked="" disabled="" type="checkbox"> hadir rapat`,
		`<a href="https://ksbsi.org">https://ksbsi.org</a>`,
		`class="footnote-ref"`,
		`&ldquo;kutipan&rdquo; &ndash; tanda`,
		`<dt>Iuran</dt>`,
		`<h2 id="tujuan-pembelajaran">`,
		`<h3 id="tujuan-pembelajaran-1">`,
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`,
		`<a href="/modul/02-rekrutmen/">Modul 2</a>`,
		`<a href="/federasi/hukatan/#target">target</a>`,
		`<a href="#tujuan-pembelajaran">tujuan</a>`,
		`<nav id="TableOfContents"><ul><li><a href="#apa-itu-serikat">Apa Itu Serikat?</a></li><li><a href="#tujuan-pembelajaran">Tujuan Pembelajaran</a><ul><li><a href="#tujuan-pembelajaran-1">Tujuan Pembelajaran</a></li></ul></li></ul></nav>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("raw HTML must be escaped by default")
	}

	// with markup.unsafe, raw HTML passes
	writeArchive(t, dir, "-- serikat.toml --\n[markup]\nunsafe = true\n")
	mustBuild(t, dir, Options{NoMinify: true})
	if page := read(t, dir, "modul/01-dasar/index.html"); !strings.Contains(page, `<script>alert("x")</script>`) {
		t.Error("markup.unsafe should let raw HTML through")
	}
}

func TestBrokenLinks(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- content/a.md --
---
title: A
---
Baris satu.

Ke [halaman hilang](hilang.md) dan [judul hilang](b.md#tidak-ada).

Juga [lokal](#tidak-ada-juga).

> ## Dalam kutipan

- ### Dalam daftar

Judul dalam kutipan dan daftar juga ditemukan: [kutipan](#dalam-kutipan), [daftar](#dalam-daftar).
-- content/b.md --
---
title: B
---
## Ada
`)
	got := problems(t, mustFail(t, dir))
	wantProblem(t, got, "content/a.md:6: ", "hilang.md", "no such page", "content/hilang.md")
	wantProblem(t, got, "content/a.md:6: ", "b.md#tidak-ada", "no heading")
	wantProblem(t, got, "content/a.md:8: ", "#tidak-ada-juga", "no heading")
	if len(got) != 3 {
		t.Errorf("want 3 problems, got:\n%s", strings.Join(got, "\n"))
	}
}

func mustFail(t *testing.T, dir string) error {
	t.Helper()
	_, err := build(t, dir, Options{})
	if err == nil {
		t.Fatal("build succeeded, want problems")
	}
	positioned(t, err)
	return err
}

// Point 5: layout lookup, base templates, partials, the page and site API
// and the template functions.
func TestTemplates(t *testing.T) {
	dir := writeSite(t, `
-- serikat.toml --
title = "Serikat Uji"
baseURL = "https://uji.example.org/dasar/"
languageCode = "id"
[params]
federasi = "KSBSI"
[[menus.main]]
name = "Kampanye"
url = "/kampanye/"
weight = 2
[[menus.main]]
name = "Modul"
url = "/modul/"
weight = 1
-- layouts/i18n/id.toml --
halo = "Halo"
modulDari = "Modul {{ .n }} dari {{ .total }}"
-- layouts/_default/baseof.html --
<html lang="{{ .Site.LanguageCode }}">{{ partial "nav.html" . }}<main>{{ block "main" . }}base{{ end }}</main></html>
-- layouts/partials/nav.html --
<nav>{{ range .Site.Menus.main }}<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}{{ partial "brand.html" .Site }}</nav>
-- layouts/partials/brand.html --
<b>{{ .Title }}·{{ .Params.federasi }}</b>
-- layouts/_default/single.html --
{{ define "main" }}default-single {{ .Title }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}default-list {{ .Title }} {{ len .Pages }}{{ end }}
-- layouts/index.html --
{{ define "main" }}home {{ .IsHome }} {{ range .Site.Sections }}[{{ .Title }}]{{ end }}{{ end }}
-- layouts/modul/single.html --
{{ define "main" }}modul-single
title={{ .Title }}|desc={{ .Description }}|summary={{ .Summary }}
words={{ .WordCount }}|minutes={{ .ReadingTime }}
date={{ .Date.Format "2006-01-02" }}|lastmod={{ .Lastmod.Format "2006-01-02" }}|id={{ dateFormat "Monday, 2 January 2006" .Date }}|short={{ dateFormat "2 Jan" .Date }}
permalink={{ .Permalink }}|rel={{ .RelPermalink }}|section={{ .Section }}|type={{ .Type }}|kind={{ .Kind }}
page={{ .IsPage }}|sectionPage={{ .IsSection }}|home={{ .IsHome }}
durasi={{ .Params.durasi }}|site={{ .Site.Title }}|base={{ .Site.BaseURL }}|param={{ .Param "federasi" }}
parent={{ .Parent.Title }}|count={{ len .Parent.RegularPages }}|next={{ with .Next }}{{ .Title }}{{ end }}
rel2={{ relURL "/gabung/" }}|abs={{ absURL "gabung/" }}|urlize={{ urlize "Strategi Rekrutmen dari Bawah!" }}
safe={{ safeHTML "<b>tebal</b>" }}|md={{ markdownify "**tebal** dan *miring*" }}
T={{ T "halo" }}|Targs={{ T "modulDari" (dict "n" 3 "total" 8) }}
toc={{ .TableOfContents }}
{{ end }}
-- layouts/kampanye/list.html --
{{ define "main" }}kampanye-list{{ end }}
-- layouts/_default/tentang.html --
{{ define "main" }}layout-tentang {{ .Title }}{{ end }}
-- layouts/polos/single.html --
tanpa-base {{ .Title }}
-- content/modul/_index.md --
---
title: Modul
---
-- content/modul/01-dasar.md --
---
title: Dasar Berserikat
description: Hak dan kewajiban
date: 2024-07-27
durasi: 90 menit
weight: 1
---
Serikat buruh adalah organisasi yang dibentuk dari, oleh dan untuk buruh.

## Bagian
-- content/modul/02-lanjut.md --
---
title: Lanjut
weight: 2
---
-- content/kampanye/ayo.md --
---
title: Ayo
---
-- content/tentang.md --
---
title: Tentang Kami
layout: tentang
---
-- content/khusus.md --
---
title: Halaman Khusus
type: polos
---
`)
	mustBuild(t, dir, Options{NoMinify: true})
	// partials keep their files' final newlines
	nav := "<nav><a href=\"/dasar/modul/\">Modul</a><a href=\"/dasar/kampanye/\">Kampanye</a><b>Serikat Uji·KSBSI</b>\n</nav>\n"
	home := read(t, dir, "index.html")
	if !strings.Contains(home, nav) || !strings.Contains(home, "home true [Kampanye][Modul]") || !strings.Contains(home, `<html lang="id">`) {
		t.Errorf("home:\n%s", home)
	}
	page := read(t, dir, "modul/01-dasar/index.html")
	for _, want := range []string{
		nav,
		"title=Dasar Berserikat|desc=Hak dan kewajiban|summary=Serikat buruh adalah organisasi yang dibentuk dari, oleh dan untuk buruh.",
		"words=12|minutes=1",
		"date=2024-07-27|lastmod=2024-07-27|id=Sabtu, 27 Juli 2024|short=27 Jul",
		"permalink=https://uji.example.org/dasar/modul/01-dasar/|rel=/dasar/modul/01-dasar/|section=modul|type=modul|kind=page",
		"page=true|sectionPage=false|home=false",
		"durasi=90 menit|site=Serikat Uji|base=https://uji.example.org/dasar/|param=KSBSI",
		"parent=Modul|count=2|next=Lanjut",
		"rel2=/dasar/gabung/|abs=https://uji.example.org/dasar/gabung/|urlize=strategi-rekrutmen-dari-bawah",
		"safe=<b>tebal</b>|md=<strong>tebal</strong> dan <em>miring</em>",
		"T=Halo|Targs=Modul 3 dari 8",
		`toc=<nav id="TableOfContents"><ul><li><a href="#bagian">Bagian</a></li></ul></nav>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("module page lacks %q\n%s", want, page)
		}
	}
	for name, want := range map[string]string{
		"modul/index.html":           "default-list Modul 2",
		"kampanye/index.html":        "kampanye-list",
		"kampanye/ayo/index.html":    "default-single Ayo",
		"tentang/index.html":         "layout-tentang Tentang Kami",
		"khusus/index.html":          "tanpa-base Halaman Khusus",
		"modul/02-lanjut/index.html": "modul-single",
	} {
		if got := read(t, dir, name); !strings.Contains(got, want) {
			t.Errorf("%s: want %q, got\n%s", name, want, got)
		}
	}
	if strings.Contains(read(t, dir, "khusus/index.html"), "<nav>") {
		t.Error("a template without define must not be wrapped in baseof")
	}
}
