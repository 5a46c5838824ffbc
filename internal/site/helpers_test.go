package site

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/serikat-id/serikat/internal/diag"
)

// testNow is the build time of every test build, so dated pages behave the
// same whenever the tests run.
var testNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// writeSite writes the files of a txtar archive into a new folder.
func writeSite(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	writeArchive(t, dir, archive)
	return dir
}

func writeArchive(t *testing.T, dir, archive string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// build builds the site in dir with test defaults.
func build(t *testing.T, dir string, opts Options) (*Report, error) {
	t.Helper()
	opts.Source = dir
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	return Build(context.Background(), opts)
}

// mustBuild builds and fails the test on any problem.
func mustBuild(t *testing.T, dir string, opts Options) *Report {
	t.Helper()
	r, err := build(t, dir, opts)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return r
}

// read returns a file of the built site.
func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("reading built file: %v", err)
	}
	return string(data)
}

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, "public", filepath.FromSlash(name)))
	return err == nil
}

// tree returns every file under root with its content.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree reports the first difference between two trees.
func sameTree(t *testing.T, want, got map[string]string) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		w, okW := want[n]
		g, okG := got[n]
		switch {
		case !okW:
			t.Errorf("extra file %s", n)
		case !okG:
			t.Errorf("missing file %s", n)
		case w != g:
			t.Errorf("%s differs:\nwant %q\ngot  %q", n, clip(w), clip(g))
		}
	}
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// problems returns the problems of a failed build as "path:line: message"
// lines, failing the test when the build succeeded.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		t.Fatal("build succeeded, want problems")
	}
	var out []string
	for _, e := range diag.Flatten(err) {
		out = append(out, e.Error())
	}
	return out
}

// wantProblem checks that one of the problems starts with prefix and
// contains every fragment.
func wantProblem(t *testing.T, got []string, prefix string, fragments ...string) {
	t.Helper()
	for _, p := range got {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(p, f)
		}
		if ok {
			return
		}
	}
	t.Errorf("no problem %q containing %q among:\n%s", prefix, fragments, strings.Join(got, "\n"))
}

// positioned checks that every problem is a *diag.Error with a path.
func positioned(t *testing.T, err error) {
	t.Helper()
	for _, e := range diag.Flatten(err) {
		var de *diag.Error
		if !errors.As(e, &de) || de.Path == "" {
			t.Errorf("problem without a file: %v", e)
		}
	}
}

// minimalLayouts is a layout set enough for any page.
const minimalLayouts = `
-- layouts/_default/baseof.html --
<!doctype html><html lang="{{ .Site.LanguageCode }}"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`
