package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/schema"
)

func TestPastedText(t *testing.T) {
	src := "---\ntitle: A\n---\n\n•\tSatu\n•\tDua\n\nTeks:\n\n\t- satu\n\t- dua\n\n- luar\n\n\t- dalam\n\n```\n\t- kode\n```\n\n\tkode biasa\n"
	p, problems := Parse("content/a.md", []byte(src), Options{})
	var got []string
	for _, e := range problems {
		if !e.Warning {
			t.Errorf("%v is not a warning", e)
		}
		got = append(got, e.Error())
	}
	want := []string{
		`content/a.md:5: the line starts with "•" and a tab`,
		"content/a.md:10: this list is indented with a tab",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want one warning each starting %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("got %q, want it to start %q", got[i], want[i])
		}
	}
	if len(p.Problems) != 2 {
		t.Errorf("the page keeps %d problems, want 2", len(p.Problems))
	}
}

func TestBOM(t *testing.T) {
	p, problems := Parse("content/a.md", []byte("\ufeff---\ntitle: Dengan BOM\n---\nIsi\n"), Options{})
	if len(problems) > 0 || p.Title != "Dengan BOM" {
		t.Errorf("title %q, problems %v", p.Title, problems)
	}
}

// The schema's check is made once per page, at the key's line, and a key
// it refuses is recorded so that whoever reads it says nothing more.
func TestLoadChecksSchema(t *testing.T) {
	keys, err := schema.Parse([]byte("[kampanye]\ntarget = \"number\"\nbagianDari = \"page\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"content/kampanye/a.md": {Data: []byte("---\ntitle: A\ntarget: 1.000\nbagianDari: kampanye/c.md\nwieght: 2\n---\n")},
		"content/kampanye/b.md": {Data: []byte("---\ntitle: B\ntarget: 200\nbagianDari: kampanye/a.md\n---\n")},
	}
	site, err := Load(fsys, Options{Schema: keys})
	var errs, warnings []string
	for _, e := range diag.Flatten(err) {
		if diag.IsWarning(e) {
			warnings = append(warnings, e.Error())
		} else {
			errs = append(errs, e.Error())
		}
	}
	if len(errs) != 2 || !strings.HasPrefix(errs[0], "content/kampanye/a.md:3: target: write a whole number") ||
		!strings.HasPrefix(errs[1], "content/kampanye/a.md:4: bagianDari: kampanye/c.md: no such page") {
		t.Errorf("errors %q", errs)
	}
	if len(warnings) != 1 || warnings[0] != "content/kampanye/a.md:5: `wieght` is not a key this theme uses: did you mean `weight`?" {
		t.Errorf("warnings %q", warnings)
	}
	if a := site.ByFile["content/kampanye/a.md"]; strings.Join(a.Refused, " ") != "target bagianDari" {
		t.Errorf("refused %q", a.Refused)
	}
	if b := site.ByFile["content/kampanye/b.md"]; len(b.Refused) != 0 {
		t.Errorf("refused %q", b.Refused)
	}
}
