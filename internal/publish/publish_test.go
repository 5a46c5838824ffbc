package publish

import (
	"crypto/sha256"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/buildcache"
)

// holds reports whether dest holds exactly the files of want, reading
// those and looking for nothing else but the names in gone.
func holds(t *testing.T, dest string, want map[string]string, gone ...string) bool {
	t.Helper()
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
		if err != nil || string(got) != data {
			t.Logf("%s: %q, %v; want %q", name, got, err, data)
			return false
		}
	}
	for _, name := range gone {
		if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(name))); !os.IsNotExist(err) {
			t.Logf("%s is still there", name)
			return false
		}
	}
	return true
}

// beside lists what is next to dest other than dest: a build's leftovers.
func beside(t *testing.T, dest string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dest) {
			out = append(out, e.Name())
		}
	}
	return out
}

// publish writes a build of want (name → content) into dest and commits it.
func publish(t *testing.T, dest string, prev map[string]buildcache.Written, want map[string]string) Result {
	t.Helper()
	w, err := Open(dest, prev)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		data := []byte(want[name])
		if w.Keep(name, sha256.Sum256(data)) {
			continue
		}
		if err := w.Put(name, data); err != nil {
			t.Fatal(err)
		}
	}
	res, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFreshCommitReplacesTheWholeFolder(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(filepath.Join(dest, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "old", "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Incremental() {
		t.Fatal("a build without previous files is incremental")
	}
	for name, data := range map[string]string{"index.html": "home", "modul/a/index.html": "a"} {
		if err := w.Put(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if !holds(t, dest, map[string]string{"old/index.html": "old"}, "index.html", "modul") {
		t.Fatal("the destination changed before Commit")
	}
	res, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if !holds(t, dest, map[string]string{"index.html": "home", "modul/a/index.html": "a"}, "old") {
		t.Error("after Commit the destination does not hold the new build alone")
	}
	if res.Written != 2 || len(res.Files) != 2 || !slices.Equal(res.Changed, []string{"index.html", "modul/a/index.html"}) {
		t.Errorf("Result = %d written, %d files, changed %v", res.Written, len(res.Files), res.Changed)
	}
	if left := beside(t, dest); len(left) > 0 {
		t.Errorf("left beside the destination: %v", left)
	}
	if !Unchanged(dest, res.Files) {
		t.Error("Unchanged says a destination just committed changed")
	}
}

func TestIncrementalBuildWritesOnlyChangedFiles(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first := publish(t, dest, nil, map[string]string{"index.html": "home", "a/index.html": "a", "gone/deep/index.html": "gone"})
	before, err := os.Stat(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	second := publish(t, dest, first.Files, map[string]string{"index.html": "home", "a/index.html": "a, edited", "b/index.html": "b"})
	if !slices.Equal(second.Changed, []string{"a/index.html", "b/index.html"}) || second.Written != 2 {
		t.Errorf("the second build wrote %d files, %v; want only the changed and the new", second.Written, second.Changed)
	}
	after, err := os.Stat(filepath.Join(dest, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Error("an unchanged file was written again")
	}
	if !holds(t, dest, map[string]string{"index.html": "home", "a/index.html": "a, edited", "b/index.html": "b"}, "gone") {
		t.Error("the destination is not the second build (with the folder of a file it no longer makes gone)")
	}
	if left := beside(t, dest); len(left) > 0 {
		t.Errorf("left beside the destination: %v", left)
	}
	if !Unchanged(dest, second.Files) {
		t.Error("Unchanged says a destination just committed changed")
	}
}

func TestAbortLeavesTheDestinationAlone(t *testing.T) {
	for _, incremental := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "public")
		first := publish(t, dest, nil, map[string]string{"index.html": "home"})
		var prev map[string]buildcache.Written
		if incremental {
			prev = first.Files
		}
		w, err := Open(dest, prev)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string]string{"index.html": "new home", "a/index.html": "a"} {
			if err := w.Put(name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		w.Abort()
		if !holds(t, dest, map[string]string{"index.html": "home"}, "a") {
			t.Errorf("incremental %v: Abort changed the destination", incremental)
		}
		if left := beside(t, dest); len(left) > 0 {
			t.Errorf("incremental %v: left beside the destination: %v", incremental, left)
		}
		if !Unchanged(dest, first.Files) {
			t.Errorf("incremental %v: Abort changed the destination", incremental)
		}
	}
}

func TestDestinationEditedByHandIsNotUnchanged(t *testing.T) {
	for name, edit := range map[string]func(dest string) error{
		"a file rewritten": func(dest string) error {
			return os.WriteFile(filepath.Join(dest, "a", "index.html"), []byte("by hand, longer"), 0o644)
		},
		"a file removed": func(dest string) error { return os.Remove(filepath.Join(dest, "index.html")) },
		"a file made a folder": func(dest string) error {
			if err := os.Remove(filepath.Join(dest, "index.html")); err != nil {
				return err
			}
			return os.Mkdir(filepath.Join(dest, "index.html"), 0o755)
		},
	} {
		dest := filepath.Join(t.TempDir(), "public")
		res := publish(t, dest, nil, map[string]string{"index.html": "home", "a/index.html": "a"})
		if err := edit(dest); err != nil {
			t.Fatal(err)
		}
		if Unchanged(dest, res.Files) {
			t.Errorf("%s: Unchanged says the destination is as the build left it", name)
		}
	}
}

func TestTwoFilesOfOneName(t *testing.T) {
	w := InMemory()
	if err := w.Put("a/index.html", []byte("one")); err != nil {
		t.Fatal(err)
	}
	err := w.Put("a/index.html", []byte("two"))
	if err == nil || !strings.Contains(err.Error(), "two outputs would be written to a/index.html") {
		t.Errorf("second Put of one name: %v", err)
	}
	res, err := w.Commit()
	if err != nil || len(res.Files) != 1 || string(w.Memory()["a/index.html"]) != "one" {
		t.Errorf("InMemory Commit = %v, %v; memory %q", res, err, w.Memory())
	}
}

func TestKeepAllWritesOverTheLastBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	first := publish(t, dest, nil, map[string]string{"index.html": "home", "a/index.html": "a"})
	w, err := Open(dest, first.Files)
	if err != nil {
		t.Fatal(err)
	}
	w.KeepAll()
	if err := w.Put("a/index.html", []byte("a, edited")); err != nil {
		t.Fatalf("writing over the last build's file: %v", err)
	}
	res, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if !holds(t, dest, map[string]string{"index.html": "home", "a/index.html": "a, edited"}) || !slices.Equal(res.Changed, []string{"a/index.html"}) {
		t.Errorf("the destination is not the last build with one file written over (changed %v)", res.Changed)
	}
}
