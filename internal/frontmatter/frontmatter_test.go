package frontmatter

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/adrg/frontmatter"

	"github.com/serikat-id/serikat/internal/msg"
)

func TestParseKeepsLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		format    string
		lines     map[string]int
		bodyLine  int
	}{
		{"yaml", "---\ntitle: Halo\nweight: 2\ntags: [a, b]\n---\n# Isi\n", "yaml", map[string]int{"title": 2, "weight": 3, "tags": 4}, 6},
		{"blank lines first", "\n\n---\ntitle: Halo\n---\nIsi\n", "yaml", map[string]int{"title": 4}, 6},
		{"toml", "+++\ntitle = \"Halo\"\n\nweight = 2\n[params]\nx = 1\n+++\nIsi\n", "toml", map[string]int{"title": 2, "weight": 4, "params": 5}, 8},
		{"none", "# Judul\n\nIsi\n", "", map[string]int{}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != tc.format || doc.BodyLine != tc.bodyLine {
				t.Errorf("format %q body line %d, want %q %d", doc.Format, doc.BodyLine, tc.format, tc.bodyLine)
			}
			if len(doc.Fields) != len(tc.lines) {
				t.Errorf("fields %+v, want %v", doc.Fields, tc.lines)
			}
			for _, f := range doc.Fields {
				if tc.lines[f.Key] != f.Line {
					t.Errorf("%s on line %d, want %d", f.Key, f.Line, tc.lines[f.Key])
				}
			}
			lines := strings.Split(tc.src, "\n")
			if got := strings.Join(lines[tc.bodyLine-1:], "\n"); got != string(doc.Body) {
				t.Errorf("body %q, want the text from line %d: %q", doc.Body, tc.bodyLine, got)
			}
		})
	}
}

func TestValuesAreNormalized(t *testing.T) {
	doc, err := Parse([]byte("+++\nn = 3\nf = 1.5\nd = 2024-07-27\nt = 2024-07-27T09:00:00+07:00\nl = [1, \"a\"]\n[m]\nk = true\n+++\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"n": int64(3), "f": 1.5, "d": "2024-07-27", "l": []any{int64(1), "a"}, "m": map[string]any{"k": true}}
	for _, f := range doc.Fields {
		switch f.Key {
		case "t":
			if _, ok := f.Value.(time.Time); !ok {
				t.Errorf("t = %T, want time.Time", f.Value)
			}
		default:
			if !reflect.DeepEqual(f.Value, want[f.Key]) {
				t.Errorf("%s = %#v, want %#v", f.Key, f.Value, want[f.Key])
			}
		}
	}
	y, err := Parse([]byte("---\nn: 3\nneg: -2\nd: 2024-07-27\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range y.Fields {
		if f.Key != "d" {
			if _, ok := f.Value.(int64); !ok {
				t.Errorf("YAML %s = %T, want int64", f.Key, f.Value)
			}
		}
	}
}

func TestErrorsHaveLines(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		msg  string
	}{
		{"---\ntitle: a\ntags: [x\n---\n", 3, "YAML"},
		{"+++\ntitle = \"a\"\nweight = \n+++\n", 3, "TOML"},
		{"---\ntitle: a\n", 1, "never closed"},
		{"\n+++\ntitle = 1\n", 2, "never closed"},
		{"---\n- a\n- b\n---\n", 2, "key: value"},
	} {
		_, err := Parse([]byte(tc.src))
		fe, ok := err.(*Error)
		if !ok {
			t.Errorf("%q: err = %v, want *Error", tc.src, err)
			continue
		}
		if fe.Line != tc.line || !strings.Contains(fe.Msg, tc.msg) {
			t.Errorf("%q: line %d %q, want line %d containing %q", tc.src, fe.Line, fe.Msg, tc.line, tc.msg)
		}
	}
}

// FuzzParse checks that any input either parses, with every line inside the
// file, or fails with a line inside the file; never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Halo\n---\nIsi\n", "+++\ntitle = \"x\"\n+++\n", "---\n", "+++\n[a]\nb=1\n+++\n",
		"---\nx: [1, {a: b}]\n---\n", "\n\n---\nk: 'v'\n---\n---\n", "---\n&a x: *a\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		doc, err := Parse(data)
		if err != nil {
			fe, ok := err.(*Error)
			if !ok {
				t.Fatalf("error without a line: %v", err)
			}
			if fe.Line < 0 || fe.Line > lines+1 {
				t.Fatalf("error on line %d of a %d-line file: %v", fe.Line, lines, err)
			}
			return
		}
		if doc.BodyLine < 1 || doc.BodyLine > lines+1 {
			t.Fatalf("body on line %d of %d", doc.BodyLine, lines)
		}
		if !bytes.HasSuffix(data, doc.Body) {
			t.Fatalf("body %q is not the end of the file", doc.Body)
		}
		// Parse hands the library only the front matter; the body must be
		// what the library finds when it reads the whole file
		skip := func([]byte, any) error { return nil }
		body, err := frontmatter.Parse(bytes.NewReader(data), nil,
			frontmatter.NewFormat("---", "---", skip), frontmatter.NewFormat("+++", "+++", skip))
		if err == nil && !bytes.Equal(body, doc.Body) {
			t.Fatalf("body %q, the library finds %q", doc.Body, body)
		}
		for _, fl := range doc.Fields {
			if fl.Line < 1 || fl.Line > lines {
				t.Fatalf("key %q on line %d of %d", fl.Key, fl.Line, lines)
			}
		}
	})
}

// A file saved by Notepad starts with a byte order mark; text pasted from
// Word has non-breaking spaces and curly quotes. Each is read as meant.
func TestTextFromWordAndNotepad(t *testing.T) {
	src := "\ufeff---\ntitle: \u201cMembangun serikat\u201d\nsingkat: \u2018ya\u2019\nkutipan: Kata \u201cmereka\u201d\ntujuan:\n\u00a0\u00a0- \u201cMemahami hak\u201d\n\u00a0\u00a0- Menyusun rencana\n---\nIsi\n"
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"title": "Membangun serikat", "singkat": "ya", "kutipan": "Kata \u201cmereka\u201d",
		"tujuan": []any{"Memahami hak", "Menyusun rencana"}}
	for _, f := range doc.Fields {
		if !reflect.DeepEqual(f.Value, want[f.Key]) {
			t.Errorf("%s = %#v, want %#v", f.Key, f.Value, want[f.Key])
		}
	}
	if f, _ := doc.Lookup("tujuan"); f.Line != 5 || doc.BodyLine != 9 || string(doc.Body) != "Isi\n" {
		t.Errorf("tujuan on line %d, body %q from line %d", f.Line, doc.Body, doc.BodyLine)
	}
}

// The YAML mistakes people make most are told as what to do, in either
// language, at their line.
func TestCommonYAMLMistakesSayWhatToDo(t *testing.T) {
	for src, want := range map[string]struct {
		line int
		key  msg.Key
	}{
		"---\ntitle: Organisasi: langkah pertama\n---\nx": {2, msg.YAMLColonInValue},
		"---\ntitle: \"Judul tanpa tutup\n---\nx":         {2, msg.YAMLUnclosedQuote},
		"---\ntitle: Judul\n\tweight: 2\n---\nx":          {3, msg.YAMLTab},
		"---\ntitle Judul\nweight: 2\n---\nx":             {2, msg.YAMLNoColon},
		"---\ntitle: Judul\ntitle: Lagi\n---\nx":          {3, msg.YAMLDuplicateKey},
		"---\ntags: [a, b\n---\nx":                        {2, msg.YAMLUnclosedList},
		"---\ndescription: 'it's'\n---\nx":                {2, msg.YAMLIndent},
	} {
		_, err := Parse([]byte(src))
		var fe *Error
		if !errors.As(err, &fe) || fe.Text == nil {
			t.Errorf("%q: %v, want the catalogue's %s", src, err, want.key)
			continue
		}
		inner, _ := fe.Text.Args[0].(msg.Text)
		if fe.Line != want.line || inner.Key != want.key {
			t.Errorf("%q: line %d, %s; want line %d, %s", src, fe.Line, inner.Key, want.line, want.key)
		}
		if id := fe.Text.In(msg.Indonesian); !strings.HasPrefix(id, "front matter: ") || id == fe.Text.In(msg.English) {
			t.Errorf("%q: Indonesian %q", src, id)
		}
	}
}
