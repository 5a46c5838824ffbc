package benchsite

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/serikat-id/serikat/assets"
	"github.com/serikat-id/serikat/layouts"
)

// Layouts says which templates a corpus is written with.
type Layouts int

const (
	// HugoLayouts are plain Hugo-style layouts under layouts/ that Serikat
	// and Hugo both run unchanged.
	HugoLayouts Layouts = iota
	// DefaultTheme is Serikat's own theme under layouts/ and assets/, as
	// serikat init writes it. Hugo, which cannot run it, reads the
	// Hugo-style layouts from hugo-layouts/ instead.
	DefaultTheme
)

// ParseLayouts reads the name of a corpus's layouts: "hugo" or "theme".
func ParseLayouts(name string) (Layouts, error) {
	switch name {
	case "hugo":
		return HugoLayouts, nil
	case "theme":
		return DefaultTheme, nil
	}
	return 0, fmt.Errorf("corpus %q: want hugo or theme", name)
}

// String is the name ParseLayouts reads.
func (l Layouts) String() string {
	if l == DefaultTheme {
		return "theme"
	}
	return "hugo"
}

// HugoLayoutDir is the folder, under the site, that Hugo reads its layouts
// from (hugo.toml's layoutDir).
func (l Layouts) HugoLayoutDir() string {
	if l == DefaultTheme {
		return "hugo-layouts"
	}
	return "layouts"
}

// FeedItems is how many pages a corpus's feeds list. It is Serikat's own
// limit; Hugo's hugo.toml sets the same.
const FeedItems = 20

// corpusShape says which section each page of a corpus is in. Section k
// holds about n/(k+1) of the pages, relative to the others (Zipf's law):
// with 30 sections the three largest hold 46% of the pages and the
// smallest few hold a page or two.
type corpusShape struct {
	start []int // the index of each section's first page; start[len] = n
}

func shapeOf(n int) corpusShape {
	sections := min(30, max(1, n/6))
	total := 0.0
	for k := range sections {
		total += 1 / float64(k+1)
	}
	sizes := make([]int, sections)
	sum := 0
	for k := range sizes {
		sizes[k] = max(1, int(float64(n)/float64(k+1)/total+0.5))
		sum += sizes[k]
	}
	sizes[0] += n - sum // the largest section takes up the rounding
	start := make([]int, sections+1)
	for k, s := range sizes {
		start[k+1] = start[k] + s
	}
	return corpusShape{start}
}

// section is the section of page i.
func (c corpusShape) section(i int) int {
	k := 0
	for c.start[k+1] <= i {
		k++
	}
	return k
}

func (c corpusShape) sections() int { return len(c.start) - 1 }

func sectionDir(k int) string { return fmt.Sprintf("bagian-%02d", k) }

func corpusFile(section, i int) string {
	return fmt.Sprintf("content/%s/halaman-%05d.md", sectionDir(section), i)
}

func corpusURL(section, i int) string {
	return fmt.Sprintf("/%s/halaman-%05d/", sectionDir(section), i)
}

// CorpusPagePath is the path, under the site, of page i of a corpus of n
// pages.
func CorpusPagePath(n, i int) string {
	return corpusFile(shapeOf(n).section(i), i)
}

// WriteCorpus writes a corpus of n pages into dir, with the given layouts
// (see the package documentation). The same n always gives the same site.
func WriteCorpus(dir string, n int, l Layouts) error {
	files := map[string]string{}
	shape := shapeOf(n)
	g := newProse(rand.New(rand.NewPCG(uint64(n), 7)))
	r := g.r
	for k := range shape.sections() {
		files["content/"+sectionDir(k)+"/_index.md"] = fmt.Sprintf("---\ntitle: %q\ndescription: %q\n---\n\n%s\n",
			g.title(2+r.IntN(3)), g.sentence(10+r.IntN(12)), g.paragraph(30, 70))
	}
	tags := tagVocabulary()
	tagZipf := rand.NewZipf(r, 1.05, 1, uint64(len(tags)-1))
	first := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		section := shape.section(i)
		var fm strings.Builder
		fmt.Fprintf(&fm, "---\ntitle: %q\n", g.title(3+r.IntN(7)))
		date := first.AddDate(0, 0, r.IntN(11*365+300))
		if r.IntN(10) < 3 {
			fmt.Fprintf(&fm, "date: %sT%02d:%02d:00+07:00\n", date.Format(time.DateOnly), 7+r.IntN(12), r.IntN(60))
		} else {
			fmt.Fprintf(&fm, "date: %s\n", date.Format(time.DateOnly))
		}
		fmt.Fprintf(&fm, "description: %q\n", g.sentence(10+r.IntN(16)))
		var picked []string
		for want := 3 + r.IntN(4); len(picked) < want; {
			if t := tags[tagZipf.Uint64()]; !slices.Contains(picked, t) {
				picked = append(picked, t)
			}
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&fm, "tags: [%s]\n", strings.Join(picked, ", "))
		} else {
			fm.WriteString("tags:\n")
			for _, t := range picked {
				fmt.Fprintf(&fm, "  - %s\n", t)
			}
		}
		if r.IntN(10) < 3 {
			fm.WriteString("draft: false\n")
		}
		if r.IntN(5) == 0 {
			fmt.Fprintf(&fm, "weight: %d\n", 1+r.IntN(40))
		}
		fm.WriteString("---\n\n")

		links := make([]string, 2+r.IntN(4))
		for j := range links {
			other := r.IntN(n)
			if other == i && n > 1 {
				other = (i + 1) % n
			}
			links[j] = corpusURL(shape.section(other), other)
		}
		files[corpusFile(section, i)] = fm.String() + g.body(bodyLength(r), links, r.IntN(3) == 0, r.IntN(6) == 0)
	}
	files["content/_index.md"] = homePage
	hugoConfig := corpusHugoConfig
	if l == DefaultTheme {
		hugoConfig = "layoutDir = \"hugo-layouts\"\n" + hugoConfig
		var menus strings.Builder
		for k := range min(3, shape.sections()) {
			fmt.Fprintf(&menus, "\n[[menus.main]]\nname = %q\nurl = \"/%s/\"\nweight = %d\n", "Bagian "+fmt.Sprint(k), sectionDir(k), k+1)
		}
		files["serikat.toml"] = corpusSerikatConfig + themeParams + menus.String() +
			"\n[[menus.main]]\nname = \"Cari\"\nurl = \"/cari/\"\nweight = 9\n"
		for name, text := range starterPages {
			files[name] = text
		}
		if err := copyFS(files, "layouts", layouts.FS); err != nil {
			return err
		}
		if err := copyFS(files, "assets", assets.FS); err != nil {
			return err
		}
	} else {
		files["serikat.toml"] = corpusSerikatConfig
	}
	files["hugo.toml"] = hugoConfig
	for name, text := range corpusLayouts {
		files[l.HugoLayoutDir()+"/"+name] = text
	}
	return writeFiles(dir, files)
}

// bodyLength is about how many words a page's text has (the last section
// runs over): one page in twelve is a short notice of about 50 words, one
// in twenty a long guide of about 2,300, and the rest between 150 and 650;
// with the overrun, about 550 on average.
func bodyLength(r *rand.Rand) int {
	switch x := r.IntN(60); {
	case x < 5:
		return 35 + r.IntN(40)
	case x < 8:
		return 1950 + r.IntN(700)
	default:
		return 150 + r.IntN(200) + r.IntN(200) + r.IntN(100)
	}
}

// copyFS adds an embedded theme folder to files, leaving out the Go file
// that embeds it, as serikat init does.
func copyFS(files map[string]string, dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == ".go" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		files[dir+"/"+p] = string(data)
		return err
	})
}

func writeFiles(dir string, files map[string]string) error {
	made := map[string]bool{}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// prose writes Markdown text from a vocabulary of 20,000 words drawn with
// Zipf's law, as words are in real text: a few very common, most rare.
type prose struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
	words int // words written by body so far
}

func newProse(r *rand.Rand) *prose {
	v := vocabulary()
	return &prose{r: r, zipf: rand.NewZipf(r, 1.1, 4, uint64(len(v)-1)), vocab: v}
}

func (g *prose) word() string { return g.vocab[g.zipf.Uint64()] }

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// title is k words, each capitalized.
func (g *prose) title(k int) string {
	w := make([]string, k)
	for i := range w {
		w[i] = capitalize(g.word())
	}
	return strings.Join(w, " ")
}

// sentence is k words, some of them bold, italic or code.
func (g *prose) sentence(k int) string {
	w := make([]string, k)
	for i := range w {
		w[i] = g.word()
	}
	g.words += k
	switch x := g.r.IntN(40); {
	case x < 3:
		i := g.r.IntN(k)
		w[i] = "**" + w[i] + "**"
	case x < 5:
		i := g.r.IntN(k)
		w[i] = "*" + w[i] + "*"
	case x < 6:
		i := g.r.IntN(k)
		w[i] = "`" + w[i] + "`"
	case x < 10 && k > 6:
		w[k/2] += ","
	}
	return capitalize(strings.Join(w, " ")) + "."
}

// link is a link to url with two to four words of text.
func (g *prose) link(url string) string {
	k := 2 + g.r.IntN(3)
	w := make([]string, k)
	for i := range w {
		w[i] = g.word()
	}
	g.words += k
	return "[" + strings.Join(w, " ") + "](" + url + ")"
}

// paragraph is between lo and hi words of sentences, with a link to each
// of links.
func (g *prose) paragraph(lo, hi int, links ...string) string {
	want := lo + g.r.IntN(hi-lo+1)
	var s []string
	for n := 0; n < want; {
		k := min(want-n, 5+g.r.IntN(16))
		n += k
		s = append(s, g.sentence(k))
	}
	for _, u := range links {
		i := g.r.IntN(len(s))
		s[i] = strings.TrimSuffix(s[i], ".") + ", lihat " + g.link(u) + "."
	}
	return strings.Join(s, " ")
}

// body is a page's Markdown text of about target words: headings,
// paragraphs, lists, perhaps a table and a code block, and every one of
// links.
func (g *prose) body(target int, links []string, table, code bool) string {
	r := g.r
	g.words = 0
	var b strings.Builder
	if target < 100 {
		return g.paragraph(target*2/3, target, links...) + "\n"
	}
	// links go into paragraphs, about one in three; those left over end
	// the page
	linkFor := func() []string {
		if len(links) == 0 || r.IntN(3) > 0 {
			return nil
		}
		u := links[:1]
		links = links[1:]
		return u
	}
	b.WriteString(g.paragraph(30, 80, linkFor()...) + "\n")
	for h := 1; g.words < target; h++ {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", g.title(2+r.IntN(4)), g.paragraph(40, 110, linkFor()...))
		if r.IntN(2) == 0 {
			b.WriteString("\n" + g.paragraph(30, 90, linkFor()...) + "\n")
		}
		if table && h == 2 {
			b.WriteString("\n" + g.table())
			table = false
		}
		if code && h == 3 {
			b.WriteString("\n" + g.code())
			code = false
		}
		switch x := r.IntN(20); {
		case x < 6:
			b.WriteString("\n" + g.list(false))
		case x < 9:
			b.WriteString("\n" + g.list(true))
		}
		if r.IntN(3) == 0 && g.words < target {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n", g.title(2+r.IntN(4)), g.paragraph(30, 100, linkFor()...))
		}
	}
	if table {
		b.WriteString("\n" + g.table())
	}
	if code {
		b.WriteString("\n" + g.code())
	}
	if len(links) > 0 {
		b.WriteString("\n## Bacaan Lanjutan\n\n")
		for _, u := range links {
			b.WriteString("- " + g.link(u) + "\n")
		}
	}
	return b.String()
}

// list is a bulleted or numbered list of three to seven items.
func (g *prose) list(numbered bool) string {
	var b strings.Builder
	for i := range 3 + g.r.IntN(5) {
		if numbered {
			fmt.Fprintf(&b, "%d. ", i+1)
		} else {
			b.WriteString("- ")
		}
		if g.r.IntN(4) == 0 {
			b.WriteString("**" + capitalize(g.word()) + "**: ")
			g.words++
		}
		b.WriteString(g.sentence(3+g.r.IntN(12)) + "\n")
	}
	return b.String()
}

// table is a Markdown table of three to five columns (the others right
// aligned numbers) and three to nine rows.
func (g *prose) table() string {
	var b strings.Builder
	cols := 3 + g.r.IntN(3)
	b.WriteString("|")
	for range cols {
		b.WriteString(" " + capitalize(g.word()) + " |")
	}
	b.WriteString("\n|---|")
	for range cols - 1 {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	rows := 3 + g.r.IntN(7)
	for range rows {
		b.WriteString("| " + g.word() + " " + g.word() + " |")
		for range cols - 1 {
			fmt.Fprintf(&b, " %d |", g.r.IntN(5000))
		}
		b.WriteString("\n")
	}
	g.words += cols + rows*(cols+1)
	return b.String()
}

// code is a fenced block of shell commands or settings.
func (g *prose) code() string {
	var b strings.Builder
	switch g.r.IntN(3) {
	case 0:
		b.WriteString("```sh\n")
		for i := range 2 + g.r.IntN(5) {
			fmt.Fprintf(&b, "serikat %s --%s %s-%d\n", g.word(), g.word(), g.word(), i)
		}
	case 1:
		b.WriteString("```yaml\n")
		for range 3 + g.r.IntN(6) {
			fmt.Fprintf(&b, "%s: %d\n", g.word(), g.r.IntN(1000))
		}
	default:
		b.WriteString("```toml\n[" + g.word() + "]\n")
		for range 2 + g.r.IntN(5) {
			fmt.Fprintf(&b, "%s = %q\n", g.word(), g.word())
		}
	}
	return b.String() + "```\n"
}

// commonWords open the vocabulary: the words Indonesian text uses most,
// then the subject's own.
var commonWords = strings.Fields(`yang dan di untuk dengan ini itu dari dalam tidak akan pada juga ke
karena ada oleh atau bisa kita mereka kami sudah lebih harus para saat agar antara setiap hanya masih
tersebut telah bahwa seperti sebagai menjadi dapat banyak semua baru serta jika maka belum sangat
kepada tentang secara hingga namun tetap orang hari kerja buruh serikat`)

// vocabulary is commonWords and words followed by made-up Indonesian-like
// words (syllables with the usual affixes), 20,000 in all, the same every
// time.
var vocabulary = sync.OnceValue(func() []string {
	seen := map[string]bool{}
	var v []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			v = append(v, w)
		}
	}
	for _, w := range commonWords {
		add(w)
	}
	for _, w := range words {
		add(w)
	}
	r := rand.New(rand.NewPCG(1, 2))
	onsets := strings.Fields("b c d g h j k l m n p r s t w ng ny - - -")
	vowels := strings.Fields("a a a i i u u e o")
	codas := strings.Fields("- - - - n ng r t k s l h m")
	prefixes := strings.Fields("- - - - me mem men meng ber di ter pe pem pen per ke se")
	suffixes := strings.Fields("- - - - - kan an i nya")
	pick := func(list []string) string {
		if s := list[r.IntN(len(list))]; s != "-" {
			return s
		}
		return ""
	}
	for len(v) < 20000 {
		w := pick(prefixes)
		for range 2 + r.IntN(2) {
			w += pick(onsets) + pick(vowels) + pick(codas)
		}
		if w += pick(suffixes); len(w) >= 3 {
			add(w)
		}
	}
	return v
})

// tagVocabulary is 200 tags: subject words alone and in pairs, as
// hyphenated lower-case slugs that Serikat and Hugo turn into the same URL.
func tagVocabulary() []string {
	var tags []string
	seen := map[string]bool{}
	r := rand.New(rand.NewPCG(3, 4))
	for _, w := range words {
		tags = append(tags, w)
		seen[w] = true
	}
	for len(tags) < 200 {
		t := words[r.IntN(len(words))] + "-" + words[r.IntN(len(words))]
		if a, b, _ := strings.Cut(t, "-"); a != b && !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	r.Shuffle(len(tags), func(i, j int) { tags[i], tags[j] = tags[j], tags[i] })
	return tags
}

// homePage is the home page's text.
const homePage = "---\ntitle: \"Korpus Serikat\"\ndescription: \"Materi, berita dan panduan serikat buruh.\"\n---\n\n" +
	"Selamat datang. Pelajari materi, lalu ajak rekan kerja bergabung.\n"

// starterPages are the pages serikat init writes beside the home page,
// which the default theme links to from every page (about, privacy, join,
// search) or needs (offline). Only the theme gets them: Serikat stops at a
// page whose layout (cari, gabung) does not exist, where Hugo would use
// single.html. Hugo builds them too, with its single.html.
var starterPages = map[string]string{
	"content/cari.md":    "---\ntitle: \"Cari\"\ndescription: \"Cari materi di situs ini.\"\nlayout: cari\n---\n",
	"content/gabung.md":  "---\ntitle: \"Gabung\"\ndescription: \"Daftar menjadi anggota serikat.\"\nurl: /gabung/\nlayout: gabung\n---\n\nIsi formulir di bawah. Pengurus akan menghubungi Anda.\n",
	"content/tentang.md": "---\ntitle: \"Tentang Situs Ini\"\ndescription: \"Siapa yang membuat situs ini dan untuk siapa.\"\n---\n\nSitus ini dibuat untuk mengukur kecepatan.\n",
	"content/privasi.md": "---\ntitle: \"Kebijakan Privasi\"\ndescription: \"Apa yang disimpan formulir pendaftaran.\"\n---\n\nData pendaftaran disimpan terenkripsi.\n",
	"content/offline.md": "---\ntitle: \"Sedang tidak ada sinyal\"\ndescription: \"Halaman ini belum tersimpan di ponsel.\"\n---\n\nBuka lagi dari [beranda](/).\n",
}

// corpusSerikatConfig is Serikat's settings: its defaults, share cards and
// the search index included.
const corpusSerikatConfig = "title = \"Korpus Serikat\"\nbaseURL = \"https://bench.example.org/\"\nlanguageCode = \"id\"\n"

// themeParams are what serikat init's settings add for the default theme.
const themeParams = "\n[params]\ndeskripsi = \"Materi pelatihan dan kampanye keanggotaan serikat buruh.\"\n"

// corpusHugoConfig has Hugo do what Serikat does: one taxonomy (tags),
// feeds for the home page and sections only, of the newest FeedItems
// pages, and code blocks left unhighlighted. Each of these spares Hugo
// work, so Serikat's ratio is, if anything, flattered less.
var corpusHugoConfig = fmt.Sprintf(`title = "Korpus Serikat"
baseURL = "https://bench.example.org/"
languageCode = "id"

[taxonomies]
tag = "tags"

[outputs]
taxonomy = ["html"]
term = ["html"]

[services.rss]
limit = %d

[markup.highlight]
codeFences = false
`, FeedItems)

// corpusLayouts are the Hugo-style layouts, written in the subset of Go
// templates that Serikat and Hugo share. They show no share image, search
// or manifest: a plain Hugo site has none.
var corpusLayouts = map[string]string{
	"_default/baseof.html": `<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>{{ partial "head.html" . }}</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }} · <a href="{{ "/tags/" | relURL }}">Tags</a> · <a href="{{ "/index.xml" | relURL }}">RSS</a></p></footer>
</body></html>
`,
	"partials/head.html": `<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}" title="{{ .Site.Title }}">
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:auto;padding:0 1rem;line-height:1.5}
nav ul,.tags{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .5rem}pre{overflow-x:auto;background:#f4f4f4;padding:.5rem}</style>
`,
	// Hugo keeps every front matter key in .Params and gives a page's
	// tags with .GetTerms; Serikat keeps the keys it knows (title, tags)
	// out of .Params and has .TagPages. So each takes its own branch.
	"_default/single.html": `{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .ReadingTime }} menit baca</p>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
{{ if .Params.title }}{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ else }}{{ with .TagPages }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}{{ end }}
<details open><summary>Isi</summary>{{ .TableOfContents }}</details>
{{ .Content }}
</article>{{ end }}
`,
	"_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
{{ .Content }}
<ul class="pages">{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time>{{ .Date.Format "2 Jan 2006" }}</time>{{ end }}{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>{{ end }}
`,
	"_default/terms.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<ul class="tags">{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
`,
	"_default/term.html": `{{ define "main" }}<h1>Tag: {{ .Title }}</h1>
<ul class="pages">{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 Jan 2006" }}</time>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}</ul>{{ end }}
`,
	"404.html": `{{ define "main" }}<h1>Halaman tidak ditemukan</h1>
<p><a href="{{ "/" | relURL }}">Kembali ke beranda</a></p>{{ end }}
`,
}
