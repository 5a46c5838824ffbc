package slug

import (
	"strings"
	"testing"
	"unicode"
)

func TestMake(t *testing.T) {
	for in, want := range map[string]string{
		"Pengorganisasian Pasca UU Cipta Kerja": "pengorganisasian-pasca-uu-cipta-kerja",
		"Apa itu Serikat?":                      "apa-itu-serikat",
		"  Rekrutmen -- dari   Bawah!  ":        "rekrutmen-dari-bawah",
		"Café Pekerja":                          "cafe-pekerja",
		"UU No. 21/2000":                        "uu-no-21-2000",
		"!!!":                                   "",
	} {
		if got := Make(in); got != want {
			t.Errorf("Make(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnique(t *testing.T) {
	var u Unique
	u.Reserve("tujuan")
	got := []string{u.Make("Tujuan", "x"), u.Make("Tujuan", "x"), u.Make("???", "bagian"), u.Make("!", "bagian")}
	want := []string{"tujuan-1", "tujuan-2", "bagian", "bagian-1"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
			break
		}
	}
}

func FuzzMake(f *testing.F) {
	for _, s := range []string{"Judul Modul", "a--b", "ÄÖÜ", "日本語", "-x-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Make(s)
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Make(%q) = %q", s, got)
		}
		for _, r := range got {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.ToLower(r) != r {
				t.Fatalf("Make(%q) = %q has %q", s, got, r)
			}
		}
	})
}
