package search

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestStem(t *testing.T) {
	for word, want := range Examples {
		if got := Words(word); len(got) != 1 || got[0] != want {
			t.Errorf("Words(%q) = %v, want [%s]", word, got, want)
		}
	}
}

func TestQueryFindsByRootAndRanksTitles(t *testing.T) {
	var docs []Doc
	for i := range 250 {
		docs = append(docs, Doc{URL: fmt.Sprintf("/berita/%d/", i), Title: fmt.Sprintf("Berita %d", i), Text: "rapat rutin pengurus cabang"})
	}
	docs = append(docs,
		Doc{URL: "/modul/pelatihan/", Title: "Pelatihan Pengorganisasian", Section: "Modul", Text: "Cara melatih anggota baru."},
		Doc{URL: "/modul/rekrutmen/", Title: "Rekrutmen", Section: "Modul", Headings: []string{"Melatih perekrut"}, Text: "Para pekerja dilatih bergabung."},
		Doc{URL: "/modul/iuran/", Title: "Iuran", Section: "Modul", Text: "Iuran anggota dan laporan keuangan."},
	)
	files := Build(docs)
	if _, ok := files["pages-2.json"]; !ok {
		t.Fatalf("253 pages need three pages files: %v", slices.Sorted(func(y func(string) bool) {
			for k := range files {
				if !y(k) {
					return
				}
			}
		}))
	}
	for q, want := range map[string][]string{
		"latihan":           {"/modul/pelatihan/", "/modul/rekrutmen/"}, // the title outranks a heading
		"PEKERJAAN":         {"/modul/rekrutmen/"},
		"anggota latih":     {"/modul/pelatihan/"},
		"keanggotaan iuran": {"/modul/iuran/"},
		"tidakada":          nil,
	} {
		got, err := Query(files, q)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Query(%q) = %v, %v; want %v", q, got, err, want)
		}
	}
	// a query reads one terms file per word, each a small part of the index
	total, largest := 0, 0
	for name, data := range files {
		total += len(data)
		if strings.HasPrefix(name, "terms-") {
			largest = max(largest, len(data))
		}
	}
	if largest*4 > total {
		t.Errorf("the largest terms file is %d of %d bytes", largest, total)
	}
}

// Terms kept from an earlier build, through AppendTerms and ParseTerms,
// give the same index as the headings and text they came from.
func TestKeptTermsGiveTheSameIndex(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "Pelatihan", Headings: []string{"Melatih perekrut", "Iuran"}, Text: "Para pekerja dilatih bergabung; pekerja baru."},
		{URL: "/b/", Title: "Rekrutmen", Text: "Iuran anggota dan laporan keuangan."},
		{URL: "/c/", Title: "Kosong"},
	}
	kept := make([]Doc, len(docs))
	for i, d := range docs {
		data := AppendTerms(nil, TextTerms(d.Headings, d.Text))
		if err := CheckTerms(data); err != nil {
			t.Fatal(err)
		}
		kept[i] = Doc{URL: d.URL, Title: d.Title, Kept: data}
	}
	want, got := Build(docs), Build(kept)
	if len(got) != len(want) {
		t.Fatalf("%d files from kept terms, want %d", len(got), len(want))
	}
	for name, data := range want {
		if string(got[name]) != string(data) {
			t.Errorf("%s from kept terms:\n%s\nwant:\n%s", name, got[name], data)
		}
	}
	if terms := TextTerms([]string{"Melatih"}, "pekerja pekerja"); len(terms) != 2 || terms[0] != (Term{"kerja", 2}) || terms[1] != (Term{"latih", headingWeight}) {
		t.Errorf("TextTerms = %v", terms)
	}
	for _, damaged := range [][]byte{{5, 'a'}, {1, 'a'}, {1, 'a', 0xff}} {
		if CheckTerms(damaged) == nil {
			t.Errorf("damaged terms %v pass", damaged)
		}
	}
}

// benchDocs is a site of n pages with kept terms: about 300 distinct
// stems a page from a vocabulary of 20,000 drawn unevenly, as words are.
func benchDocs(n int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := func() int { return int(float64(20000) * math.Pow(rng.Float64(), 3)) }
	docs := make([]Doc, n)
	for i := range docs {
		scores := map[string]int{}
		for range 560 {
			scores[letters(zipf())]++
		}
		var terms []Term
		for stem, score := range scores {
			terms = append(terms, Term{stem, score})
		}
		slices.SortFunc(terms, func(a, b Term) int { return strings.Compare(a.Stem, b.Stem) })
		// kept as a site generator keeps them (see Doc.Kept)
		docs[i] = Doc{URL: fmt.Sprintf("/modul/%d/", i), Title: fmt.Sprintf("Modul pelatihan %d", i), Section: "Modul",
			Summary: "Ringkasan modul tentang pengorganisasian anggota di tempat kerja.", Kept: AppendTerms(nil, terms)}
	}
	return docs
}

// letters spells k in base 26, a to z, at least three letters long.
func letters(k int) string {
	var b []byte
	for len(b) < 3 || k > 0 {
		b = append(b, byte('a'+k%26))
		k /= 26
	}
	return string(b)
}

func BenchmarkBuild(b *testing.B) {
	docs := benchDocs(10000)
	b.ResetTimer()
	for range b.N {
		Build(docs)
	}
}

// The terms files are written without package json's reflection, byte for
// byte as it would write them, also for a stem that needs escaping.
func TestTermsFilesAreWhatPackageJSONWrites(t *testing.T) {
	docs := benchDocs(300)
	docs = append(docs, Doc{URL: "/rusak/", Title: "Rusak", Kept: AppendTerms(nil, []Term{{"a\"b<", 2}, {"ok", 1}})})
	files := Build(docs)
	terms := 0
	for name, data := range files {
		if !strings.HasPrefix(name, "terms-") {
			continue
		}
		terms++
		var m map[string][]int
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := json.Marshal(m)
		if string(data) != string(want) {
			t.Errorf("%s:\n%s\nwant\n%s", name, data, want)
		}
	}
	if terms < 100 {
		t.Errorf("%d terms files: the test covers too little", terms)
	}
	if _, ok := files["terms-a\".json"]; !ok {
		t.Error("the odd stem has no terms file")
	}
}
