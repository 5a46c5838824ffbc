package markdown

import (
	"strings"
	"testing"
)

func TestSummaryAndWords(t *testing.T) {
	r := New(Options{TOCLevels: []int{2, 3}})
	res, err := r.Render([]byte("# Judul\n\nPeserta **membuat** rencana kerja, \"651\" anggota.\n\n- satu\n- dua\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary != "Peserta membuat rencana kerja, “651” anggota." {
		t.Errorf("summary %q", res.Summary)
	}
	if res.WordCount != 9 {
		t.Errorf("words %d, want 9", res.WordCount)
	}
	// a word goes on across inline markup; a line break or a new block ends it
	for src, want := range map[string]int{
		"buruh**kuat** dan\nserikat.":        3,
		"a *b* c":                            3,
		"satu\ndua\n\ntiga":                  3,
		"- `kode`lanjut\n- x":                2,
		"Hak [berserikat](https://x.org)nya": 2,
	} {
		if res, _ := r.Render([]byte(src), nil); res.WordCount != want {
			t.Errorf("%q: %d words, want %d", src, res.WordCount, want)
		}
	}
	long := strings.Repeat("kata ", 100)
	res, _ = r.Render([]byte(long), nil)
	if n := len(strings.Fields(res.Summary)); n != SummaryWords+1 || !strings.HasSuffix(res.Summary, "…") {
		t.Errorf("long summary has %d words: %q", n, res.Summary)
	}
}

func TestInline(t *testing.T) {
	r := New(Options{})
	out, err := r.Inline("**Ayo** bergabung")
	if err != nil || string(out) != "<strong>Ayo</strong> bergabung" {
		t.Errorf("Inline = %q, %v", out, err)
	}
}

func TestExternalLinksAreLeftAlone(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://ksbsi.org": true, "mailto:a@b.c": true, "//cdn.example": true, "tel:+62": true,
		"02-rekrutmen.md": false, "../a.md#b": false, "/modul/": false, "#x": false, "a:b/c.md": true, "foto.jpg": false,
	} {
		if isExternal(dest) != want {
			t.Errorf("isExternal(%q) = %v", dest, !want)
		}
	}
}
