package buildcache

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/serikat-id/serikat/internal/content"
)

// What a build stores comes back when the cache is opened again: pages at
// once, renders and outputs once decoded in the background, and changes
// saved as journal records applied over the full index.
func TestCacheRoundTripThroughIndexAndJournal(t *testing.T) {
	dir := t.TempDir()
	put := func(c *Cache, name string, key Hash) {
		t.Helper()
		c.SetPage("content/"+name+".md", PageRecord{Size: 10, MTime: 20, Page: &content.Page{Kind: content.KindPage, File: "content/" + name + ".md", Title: name}})
		if err := c.PutMarkdown(key, &Markdown{Summary: "ringkasan " + name}, []byte("<p>"+name+"</p>"), nil, []byte("terms")); err != nil {
			t.Fatal(err)
		}
		outputs := c.Outputs()
		outputs[name+"/index.html"] = &Output{Deps: []Dep{{DepKey: DepKey{Kind: DepContent, Page: "/" + name + "/"}}}}
		c.SetOutputs(outputs)
		fragments := maps.Clone(c.idx.Fragments)
		fragments["layouts/baseof.html#"+name] = &Output{Deps: []Dep{{DepKey: DepKey{Kind: DepMeta, Page: "/" + name + "/"}, Value: Short{1}}}}
		c.SetFragments(fragments)
	}
	check := func(c *Cache, name string, key Hash) {
		t.Helper()
		if r, ok := c.Page("content/"+name+".md", 10, 20); !ok || r.Page.Title != name {
			t.Errorf("page %s: %v %v", name, r.Page, ok)
		}
		m, ok := c.Markdown(key)
		if !ok || m.Summary != "ringkasan "+name {
			t.Fatalf("render of %s: %v %v", name, m, ok)
		}
		if html, err := c.Read(m.HTML); err != nil || string(html) != "<p>"+name+"</p>" {
			t.Errorf("HTML of %s: %q %v", name, html, err)
		}
		if o, ok := c.Output(name + "/index.html"); !ok || len(o.Deps) != 1 || o.Deps[0].Page != "/"+name+"/" || o.Deps[0].Kind != DepContent {
			t.Errorf("output of %s: %v %v", name, o, ok)
		}
		if f, ok := c.Fragment("layouts/baseof.html#" + name); !ok || len(f.Deps) != 1 || f.Deps[0].Page != "/"+name+"/" || f.Deps[0].Value != (Short{1}) {
			t.Errorf("fragment of %s: %v %v", name, f, ok)
		}
	}
	names := []string{}
	for i := range 40 {
		names = append(names, string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	key := func(i int) Hash { return Hash{byte(i + 1)} }

	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		put(c, name, key(i))
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		check(c, name, key(i))
	}
	put(c, "baru", key(99)) // a small change: saved as journal records
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := os.Stat(filepath.Join(dir, "journal")); err != nil {
		t.Fatalf("the second save wrote no journal: %v", err)
	}

	c, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i, name := range names {
		check(c, name, key(i))
	}
	check(c, "baru", key(99))
}

// The page records are handed out before the rest of the index is read; a
// damaged Markdown section then drops the renders and outputs, not the
// pages, and the next save writes a whole index again.
func TestDamagedRendersKeepPages(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		c.SetPage("content/"+name+".md", PageRecord{Size: 10, MTime: 20, Page: &content.Page{Kind: content.KindPage, File: "content/" + name + ".md", Title: name}})
		if err := c.PutMarkdown(Hash{name[0]}, &Markdown{Summary: name}, []byte("<p>"+name+"</p>"), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c.Close()

	// the Markdown section's count made larger than the section
	p, data, d := readPastMagic(t, dir, "index", indexMagic)
	decodeHeader(d, &index{})
	d.count()
	at := len(data) - len(d.b)
	data[at], data[at+1] = 0xff, 0x7f
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}

	for range 2 { // as damaged, then as saved again
		c, err = Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"a", "b", "c"} {
			if r, ok := c.Page("content/"+name+".md", 10, 20); !ok || r.Page.Title != name {
				t.Errorf("page %s: %v %v", name, r.Page, ok)
			}
			if _, ok := c.Markdown(Hash{name[0]}); ok {
				t.Errorf("a render of %s read from a damaged section", name)
			}
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}
