// Package watch reports changes to a site's sources in batches. It is the
// one place that wraps fsnotify.
//
// A Watcher watches folders recursively, adds folders created later, and
// copes with editors that save by writing a new file and renaming it over
// the old one (the change is reported either way). Changes that come in a
// burst (a "save all", a git checkout) are reported together once the burst
// has been quiet for the debounce interval. Hidden folders and names given
// to Skip (public/, the build cache) are not watched.
//
// When the watcher loses track (the kernel's event queue overflowed during
// a large checkout, or watching failed), it reports an empty batch, which
// means that anything may have changed: the caller looks at everything
// again rather than miss a change.
package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches folder trees.
type Watcher struct {
	fsw      *fsnotify.Watcher
	debounce time.Duration
	skip     []string // folder names not to watch
	// Changes receives each batch of changed paths, sorted, without
	// repeats; an empty batch means anything may have changed.
	Changes chan []string
	// Errors receives problems with watching (not with the changes), each
	// also reported as an empty batch on Changes.
	Errors chan error
}

// New watches the trees at roots (folders, or single files such as
// serikat.toml); a root that does not exist is left out. skip names folders
// (by base name) not to watch anywhere.
func New(roots []string, debounce time.Duration, skip ...string) (*Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{fsw: fsw, debounce: debounce, skip: skip, Changes: make(chan []string, 16), Errors: make(chan error, 16)}
	for _, root := range roots {
		if err := w.addTree(root); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *Watcher) skipped(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." || slices.Contains(w.skip, name)
}

// addTree watches dir and every folder below it.
func (w *Watcher) addTree(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return w.fsw.Add(dir) // a single file, such as serikat.toml
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a folder that vanished meanwhile
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && w.skipped(d.Name()) {
			return filepath.SkipDir
		}
		return w.fsw.Add(p)
	})
}

// Run reports changes until ctx ends, then closes the channels.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.Changes)
	defer w.fsw.Close()
	pending := map[string]bool{}
	lost := false // events were lost: report everything as changed
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.skipped(filepath.Base(ev.Name)) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					// a new folder: watch it, and report what is already in it
					w.addTree(ev.Name)
					filepath.WalkDir(ev.Name, func(p string, d fs.DirEntry, err error) error {
						if err == nil && !d.IsDir() {
							pending[p] = true
						}
						return nil
					})
				}
			}
			pending[ev.Name] = true
			timer.Reset(w.debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.Errors <- err:
			default:
			}
			lost = true
			timer.Reset(w.debounce)
		case <-timer.C:
			batch := make([]string, 0, len(pending))
			for p := range pending {
				batch = append(batch, p)
			}
			slices.Sort(batch)
			clear(pending)
			if lost {
				batch, lost = batch[:0], false
			}
			select {
			case w.Changes <- batch:
			case <-ctx.Done():
				return
			}
		}
	}
}
