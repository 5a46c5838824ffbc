package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/serikat-id/serikat/internal/msg"
)

const theme = `
[all]
gambar = "text"

[kampanye]
federasi = "federation"
target = "number"
tenggat = "date"
bersama = "boolean"
bagianDari = "page"

[modul]
tujuan = "list"
`

func TestCheck(t *testing.T) {
	s, err := Parse([]byte(theme))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typ, key string
		value    any
		want     string // "" when fine; "warning: " marks a warning
	}{
		{"kampanye", "target", int64(200), ""},
		{"kampanye", "target", nil, ""},
		{"kampanye", "target", 1.0, "target: write a whole number without dots or commas, such as 1000 (1.000 is read as 1)"},
		{"kampanye", "target", "200", "target: write the number without quotes: 200"},
		{"kampanye", "target", "1.000.000", `target: "1.000.000": write the number without dots or commas: 1000000`},
		{"kampanye", "target", "dua ratus", `target: "dua ratus" is not a whole number`},
		{"kampanye", "federasi", "fsb-garteks", ""},
		{"kampanye", "federasi", "FSB GARTEKS", `federasi: "FSB GARTEKS" is not an id: use lower-case letters, digits and dashes, such as "fsb-garteks"`},
		{"kampanye", "tenggat", "2027-06-30", ""},
		{"kampanye", "tenggat", "2027-06-30 09:00", ""},
		{"kampanye", "tenggat", "30-06-2027", `tenggat: "30-06-2027" is not a date: write year-month-day, 2027-06-30`},
		{"kampanye", "tenggat", "akhir Juni", `tenggat: "akhir Juni" is not a date: write year-month-day, such as 2027-06-30`},
		{"kampanye", "bersama", "ya", `bersama: write true or false, got "ya"`},
		{"kampanye", "bagianDari", []any{"a"}, "bagianDari: write text here"},
		{"modul", "tujuan", []any{"a", "b"}, ""},
		{"modul", "tujuan", "satu saja", ""},
		{"modul", "tujuan", []any{map[string]any{"a": 1}}, "tujuan: write a list"},
		{"modul", "gambar", "foto.jpg", ""},
		{"modul", "weight", int64(1), ""},
		{"modul", "wieght", int64(1), "warning: `wieght` is not a key this theme uses: did you mean `weight`?"},
		{"kampanye", "tujuan", "x", "warning: `tujuan` is not a key this theme uses for pages of type \"kampanye\""},
		{"modul", "tujaun", "x", "warning: `tujaun` is not a key this theme uses: did you mean `tujuan`?"},
	} {
		got := ""
		if p := s.Check(tc.typ, tc.key, tc.value); p != nil {
			got = p.Text.In(msg.English)
			if p.Warning {
				got = "warning: " + got
			}
		}
		if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s %s: %#v: got %q, want %q", tc.typ, tc.key, tc.value, got, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	s, err := Load(fstest.MapFS{})
	if s != nil || err != nil {
		t.Errorf("a theme without a schema: %v, %v; want nil, nil", s, err)
	}
	_, err = Load(fstest.MapFS{File: {Data: []byte("[kampanye]\ntarget = \"angka\"\n")}})
	if err == nil || !strings.Contains(err.Error(), `[kampanye] target: "angka" is not a type: use one of text, number, date`) {
		t.Errorf("an unknown type: %v", err)
	}
}

func TestSuggestID(t *testing.T) {
	for in, want := range map[string]string{"FSB GARTEKS": "fsb-garteks", "F. HUKATAN (Lampung)": "f-hukatan-lampung", "  KSBSI  ": "ksbsi"} {
		if got := SuggestID(in); got != want {
			t.Errorf("SuggestID(%q) = %q, want %q", in, got, want)
		}
	}
}
