package layout

import (
	"errors"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/serikat-id/serikat/internal/diag"
)

func TestDateFormatIndonesian(t *testing.T) {
	d := time.Date(2024, 7, 27, 9, 5, 0, 0, time.UTC)
	for layout, want := range map[string]string{
		"2 January 2006":         "27 Juli 2024",
		"Monday, 2 January 2006": "Sabtu, 27 Juli 2024",
		"Mon 2 Jan 2006 15:04":   "Sab 27 Jul 2024 09:05",
		"02/01/2006":             "27/07/2024",
		"January Monday Jan Mon": "Juli Sabtu Jul Sab",
	} {
		got, err := DateFormat("id", layout, d)
		if err != nil || got != want {
			t.Errorf("DateFormat(%q) = %q, %v; want %q", layout, got, err, want)
		}
	}
	if got, _ := DateFormat("en", "2 January 2006", d); got != "27 July 2024" {
		t.Errorf("English: %q", got)
	}
	if _, err := DateFormat("id", "2006", "kemarin"); err == nil {
		t.Error("a value that is not a date must be an error")
	}
}

func TestCandidates(t *testing.T) {
	got := Candidates("page", "modul", "ringkas")
	want := []string{"layouts/modul/ringkas.html", "layouts/_default/ringkas.html", "layouts/modul/single.html", "layouts/_default/single.html"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestErrorPosition(t *testing.T) {
	_, err := template.New("layouts/_default/single.html").Parse("a\n{{ .X }\n")
	var de *diag.Error
	if !errors.As(Error(err), &de) || de.Path != "layouts/_default/single.html" || de.Line != 2 {
		t.Errorf("Error(%v) = %#v", err, Error(err))
	}
}

func TestFuncs(t *testing.T) {
	f := Funcs("id")
	if got := f["truncate"].(func(int, any) string)(12, "Serikat buruh kuat bersatu"); got != "Serikat…" {
		t.Errorf("truncate = %q", got)
	}
	if got := f["plainify"].(func(any) string)("<b>Kuat</b> &amp; bersatu"); got != "Kuat & bersatu" {
		t.Errorf("plainify = %q", got)
	}
	if got := f["default"].(func(any, ...any) any)("x", ""); got != "x" {
		t.Errorf("default = %v", got)
	}
	where := f["where"].(func(any, string, any) (any, error))
	list := []map[string]any{{"f": "hukatan"}, {"f": "nikeuba"}}
	got, err := where(list, "f", "nikeuba")
	if err != nil || len(got.([]map[string]any)) != 1 {
		t.Errorf("where = %v, %v", got, err)
	}
}

func TestFoldSection(t *testing.T) {
	in := template.HTML(`<h2 id="materi">Materi</h2><p>a</p><h2 id="catatan-fasilitator">Catatan Fasilitator</h2><p>b</p><h3 id="x">X</h3><p>c</p><h2 id="ringkasan">Ringkasan</h2><p>d</p>`)
	want := `<h2 id="materi">Materi</h2><p>a</p><details class="fasilitator"><summary><h2 id="catatan-fasilitator">Catatan Fasilitator</h2></summary><p>b</p><h3 id="x">X</h3><p>c</p></details><h2 id="ringkasan">Ringkasan</h2><p>d</p>`
	if got := foldSection("catatan-fasilitator", "fasilitator", in); string(got) != want {
		t.Errorf("foldSection:\n got %s\nwant %s", got, want)
	}
	if got := foldSection("tidak-ada", "f", in); got != in {
		t.Error("without the heading the HTML must be unchanged")
	}
	last := template.HTML(`<p>a</p><h2 id="catatan-fasilitator">C</h2><p>b</p>`)
	if got := foldSection("catatan-fasilitator", "f", last); string(got) != `<p>a</p><details class="f"><summary><h2 id="catatan-fasilitator">C</h2></summary><p>b</p></details>` {
		t.Errorf("last section: %s", got)
	}
}

func TestFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/_default/baseof.html": {Data: []byte(`<body>{{ partial "head.html" . }}{{ block "main" . }}{{ end }}</body>`)},
		"layouts/_default/single.html": {Data: []byte(`{{ define "main" }}{{ with .X }}{{ partial "card.html" . }}{{ end }}{{ end }}`)},
		"layouts/_default/list.html":   {Data: []byte(`list`)},
		"layouts/_default/dyn.html":    {Data: []byte(`{{ partial (printf "%s.html" .Kind) . }}`)},
		"layouts/partials/head.html":   {Data: []byte(`<title>{{ .Title }}</title>`)},
		"layouts/partials/card.html":   {Data: []byte(`{{ partial "tag.html" . }}`)},
		"layouts/partials/tag.html":    {Data: []byte(`tag`)},
		"layouts/partials/other.html":  {Data: []byte(`other`)},
	}
	s, err := Load(fsys, Funcs("id"))
	if err != nil {
		t.Fatal(err)
	}
	files := func(name string) string {
		tmpl, _, _ := s.Lookup([]string{name})
		return strings.Join(tmpl.Files(), " ")
	}
	if got := files("layouts/_default/single.html"); got != "layouts/_default/baseof.html layouts/_default/single.html layouts/partials/card.html layouts/partials/head.html layouts/partials/tag.html" {
		t.Errorf("single: %s", got)
	}
	if got := files("layouts/_default/list.html"); got != "layouts/_default/list.html" {
		t.Errorf("list: %s", got)
	}
	if got := files("layouts/_default/dyn.html"); !strings.Contains(got, "other.html") {
		t.Errorf("a partial named at run time must count every partial: %s", got)
	}
}
