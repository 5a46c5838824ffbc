package msg

import (
	"regexp"
	"slices"
	"testing"
)

// Every message is in both languages, with the same verbs, so neither
// language prints %!s(MISSING) or drops a value.
func TestCatalogueHasBothLanguagesAlike(t *testing.T) {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*[\d.]*[a-zA-Z%]`)
	verbs := func(s string) []string {
		v := verb.FindAllString(s, -1)
		slices.Sort(v)
		return v
	}
	for key, texts := range catalogue {
		if texts[English] == "" || texts[Indonesian] == "" {
			t.Errorf("%s: a language is missing: %q", key, texts)
			continue
		}
		en, id := verbs(texts[English]), verbs(texts[Indonesian])
		if one, other, ok := cutForms(texts[English]); ok {
			if !slices.Equal(verbs(one), verbs(other)) {
				t.Errorf("%s: the two English forms differ in verbs", key)
			}
			en = verbs(other)
		}
		if !slices.Equal(en, id) {
			t.Errorf("%s: English has %v, Indonesian %v", key, en, id)
		}
	}
}

func cutForms(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '|' {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func TestIn(t *testing.T) {
	for _, tc := range []struct {
		text Text
		lang Lang
		want string
	}{
		{New(UnknownKeyNear, "wieght", "weight"), English, "`wieght` is not a key this theme uses: did you mean `weight`?"},
		{New(UnknownKeyNear, "wieght", "weight"), Indonesian, "kunci `wieght` tidak dikenal tema ini: maksud Anda `weight`?"},
		{New(ProblemsFound, Count(NounProblem, 1)), English, "serikat: 1 problem found; nothing was written"},
		{New(ProblemsFound, Count(NounProblem, 3)), English, "serikat: 3 problems found; nothing was written"},
		{New(ProblemsFound, Count(NounProblem, 3)), Indonesian, "serikat: ada 3 masalah; tidak ada yang ditulis"},
	} {
		if got := tc.text.In(tc.lang); got != tc.want {
			t.Errorf("%v in %d = %q, want %q", tc.text, tc.lang, got, tc.want)
		}
	}
}

func TestChoose(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, tc := range []struct {
		code string
		env  map[string]string
		want Lang
	}{
		{"id", nil, Indonesian},
		{"id-ID", map[string]string{"LANG": "C.UTF-8"}, Indonesian},
		{"en", nil, English},
		{"en", map[string]string{"LANG": "id_ID.UTF-8"}, English},
		{"id", map[string]string{"LANG": "en"}, English},
		{"id", map[string]string{"LANG": "en_US.UTF-8"}, English},
		{"id", map[string]string{"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, Indonesian},
	} {
		if got := Choose(tc.code, env(tc.env)); got != tc.want {
			t.Errorf("Choose(%q, %v) = %d, want %d", tc.code, tc.env, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"title", "weight", "description", "tujuan", "durasi"}
	for in, want := range map[string]string{"wieght": "weight", "descripton": "description", "Durasi": "durasi", "foto": "", "lokasi": ""} {
		if got := Nearest(in, names); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
