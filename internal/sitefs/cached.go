package sitefs

import (
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Cached answers Stat and ReadDir from memory after the first time, for a
// preview server that rebuilds a large site on every save: listing and
// stat-ing ten thousand files costs more than rebuilding the one that
// changed. The server must Forget what its file watcher reports changed;
// Cached never notices changes by itself. File contents are always read
// afresh.
type Cached struct {
	fs.FS // a StatFS and ReadDirFS, such as FS
	mu    sync.Mutex
	stats map[string]statResult
	dirs  map[string]dirResult
}

type statResult struct {
	info fs.FileInfo
	err  error
}

type dirResult struct {
	entries []fs.DirEntry
	err     error
}

// NewCached wraps fsys.
func NewCached(fsys fs.FS) *Cached {
	return &Cached{FS: fsys, stats: map[string]statResult{}, dirs: map[string]dirResult{}}
}

// Stat is fs.Stat, remembered.
func (c *Cached) Stat(name string) (fs.FileInfo, error) {
	c.mu.Lock()
	r, ok := c.stats[name]
	c.mu.Unlock()
	if ok {
		return r.info, r.err
	}
	info, err := fs.Stat(c.FS, name)
	c.mu.Lock()
	c.stats[name] = statResult{info, err}
	c.mu.Unlock()
	return info, err
}

// ReadDir is fs.ReadDir, remembered; its entries' Info is remembered too.
func (c *Cached) ReadDir(name string) ([]fs.DirEntry, error) {
	c.mu.Lock()
	r, ok := c.dirs[name]
	c.mu.Unlock()
	if ok {
		return r.entries, r.err
	}
	entries, err := fs.ReadDir(c.FS, name)
	for i, e := range entries {
		entries[i] = cachedEntry{DirEntry: e, c: c, name: path.Join(name, e.Name())}
	}
	c.mu.Lock()
	c.dirs[name] = dirResult{entries, err}
	c.mu.Unlock()
	return entries, err
}

// ReadFile reads the file (never from memory).
func (c *Cached) ReadFile(name string) ([]byte, error) { return fs.ReadFile(c.FS, name) }

// Forget drops what is remembered of the paths (slash-separated, relative
// to the site) and of everything under them, and the listings of their
// folders, so created and removed files are seen. Forget with no paths
// drops everything.
func (c *Cached) Forget(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(paths) == 0 {
		c.stats, c.dirs = map[string]statResult{}, map[string]dirResult{}
		return
	}
	for _, p := range paths {
		p = path.Clean(p)
		under := func(name string) bool { return name == p || strings.HasPrefix(name, p+"/") || p == "." }
		for name := range c.stats {
			if under(name) {
				delete(c.stats, name)
			}
		}
		for name := range c.dirs {
			if under(name) {
				delete(c.dirs, name)
			}
		}
		for dir := path.Dir(p); ; dir = path.Dir(dir) {
			delete(c.dirs, dir)
			delete(c.stats, dir)
			if dir == "." || dir == "/" {
				break
			}
		}
	}
}

// cachedEntry answers Info through the cache.
type cachedEntry struct {
	fs.DirEntry
	c    *Cached
	name string
}

func (e cachedEntry) Info() (fs.FileInfo, error) { return e.c.Stat(e.name) }
