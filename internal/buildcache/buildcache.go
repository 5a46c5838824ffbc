// Package buildcache keeps what a build learned, so the next build of the
// same site redoes only what changed. It lives in a folder under the site
// (.serikat/cache by default), is safe to delete at any time, and is never
// needed for a correct build: a missing, damaged or foreign cache is simply
// ignored and rebuilt.
//
// It holds four things, keyed by content hashes:
//
//   - parsed pages, by source file, with the hash of the page's body and the
//     file's size and modification time. Like git's index, a file whose size
//     and time are unchanged is taken to have unchanged content and is not
//     read again; a file changed within a few seconds of the last save, when
//     a time could be ambiguous, is always read;
//   - rendered Markdown, by the hash of the Markdown and the renderer's
//     settings, with the links it resolved so a reuse can be checked, and
//     the page's search terms; with the hash of every page's and file's
//     address that those links were last checked against (LinkSpace), so
//     that while no address changes the checks can be skipped;
//   - for every output file, the hash of its bytes and the dependencies its
//     template read (which pages' metadata or content, which lists), each with
//     the hash it had; the output is reused when every dependency still has
//     that hash;
//   - what was last written to the destination (sizes and modification
//     times), so a rebuild can write only changed files when the destination
//     is still as the last build left it.
//
// Rendered HTML is stored in an append-only pack file and read back on
// demand, so a large site's pages need not all sit in memory. The pack is
// rewritten without dead entries when they outgrow the live ones.
package buildcache

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/serikat-id/serikat/internal/content"
)

// formatVersion changes whenever the layout of the files changes.
const formatVersion = 11

// RacyWindow is how close to the last save a file's modification time may
// be before its size and time no longer vouch for its content.
const RacyWindow = 2 * time.Second

// Hash is a content hash.
type Hash [32]byte

// Short is a shortened hash for dependency values.
type Short [16]byte

// Blob is a stretch of the pack file, with its CRC-32 so that bytes lost
// in a crash are noticed rather than published.
type Blob struct {
	Off, Len int64
	CRC      uint32
}

// ErrDamaged reports a blob whose bytes do not match what was stored.
var ErrDamaged = errors.New("build cache: damaged entry")

// Link is one link or image that a Markdown render resolved.
type Link struct {
	Dest  string
	Image bool
	URL   string // what it resolved to
}

// Anchor is a link to a heading of another page, checked after rendering.
type Anchor struct {
	Target string // the target page's source file
	ID     string
	Line   int
}

// Heading is a heading of a rendered page.
type Heading struct {
	Level    int
	ID, Text string
}

// Markdown is one rendered page body.
type Markdown struct {
	HTML, TOC Blob
	// Terms are the page's search terms (package search), when the site
	// has a search index
	Terms     Blob
	Summary   string
	WordCount int
	Headings  []Heading
	Links     []Link
	Anchors   []Anchor
	Sum       Short // hash of HTML, TOC and summary: the "content" dependency value
	// SummarySum is the hash of Summary alone, what lists show of the
	// page: kept so that a warm build need not hash every summary again
	SummarySum Short
}

// packed is how many bytes of the pack m uses.
func (m *Markdown) packed() int64 { return m.HTML.Len + m.TOC.Len + m.Terms.Len }

// PageRecord is a parsed page and what identifies its file.
type PageRecord struct {
	Size, MTime int64 // of the file when it was parsed
	BodyHash    Hash  // of the Markdown body
	Page        *content.Page
}

// DepKind says what kind of thing an output depended on.
type DepKind uint8

// The kinds of dependency. What each names is in DepKey's fields.
const (
	DepMeta       DepKind = iota + 1 // a page's front matter and path (Page)
	DepContent                       // a page's rendered text (Page)
	DepSummary                       // a page's summary (Page)
	DepList                          // the pages a list page lists (Page)
	DepNeighbours                    // a page's previous and next pages (Page)
	DepImage                         // a photo a page shows (Page, Name: the photo as written)
	DepCard                          // a page's share card, which the output shows (Page)
	DepShortLink                     // a campaign's short links, which the output shows (Page)
	DepLayout                        // which template the lookup chose (Lookup)
	DepTemplate                      // a template file and what it runs (Name: the file)
	DepSitePages                     // the site's list of regular pages
	DepTags                          // the site's tags
	DepGenerated                     // what a file no template renders shows (a feed, a card)
	DepFragment                      // a template fragment every page shares (Name: its id; see Cache.Fragment)
)

// Lookup is what choosing a page's template depends on.
type Lookup struct{ Kind, Type, Layout string }

// DepKey names one thing an output depended on.
type DepKey struct {
	Kind   DepKind
	Page   string // the page's URL
	Name   string
	Lookup Lookup
}

// Dep is one thing an output depended on, with its value at render time.
type Dep struct {
	DepKey
	Value Short
}

// Output is one output file.
type Output struct {
	Sum  Hash
	Deps []Dep
}

// Written is a file as the last build left it in the destination.
type Written struct {
	Sum   Hash
	Size  int64
	MTime int64 // UnixNano
}

type index struct {
	BaseID  int64 // identifies the full index file a journal belongs to
	SavedAt int64 // UnixNano
	Global  Hash
	// LinkSpace is the hash of every page's and file's URL that the
	// cached renders' links were last checked against
	LinkSpace Hash
	Markdown  map[Hash]*Markdown
	Outputs   map[string]*Output
	// Fragments are the template fragments outputs share (DepFragment),
	// by id, each with what it read; Sum is unused
	Fragments map[string]*Output
	Pages     map[string]PageRecord
	PackLen   int64
	LiveLen   int64
}

// destIndex is kept in a file of its own because it is only known once the
// destination is written, while the rest can be saved meanwhile.
type destIndex struct {
	Dest    string
	Written map[string]Written
}

// Cache is an open cache. Its methods are safe for concurrent use.
type Cache struct {
	dir  string
	mu   sync.Mutex
	idx  index
	dest destIndex
	pack *os.File
	end  int64
	// pending holds appended bytes not yet written to the pack, starting at
	// offset end-len(pending): one write per few megabytes instead of two
	// per page, with memory that stays small on large sites.
	pending []byte
	// usedMarkdown marks entries touched by this build; others are dropped on save.
	usedMarkdown map[Hash]bool
	// indexSize is the size of the full index file, to size the next one
	// and to decide when the journal has grown enough to rewrite it.
	indexSize   int
	journalSize int
	// saved is what the files on disk hold, to find what a save must add.
	saved savedState
	// loaded is closed once the whole index is decoded. Open returns as
	// soon as the page records are (Page and Record need nothing else): a
	// build looks at its content files meanwhile, and the Markdown and
	// output records, which it needs only later, are decoded alongside.
	// Every other method waits for it.
	loaded chan struct{}
}

// wait waits until the whole index is decoded.
func (c *Cache) wait() {
	if c.loaded != nil {
		<-c.loaded
	}
}

// Open opens or creates the cache in dir. dir "" gives a cache that lives in
// a temporary file and is forgotten on Close.
func Open(dir string) (*Cache, error) {
	c := &Cache{dir: dir, usedMarkdown: map[Hash]bool{}}
	c.reset()
	if dir == "" {
		f, err := os.CreateTemp("", "serikat-pack-")
		if err != nil {
			return nil, fmt.Errorf("build cache: %w", err)
		}
		os.Remove(f.Name())
		c.pack = f
		return c, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build cache: %w", err)
	}
	rest, err := c.load()
	if err != nil {
		c.reset()
	}
	f, err := os.OpenFile(filepath.Join(dir, "pack"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("build cache: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("build cache: %w", err)
	}
	if info.Size() < c.idx.PackLen {
		// the pack lost data the index points at: start over
		c.reset()
		rest = nil
	}
	c.end = c.idx.PackLen
	if err := f.Truncate(c.end); err != nil {
		f.Close()
		return nil, fmt.Errorf("build cache: %w", err)
	}
	c.pack = f
	if rest != nil {
		c.loaded = make(chan struct{})
		go func() {
			defer close(c.loaded)
			c.loadRest(rest)
		}()
	}
	return c, nil
}

func (c *Cache) reset() {
	c.idx = index{Markdown: map[Hash]*Markdown{}, Outputs: map[string]*Output{}, Fragments: map[string]*Output{}, Pages: map[string]PageRecord{}}
	c.dest = destIndex{Written: map[string]Written{}}
	c.saved = snapshot(&c.idx)
	c.indexSize, c.journalSize = 0, 0
}

// load reads the index's header and page records, with the journal's
// changes to them, and returns what loadRest needs for the rest.
func (c *Cache) load() (*pendingIndex, error) {
	data, err := readFile(filepath.Join(c.dir, "index"))
	if err != nil {
		return nil, err
	}
	idx, rest, err := decodePages(data)
	if err != nil {
		return nil, err
	}
	c.indexSize = len(data)
	if journal, err := os.ReadFile(filepath.Join(c.dir, "journal")); err == nil {
		_, intact := applyJournal(idx, journal, true)
		c.journalSize = intact // the next records go after the last intact one
		rest.journal = journal[:intact]
	}
	c.idx.BaseID, c.idx.SavedAt, c.idx.Global, c.idx.LinkSpace = idx.BaseID, idx.SavedAt, idx.Global, idx.LinkSpace
	c.idx.PackLen, c.idx.LiveLen, c.idx.Pages = idx.PackLen, idx.LiveLen, idx.Pages
	c.saved = snapshot(&c.idx)
	return rest, nil
}

// loadRest decodes the Markdown and output records, applies the journal's
// changes to them and reads the destination's record. A damaged record
// drops them all, not the page records, each of which was read whole.
func (c *Cache) loadRest(rest *pendingIndex) {
	markdown, outputs, fragments, err := rest.decode()
	if err == nil {
		idx := &index{BaseID: c.idx.BaseID, Markdown: markdown, Outputs: outputs, Fragments: fragments}
		if len(rest.journal) > 0 {
			applyJournal(idx, rest.journal, false)
		}
		c.idx.Markdown, c.idx.Outputs, c.idx.Fragments = idx.Markdown, idx.Outputs, idx.Fragments
	} else {
		// the next save writes the whole index again, and no render is live
		c.indexSize, c.journalSize, c.idx.LiveLen = 0, 0, 0
	}
	c.saved = snapshot(&c.idx)
	// Renders past the pack's end (lost in a crash) are dropped after the
	// snapshot, so that the next save records them as gone: a journal
	// record of one that survived would otherwise bring it back, pointing
	// at whatever the pack holds there by then.
	for k, m := range c.idx.Markdown {
		if m.HTML.Off+m.HTML.Len > c.end || m.TOC.Off+m.TOC.Len > c.end || m.Terms.Off+m.Terms.Len > c.end {
			c.ownMarkdown()
			delete(c.idx.Markdown, k)
		}
	}
	if data, err := readFile(filepath.Join(c.dir, "dest")); err == nil {
		if dest, err := decodeDest(data); err == nil {
			c.dest = *dest
		}
	}
}

// writeFile replaces the file name in dir with data, atomically.
func writeFile(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, name+"-")
	if err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("build cache: %w", err)
	}
	return nil
}

// Page returns the record of a parsed page whose file has the given size
// and modification time, if its content can be trusted to be unchanged.
func (c *Cache) Page(file string, size, mtime int64) (PageRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.idx.Pages[file]
	if !ok || r.Size != size || r.MTime != mtime || mtime >= c.idx.SavedAt-int64(RacyWindow) {
		return PageRecord{}, false
	}
	return r, true
}

// Record returns the stored record of a page, whatever its file's time.
func (c *Cache) Record(file string) (PageRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.idx.Pages[file]
	return r, ok
}

// SetPages replaces the records of parsed pages. The cache keeps pages as
// its own: the caller must not change the map afterwards (the next save
// finds what changed by comparing it with what the last save wrote).
func (c *Cache) SetPages(pages map[string]PageRecord) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idx.Pages = pages
	c.saved.pagesShared = false
}

// SetGlobal records the hash of everything every output depends on
// (templates, settings, assets). When it differs from the last build's,
// every output is treated as changed.
func (c *Cache) SetGlobal(h Hash) (changed bool) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx.Global != h {
		c.idx.Outputs = map[string]*Output{}
		c.idx.Fragments = map[string]*Output{}
		c.idx.Global = h
		return true
	}
	return false
}

// LinkSpace returns the hash of the pages and files that every cached
// render's links resolved against, as last recorded by SetLinkSpace.
func (c *Cache) LinkSpace() Hash {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.idx.LinkSpace
}

// SetLinkSpace records that every render the cache now holds had its links
// resolved, or checked, against the pages and files hashed as h.
func (c *Cache) SetLinkSpace(h Hash) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idx.LinkSpace = h
}

// Markdown returns a cached render by key.
func (c *Cache) Markdown(key Hash) (*Markdown, bool) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.idx.Markdown[key]
	if ok {
		c.usedMarkdown[key] = true
	}
	return m, ok
}

// PutMarkdown stores a render; html, toc and terms go to the pack.
func (c *Cache) PutMarkdown(key Hash, m *Markdown, html, toc, terms []byte) error {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if m.HTML, err = c.appendLocked(html); err != nil {
		return err
	}
	if m.TOC, err = c.appendLocked(toc); err != nil {
		return err
	}
	if m.Terms, err = c.appendLocked(terms); err != nil {
		return err
	}
	if old, ok := c.idx.Markdown[key]; ok {
		c.idx.LiveLen -= old.packed()
	}
	c.ownMarkdown()
	c.idx.Markdown[key] = m
	c.idx.LiveLen += m.packed()
	c.usedMarkdown[key] = true
	return nil
}

func (c *Cache) appendLocked(b []byte) (Blob, error) {
	if len(b) == 0 {
		return Blob{}, nil
	}
	blob := Blob{Off: c.end, Len: int64(len(b)), CRC: crc32.ChecksumIEEE(b)}
	if c.pending == nil {
		c.pending = make([]byte, 0, flushSize+64<<10)
	}
	c.pending = append(c.pending, b...)
	c.end += int64(len(b))
	if len(c.pending) >= flushSize {
		return blob, c.flushLocked()
	}
	return blob, nil
}

const flushSize = 4 << 20

func (c *Cache) flushLocked() error {
	if len(c.pending) == 0 {
		return nil
	}
	if _, err := c.pack.WriteAt(c.pending, c.end-int64(len(c.pending))); err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	c.pending = c.pending[:0]
	return nil
}

// Read returns the bytes of a blob.
func (c *Cache) Read(b Blob) ([]byte, error) {
	c.wait()
	if b.Len == 0 {
		return nil, nil
	}
	c.mu.Lock()
	if b.Off < 0 || b.Len < 0 || b.Off+b.Len > c.end {
		c.mu.Unlock()
		return nil, fmt.Errorf("build cache: entry outside the pack (delete %s and build again)", c.dir)
	}
	buf := make([]byte, b.Len)
	if start := c.end - int64(len(c.pending)); b.Off >= start {
		copy(buf, c.pending[b.Off-start:])
		c.mu.Unlock()
		return buf, nil
	}
	c.mu.Unlock()
	if _, err := c.pack.ReadAt(buf, b.Off); err != nil {
		return nil, fmt.Errorf("build cache: %w", err)
	}
	if crc32.ChecksumIEEE(buf) != b.CRC {
		return nil, ErrDamaged
	}
	return buf, nil
}

// Output returns what the last build recorded for an output file.
func (c *Cache) Output(path string) (*Output, bool) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.idx.Outputs[path]
	return o, ok
}

// Names returns the recorded output files whose path starts with prefix,
// sorted.
func (c *Cache) Names(prefix string) []string {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name := range c.idx.Outputs {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Outputs returns a copy of the record of output files.
func (c *Cache) Outputs() map[string]*Output {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.idx.Outputs)
}

// SetPage replaces the record of one page file.
func (c *Cache) SetPage(file string, r PageRecord) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ownPages()
	c.idx.Pages[file] = r
}

// Fragment returns what a shared template fragment read when it last ran.
func (c *Cache) Fragment(id string) (*Output, bool) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.idx.Fragments[id]
	return f, ok
}

// FragmentIDs lists the shared template fragments recorded.
func (c *Cache) FragmentIDs() []string {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Collect(maps.Keys(c.idx.Fragments))
}

// SetFragments replaces the record of shared template fragments. As with
// SetPages, the map is the cache's from then on.
func (c *Cache) SetFragments(fragments map[string]*Output) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idx.Fragments = fragments
}

// SetOutputs replaces the record of output files. As with SetPages, the
// map is the cache's from then on.
func (c *Cache) SetOutputs(outputs map[string]*Output) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idx.Outputs = outputs
}

// Written returns what the last build left in dest, if the last build wrote
// to dest.
func (c *Cache) Written(dest string) (map[string]Written, bool) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dest.Dest != dest || len(c.dest.Written) == 0 {
		return nil, false
	}
	return c.dest.Written, true
}

// SetWritten records what this build left in dest, in memory only: for a
// destination that does not outlive the process (a preview server's).
func (c *Cache) SetWritten(dest string, w map[string]Written) {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dest = destIndex{Dest: dest, Written: w}
}

// SaveWritten records what this build left in dest.
func (c *Cache) SaveWritten(dest string, w map[string]Written) error {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dest = destIndex{Dest: dest, Written: w}
	if c.dir == "" {
		return nil
	}
	return writeFile(c.dir, "dest", encodeDest(&c.dest))
}

// Save writes the index, dropping Markdown renders this build did not use,
// and compacts the pack when most of it is dead.
func (c *Cache) Save() error {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, m := range c.idx.Markdown {
		if !c.usedMarkdown[k] || k == (Hash{}) {
			c.idx.LiveLen -= m.packed()
			c.ownMarkdown()
			delete(c.idx.Markdown, k)
		}
	}
	if c.dir == "" {
		return nil
	}
	if err := c.flushLocked(); err != nil {
		return err
	}
	if c.end > 64<<10 && c.idx.LiveLen*2 < c.end {
		if err := c.compactLocked(); err != nil {
			return err
		}
		// every render moved: the journal cannot say that, a full index can
		c.idx.BaseID = 0
	}
	c.idx.PackLen = c.end
	// The pack is not synced: the cache is worth a faster build, not an
	// fsync of many megabytes. A crash may leave the index pointing at pack
	// bytes that never reached the disk; Open drops entries past the pack's
	// end and every read checks its CRC-32.
	c.idx.SavedAt = time.Now().UnixNano()
	if err := c.writeIndexLocked(); err != nil {
		return err
	}
	c.saved = snapshot(&c.idx)
	return nil
}

func (c *Cache) compactLocked() error {
	tmp, err := os.CreateTemp(c.dir, "pack-")
	if err != nil {
		return fmt.Errorf("build cache: %w", err)
	}
	var end int64
	move := func(b *Blob) error {
		if b.Len == 0 {
			return nil
		}
		if _, err := io.Copy(io.NewOffsetWriter(tmp, end), io.NewSectionReader(c.pack, b.Off, b.Len)); err != nil {
			return err
		}
		b.Off = end
		end += b.Len
		return nil
	}
	for _, m := range c.idx.Markdown {
		if err := move(&m.HTML); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("build cache: %w", err)
		}
		if err := move(&m.TOC); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("build cache: %w", err)
		}
		if err := move(&m.Terms); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("build cache: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, "pack")); err != nil {
		tmp.Close()
		return fmt.Errorf("build cache: %w", err)
	}
	c.pack.Close()
	c.pack, c.end, c.idx.LiveLen = tmp, end, end
	return nil
}

// Begin starts another build on a cache kept open across builds (a
// preview server's): renders the last build used but this one does not are
// dropped at its Save.
func (c *Cache) Begin() {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.usedMarkdown = map[Hash]bool{}
}

// Close releases the pack file.
func (c *Cache) Close() error {
	c.wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pack.Close()
}
