package publish

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

// Writer puts one build's files in a destination folder. Nothing touches
// the destination before Commit.
type Writer struct {
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

	// memory holds every file instead of the disk (InMemory)
	memory map[string][]byte
	// keepAll: the build writes over some of the last build's files and
	// keeps the rest; files starts as prev
	keepAll bool
}

type pending struct {
	name    string
	data    []byte
	release func([]byte) // nil, or called with data once it is written
}

// Open starts a build of dest. prev is what dest holds, as the last build
// left it (see Unchanged); with prev empty the build is fresh. Open creates
// its folder beside dest, so dest's parent must be writable.
func Open(dest string, prev map[string]buildcache.Written) (*Writer, error) {
	// sized for what the last build wrote: a warm build keeps most of it
	w := &Writer{dest: dest, files: make(map[string]buildcache.Written, len(prev)), staged: map[string]string{}}
	w.prev, w.incremental = prev, len(prev) > 0
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("destination %s: %w", dest, err)
	}
	prefix := "." + filepath.Base(dest) + "-build-"
	if w.incremental {
		prefix = "." + filepath.Base(dest) + "-stage-"
	}
	var err error
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

// InMemory returns a Writer that keeps every file in memory (see Memory)
// and writes nothing.
func InMemory() *Writer {
	return &Writer{files: map[string]buildcache.Written{}, staged: map[string]string{}, memory: map[string][]byte{}}
}

// Memory is every file of an InMemory writer by name; nil for one that
// writes to disk.
func (w *Writer) Memory() map[string][]byte { return w.memory }

// Dest is the destination folder.
func (w *Writer) Dest() string { return w.dest }

// Incremental reports whether the build writes only changed files over the
// last build's.
func (w *Writer) Incremental() bool { return w.incremental }

// KeepAll makes an incremental build keep every file of the last build
// that it does not write again, rather than remove it, and lets it write a
// file more than once (a preview's text edit, which writes over a few).
func (w *Writer) KeepAll() {
	w.keepAll = true
	w.files = maps.Clone(w.prev)
}

// Holds reports whether the destination, in an incremental build, holds
// the file name with hash sum from the last build.
func (w *Writer) Holds(name string, sum buildcache.Hash) bool {
	prev, ok := w.prev[name]
	return w.incremental && ok && prev.Sum == sum
}

// Keep records that the file name with hash sum is already in the
// destination and need not be written. It returns false when that is not
// so and the caller must produce the file.
func (w *Writer) Keep(name string, sum buildcache.Hash) bool {
	if !w.Holds(name, sum) {
		return false
	}
	w.mu.Lock()
	w.files[name] = w.prev[name]
	w.mu.Unlock()
	return true
}

// Put writes (fresh) or stages (incremental) the file name, unless Keep
// finds it in the destination already. Two files of one name are an error.
func (w *Writer) Put(name string, data []byte) error {
	return w.PutSum(name, data, sha256.Sum256(data))
}

// PutSum is Put for data whose SHA-256 the caller already has.
func (w *Writer) PutSum(name string, data []byte, sum buildcache.Hash) error {
	return w.PutOwned(name, data, sum, nil)
}

// PutOwned is PutSum handing data over: the caller does not touch data
// again, and the writer calls release with it once written, so that the
// buffer can be reused. release may be nil.
func (w *Writer) PutOwned(name string, data []byte, sum buildcache.Hash, release func([]byte)) error {
	done := func() {
		if release != nil {
			release(data)
		}
	}
	if w.Keep(name, sum) {
		done()
		return nil
	}
	w.mu.Lock()
	_, dup := w.files[name]
	dup = dup && !w.keepAll
	w.files[name] = buildcache.Written{Sum: sum, Size: int64(len(data))}
	w.mu.Unlock()
	if dup {
		done()
		return fmt.Errorf("two outputs would be written to %s: give one of the pages another slug or url", name)
	}
	if w.memory != nil {
		w.mu.Lock()
		w.memory[name] = append([]byte(nil), data...)
		w.mu.Unlock()
		done()
		return nil
	}
	if !w.incremental {
		w.queue <- pending{name, data, release}
		return nil
	}
	defer done()
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

// Files returns every file of the build so far, with its hash.
func (w *Writer) Files() map[string]buildcache.Written {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.files)
}

// drain writes queued files until the queue is closed.
func (w *Writer) drain() {
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
		if p.release != nil {
			p.release(p.data)
		}
	}
}

// finish waits for queued files; it returns the first write error.
func (w *Writer) finish() error {
	if w.queue == nil {
		return nil
	}
	close(w.queue)
	<-w.done
	w.queue = nil
	return w.writeErr
}

// writeOut writes data to path and records its size and time as file name.
func (w *Writer) writeOut(name, path string, data []byte) error {
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

// Unchanged reports whether every file the last build wrote (prev) is
// still in dest with the same size and modification time: whether a build
// may be incremental. It stops at the first file that is not.
func Unchanged(dest string, prev map[string]buildcache.Written) bool {
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

func (w *Writer) record(name, path string) error {
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
func (w *Writer) mkdirAll(dir string) error {
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

// Abort removes everything written; the destination was never touched.
func (w *Writer) Abort() {
	if w.memory != nil {
		return
	}
	_ = w.finish()
	os.RemoveAll(w.dir)
}

// Result is what a committed build left in the destination.
type Result struct {
	Written int                           // files written by this build
	Files   map[string]buildcache.Written // every file the destination holds: the next build's prev
	Changed []string                      // the files written, sorted
}

// Commit makes the build the destination's content: a fresh build's
// folder is swapped in at once (atomically on Linux), an incremental
// build's staged files are renamed into place one by one and the last
// build's files it no longer has are removed. On an error the build's
// folder is removed. An InMemory writer's Result counts its files and
// holds no more.
func (w *Writer) Commit() (Result, error) {
	if w.memory != nil {
		return Result{Files: w.files}, nil
	}
	if err := w.finish(); err != nil {
		w.Abort()
		return Result{}, err
	}
	var err error
	if w.incremental {
		err = w.commitIncremental()
	} else {
		err = w.commitFresh()
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Written: int(w.written.Load()), Files: w.files, Changed: slices.Sorted(slices.Values(w.changed))}, nil
}

func (w *Writer) commitFresh() error {
	if _, err := os.Lstat(w.dest); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(w.dir, w.dest); err != nil {
			w.Abort()
			return fmt.Errorf("destination %s: %w", w.dest, err)
		}
		return nil
	}
	if err := exchange(w.dir, w.dest); err != nil {
		w.Abort()
		return fmt.Errorf("destination %s: %w", w.dest, err)
	}
	// w.dir now holds the previous site
	return os.RemoveAll(w.dir)
}

func (w *Writer) commitIncremental() error {
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
