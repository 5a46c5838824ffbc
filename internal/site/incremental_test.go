package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/search"
)

const incrementalSite = `
-- serikat.toml --
title = "Serikat"
baseURL = "https://serikat.example.org/"
-- layouts/_default/baseof.html --
<html data-sw="{{ relURL "/sw.js" }}"><head><title>{{ .Title }}</title><style>{{ assetInline "css/main.css" }}</style><link rel="manifest" href="{{ relURL "/manifest.webmanifest" }}"><meta property="og:image" content="{{ .ShareImage.URL }}"></head><body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ block "main" . }}{{ end }}<div data-index="{{ relURL "/search/" }}"></div></body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}
<nav>{{ with .Prev }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .Next }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}
-- layouts/index.html --
{{ define "main" }}<h1>{{ .Site.Title }}</h1>{{ range .Site.Pages }}<p>{{ .Title }}</p>{{ end }}{{ end }}
-- assets/css/main.css --
body { color: black; }
-- content/modul/01-dasar.md --
---
title: Dasar
weight: 1
tags: [dasar]
---
Ringkasan dasar.

## Hak Berserikat

Lihat [rekrutmen](02-rekrutmen.md#strategi).
-- content/modul/02-rekrutmen.md --
---
title: Rekrutmen
weight: 2
---
Ringkasan rekrutmen.

## Strategi
-- content/modul/03-rencana.md --
---
title: Rencana Kerja
weight: 3
aliases: [/rencana/]
---
Target 651 anggota.
-- content/berita/lampung.md --
---
title: Pelatihan Lampung
date: 2024-07-28
---
Pelatihan di Bandar Lampung.
`

// coldTree builds a copy of the site's sources without any cache and
// returns what it wrote.
func coldTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	fresh := t.TempDir()
	for _, name := range []string{"content", "layouts", "assets", "serikat.toml"} {
		copyPath(t, filepath.Join(dir, name), filepath.Join(fresh, name))
	}
	mustBuild(t, fresh, Options{CacheDir: "-"})
	return tree(t, filepath.Join(fresh, "public"))
}

func copyPath(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// age moves every source file's time an hour back, so the cache may trust
// sizes and times (a file changed within seconds of a build is always read).
func age(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func edit(t *testing.T, dir, name, from, to string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), from) {
		t.Fatalf("%s does not contain %q", name, from)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIncrementalBuildsMatchColdBuilds(t *testing.T) {
	t.Run("build", func(t *testing.T) {
		incrementalSteps(t, func(dir string) *Report { return mustBuild(t, dir, Options{}) })
	})
	// a preview server's session keeps the cache open and trusts its
	// destination: its builds must be the same
	t.Run("session", func(t *testing.T) {
		var s *Session
		var seen map[string]string
		var textEdits []string
		incrementalSteps(t, func(dir string) *Report {
			t.Helper()
			if s == nil {
				var err error
				if s, err = NewSession(Options{Source: dir, Now: testNow}); err != nil {
					t.Fatal(err)
				}
				// after the site's folder (made before): a save still
				// running is waited for before the folder is removed
				t.Cleanup(func() { s.Close() })
			}
			// tell the session exactly what changed, as a file watcher would
			var changed []string
			changed, seen = changedFiles(t, dir, seen)
			if len(changed) > 0 {
				s.Changed(changed...)
			}
			r, err := s.Build(context.Background())
			if err != nil {
				t.Fatalf("build failed:\n%v", err)
			}
			if r.TextEdit {
				textEdits = append(textEdits, strings.Join(slices.Sorted(slices.Values(changed)), " "))
			}
			// then what it left for later, as serve does
			return finishSession(t, s, r)
		})
		// the three edits of pages' text alone started from the last build
		want := []string{"content/modul/03-rencana.md", "content/berita/lampung.md", "content/modul/01-dasar.md content/modul/02-rekrutmen.md"}
		if !slices.Equal(textEdits, want) {
			t.Errorf("text edits %q, want %q", textEdits, want)
		}
	})
}

// changedFiles lists the sources created, changed or removed since the
// snapshot seen (by size and content: moving times back, as age does, is
// not an edit), and returns the new snapshot.
func changedFiles(t *testing.T, dir string, seen map[string]string) ([]string, map[string]string) {
	now := map[string]string{}
	for _, top := range []string{"content", "layouts", "assets", "serikat.toml"} {
		filepath.WalkDir(filepath.Join(dir, top), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, _ := d.Info()
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			now[filepath.ToSlash(rel)] = fmt.Sprint(info.Size(), string(data)) // as a watcher sees edits
			return nil
		})
	}
	var changed []string
	for name, v := range now {
		if seen[name] != v {
			changed = append(changed, name)
		}
	}
	for name := range seen {
		if _, ok := now[name]; !ok {
			changed = append(changed, name)
		}
	}
	return changed, now
}

func incrementalSteps(t *testing.T, build func(dir string) *Report) {
	dir := writeSite(t, incrementalSite)
	age(t, dir)
	first := build(dir)
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))

	nothing := build(dir)
	if nothing.Rendered != 0 || nothing.Written != 0 || nothing.Markdown != 0 {
		t.Errorf("a build with nothing changed rendered %d outputs and %d pages and wrote %d files, want none",
			nothing.Rendered, nothing.Markdown, nothing.Written)
	}
	if nothing.Reused != first.Rendered {
		t.Errorf("reused %d outputs, want all %d", nothing.Reused, first.Rendered)
	}

	steps := []struct {
		name   string
		change func()
		// most is the most outputs the step may render again
		most int
	}{
		{"body edit", func() { edit(t, dir, "content/modul/03-rencana.md", "Target 651", "Target enam ratus lima puluh satu") }, 3},
		{"body edit after the summary", func() {
			edit(t, dir, "content/berita/lampung.md", "Bandar Lampung.", "Bandar Lampung.\n\nDiikuti 25 peserta.")
		}, 1},
		{"date edit: the sitemap's lastmod and the feeds' order", func() {
			edit(t, dir, "content/berita/lampung.md", "date: 2024-07-28", "date: 2024-07-27\nlastmod: 2024-08-01")
		}, 4},
		{"title edit", func() { edit(t, dir, "content/modul/02-rekrutmen.md", "title: Rekrutmen", "title: Strategi Rekrutmen") }, 6},
		{"heading that a link points at goes", func() {
			edit(t, dir, "content/modul/02-rekrutmen.md", "## Strategi", "## Strategi Baru")
			edit(t, dir, "content/modul/01-dasar.md", "#strategi", "#strategi-baru")
		}, 4},
		{"slug of a linked page", func() {
			edit(t, dir, "content/modul/02-rekrutmen.md", "weight: 2", "weight: 2\nslug: rekrut")
		}, 6},
		{"order", func() { edit(t, dir, "content/modul/03-rencana.md", "weight: 3", "weight: 0") }, 20},
		{"new page", func() {
			writeArchive(t, dir, "-- content/modul/04-baru.md --\n---\ntitle: Baru\nweight: 4\n---\nHalaman baru.\n")
		}, 20},
		{"deleted page", func() { os.Remove(filepath.Join(dir, "content/berita/lampung.md")) }, 20},
		{"template of single pages: lists are not rendered again", func() {
			edit(t, dir, "layouts/_default/single.html", "<h1>", "<h1 class=judul>")
		}, 5},
		{"a new, more specific template", func() {
			writeArchive(t, dir, "-- layouts/modul/single.html --\n{{ define \"main\" }}<h1>Modul: {{ .Title }}</h1>{{ .Content }}{{ end }}\n")
		}, 5},
		{"base template", func() {
			edit(t, dir, "layouts/_default/baseof.html", "<body>", "<body class=situs>")
		}, 100},
		{"stylesheet", func() { edit(t, dir, "assets/css/main.css", "black", "navy") }, 100},
		{"settings", func() { edit(t, dir, "serikat.toml", `title = "Serikat"`, `title = "Serikat Buruh"`) }, 100},
	}
	for _, step := range steps {
		age(t, dir)
		step.change()
		r := build(dir)
		if r.Rendered > step.most {
			t.Errorf("%s: rendered %d outputs, want at most %d", step.name, r.Rendered, step.most)
		}
		t.Logf("%s: rendered %d, reused %d, markdown %d, wrote %d", step.name, r.Rendered, r.Reused, r.Markdown, r.Written)
		sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
		if t.Failed() {
			t.Fatalf("after %s, the incremental build differs from a cold one", step.name)
		}
	}
}

// A page that lists every tag (.Site.Tags) is made again when another page
// brings a new tag, though nothing it showed before changed.
func TestNewTagReachesEveryTagList(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Site.Tags }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}
-- content/a.md --
---
title: A
tags: [dasar]
---
-- content/b.md --
---
title: B
---
`)
	age(t, dir)
	mustBuild(t, dir, Options{})
	edit(t, dir, "content/b.md", "title: B", "title: B\ntags: [rekrutmen]")
	mustBuild(t, dir, Options{})
	if a := read(t, dir, "a/index.html"); !strings.Contains(a, "rekrutmen") {
		t.Errorf("page A does not list the new tag: %s", a)
	}
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// A destination changed by hand is not trusted: the next build writes it
// whole again.
func TestHandEditedPublicIsRebuilt(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	mustBuild(t, dir, Options{})
	page := filepath.Join(dir, "public/modul/01-dasar/index.html")
	if err := os.WriteFile(page, []byte("dirusak"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "public/sitemap.xml"))
	r := mustBuild(t, dir, Options{})
	if r.Written != r.Files {
		t.Errorf("wrote %d of %d files, want all after a hand edit", r.Written, r.Files)
	}
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// A damaged cache is ignored, never trusted.
func TestDamagedCacheIsIgnored(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	mustBuild(t, dir, Options{})
	for _, name := range []string{"index", "pack", "dest"} {
		p := filepath.Join(dir, ".serikat/cache", name)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(data) / 3; i < len(data); i += 97 {
			data[i] ^= 0x5a
		}
		if err := os.WriteFile(p, data[:len(data)*2/3], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustBuild(t, dir, Options{})
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// A pack whose bytes were lost in a crash (the index says more than the
// disk kept) is noticed by its checksums; the build starts over without the
// cache and writes a correct site.
func TestCrashDamagedPackIsRebuilt(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	mustBuild(t, dir, Options{})
	pack := filepath.Join(dir, ".serikat/cache/pack")
	data, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 0 // as a file whose size was committed before its data
	}
	if err := os.WriteFile(pack, data, 0o644); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "layouts/_default/list.html", "<ul>", "<ul class=daftar>") // lists read every summary, single pages every body
	os.RemoveAll(filepath.Join(dir, "public"))
	r := mustBuild(t, dir, Options{})
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
	// the library says so in its report, for the command to print
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Error(), "was damaged; building without it") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

// After a template edit, a session renders the pages named First, leaves
// the others as they were for a following build, and that build brings
// everything to what a cold build writes.
func TestSessionRendersOpenPagesFirst(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	age(t, dir)
	s := builtSession(t, dir)
	edit(t, dir, "layouts/_default/single.html", "<h1>", "<h1 class=judul>")
	s.Changed("layouts/_default/single.html")
	r, err := s.Build(context.Background(), "modul/01-dasar/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if r.Rendered != 1 || r.Deferred < 3 {
		t.Errorf("rendered %d and deferred %d, want 1 and the other single pages", r.Rendered, r.Deferred)
	}
	if page := read(t, dir, "modul/01-dasar/index.html"); !strings.Contains(page, "judul") {
		t.Errorf("the open page was not rendered first:\n%s", page)
	}
	if page := read(t, dir, "modul/02-rekrutmen/index.html"); strings.Contains(page, "judul") {
		t.Errorf("another page was rendered too")
	}
	r, err = s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Deferred != 0 || r.Rendered < 3 {
		t.Errorf("the following build rendered %d and deferred %d", r.Rendered, r.Deferred)
	}
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// A text edit that breaks a link is reported like any build's problem and
// writes nothing; once fixed, the site is what a cold build writes.
func TestSessionTextEditWithAProblem(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	age(t, dir)
	s := builtSession(t, dir)
	before := tree(t, filepath.Join(dir, "public"))
	edit(t, dir, "content/modul/03-rencana.md", "Target 651 anggota.", "Target 651 anggota. Lihat [modul hilang](99-hilang.md).")
	s.Changed("content/modul/03-rencana.md")
	_, err := s.Build(context.Background())
	wantProblem(t, problems(t, err), "content/modul/03-rencana.md:6: link to 99-hilang.md: no such page")
	sameTree(t, before, tree(t, filepath.Join(dir, "public")))

	edit(t, dir, "content/modul/03-rencana.md", "[modul hilang](99-hilang.md)", "[modul dasar](01-dasar.md)")
	s.Changed("content/modul/03-rencana.md")
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "content/modul/03-rencana.md", "Target 651", "Target enam ratus lima puluh satu")
	s.Changed("content/modul/03-rencana.md")
	r, err := s.Build(context.Background())
	if err != nil || !r.TextEdit {
		t.Fatalf("a second fix: %v, text edit %v", err, r != nil && r.TextEdit)
	}
	finishSession(t, s, r)
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// finishSession builds again while the last build r left outputs for later,
// as serikat serve does, and returns the first build's report.
func finishSession(t *testing.T, s *Session, r *Report) *Report {
	t.Helper()
	for rest := r; rest.Deferred > 0; {
		var err error
		if rest, err = s.Build(context.Background()); err != nil {
			t.Fatalf("the build after %d deferred outputs failed:\n%v", r.Deferred, err)
		}
	}
	return r
}

// A text edit reloads the preview before the search index is made again:
// it leaves the index as it was, says so, and the next build makes it.
func TestSessionTextEditLeavesTheSearchIndexForLater(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	age(t, dir)
	s := builtSession(t, dir)
	index := func() map[string]string {
		all := tree(t, filepath.Join(dir, "public"))
		for name := range all {
			if !strings.HasPrefix(name, "search/") {
				delete(all, name)
			}
		}
		return all
	}
	before := index()
	edit(t, dir, "content/modul/03-rencana.md", "Target 651", "Target enam ratus lima puluh satu")
	s.Changed("content/modul/03-rencana.md")
	r, err := s.Build(context.Background())
	if err != nil || !r.TextEdit {
		t.Fatalf("text edit: %v, %v", err, r != nil && r.TextEdit)
	}
	if r.Deferred != 1 {
		t.Errorf("a text edit deferred %d outputs, want the search index", r.Deferred)
	}
	sameTree(t, before, index())
	rest, err := s.Build(context.Background())
	if err != nil || rest.TextEdit || rest.Deferred != 0 {
		t.Fatalf("the next build: %v, text edit %v, deferred %d", err, rest != nil && rest.TextEdit, rest.Deferred)
	}
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
	if urls, _ := search.Query(filesUnder(t, filepath.Join(dir, "public/search")), "enam"); len(urls) != 1 {
		t.Errorf("the new word finds %v, want the edited page", urls)
	}
}

func filesUnder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

// builtSession opens a session on dir, closed when the test ends, and
// builds once.
func builtSession(t *testing.T, dir string) *Session {
	t.Helper()
	s, err := NewSession(Options{Source: dir, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// A warm build reuses cached renders without resolving their links again
// only while the pages and files they resolve against are the same. When
// a linked page goes, the unchanged page that links to it is an error at
// its line; when the page comes back, the link works again.
func TestWarmBuildChecksLinksOfCachedRenders(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	age(t, dir)
	mustBuild(t, dir, Options{})
	target := filepath.Join(dir, "content/modul/02-rekrutmen.md")
	saved, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	err = mustFail(t, dir)
	if !strings.Contains(err.Error(), "content/modul/01-dasar.md:10: link to 02-rekrutmen.md#strategi: no such page") {
		t.Errorf("got %v, want the broken link at content/modul/01-dasar.md:10", err)
	}
	// the failed build must not have recorded that the cached renders were checked
	err = mustFail(t, dir)
	if !strings.Contains(err.Error(), "content/modul/01-dasar.md:10:") {
		t.Errorf("second build: got %v, want the broken link again", err)
	}
	if err := os.WriteFile(target, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	age(t, dir)
	mustBuild(t, dir, Options{})
	sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
}

// A cache that cannot be opened (here its folder is a file; on a real site,
// a folder the user may not write) costs speed, never the build: the build
// uses a cache in a temporary file and writes a correct site.
func TestBuildWithAnUnusableCacheFolder(t *testing.T) {
	dir := writeSite(t, incrementalSite)
	if err := os.MkdirAll(filepath.Join(dir, ".serikat"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".serikat/cache"), []byte("bukan folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r := mustBuild(t, dir, Options{})
		if r.Reused != 0 {
			t.Errorf("reused %d outputs without a cache", r.Reused)
		}
		sameTree(t, coldTree(t, dir), tree(t, filepath.Join(dir, "public")))
	}
}
