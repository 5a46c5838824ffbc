package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.Changes:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported")
		return nil
	}
}

func TestWatch(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	os.MkdirAll(filepath.Join(content, "modul"), 0o755)
	os.MkdirAll(filepath.Join(dir, "public"), 0o755)
	page := filepath.Join(content, "modul", "a.md")
	os.WriteFile(page, []byte("a"), 0o644)
	w, err := New([]string{content, filepath.Join(dir, "public"), filepath.Join(dir, "tidak-ada")}, 50*time.Millisecond, "public")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)

	// a burst of writes is one batch
	for i := range 5 {
		os.WriteFile(page, []byte{byte('a' + i)}, 0o644)
	}
	if b := next(t, w); !slices.Equal(b, []string{page}) {
		t.Errorf("burst: %v", b)
	}

	// an editor that saves by renaming a new file over the old one
	tmp := filepath.Join(content, "modul", ".a.md.swp")
	os.WriteFile(tmp, []byte("baru"), 0o644)
	os.Rename(tmp, page)
	if b := next(t, w); !slices.Contains(b, page) {
		t.Errorf("rename save: %v", b)
	}

	// a new folder with a file in it, and a file written into it later
	sub := filepath.Join(content, "kampanye")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "a.md"), []byte("x"), 0o644)
	b := next(t, w)
	if !slices.Contains(b, filepath.Join(sub, "a.md")) && !slices.Contains(b, sub) {
		t.Errorf("new folder: %v", b)
	}
	time.Sleep(100 * time.Millisecond)
	os.WriteFile(filepath.Join(sub, "b.md"), []byte("y"), 0o644)
	if b := next(t, w); !slices.Contains(b, filepath.Join(sub, "b.md")) {
		t.Errorf("a file in the new folder: %v", b)
	}

	// deleting is a change too
	os.Remove(page)
	if b := next(t, w); !slices.Contains(b, page) {
		t.Errorf("delete: %v", b)
	}
}

// When the kernel's event queue overflows (a large checkout while the
// watcher was busy), the watcher says that anything may have changed.
func TestOverflowMeansEverything(t *testing.T) {
	max, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skip("no inotify here")
	}
	var queue int
	fmt.Sscan(string(max), &queue)
	if queue > 100_000 {
		t.Skipf("the inotify queue holds %d events: too many files to write", queue)
	}
	dir := t.TempDir()
	w, err := New([]string{dir}, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	// nothing reads the events yet: the queue fills and overflows
	for i := range queue + 100 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	// a generous wait: on a busy machine draining 16,000 queued events
	// into batches can take a while; the test is that the batch comes
	for deadline := time.After(2 * time.Minute); ; {
		select {
		case b := <-w.Changes:
			if len(b) == 0 && b != nil {
				return // the batch that says: look at everything
			}
		case <-deadline:
			t.Fatal("no batch reported the overflow")
		}
	}
}
