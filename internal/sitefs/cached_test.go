package sitefs

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCachedSeesOnlyWhatItIsToldChanged(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "modul"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "modul", "a.md"), []byte("a"), 0o644)
	c := NewCached(New(dir))
	names := func() []string {
		var out []string
		fs.WalkDir(c, "content", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return err
		})
		return out
	}
	if got := names(); len(got) != 1 {
		t.Fatalf("names = %v", got)
	}
	c.Stat("content/modul/a.md")
	os.WriteFile(filepath.Join(dir, "content", "modul", "b.md"), []byte("bb"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "modul", "a.md"), []byte("aaa"), 0o644)
	if got := names(); len(got) != 1 {
		t.Errorf("saw a change it was not told of: %v", got)
	}
	if info, _ := c.Stat("content/modul/a.md"); info.Size() != 1 {
		t.Errorf("size %d before Forget, want the remembered 1", info.Size())
	}
	c.Forget("content/modul/b.md", "content/modul/a.md")
	if got := names(); len(got) != 2 {
		t.Errorf("after Forget: %v", got)
	}
	if info, _ := c.Stat("content/modul/a.md"); info.Size() != 3 {
		t.Errorf("size %d after Forget, want 3", info.Size())
	}
	// a folder removed, and everything forgotten
	os.RemoveAll(filepath.Join(dir, "content", "modul"))
	c.Forget()
	if got := names(); len(got) != 0 {
		t.Errorf("after the folder went: %v", got)
	}
	if data, err := c.ReadFile("content/modul/a.md"); err == nil {
		t.Errorf("ReadFile of a removed file: %q", data)
	}
}
