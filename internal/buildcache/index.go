package buildcache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"github.com/serikat-id/serikat/internal/content"
)

// The index is kept as a full file ("index") and a journal of changes since
// it was written ("journal"), like git's split index. A build that changes
// one page appends a few records to the journal instead of rewriting
// megabytes; once the journal grows past a quarter of the full file, the
// full file is rewritten and the journal removed. Each journal record is
// framed with its length and a CRC-32, so a record cut short by a crash is
// ignored along with anything after it.

const (
	indexMagic   = "serikat build cache index\n"
	journalMagic = "serikat build cache journal\n"
	destMagic    = "serikat build cache dest\n"
)

// Journal record kinds.
const (
	opHeader byte = iota + 1
	opMarkdown
	opMarkdownGone
	opOutput
	opOutputGone
	opPage
	opPageGone
	opFragment
	opFragmentGone
)

// savedState is what is on disk, by identity: an entry whose pointer is
// unchanged since the last load or save need not be written again.
//
// It holds the index's own maps, not copies: copying a large site's maps
// after every load and save cost more than the rest of opening. The index
// replaces a map rather than change it (Set*), except for Markdown renders
// and single pages, which it copies first (ownMarkdown, ownPages).
type savedState struct {
	markdown  map[Hash]*Markdown
	outputs   map[string]*Output
	fragments map[string]*Output
	pages     map[string]PageRecord
	// markdownShared and pagesShared: the index still uses these maps
	markdownShared, pagesShared bool
}

func snapshot(idx *index) savedState {
	return savedState{markdown: idx.Markdown, outputs: idx.Outputs, fragments: idx.Fragments, pages: idx.Pages,
		markdownShared: true, pagesShared: true}
}

// ownMarkdown makes the index's map of renders its own before it changes.
func (c *Cache) ownMarkdown() {
	if c.saved.markdownShared {
		c.idx.Markdown = maps.Clone(c.idx.Markdown)
		c.saved.markdownShared = false
	}
}

// ownPages makes the index's map of pages its own before it changes.
func (c *Cache) ownPages() {
	if c.saved.pagesShared {
		c.idx.Pages = maps.Clone(c.idx.Pages)
		c.saved.pagesShared = false
	}
}

// writeIndexLocked saves the index as journal records when that is small,
// or as a new full file.
func (c *Cache) writeIndexLocked() error {
	if c.idx.BaseID != 0 && c.indexSize > 0 {
		records := c.journalRecords()
		if c.journalSize+len(records) < c.indexSize/4 {
			if err := c.appendJournal(records); err == nil {
				return nil
			}
		}
	}
	c.idx.BaseID = c.idx.SavedAt
	data, err := encodeIndex(&c.idx, c.indexSize+c.indexSize/8)
	if err != nil {
		return err
	}
	if err := writeFile(c.dir, "index", data); err != nil {
		return err
	}
	c.indexSize, c.journalSize = len(data), 0
	if err := os.Remove(filepath.Join(c.dir, "journal")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// journalRecords encodes what changed since the files were written.
func (c *Cache) journalRecords() []byte {
	var out []byte
	frame := func(e *encoder) {
		out = binary.AppendUvarint(out, uint64(len(e.b)))
		out = append(out, e.b...)
		out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(e.b))
	}
	rec := func(op byte) *encoder { return &encoder{b: []byte{op}} }

	for k, m := range c.idx.Markdown {
		if c.saved.markdown[k] != m {
			e := rec(opMarkdown)
			encodeMarkdown(e, k, m)
			frame(e)
		}
	}
	for k := range c.saved.markdown {
		if _, ok := c.idx.Markdown[k]; !ok {
			e := rec(opMarkdownGone)
			e.raw(k[:])
			frame(e)
		}
	}
	// outputs and the fragments they share are recorded alike
	for _, m := range []struct {
		now, saved map[string]*Output
		put, gone  byte
	}{{c.idx.Outputs, c.saved.outputs, opOutput, opOutputGone}, {c.idx.Fragments, c.saved.fragments, opFragment, opFragmentGone}} {
		for name, o := range m.now {
			if m.saved[name] != o {
				e := rec(m.put)
				encodeOutput(e, name, o)
				frame(e)
			}
		}
		for name := range m.saved {
			if _, ok := m.now[name]; !ok {
				e := rec(m.gone)
				e.str(name)
				frame(e)
			}
		}
	}
	for file, r := range c.idx.Pages {
		if c.saved.pages[file].Page != r.Page {
			e := rec(opPage)
			if err := encodePageRecord(e, file, r); err != nil {
				continue // not stored: the page is parsed again next time
			}
			frame(e)
		}
	}
	for file := range c.saved.pages {
		if _, ok := c.idx.Pages[file]; !ok {
			e := rec(opPageGone)
			e.str(file)
			frame(e)
		}
	}
	// The header goes last: a journal cut short by a crash then keeps the
	// old Global and LinkSpace, which make the next build check more, never
	// less, than the records it lost would have allowed.
	e := rec(opHeader)
	encodeHeader(e, &c.idx)
	frame(e)
	return out
}

func (c *Cache) appendJournal(records []byte) error {
	name := filepath.Join(c.dir, "journal")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	// the records go after the last intact one: a tail a crash cut short
	// is written over, or the records after it would never be read
	if err := f.Truncate(int64(c.journalSize)); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Seek(int64(c.journalSize), io.SeekStart); err != nil {
		f.Close()
		return err
	}
	var head []byte
	if c.journalSize == 0 {
		e := &encoder{}
		e.raw([]byte(journalMagic))
		e.uvarint(formatVersion)
		e.varint(c.idx.BaseID)
		head = e.b
	}
	_, err = f.Write(append(head, records...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	c.journalSize += len(head) + len(records)
	return nil
}

// The journal's records are applied in two passes (see Cache.loaded): the
// header and page records with the page section (pages true), the rest
// with theirs (pages false).
func pageOp(op byte) bool { return op == opHeader || op == opPage || op == opPageGone }

// applyJournal applies the journal's intact records of one pass to idx. It
// returns the journal's size, or 0 when it does not belong to idx, and
// where its intact records end. A record cut short by a crash, or one that
// cannot be read, ends the journal for every kind: each record is read
// whatever its kind, and the other pass is handed data[:intact].
func applyJournal(idx *index, data []byte, pages bool) (size, intact int) {
	d := newDecoder(data)
	if checkMagic(d, journalMagic) != nil || d.varint() != idx.BaseID || d.err != nil {
		return 0, 0
	}
	for len(d.b) > 0 {
		frame := len(data) - len(d.b)
		n := d.count()
		payload := d.rawN(n)
		sum := d.rawN(4)
		if d.err != nil || len(sum) != 4 || binary.LittleEndian.Uint32(sum) != crc32.ChecksumIEEE(payload) {
			return len(data), frame
		}
		start := len(data) - len(d.b) - 4 - n
		r := &decoder{b: payload, s: d.s[start : start+n]}
		op := r.rawN(1)
		if len(op) == 0 {
			return len(data), frame
		}
		var apply func()
		switch op[0] {
		case opHeader:
			var h index
			decodeHeader(r, &h)
			apply = func() {
				idx.SavedAt, idx.Global, idx.LinkSpace, idx.PackLen, idx.LiveLen = h.SavedAt, h.Global, h.LinkSpace, h.PackLen, h.LiveLen
			}
		case opMarkdown:
			k, m := decodeMarkdown(r, &Markdown{})
			apply = func() { idx.Markdown[k] = m }
		case opMarkdownGone:
			var k Hash
			r.hash(k[:])
			apply = func() { delete(idx.Markdown, k) }
		case opOutput:
			name, o := decodeOutput(r, &Output{})
			apply = func() { idx.Outputs[name] = o }
		case opOutputGone:
			name := r.str()
			apply = func() { delete(idx.Outputs, name) }
		case opFragment:
			id, f := decodeOutput(r, &Output{})
			apply = func() { idx.Fragments[id] = f }
		case opFragmentGone:
			id := r.str()
			apply = func() { delete(idx.Fragments, id) }
		case opPage:
			file, rec := decodePageRecord(r, &content.Page{})
			apply = func() { idx.Pages[file] = rec }
		case opPageGone:
			file := r.str()
			apply = func() { delete(idx.Pages, file) }
		}
		if r.err != nil {
			return len(data), frame
		}
		if apply != nil && pageOp(op[0]) == pages {
			apply()
		}
	}
	return len(data), len(data)
}

func encodeHeader(e *encoder, idx *index) {
	e.varint(idx.SavedAt)
	e.raw(idx.Global[:])
	e.raw(idx.LinkSpace[:])
	e.varint(idx.PackLen)
	e.varint(idx.LiveLen)
}

func decodeHeader(d *decoder, idx *index) {
	idx.SavedAt = d.varint()
	d.hash(idx.Global[:])
	d.hash(idx.LinkSpace[:])
	idx.PackLen = d.varint()
	idx.LiveLen = d.varint()
}

func encodeMarkdown(e *encoder, key Hash, m *Markdown) {
	e.raw(key[:])
	e.varint(m.HTML.Off)
	e.varint(m.HTML.Len)
	e.uvarint(uint64(m.HTML.CRC))
	e.varint(m.TOC.Off)
	e.varint(m.TOC.Len)
	e.uvarint(uint64(m.TOC.CRC))
	e.varint(m.Terms.Off)
	e.varint(m.Terms.Len)
	e.uvarint(uint64(m.Terms.CRC))
	e.str(m.Summary)
	e.int(m.WordCount)
	e.uvarint(uint64(len(m.Headings)))
	for _, h := range m.Headings {
		e.int(h.Level)
		e.str(h.ID)
		e.str(h.Text)
	}
	e.uvarint(uint64(len(m.Links)))
	for _, l := range m.Links {
		e.str(l.Dest)
		e.bool(l.Image)
		e.str(l.URL)
	}
	e.uvarint(uint64(len(m.Anchors)))
	for _, a := range m.Anchors {
		e.str(a.Target)
		e.str(a.ID)
		e.int(a.Line)
	}
	e.raw(m.Sum[:])
	e.raw(m.SummarySum[:])
}

func decodeMarkdown(d *decoder, m *Markdown) (Hash, *Markdown) {
	var key Hash
	d.hash(key[:])
	m.HTML = Blob{d.varint(), d.varint(), uint32(d.uvarint())}
	m.TOC = Blob{d.varint(), d.varint(), uint32(d.uvarint())}
	m.Terms = Blob{d.varint(), d.varint(), uint32(d.uvarint())}
	m.Summary = d.str()
	m.WordCount = d.int()
	if k := d.count(); k > 0 {
		m.Headings = make([]Heading, k)
		for i := range m.Headings {
			m.Headings[i] = Heading{Level: d.int(), ID: d.str(), Text: d.str()}
		}
	}
	if k := d.count(); k > 0 {
		m.Links = make([]Link, k)
		for i := range m.Links {
			m.Links[i] = Link{Dest: d.str(), Image: d.bool(), URL: d.str()}
		}
	}
	if k := d.count(); k > 0 {
		m.Anchors = make([]Anchor, k)
		for i := range m.Anchors {
			m.Anchors[i] = Anchor{Target: d.str(), ID: d.str(), Line: d.int()}
		}
	}
	d.hash(m.Sum[:])
	d.hash(m.SummarySum[:])
	return key, m
}

func encodeOutput(e *encoder, name string, o *Output) {
	e.str(name)
	e.raw(o.Sum[:])
	e.uvarint(uint64(len(o.Deps)))
	for _, dep := range o.Deps {
		e.uvarint(uint64(dep.Kind))
		e.str(dep.Page)
		e.str(dep.Name)
		e.str(dep.Lookup.Kind)
		e.str(dep.Lookup.Type)
		e.str(dep.Lookup.Layout)
		e.raw(dep.Value[:])
	}
}

func decodeOutput(d *decoder, o *Output) (string, *Output) {
	name := d.str()
	d.hash(o.Sum[:])
	if k := d.count(); k > 0 {
		o.Deps = make([]Dep, k)
		for i := range o.Deps {
			dep := &o.Deps[i]
			dep.Kind = DepKind(d.uvarint())
			dep.Page, dep.Name = d.str(), d.str()
			dep.Lookup = Lookup{Kind: d.str(), Type: d.str(), Layout: d.str()}
			d.hash(dep.Value[:])
		}
	}
	return name, o
}

func encodePageRecord(e *encoder, file string, r PageRecord) error {
	mark := len(e.b)
	e.str(file)
	e.varint(r.Size)
	e.varint(r.MTime)
	e.raw(r.BodyHash[:])
	if err := encodePage(e, r.Page); err != nil {
		e.b = e.b[:mark]
		return err
	}
	return nil
}

func decodePageRecord(d *decoder, p *content.Page) (string, PageRecord) {
	file := d.str()
	r := PageRecord{Size: d.varint(), MTime: d.varint(), Page: p}
	d.hash(r.BodyHash[:])
	decodePage(d, p)
	return file, r
}

// putFixedUvarint writes u as a uvarint that fills all of dst, padding with
// continuation bytes, so a length can be written after what it measures.
func putFixedUvarint(dst []byte, u uint64) {
	for i := range dst {
		b := byte(u & 0x7f)
		u >>= 7
		if i < len(dst)-1 {
			b |= 0x80
		}
		dst[i] = b
	}
}

// encodeIndex encodes idx into a buffer of sizeHint bytes to start with:
// growing a buffer of many megabytes by doubling costs more than encoding.
func encodeIndex(idx *index, sizeHint int) ([]byte, error) {
	e := &encoder{b: make([]byte, 0, max(sizeHint, 1<<20))}
	e.raw([]byte(indexMagic))
	e.uvarint(formatVersion)
	e.varint(idx.BaseID)
	encodeHeader(e, idx)
	if sizeHint == 0 {
		// a first save: guess from what a typical page takes
		sizeHint = 1500*len(idx.Markdown) + 400*len(idx.Outputs) + 500*len(idx.Pages)
		e.b = make([]byte, 0, sizeHint)
		e.raw([]byte(indexMagic))
		e.uvarint(formatVersion)
		e.varint(idx.BaseID)
		encodeHeader(e, idx)
	}
	// Three sections, each behind its length, so they can be read in
	// parallel. The length is a fixed-size varint patched in afterwards, so
	// the section is encoded in place rather than copied.
	section := func(write func(e *encoder)) {
		at := len(e.b)
		e.raw(make([]byte, binary.MaxVarintLen64))
		write(e)
		n := uint64(len(e.b) - at - binary.MaxVarintLen64)
		putFixedUvarint(e.b[at:at+binary.MaxVarintLen64], n)
	}
	section(func(e *encoder) {
		e.uvarint(uint64(len(idx.Markdown)))
		for key, m := range idx.Markdown {
			encodeMarkdown(e, key, m)
		}
	})
	section(func(e *encoder) {
		e.uvarint(uint64(len(idx.Outputs)))
		for name, o := range idx.Outputs {
			encodeOutput(e, name, o)
		}
		e.uvarint(uint64(len(idx.Fragments)))
		for id, f := range idx.Fragments {
			encodeOutput(e, id, f)
		}
	})
	section(func(e *encoder) {
		// pages that cannot be stored are left out, and parsed again next time
		at := len(e.b)
		e.raw(make([]byte, binary.MaxVarintLen64))
		n := 0
		for file, r := range idx.Pages {
			if encodePageRecord(e, file, r) == nil {
				n++
			}
		}
		putFixedUvarint(e.b[at:at+binary.MaxVarintLen64], uint64(n))
	})
	return e.b, nil
}

func encodePage(e *encoder, p *content.Page) error {
	e.str(string(p.Kind))
	e.str(p.File)
	e.str(p.Dir)
	e.str(p.URL)
	e.str(p.Title)
	e.str(p.Description)
	e.str(p.Summary)
	e.time(p.Date)
	e.time(p.Lastmod)
	e.bool(p.Draft)
	e.int(p.Weight)
	e.str(p.Slug)
	e.strs(p.Aliases)
	e.strs(p.Tags)
	e.str(p.Type)
	e.str(p.Layout)
	if err := e.value(p.Params); err != nil {
		return err
	}
	e.uvarint(uint64(len(p.KeyLines)))
	for _, kl := range p.KeyLines {
		e.str(kl.Key)
		e.int(kl.Line)
	}
	e.int(p.BodyLine)
	e.raw(p.MetaHash[:])
	return nil
}

func decodePage(d *decoder, p *content.Page) {
	p.Kind = content.Kind(d.str())
	p.File = d.str()
	p.Dir = d.str()
	p.URL = d.str()
	p.Title = d.str()
	p.Description = d.str()
	p.Summary = d.str()
	p.Date = d.time()
	p.Lastmod = d.time()
	p.Draft = d.bool()
	p.Weight = d.int()
	p.Slug = d.str()
	p.Aliases = d.strs()
	p.Tags = d.strs()
	p.Type = d.str()
	p.Layout = d.str()
	p.Params, _ = d.value(0).(map[string]any)
	if len(p.Params) == 0 {
		p.Params = nil // most pages have none: ten thousand empty maps are not free
	}
	if n := d.count(); n > 0 {
		p.KeyLines = make([]content.KeyLine, n)
		for i := range p.KeyLines {
			p.KeyLines[i] = content.KeyLine{Key: d.str(), Line: d.int()}
		}
	}
	p.BodyLine = d.int()
	d.hash(p.MetaHash[:])
}

func checkMagic(d *decoder, magic string) error {
	if !bytes.HasPrefix(d.b, []byte(magic)) {
		return errCorrupt
	}
	d.b = d.b[len(magic):]
	if d.uvarint() != formatVersion {
		return errors.New("build cache: written by another version")
	}
	return d.err
}

// pendingIndex is the part of an index file decoded after the page
// records: its Markdown and output sections, and the journal.
type pendingIndex struct {
	markdown, outputs *decoder
	journal           []byte
}

// decodePages decodes an index file's header and page records, and splits
// off the rest for pendingIndex.decode.
func decodePages(data []byte) (*index, *pendingIndex, error) {
	d := newDecoder(data)
	if err := checkMagic(d, indexMagic); err != nil {
		return nil, nil, err
	}
	idx := &index{BaseID: d.varint()}
	decodeHeader(d, idx)
	var sections [3]*decoder
	for i := range sections {
		n := d.count()
		start := len(d.s) - len(d.b)
		if d.rawN(n) == nil && n > 0 {
			return nil, nil, errCorrupt
		}
		sections[i] = &decoder{b: data[start : start+n], s: d.s[start : start+n]}
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, nil, errCorrupt
	}
	p := sections[2]
	n := p.count()
	idx.Pages = make(map[string]PageRecord, n)
	pages := make([]content.Page, n)
	for i := range n {
		file, r := decodePageRecord(p, &pages[i])
		idx.Pages[file] = r
	}
	if p.err != nil || len(p.b) != 0 {
		return nil, nil, errCorrupt
	}
	return idx, &pendingIndex{markdown: sections[0], outputs: sections[1]}, nil
}

// decode decodes the Markdown and output sections, side by side.
func (r *pendingIndex) decode() (markdown map[Hash]*Markdown, outputs, fragments map[string]*Output, err error) {
	var wg sync.WaitGroup
	wg.Go(func() {
		d := r.markdown
		n := d.count()
		markdown = make(map[Hash]*Markdown, n)
		renders := make([]Markdown, n) // one allocation, not one per page
		for i := range n {
			k, m := decodeMarkdown(d, &renders[i])
			markdown[k] = m
		}
	})
	wg.Go(func() {
		d := r.outputs
		n := d.count()
		outputs = make(map[string]*Output, n)
		all := make([]Output, n)
		for i := range n {
			name, o := decodeOutput(d, &all[i])
			outputs[name] = o
		}
		n = d.count()
		fragments = make(map[string]*Output, n)
		for range n {
			id, f := decodeOutput(d, &Output{})
			fragments[id] = f
		}
	})
	wg.Wait()
	for _, d := range []*decoder{r.markdown, r.outputs} {
		if d.err != nil || len(d.b) != 0 {
			return nil, nil, nil, errCorrupt
		}
	}
	return markdown, outputs, fragments, nil
}

// decodeIndex decodes a whole index file.
func decodeIndex(data []byte) (*index, error) {
	idx, rest, err := decodePages(data)
	if err != nil {
		return nil, err
	}
	if idx.Markdown, idx.Outputs, idx.Fragments, err = rest.decode(); err != nil {
		return nil, err
	}
	return idx, nil
}

func encodeDest(dest *destIndex) []byte {
	e := &encoder{b: make([]byte, 0, 64*len(dest.Written)+64)}
	e.raw([]byte(destMagic))
	e.uvarint(formatVersion)
	e.str(dest.Dest)
	e.uvarint(uint64(len(dest.Written)))
	for name, w := range dest.Written {
		e.str(name)
		e.raw(w.Sum[:])
		e.varint(w.Size)
		e.varint(w.MTime)
	}
	return e.b
}

func decodeDest(data []byte) (*destIndex, error) {
	d := newDecoder(data)
	if err := checkMagic(d, destMagic); err != nil {
		return nil, err
	}
	dest := &destIndex{Dest: d.str()}
	n := d.count()
	dest.Written = make(map[string]Written, n)
	for range n {
		name := d.str()
		var w Written
		d.hash(w.Sum[:])
		w.Size, w.MTime = d.varint(), d.varint()
		dest.Written[name] = w
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errCorrupt
	}
	return dest, nil
}
