package buildcache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/serikat-id/serikat/internal/content"
)

// dropLastJournalRecord cuts the journal at the start of its last record,
// as a crash that wrote every record of a save but its header would.
func dropLastJournalRecord(t *testing.T, dir string) {
	p, data, d := readPastMagic(t, dir, "journal", journalMagic)
	last := -1
	for len(d.b) > 0 {
		last = len(data) - len(d.b)
		n := d.count()
		d.rawN(n)
		d.rawN(4)
		if d.err != nil {
			t.Fatal(d.err)
		}
	}
	if err := os.WriteFile(p, data[:last], 0o644); err != nil {
		t.Fatal(err)
	}
}

// A render the journal names beyond the pack's end is dropped at Open; it
// must stay dropped once later saves have grown the pack past it.
func TestDroppedRenderStaysDropped(t *testing.T) {
	dir := t.TempDir()
	A, B, C := Hash{1}, Hash{2}, Hash{3}
	open := func() *Cache {
		c, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := open()
	for i := range 60 {
		f := fmt.Sprintf("content/page-%02d.md", i)
		c.SetPage(f, PageRecord{Size: 10, MTime: 20, Page: &content.Page{Kind: content.KindPage, File: f, Title: "a reasonably long title " + f}})
	}
	if err := c.PutMarkdown(A, &Markdown{}, []byte("<p>a</p>"), nil, nil); err != nil {
		t.Fatal(err)
	}
	c.Save() // full index
	c.Close()

	c = open()
	c.Markdown(A)
	c.PutMarkdown(B, &Markdown{}, bytes.Repeat([]byte("b"), 100), nil, nil)
	c.Save() // journal: B, then the header
	c.Close()
	dropLastJournalRecord(t, dir)

	c = open()
	if _, ok := c.Markdown(B); ok {
		t.Fatal("B kept though past the pack's end")
	}
	c.Markdown(A)
	c.PutMarkdown(C, &Markdown{}, bytes.Repeat([]byte("c"), 200), nil, nil) // where B was
	c.Save()
	c.Close()

	c = open()
	defer c.Close()
	if m, ok := c.Markdown(B); ok {
		_, err := c.Read(m.HTML)
		t.Fatalf("B came back, pointing into C's bytes: Read: %v", err)
	}
}

// A journal whose last record a crash cut short: the next save's records
// go where it began, and are read back.
func TestJournalAfterTornTail(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	page := func(name string) PageRecord {
		return PageRecord{Size: 10, MTime: 20, Page: &content.Page{Kind: content.KindPage, File: name, Title: name}}
	}
	for i := range 60 {
		f := fmt.Sprintf("content/page-%02d.md", i)
		c.SetPage(f, page(f))
	}
	c.Save() // full index
	c.Close()

	c, _ = Open(dir)
	c.SetPage("content/a.md", page("content/a.md"))
	c.Save() // a journal
	c.Close()
	p := filepath.Join(dir, "journal")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(data, 0x40, 1, 2, 3), 0o644); err != nil { // a record cut short
		t.Fatal(err)
	}

	c, _ = Open(dir)
	if _, ok := c.Page("content/a.md", 10, 20); !ok {
		t.Error("the intact record before the torn tail was lost")
	}
	c.SetPage("content/b.md", page("content/b.md"))
	c.Save()
	c.Close()

	c, _ = Open(dir)
	defer c.Close()
	for _, f := range []string{"content/a.md", "content/b.md"} {
		if _, ok := c.Page(f, 10, 20); !ok {
			t.Errorf("%s is not in the cache after the save that followed a torn journal", f)
		}
	}
}

// readPastMagic reads the cache file name in dir, to damage it as a crash
// or a bad disk would: its path, its bytes, and a decoder on a copy of them
// past the magic and the format version.
func readPastMagic(t *testing.T, dir, name, magic string) (string, []byte, *decoder) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	d := newDecoder(bytes.Clone(data))
	if checkMagic(d, magic) != nil {
		t.Fatalf("%s is not a %s", p, name)
	}
	d.varint()
	return p, data, d
}
