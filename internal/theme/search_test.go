package theme

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/search"
	"github.com/serikat-id/serikat/internal/site"
)

// thousandModules builds a site of 1,000 modules made from the real ones
// (so the words are a trainer's, not a generator's) with the default theme,
// in memory, and returns its files. The modules' links to pages this site
// does not have (handouts, the join page, other modules by name) become
// their plain text.
func thousandModules(t *testing.T) map[string][]byte {
	t.Helper()
	root, _ := filepath.Abs("../..")
	src := copyRepoSite(t, "layouts", "assets")
	modules, _ := filepath.Glob(filepath.Join(root, "content", "modul", "0*.md"))
	if len(modules) < 8 {
		t.Fatalf("found %d modules", len(modules))
	}
	os.MkdirAll(filepath.Join(src, "content", "modul"), 0o755)
	os.WriteFile(filepath.Join(src, "content", "modul", "_index.md"), []byte("---\ntitle: Modul\n---\n"), 0o644)
	os.WriteFile(filepath.Join(src, "content", "cari.md"), []byte("---\ntitle: Cari\nlayout: cari\n---\n"), 0o644)
	title := regexp.MustCompile(`(?m)^title: "?(.*?)"?$`)
	link := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\.md(#[^)]*)?\)`)
	for i := range 1000 {
		data, _ := os.ReadFile(modules[i%len(modules)])
		data = title.ReplaceAll(data, []byte(fmt.Sprintf(`title: "$1 (%d)"`, i)))
		data = link.ReplaceAll(data, []byte("$1"))
		os.WriteFile(filepath.Join(src, "content", "modul", fmt.Sprintf("m%04d.md", i)), data, 0o644)
	}
	report, err := site.BuildInMemory(context.Background(), site.Options{Source: src, BaseURL: siteURL,
		Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return report.Outputs
}

// A first search on a 1,000-page site transfers under 150 KB in all, script
// included (Pagefind's figure), and the script itself is under 6 KB.
func TestSearchTransfer(t *testing.T) {
	out := thousandModules(t)
	var script []byte
	for name, data := range out {
		if strings.HasPrefix(name, "js/cari.") {
			script = data
		}
	}
	if script == nil {
		t.Fatal("no js/cari.*.js in the build")
	}
	scriptSize := gzipSize(t, script)
	if scriptSize > 6*1024 {
		t.Errorf("the search script is %d bytes compressed, budget 6 KB", scriptSize)
	}
	index := map[string][]byte{}
	total := 0
	for name, data := range out {
		if strings.HasPrefix(name, "search/") {
			index[strings.TrimPrefix(name, "search/")] = data
			total += gzipSize(t, data)
		}
	}
	t.Logf("1,000 modules: the whole index is %d KB compressed in %d files; the script %d bytes", total>>10, len(index), scriptSize)
	for _, q := range []string{"serikat", "perundingan bersama", "rekrutmen lewat media sosial", "iuran anggota", "pekerja kontrak alih daya"} {
		results, err := search.Query(index, q)
		if err != nil || len(results) == 0 {
			t.Errorf("%q finds nothing (%v)", q, err)
			continue
		}
		// what the browser fetches: the script, one terms file per word,
		// and the pages files of the first ten results
		files := map[string]bool{}
		for _, w := range search.Words(q) {
			files["terms-"+search.Shard(w)+".json"] = true
		}
		for _, u := range results[:min(10, len(results))] {
			for name, data := range index {
				if strings.HasPrefix(name, "pages-") && strings.Contains(string(data), `"`+u+`"`) {
					files[name] = true
				}
			}
		}
		size := scriptSize
		for name := range files {
			size += gzipSize(t, index[name])
		}
		t.Logf("%q: %d results; the first query transfers %.1f KB in %d files", q, len(results), float64(size)/1024, len(files)+1)
		if size > 150*1024 {
			t.Errorf("%q transfers %d KB, budget 150 KB", q, size>>10)
		}
	}
	var rows [][4]string
	if err := json.Unmarshal(index["pages-0.json"], &rows); err != nil || len(rows) != search.ChunkSize {
		t.Errorf("pages-0.json: %d rows, %v", len(rows), err)
	}
}
