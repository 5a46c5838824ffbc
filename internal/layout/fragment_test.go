package layout

import (
	"html/template"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// fakeSite and fakePage stand in for the engine's template data: a page
// whose Site is the same for every page.
type fakeSite struct{ Sections []fakePage }

type fakePage struct {
	Title, URL string
	Site       *fakeSite
	Tags       []fakePage
}

// fragmentCase is one base template; shared says whether its site-only
// part becomes a fragment.
var fragmentCases = []struct {
	name, base string
	shared     bool
}{
	{"menu of sections", `<nav>{{ range .Site.Sections }}<a href="{{ .URL }}">{{ .Title }}</a>{{ end }}</nav><h1>{{ .Title }}</h1>`, true},
	{"with and if on the site", `{{ with .Site }}{{ range .Sections }}<p>{{ .Title }}</p>{{ end }}{{ end }}{{ if .Site.Sections }}<b>{{ len .Site.Sections }}</b>{{ end }}<h1>{{ .Title }}</h1>`, true},
	{"site through $", `{{ if .Title }}{{ range $.Site.Sections }}<i>{{ .Title }}</i>{{ end }}{{ end }}<h1>{{ .Title }}</h1>`, true},
	{"marks the current page", `{{ range .Site.Sections }}<a {{ if eq .Title $.Title }}aria-current="page"{{ end }}>{{ .Title }}</a>{{ end }}`, false},
	{"reads the page", `{{ range .Site.Sections }}<p>{{ .Title }}</p>{{ end }}{{ with .Site }}<p>{{ $.Title }}</p>{{ end }}`, true},
	{"variable from outside", `{{ $t := .Title }}{{ range .Site.Sections }}<p>{{ $t }} {{ .Title }}</p>{{ end }}`, false},
	{"assigns outside", `{{ $n := 0 }}{{ range .Site.Sections }}{{ $n = 1 }}<p>{{ .Title }}</p>{{ end }}<p>{{ $n }}</p>`, false},
	{"own variables", `{{ range $i, $s := .Site.Sections }}<p>{{ $i }} {{ $s.Title }}</p>{{ end }}<h1>{{ .Title }}</h1>`, true},
	{"inside an attribute", `<p title="{{ range .Site.Sections }}{{ .Title }} &amp; {{ .URL }} {{ end }}">{{ .Title }}</p>`, false},
	{"inside a script", `<script>var s = [{{ range .Site.Sections }}{{ .Title }},{{ end }}];</script>`, false},
	{"inside the title element", `<title>{{ range .Site.Sections }}{{ .Title }} & {{ .URL }}{{ end }}</title>`, false},
}

func TestSiteOnlyPartsBecomeFragments(t *testing.T) {
	site := &fakeSite{}
	site.Sections = []fakePage{{Title: `Modul "dasar" & <lanjut>`, URL: "/modul/?a=1&b=2"}, {Title: "Berita", URL: "/berita/"}}
	pages := []fakePage{{Title: "Satu", Site: site}, {Title: "Dua <2>", Site: site}}
	for _, c := range fragmentCases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"layouts/_default/baseof.html": {Data: []byte(c.base + `{{ block "main" . }}{{ end }}`)},
				"layouts/_default/single.html": {Data: []byte(`{{ define "main" }}<main>{{ .Title }}</main>{{ end }}`)},
			}
			plain, err := Load(fsys, nil)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var ran []string
			shared, err := Load(fsys, nil, Options{SiteField: "Site", Fragment: func(id string, site bool, data any, run func(any) (template.HTML, error)) (template.HTML, error) {
				if site {
					mu.Lock()
					ran = append(ran, id)
					mu.Unlock()
				}
				return run(data)
			}})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				want := execute(t, plain, p)
				if got := execute(t, shared, p); got != want {
					t.Errorf("with fragments:\n%s\nwithout:\n%s", got, want)
				}
			}
			if got := len(ran) > 0; got != c.shared {
				t.Errorf("fragments run: %v; want a fragment: %v", ran, c.shared)
			}
			if c.shared && !slices.ContainsFunc(ran, func(id string) bool { return strings.HasPrefix(id, "layouts/_default/single.html#") }) {
				t.Errorf("fragment ids %v do not name their layout", ran)
			}
		})
	}
}

func execute(t *testing.T, s *Set, data any) string {
	t.Helper()
	tmpl, _, ok := s.Lookup([]string{Dir + "/_default/single.html"})
	if !ok {
		t.Fatal("no single.html")
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A fragment that fails names the template file and line it was written in.
func TestFragmentErrorsNameTheirTemplate(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/_default/single.html": {Data: []byte("<h1>{{ .Title }}</h1>\n<nav>{{ range .Site.Sections }}<a>{{ .Title }}</a>{{ .Missing }}{{ end }}</nav>")},
	}
	s, err := Load(fsys, nil, Options{SiteField: "Site"})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _, _ := s.Lookup([]string{Dir + "/_default/single.html"})
	site := &fakeSite{Sections: []fakePage{{Title: "Modul"}}}
	err = tmpl.Execute(&strings.Builder{}, fakePage{Title: "Satu", Site: site})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/_default/single.html:2:") || !strings.Contains(err.Error(), "Missing") {
		t.Errorf("error %v, want it at layouts/_default/single.html:2 naming .Missing", err)
	}
}

// The body of a range that reads only its element (and the site) renders
// alike wherever the element is listed, so it becomes a fragment per
// element; a body that reads the page, the index or an outer variable
// stays as written.
func TestRangeBodiesOverTheirElementBecomeFragments(t *testing.T) {
	cases := []struct {
		name, single string
		each         bool
	}{
		{"list entry", `<ul>{{ range .Tags }}<li><a href="{{ .URL }}">{{ .Title }}</a></li>{{ end }}</ul>{{ .Title }}`, true},
		{"nested", `{{ with .Tags }}<ul>{{ range . }}<li>{{ .Title }}{{ range .Tags }} <i>{{ .Title }}</i>{{ end }}</li>{{ end }}</ul>{{ end }}`, true},
		{"reads the site through $", `<ul>{{ range .Tags }}<li>{{ .Title }} · {{ $.Site.Sections | len }}</li>{{ end }}</ul>`, false},
		{"marks the current page", `<ul>{{ range .Tags }}<li>{{ if eq .Title $.Title }}<b>{{ .Title }}</b>{{ else }}{{ .URL }}{{ end }}</li>{{ end }}</ul>`, false},
		{"numbers the entries", `<ol>{{ range $i, $p := .Tags }}<li>{{ $i }} {{ $p.Title }} {{ $p.URL }}</li>{{ end }}</ol>`, false},
		{"inside an attribute", `<p title="{{ range .Tags }}{{ .Title }} {{ .URL }} {{ end }}">{{ .Title }}</p>`, false},
	}
	site := &fakeSite{}
	site.Sections = []fakePage{{Title: `Modul "dasar" & <lanjut>`, URL: "/modul/?a=1&b=2"}, {Title: "Berita", URL: "/berita/"}}
	tags := []fakePage{{Title: `Hak "berserikat" & <PKB>`, URL: "/tags/hak/?a=1&b=2", Tags: site.Sections}, {Title: "Berita", URL: "/tags/berita/"}}
	pages := []fakePage{{Title: "Satu", Site: site, Tags: tags}, {Title: "Berita", Site: site, Tags: tags[1:]}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"layouts/_default/single.html": {Data: []byte(c.single)}}
			plain, err := Load(fsys, nil)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			each := 0
			shared, err := Load(fsys, nil, Options{SiteField: "Site", Fragment: func(id string, site bool, data any, run func(any) (template.HTML, error)) (template.HTML, error) {
				if !site {
					mu.Lock()
					each++
					mu.Unlock()
				}
				return run(data)
			}})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				if got, want := execute(t, shared, p), execute(t, plain, p); got != want {
					t.Errorf("with fragments:\n%s\nwithout:\n%s", got, want)
				}
			}
			if got := each > 0; got != c.each {
				t.Errorf("range bodies run as fragments %d times; want fragments: %v", each, c.each)
			}
		})
	}
}
