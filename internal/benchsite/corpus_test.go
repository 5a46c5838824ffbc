package benchsite_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/serikat-id/serikat/internal/benchsite"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/site"
)

// now is after every date a corpus has, so no page is left out as future.
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

const pages = 200

// TestCorpusShape checks that a corpus is shaped like a real site: pages of
// very different lengths in sections of very different sizes, tags, tables
// on some pages, and links that all lead somewhere.
func TestCorpusShape(t *testing.T) {
	dir := t.TempDir()
	if err := benchsite.WriteCorpus(dir, pages, benchsite.HugoLayouts); err != nil {
		t.Fatal(err)
	}
	s, err := content.Load(os.DirFS(dir), content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]bool{}
	for _, p := range s.All {
		urls[p.URL] = true
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	var counts []int
	total, tables, tagged := 0, 0, map[string]int{}
	perSection := map[string]int{}
	for i := range pages {
		file := benchsite.CorpusPagePath(pages, i)
		p := s.ByFile[file]
		if p == nil {
			t.Fatalf("%s: not a page of the corpus", file)
		}
		perSection[p.Dir]++
		if p.Description == "" || p.Date.IsZero() {
			t.Errorf("%s: no description or date", file)
		}
		if len(p.Tags) < 3 || len(p.Tags) > 6 {
			t.Errorf("%s: %d tags, want 3 to 6", file, len(p.Tags))
		}
		for _, tag := range p.Tags {
			tagged[tag]++
		}
		body := string(p.Body)
		n := words(body)
		counts = append(counts, n)
		total += n
		if strings.Contains(body, "\n|---|") {
			tables++
		}
		links := link.FindAllStringSubmatch(body, -1)
		if len(links) < 2 || len(links) > 5 {
			t.Errorf("%s: %d links, want 2 to 5", file, len(links))
		}
		for _, l := range links {
			if !urls[l[1]] {
				t.Errorf("%s: link to %s: no such page", file, l[1])
			}
		}
	}
	mean := total / pages
	t.Logf("words: min %d, max %d, mean %d; tables on %d of %d pages; %d tags; %d sections", slices.Min(counts), slices.Max(counts), mean, tables, pages, len(tagged), len(perSection))
	if slices.Min(counts) >= 100 || slices.Max(counts) <= 2000 || mean < 450 || mean > 700 {
		t.Errorf("words per page: min %d, max %d, mean %d; want min < 100, max > 2000, mean 450 to 700", slices.Min(counts), slices.Max(counts), mean)
	}
	if tables < pages/5 || tables > pages*45/100 {
		t.Errorf("tables on %d of %d pages, want 20%% to 45%%", tables, pages)
	}
	if len(tagged) < 50 {
		t.Errorf("%d distinct tags, want at least 50", len(tagged))
	}
	sizes := slices.Sorted(maps.Values(perSection))
	if largest, median := sizes[len(sizes)-1], sizes[len(sizes)/2]; largest < 5*median {
		t.Errorf("section sizes %v: want a few big sections and many small ones", sizes)
	}
}

// words counts the words of Markdown text outside code blocks.
func words(md string) int {
	n, code := 0, false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			code = !code
			continue
		}
		if code {
			continue
		}
		for _, f := range strings.Fields(line) {
			if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				n++
			}
		}
	}
	return n
}

// TestCorpusBuilds builds a corpus with each layouts by Serikat, with its
// defaults, and checks that the theme's corpus is the other's content and
// the pages serikat init adds.
func TestCorpusBuilds(t *testing.T) {
	contents := map[benchsite.Layouts]map[string]string{}
	for l, extra := range map[benchsite.Layouts]int{benchsite.HugoLayouts: 0, benchsite.DefaultTheme: 5} {
		t.Run(l.String(), func(t *testing.T) {
			dir := t.TempDir()
			if err := benchsite.WriteCorpus(dir, pages, l); err != nil {
				t.Fatal(err)
			}
			r, err := site.BuildInMemory(context.Background(), site.Options{Source: dir, Now: now})
			if err != nil {
				t.Fatalf("build failed:\n%v", err)
			}
			for _, w := range r.Report.Warnings {
				t.Logf("warning: %v", w)
			}
			if want := pages + extra; r.Report.Pages != want {
				t.Errorf("built %d pages, want %d", r.Report.Pages, want)
			}
			for _, name := range []string{"bagian-00/index.html", "tags/index.html", "index.xml", "sitemap.xml"} {
				if r.Outputs[name] == nil {
					t.Errorf("no %s among the outputs", name)
				}
			}
			contents[l] = tree(t, filepath.Join(dir, "content"))
		})
	}
	if theme := contents[benchsite.DefaultTheme]; theme != nil {
		for _, name := range []string{"/cari.md", "/gabung.md", "/tentang.md", "/privasi.md", "/offline.md"} {
			delete(theme, name)
		}
		if !maps.Equal(contents[benchsite.HugoLayouts], theme) {
			t.Error("the theme's corpus has other content than the Hugo-style one")
		}
	}
}

func tree(t *testing.T, root string) map[string]string {
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(p[len(root):])] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCorpusIncrementalBuildsMatchColdBuilds edits a corpus, with each
// layouts, the way writers do (text, a title, tags, a page added and one
// removed, a template) and checks after each edit that a warm build, which
// reuses what it can (fragments shared between pages among it), writes
// exactly what a cold build of the same sources writes.
func TestCorpusIncrementalBuildsMatchColdBuilds(t *testing.T) {
	const pages = 60 // a cold build follows every edit
	for _, l := range []benchsite.Layouts{benchsite.HugoLayouts, benchsite.DefaultTheme} {
		t.Run(l.String(), func(t *testing.T) {
			dir := t.TempDir()
			if err := benchsite.WriteCorpus(dir, pages, l); err != nil {
				t.Fatal(err)
			}
			opts := site.Options{Source: dir, Now: now}
			warm := func() {
				t.Helper()
				if _, err := site.Build(context.Background(), opts); err != nil {
					t.Fatalf("build failed:\n%v", err)
				}
			}
			warm()
			page := func(i int) string { return filepath.Join(dir, benchsite.CorpusPagePath(pages, i)) }
			edit := func(file, from, to string) {
				t.Helper()
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(data), from) {
					t.Fatalf("%s lacks %q", file, from)
				}
				// a minute on, so the cache does not trust the old size and time
				if err := os.WriteFile(file, []byte(strings.Replace(string(data), from, to, 1)), 0o644); err != nil {
					t.Fatal(err)
				}
				later := time.Now().Add(time.Minute)
				os.Chtimes(file, later, later)
			}
			layout := filepath.Join(dir, "layouts", "_default", "baseof.html")
			steps := []struct {
				name   string
				change func()
			}{
				{"text at the end of a page", func() { appendTo(t, page(7), "\nSatu kalimat tambahan.\n") }},
				{"a title", func() { edit(page(3), "title: \"", "title: \"Judul Baru ") }},
				{"a tag added", func() { edit(page(11), "tags:\n", "tags:\n  - tagar-baru\n") }},
				{"a page removed", func() { os.Remove(page(20)) }},
				{"a page added", func() {
					os.WriteFile(filepath.Join(filepath.Dir(page(5)), "baru.md"), []byte("---\ntitle: Halaman Baru\ndate: 2020-01-02\ntags: [lobi]\n---\nIsi baru.\n"), 0o644)
				}},
				{"a section's title, in every page's menu", func() {
					edit(filepath.Join(dir, "content", "bagian-01", "_index.md"), "title: \"", "title: \"Bagian Baru ")
				}},
				{"the base template", func() { edit(layout, "<body", "<body data-v=2") }},
			}
			for _, step := range steps {
				step.change()
				warm()
				if got, want := tree(t, filepath.Join(dir, "public")), coldBuild(t, dir); !maps.Equal(got, want) {
					for name := range want {
						if got[name] != want[name] {
							t.Errorf("%s: %s differs from a cold build", step.name, name)
						}
					}
					for name := range got {
						if _, ok := want[name]; !ok {
							t.Errorf("%s: %s is not in a cold build", step.name, name)
						}
					}
					t.FailNow()
				}
			}
		})
	}
}

func appendTo(t *testing.T, file, text string) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(text)
	f.Close()
	later := time.Now().Add(time.Minute)
	os.Chtimes(file, later, later)
}

// coldBuild builds a copy of dir's sources with no cache and returns what
// it wrote.
func coldBuild(t *testing.T, dir string) map[string]string {
	t.Helper()
	fresh := t.TempDir()
	if err := os.CopyFS(fresh, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(fresh, "public"))
	os.RemoveAll(filepath.Join(fresh, ".serikat"))
	if _, err := site.Build(context.Background(), site.Options{Source: fresh, Now: now, CacheDir: "-"}); err != nil {
		t.Fatalf("cold build failed:\n%v", err)
	}
	return tree(t, filepath.Join(fresh, "public"))
}
