package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/parallel"
)

// writer puts a build's files in the destination.
//
// Fresh mode writes every file into a new folder beside the destination and
// swaps it in at commit. Incremental mode, used when the destination is
// exactly as the last build left it, stages only files whose bytes changed
// (beside the destination, on the same file system) and renames each into
// place at commit. Nothing touches the destination before commit.
type writer struct {
	b           *builder
	dest        string
	incremental bool
	prev        map[string]buildcache.Written // incremental: what the destination holds
	dir         string                        // fresh: the new folder; incremental: the staging folder

	mu      sync.Mutex
	files   map[string]buildcache.Written // every file of this build
	staged  map[string]string             // incremental: file → staged path
	dirs    sync.Map
	counter atomic.Int64
	written atomic.Int64
	changed []string // files written by this build, under mu

	// Fresh builds hand files to one goroutine: on ext4, creating many
	// folders and files from several goroutines at once is slower than from
	// one (they contend for the same directory locks), and rendering goes on
	// meanwhile.
	queue    chan pending
	done     chan struct{}
	writeErr error

	// memory holds every file instead of the disk (BuildInMemory)
	memory map[string][]byte
	// partial: the build writes over some of the last build's files and
	// keeps the rest (a Session's text edit); files starts as prev
	partial bool
}

type pending struct {
	name string
	data []byte
	// pooled is set when data came from getBytes and can be reused once written.
	pooled bool
}

func (b *builder) newWriter() (*writer, error) {
	dest, err := filepath.Abs(b.opts.Dest)
	if err != nil {
		return nil, err
	}
	w := &writer{b: b, dest: dest, files: map[string]buildcache.Written{}, staged: map[string]string{}}
	if b.opts.inMemory {
		w.memory = map[string][]byte{}
		return w, nil
	}
	if b.session {
		w.prev, w.incremental = b.cache.Written(dest)
	} else if b.destChecked != nil {
		w.prev, w.incremental = b.destChecked()
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("destination %s: %w", dest, err)
	}
	prefix := "." + filepath.Base(dest) + "-build-"
	if w.incremental {
		prefix = "." + filepath.Base(dest) + "-stage-"
	}
	if w.dir, err = os.MkdirTemp(parent, prefix); err != nil {
		return nil, fmt.Errorf("destination %s: cannot create a folder beside it: %w", dest, err)
	}
	if err := os.Chmod(w.dir, 0o755); err != nil {
		return nil, err
	}
	w.dirs.Store(w.dir, true)
	w.dirs.Store(w.dest, true)
	if !w.incremental {
		w.queue, w.done = make(chan pending, 256), make(chan struct{})
		go w.drain()
	}
	return w, nil
}

// drain writes queued files until the queue is closed.
func (w *writer) drain() {
	defer close(w.done)
	for p := range w.queue {
		if w.writeErr != nil {
			continue
		}
		target := filepath.Join(w.dir, filepath.FromSlash(p.name))
		if err := w.mkdirAll(filepath.Dir(target)); err != nil {
			w.writeErr = fmt.Errorf("writing %s: %w", p.name, err)
			continue
		}
		if err := w.writeOut(p.name, target, p.data); err != nil {
			w.writeErr = err
		}
		if p.pooled {
			putBytes(p.data)
		}
	}
}

// finish waits for queued files; it returns the first write error.
func (w *writer) finish() error {
	if w.queue == nil {
		return nil
	}
	close(w.queue)
	<-w.done
	w.queue = nil
	return w.writeErr
}

// writeFile writes data to path and records its size and time as file name.
func (w *writer) writeOut(name, path string, data []byte) error {
	mtime, err := writeFile(path, data)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w.written.Add(1)
	w.mu.Lock()
	w.changed = append(w.changed, name)
	wr := w.files[name]
	wr.Size, wr.MTime = int64(len(data)), mtime
	w.files[name] = wr
	w.mu.Unlock()
	return nil
}

// checkDest starts checking the destination against what the cache says
// the last build wrote there.
func (b *builder) checkDest() {
	b.destChecked = nil
	if b.opts.inMemory || b.session {
		return
	}
	dest, err := filepath.Abs(b.opts.Dest)
	if err != nil {
		return
	}
	done := make(chan map[string]buildcache.Written, 1)
	go func() {
		b.waitCache()
		if b.cache == nil {
			done <- nil
			return
		}
		prev, ok := b.cache.Written(dest)
		if !ok || !destMatches(dest, prev) {
			prev = nil
		}
		done <- prev
	}()
	b.destChecked = sync.OnceValues(func() (map[string]buildcache.Written, bool) {
		prev := <-done
		return prev, prev != nil
	})
}

// destMatches reports whether every file the last build wrote is still there
// with the same size and modification time.
func destMatches(dest string, prev map[string]buildcache.Written) bool {
	names := slices.Collect(maps.Keys(prev))
	ctx, mismatch := context.WithCancel(context.Background()) // the first mismatch settles it
	defer mismatch()
	parallel.For(ctx, runtime.GOMAXPROCS(0), len(names), func(i int) {
		wr := prev[names[i]]
		info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(names[i])))
		if err != nil || !info.Mode().IsRegular() || info.Size() != wr.Size || info.ModTime().UnixNano() != wr.MTime {
			mismatch()
		}
	})
	return ctx.Err() == nil
}

// keep records that the file name with hash sum is already in the
// destination and need not be written. It returns false when that is not so
// and the caller must produce the file.
func (w *writer) keep(name string, sum buildcache.Hash) bool {
	if !w.incremental {
		return false
	}
	prev, ok := w.prev[name]
	if !ok || prev.Sum != sum {
		return false
	}
	w.mu.Lock()
	w.files[name] = prev
	w.mu.Unlock()
	return true
}

// put writes (fresh) or stages (incremental) the file name.
func (w *writer) put(name string, data []byte) error {
	return w.store(name, data, sha256.Sum256(data), false)
}

// putSum is put for data whose hash the caller already has. data must come
// from getBytes; the writer returns it to the pool.
func (w *writer) putSum(name string, data []byte, sum buildcache.Hash) error {
	return w.store(name, data, sum, true)
}

func (w *writer) store(name string, data []byte, sum buildcache.Hash, pooled bool) error {
	release := func() {
		if pooled {
			putBytes(data)
		}
	}
	if w.keep(name, sum) {
		release()
		return nil
	}
	w.mu.Lock()
	_, dup := w.files[name]
	dup = dup && !w.partial
	w.files[name] = buildcache.Written{Sum: sum, Size: int64(len(data))}
	w.mu.Unlock()
	if dup {
		release()
		return fmt.Errorf("two outputs would be written to %s: give one of the pages another slug or url", name)
	}
	if w.memory != nil {
		w.mu.Lock()
		w.memory[name] = append([]byte(nil), data...)
		w.mu.Unlock()
		release()
		return nil
	}
	if !w.incremental {
		w.queue <- pending{name, data, pooled}
		return nil
	}
	defer release()
	target := filepath.Join(w.dir, strconv.FormatInt(w.counter.Add(1), 10))
	if _, err := writeFile(target, data); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w.written.Add(1)
	w.mu.Lock()
	w.staged[name] = target
	w.changed = append(w.changed, name)
	w.mu.Unlock()
	return nil
}

func (w *writer) record(name, path string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	w.mu.Lock()
	wr := w.files[name]
	wr.Size, wr.MTime = info.Size(), info.ModTime().UnixNano()
	w.files[name] = wr
	w.mu.Unlock()
	return nil
}

// mkdirAll is os.MkdirAll that remembers what it made, so each folder
// costs one mkdir and no stat.
func (w *writer) mkdirAll(dir string) error {
	if _, ok := w.dirs.Load(dir); ok {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := w.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	w.dirs.Store(dir, true)
	return nil
}

// abort removes everything written; the destination was never touched.
func (w *writer) abort() {
	if w.memory != nil {
		return
	}
	_ = w.finish()
	os.RemoveAll(w.dir)
}

// commit makes the build the destination's content. It returns how many
// files were written and how many the destination holds.
func (w *writer) commit() (written, files int, err error) {
	if w.memory != nil {
		return 0, len(w.memory), nil
	}
	if err := w.finish(); err != nil {
		w.abort()
		return 0, 0, err
	}
	if w.incremental {
		err = w.commitIncremental()
	} else {
		err = w.commitFresh()
	}
	if err != nil {
		return 0, 0, err
	}
	if w.b.session {
		w.b.cache.SetWritten(w.dest, w.files) // the session's folder goes with it
	} else if err := w.b.cache.SaveWritten(w.dest, w.files); err != nil {
		w.b.warnings.Add(err) // costs the next build speed, not correctness
	}
	return int(w.written.Load()), len(w.files), nil
}

func (w *writer) commitFresh() error {
	if _, err := os.Lstat(w.dest); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(w.dir, w.dest); err != nil {
			w.abort()
			return fmt.Errorf("destination %s: %w", w.dest, err)
		}
		return nil
	}
	if err := exchange(w.dir, w.dest); err != nil {
		w.abort()
		return fmt.Errorf("destination %s: %w", w.dest, err)
	}
	// w.dir now holds the previous site
	return os.RemoveAll(w.dir)
}

func (w *writer) commitIncremental() error {
	names := make([]string, 0, len(w.staged))
	for name := range w.staged {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(w.dest, filepath.FromSlash(name))
		if err := w.mkdirAll(filepath.Dir(target)); err != nil {
			return err
		}
		if err := os.Rename(w.staged[name], target); err != nil {
			return fmt.Errorf("destination %s: %w", w.dest, err)
		}
		if err := w.record(name, target); err != nil {
			return err
		}
	}
	// files of the last build that this build no longer makes
	var stale []string
	for name := range w.prev {
		if _, ok := w.files[name]; !ok {
			stale = append(stale, name)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(stale)))
	for _, name := range stale {
		p := filepath.Join(w.dest, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		// remove folders left empty, up to the destination
		for dir := filepath.Dir(p); dir != w.dest && strings.HasPrefix(dir, w.dest); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
	}
	return os.RemoveAll(w.dir)
}
