package search

import (
	"fmt"
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
		terms, err := ParseTerms(AppendTerms(nil, TextTerms(d.Headings, d.Text)))
		if err != nil {
			t.Fatal(err)
		}
		kept[i] = Doc{URL: d.URL, Title: d.Title, Terms: terms}
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
	if _, err := ParseTerms([]byte{5, 'a'}); err == nil {
		t.Error("damaged terms parsed")
	}
}
