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

// until reads batches until one holds any of paths and returns it: on a
// busy machine one step's events may come in two batches, and the one
// before it is not the next step's.
func until(t *testing.T, w *Watcher, paths ...string) []string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case b := <-w.Changes:
			for _, p := range paths {
				if slices.Contains(b, p) {
					return b
				}
			}
		case <-deadline:
			t.Fatalf("no change to %v reported", paths)
			return nil
		}
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
	// a burst of writes is one batch: written before the watcher reads,
	// they wait in the kernel's queue and come as fast as it can take them
	for i := range 5 {
		os.WriteFile(page, []byte{byte('a' + i)}, 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	select {
	case b := <-w.Changes:
		if !slices.Equal(b, []string{page}) {
			t.Errorf("burst: %v", b)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no change reported")
	}

	// an editor that saves by renaming a new file over the old one
	tmp := filepath.Join(content, "modul", ".a.md.swp")
	os.WriteFile(tmp, []byte("baru"), 0o644)
	os.Rename(tmp, page)
	until(t, w, page)

	// a new folder with a file in it, and a file written into it later
	sub := filepath.Join(content, "kampanye")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "a.md"), []byte("x"), 0o644)
	until(t, w, filepath.Join(sub, "a.md"), sub)
	time.Sleep(100 * time.Millisecond) // the new folder is watched by now
	os.WriteFile(filepath.Join(sub, "b.md"), []byte("y"), 0o644)
	until(t, w, filepath.Join(sub, "b.md"))

	// deleting is a change too
	os.Remove(page)
	until(t, w, page)
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
