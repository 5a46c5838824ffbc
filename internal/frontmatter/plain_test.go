package frontmatter

import (
	"reflect"
	"testing"
)

// readBoth reads src with the fast path and with the library; ok is
// whether the fast path took it.
func readBoth(t *testing.T, src string) (plain, library []Field, ok bool, libErr error) {
	t.Helper()
	plain, ok = plainYAML([]byte(src), 2)
	c := &collector{firstLine: 2}
	libErr = c.libraryYAML([]byte(src))
	return plain, c.fields, ok, libErr
}

// Every front matter the fast path takes, it reads as the library does:
// the same keys, values of the same types, the same lines.
func TestPlainYAMLReadsAsTheLibraryDoes(t *testing.T) {
	taken := []string{
		"title: Dasar-dasar serikat pekerja\ndate: 2024-07-27\nweight: 1\n",
		"title: \"Modul 3: Organisasi setelah UU Cipta Kerja\"\ndraft: false\n",
		"tags: [rapat, lobi, manajemen-rekrutmen]\n",
		"tags: [\"serikat buruh\", lampung]\n",
		"target: 651\nminus: -3\nnol: 0\n",
		"description: \"Diskusi untuk lebih kuat; bersama (kita).\"\n",
		"a: Kalimat dengan titik. Dan garis/miring.\n\nb: true\n",
		"title: \"# bukan komentar\"\n",
		"title: \"\"\n",
		"title: Notepad\r\ndate: 2024-07-27\r\n",
		"title: \"Buruh – UU Cipta Kerja: “omnibus” é 労働\"\n", "kota: Café Sejahtera\n",
		"date: 2014-01-17T10:59:00+07:00\n", "date: 2014-01-17T10:59:00Z\n", "date: 2014-01-17T10:59:00\n",
		"date: 2014-01-17 10:59:00\n", "date: 2014-01-17T10:59\n", "date: 2014-01-17T10:59:00.5-03:30\n",
		"title: A\ntags:\n  - perundingan-advokasi\n  - lobi\nweight: 22\n",
		"tags:\n- a\n- \"b c\"\n\ndraft: true\n",
		"tags:\n    - a\n    - b",
		"tags:\r\n  - a\r\n  - b\r\n",
		"",
	}
	for _, src := range taken {
		plain, library, ok, err := readBoth(t, src)
		if !ok {
			t.Errorf("the fast path does not take %q", src)
			continue
		}
		if err != nil {
			t.Errorf("%q: the library fails (%v) where the fast path reads %v", src, err, plain)
			continue
		}
		if !reflect.DeepEqual(plain, library) {
			t.Errorf("%q:\n fast    %#v\n library %#v", src, plain, library)
		}
	}
	// what it must leave to the library, which may read it otherwise
	for _, src := range []string{
		"title: yes\n", "title: no\n", "title: null\n", "title: ~\n", "n: 010\n", "n: 1e3\n", "n: 1.5\n",
		"n: 0x1F\n", "n: -0\n", "n: 99999999999999999999\n", "title: a: b\n", "title: 'tunggal'\n",
		"title: \"a\\\"b\"\n", "title: Serikat # komentar\n", "tags:\n  - a\n  - b\n", "tags: [1, b]\n",
		"tags: []\n", "tags: [a, [b]]\n", "title: Buruh  bersatu\n", "title: -garis\n", "a: 1\na: 2\n",
		"  title: menjorok\n", "title:tanpa spasi\n", "title: *jangkar\n", "title: !!str 5\n", "title: Pekerja & buruh\n",
		"title: \"Ganti\tbaris\"\n", "title: Jalan\u00a0raya\n", "title: \"a\u2028b\"\n", "title: \"a\u0085b\"\n", "title: \"\ufeffa\"\n", "title: Buruh – kita\n", "# komentar\ntitle: a\n", "title: \"Buruh 'kita'\"\n",
		"title: 2024-13-45\n", "True: x\n", "Null: x\n", "null: a\nNull: b\n", "true: a\nTrue: b\n", "FALSE: x\n", "y: 1\n", "On: a\n", "tags:\n", "tags:\n  - a\n   - b\n", "tags:\n  - a\n b\n", "tags:\n  - 1\n",
		"tags:\n  -a\n", "tags:\n  - a\n  - b: c\n", "tags:\n  - a\n    - b\n", "tags:\n  - a\n  -\n", "tags:\n  - a\nx\n", "date: 2024-07-27T10:00:00+0700\n", "date: 2024-07-27T1:00\n", "date: 2024-07-27T10:00:00.\n", "date: 2024-07-27t10:00\n", "title: On\n", "title: NULL\n",
	} {
		plain, library, ok, err := readBoth(t, src)
		if ok && (err != nil || !reflect.DeepEqual(plain, library)) {
			t.Errorf("the fast path takes %q as %#v; the library reads %#v, %v", src, plain, library, err)
		}
	}
}

// FuzzPlainYAML holds the fast path to the library on any input.
func FuzzPlainYAML(f *testing.F) {
	for _, s := range []string{"title: A\n", "tags: [a, b]\n", "n: 5\ndate: 2024-07-27\n", "a: \"b c\"\nd: false\n", "t: 2024-13-45\n", "True: x\n", "Null: a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		plain, library, ok, err := readBoth(t, src)
		if ok && (err != nil || !reflect.DeepEqual(plain, library)) {
			t.Errorf("the fast path takes %q as %#v; the library reads %#v, %v", src, plain, library, err)
		}
	})
}

// Whole files read the same with the plain reader as without it: the
// front matter is cut out as the library cuts it.
func TestParseReadsAsWithoutThePlainReader(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: A\ntags: [a, b]\n---\nTeks.\n",
		"\n\n---\ntitle: A\n---\n",
		"---\r\ntitle: A\r\n---\r\nTeks\r\n",
		"---\ntitle: A\n  ---  \nTeks",
		"---\n---\nKosong.\n",
		"---\ntitle: A\n---",
		"\ufeff---\ntitle: “Kutip”\nkota:\u00a0Lampung\n---\n",
		"---\ntitle: A\nx: yes\n---\n",
	} {
		parseBothWays(t, src)
	}
}

// parseBothWays checks that src reads the same with the plain reader as
// without it.
func parseBothWays(t *testing.T, src string) {
	t.Helper()
	fast, errFast := Parse([]byte(src))
	plainReader = false
	slow, errSlow := Parse([]byte(src))
	plainReader = true
	if !reflect.DeepEqual(fast, slow) || (errFast == nil) != (errSlow == nil) {
		t.Errorf("%q:\n plain   %#v %v\n library %#v %v", src, fast, errFast, slow, errSlow)
	}
}

// FuzzParsePlainReader holds whole-file reading with the plain reader to
// reading without it.
func FuzzParsePlainReader(f *testing.F) {
	for _, s := range []string{"---\ntitle: A\n---\nTeks.\n", "---\ntags:\n  - a\n---\n", "\n---\r\nn: 5\r\n---\r\n", "---\nTrue: a\n---\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		parseBothWays(t, src)
	})
}
