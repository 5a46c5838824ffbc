// Package content reads a site's pages from the content/ folder of an fs.FS
// and arranges them into sections. It knows nothing of HTML: bodies stay
// Markdown, and rendering is the caller's job.
//
// # Files and URLs
//
// Every .md file under content/ is a page. Folders are sections. A section's
// own front matter and text live in its _index.md; content/_index.md is the
// home page's. A folder holding index.md is a page bundle: the page is the
// folder, and every other file in it (photos, PDFs) belongs to the page and
// is published beside it. Other files under content/ are published at the
// same path.
//
// URLs are "pretty": content/modul/02-rekrutmen.md is served at
// /modul/02-rekrutmen/, content/modul/_index.md at /modul/. Path segments are
// lower-cased and spaces become hyphens. Front matter can change the last
// segment (slug) or the whole path (url); neither may leave the site.
//
// # Front matter
//
// YAML between --- lines or TOML between +++ lines. Known keys and their types:
//
//	title        text, required (the home page falls back to the site title)
//	description  text
//	summary      text; without it the summary is the first paragraph
//	date         2024-07-27, 2024-07-27 09:00 or RFC 3339; WIB when no zone is given
//	lastmod      as date; defaults to date
//	draft        true or false
//	weight       whole number; lower comes first, 0 means "not set" and sorts last
//	slug         one URL segment
//	url          a path from the site root, such as /gabung/
//	aliases      list of old paths that redirect here
//	tags         list of tags
//	type         the layout folder to use instead of the section's
//	layout       the layout file to use instead of single/list
//
// Any other key is kept in Params. When the theme declares the keys its
// pages use (package schema, Options.Schema), each is checked against it
// and a key it does not name is a warning. A key of the wrong type, a date
// that does not parse, a slug that leaves the site or a missing title is
// reported at the line of the key, and every such problem in a site is
// reported at once.
//
// # Text from Word and Notepad
//
// A byte order mark is skipped, and non-breaking spaces and curly quotes in
// front matter are read as Word's user meant (see package frontmatter).
// Lines starting with "•", "◦" or "–" and a tab, and lists indented with a
// tab that Markdown would show as code, are warnings (diag.Error.Warning)
// at their first line.
//
// # Order
//
// Pages within a section are ordered by weight, then date (newest first),
// then title; Prev and Next follow that order.
package content

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/frontmatter"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/parallel"
	"github.com/serikat-id/serikat/internal/schema"
	"github.com/serikat-id/serikat/internal/slug"
)

// Dir is the folder of a site that holds its pages.
const Dir = "content"

// MaxPageBytes is the largest Markdown file read. A page larger than this is
// not something a worker can read on a phone; it is nearly always a mistake
// (a pasted export, a binary renamed .md).
const MaxPageBytes = 8 << 20

// WIB is Western Indonesian Time, used for dates written without a zone.
var WIB = schema.WIB

// Kind says what a page is.
type Kind string

const (
	KindHome     Kind = "home"
	KindSection  Kind = "section"
	KindPage     Kind = "page"
	KindTaxonomy Kind = "taxonomy" // the list of all tags
	KindTerm     Kind = "term"     // the list of pages with one tag
)

// Page is one page of the site, from a file or made up (home, sections
// without _index.md, tag pages).
type Page struct {
	Kind Kind
	// File is the source path from the site root ("content/modul/01-dasar.md"),
	// empty for pages made up by the loader.
	File string
	// Dir is the section folder relative to content/ ("modul"; "" for the home).
	Dir string
	// URL is the page's path from the site root, such as "/modul/01-dasar/".
	URL string

	Title, Description, Summary string
	Date, Lastmod               time.Time
	Draft                       bool
	Weight                      int
	Slug                        string
	Aliases, Tags               []string
	Type, Layout                string
	Params                      map[string]any
	// KeyLines are the front matter keys with their line in File, in order.
	KeyLines []KeyLine
	// Problems are what Parse found wrong in File, warnings included. A
	// page with problems is read again by every build, so that they are
	// reported every time; a cache must not keep it.
	Problems []*diag.Error
	// Refused are the front matter keys whose value the theme's schema
	// refused (Options.Schema), each reported once by Load; their values
	// stay in Params, and whoever reads them should take them as unset.
	Refused []string

	Body     []byte // Markdown; nil for a page reused from a cache until it is read again
	BodyLine int    // line of File where Body starts
	// BodyHash is the SHA-256 of Body.
	BodyHash [32]byte
	// FileSize and FileModTime (UnixNano) are the source file's, when it was read.
	FileSize, FileModTime int64
	// MetaHash identifies the front matter and path alone, so a change to the
	// body can be told from a change to what lists show.
	MetaHash [32]byte

	// Resources are the other files of a page bundle, as paths in the site FS.
	Resources []string

	Parent     *Page   // the section holding this page; nil for the home
	Pages      []*Page // for lists: regular pages and subsections, ordered
	Prev, Next *Page   // neighbours among the regular pages of Parent
}

// IsList reports whether the page lists other pages.
func (p *Page) IsList() bool { return p.Kind != KindPage }

// Section is the top-level section name ("modul"), empty for the home and
// pages directly under content/.
func (p *Page) Section() string {
	if p.Kind == KindTaxonomy || p.Kind == KindTerm {
		return "tags"
	}
	first, _, _ := strings.Cut(p.Dir, "/")
	return first
}

// Line returns the line of a front matter key, or of the front matter's start.
func (p *Page) Line(key string) int {
	if l, ok := p.keyLine(key); ok {
		return l
	}
	return 1
}

// LineOr returns the line of key, or of other when the front matter does
// not have key (a missing key is reported where a reader looks).
func (p *Page) LineOr(key, other string) int {
	if l, ok := p.keyLine(key); ok {
		return l
	}
	return p.Line(other)
}

func (p *Page) keyLine(key string) (int, bool) {
	for _, kl := range p.KeyLines {
		if kl.Key == key {
			return kl.Line, true
		}
	}
	return 0, false
}

// KeyLine is a front matter key and its line.
type KeyLine struct {
	Key  string
	Line int
}

// File is a non-Markdown file to publish.
type File struct {
	Src string // path in the site FS
	URL string // path from the site root
}

// Site is everything loaded from content/.
type Site struct {
	Home     *Page
	All      []*Page          // every page of every kind, home first, in a stable order
	Regular  []*Page          // regular pages, ordered as a section would be
	Sections []*Page          // every section page, by URL
	Tags     *Page            // the tag list; nil when no page has tags
	ByFile   map[string]*Page // by source file ("content/modul/01-dasar.md")
	Files    []File           // files to copy
}

// Options control which pages are loaded.
type Options struct {
	Drafts bool      // include drafts
	Future bool      // include pages dated after Now
	Now    time.Time // the build's notion of now
	// SiteTitle is the home page's title when content/_index.md has none.
	SiteTitle string
	// Reuse, when set, is asked for a page already parsed from a file of the
	// given size and modification time; a page it returns is used instead of
	// reading the file, and Load links it into the new site's tree.
	Reuse func(file string, size, modTime int64) *Page
	// Schema, when set, is what the theme says its pages' keys hold; every
	// page is checked against it by every build, reused pages too.
	Schema *schema.Schema
}

// Load reads every page under content/ in fsys. It returns the site even
// when there are problems, together with every problem as *diag.Error.
func Load(fsys fs.FS, opts Options) (*Site, error) {
	l := &loader{fsys: fsys, opts: opts, sections: map[string]*Page{}, byFile: map[string]*Page{}}
	l.walk()
	site := l.assemble()
	if opts.Schema != nil {
		l.checkRefs(site)
	}
	return site, l.problems.Err()
}

type loader struct {
	fsys     fs.FS
	opts     Options
	problems diag.List
	pages    []*Page
	sections map[string]*Page // by Dir
	byFile   map[string]*Page
	files    []File
	bundles  map[string]*Page // bundle folder → page
}

func (l *loader) walk() {
	if _, err := fs.Stat(l.fsys, Dir); errors.Is(err, fs.ErrNotExist) {
		return
	}
	var mdFiles, otherFiles []string
	l.bundles = map[string]*Page{}
	err := fs.WalkDir(l.fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.problems.Add(&diag.Error{Path: p, Msg: "cannot read: " + unwrapPathError(err), Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != Dir && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			// editor backups and hidden files are never published
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		if strings.HasSuffix(name, ".md") {
			mdFiles = append(mdFiles, p)
		} else {
			otherFiles = append(otherFiles, p)
		}
		return nil
	})
	if err != nil {
		l.problems.Add(&diag.Error{Path: Dir, Msg: err.Error(), Err: err})
	}
	for _, p := range mdFiles {
		if path.Base(p) == "index.md" {
			l.bundles[path.Dir(p)] = nil
		}
	}
	// Reading and parsing are independent per file, so they run on every
	// core; the results are then taken in path order so that everything
	// after this is deterministic. Every file is looked at (stat) before
	// any is reused or read: Options.Reuse may have to wait for a build
	// cache still being opened, and the looking can go on meanwhile.
	infos := make([]fs.FileInfo, len(mdFiles))
	results := make([]parsed, len(mdFiles))
	parallel.For(context.Background(), runtime.GOMAXPROCS(0), len(mdFiles), func(i int) {
		file := mdFiles[i]
		if dir, ok := l.bundleOf(file); ok && (path.Base(file) != "index.md" || path.Dir(file) != dir) {
			return // Markdown inside a bundle is a resource of the bundle, not a page
		}
		info, err := fs.Stat(l.fsys, file)
		if err != nil {
			results[i].problems = []error{&diag.Error{Path: file, Msg: "cannot read: " + unwrapPathError(err), Err: err}}
		}
		infos[i] = info
	})
	parallel.For(context.Background(), runtime.GOMAXPROCS(0), len(mdFiles), func(i int) {
		if infos[i] != nil {
			results[i] = l.readPage(mdFiles[i], infos[i])
		}
	})
	for i, r := range results {
		for _, e := range r.problems {
			l.problems.Add(e)
		}
		if r.page != nil {
			l.addPage(mdFiles[i], r.page)
		}
	}
	for _, p := range otherFiles {
		l.addFile(p)
	}
}

// parsed is the outcome of reading one Markdown file.
type parsed struct {
	page     *Page // nil when the file is not a page of its own or is broken
	problems []error
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// bundleOf returns the bundle folder holding p, if any.
func (l *loader) bundleOf(p string) (string, bool) {
	for dir := path.Dir(p); dir != Dir && dir != "."; dir = path.Dir(dir) {
		if _, ok := l.bundles[dir]; ok {
			return dir, true
		}
	}
	return "", false
}

func (l *loader) addFile(p string) {
	if dir, ok := l.bundleOf(p); ok {
		if page := l.bundles[dir]; page != nil {
			page.Resources = append(page.Resources, p)
			rel := strings.TrimPrefix(p, dir+"/")
			l.files = append(l.files, File{Src: p, URL: page.URL + rel})
		}
		return
	}
	l.files = append(l.files, File{Src: p, URL: "/" + urlPath(strings.TrimPrefix(p, Dir+"/"))})
}

// readPage reads and parses one file; it only reads loader state that does
// not change while files are read, so it may run concurrently.
func (l *loader) readPage(file string, info fs.FileInfo) parsed {
	var r parsed
	if l.opts.Reuse != nil {
		r.page = l.opts.Reuse(file, info.Size(), info.ModTime().UnixNano())
	}
	if r.page == nil {
		data, err := readLimited(l.fsys, file, info, MaxPageBytes)
		if err != nil {
			return parsed{problems: []error{err}}
		}
		var problems []*diag.Error
		r.page, problems = Parse(file, data, l.opts)
		for _, e := range problems {
			r.problems = append(r.problems, e)
		}
		if r.page != nil {
			r.page.FileSize, r.page.FileModTime = info.Size(), info.ModTime().UnixNano()
		}
	}
	p := r.page
	if p != nil && l.opts.Schema != nil {
		r.problems = append(r.problems, checkSchema(p, l.opts.Schema)...)
	}
	if p != nil && (p.Draft && !l.opts.Drafts || !l.opts.Future && !p.Date.IsZero() && p.Date.After(l.opts.Now)) {
		r.page = nil
	}
	return r
}

// checkSchema checks p's front matter keys against what the theme says
// they hold, and records the keys it refuses in p.Refused. It reads only
// the page, so it gives the same answer for a page reused from a cache.
func checkSchema(p *Page, s *schema.Schema) []error {
	var problems []error
	p.Refused = nil
	for _, kl := range p.KeyLines {
		pr := s.Check(p.Type, kl.Key, p.Params[kl.Key])
		if pr == nil {
			continue
		}
		e := diag.At(p.File, kl.Line, pr.Text)
		e.Warning = pr.Warning
		if !pr.Warning {
			p.Refused = append(p.Refused, kl.Key)
		}
		problems = append(problems, e)
	}
	return problems
}

// checkRefs checks that the pages front matter keys of the schema's type
// "page" name exist.
func (l *loader) checkRefs(site *Site) {
	var files []string
	for _, p := range site.All {
		for _, kl := range p.KeyLines {
			ref, _ := p.Params[kl.Key].(string)
			if t, _ := l.opts.Schema.TypeOf(p.Type, kl.Key); t != schema.PageRef || ref == "" || slices.Contains(p.Refused, kl.Key) {
				continue
			}
			target := path.Join(Dir, strings.TrimPrefix(strings.TrimSpace(ref), Dir+"/"))
			if _, ok := site.ByFile[target]; ok {
				continue
			}
			if files == nil {
				for f := range site.ByFile {
					files = append(files, strings.TrimPrefix(f, Dir+"/"))
				}
				slices.Sort(files)
			}
			p.Refused = append(p.Refused, kl.Key)
			if near := msg.Nearest(ref, files); near != "" {
				l.problems.Add(diag.New(p.File, kl.Line, msg.PageRefNear, kl.Key, ref, target, near))
			} else {
				l.problems.Add(diag.New(p.File, kl.Line, msg.PageRefMissing, kl.Key, ref, target))
			}
		}
	}
}

// readLimited reads a file that must not be larger than limit bytes.
func readLimited(fsys fs.FS, file string, info fs.FileInfo, limit int64) ([]byte, error) {
	if info.Size() > limit {
		return nil, diag.New(file, 0, msg.PageTooBig, float64(info.Size())/(1<<20), limit>>20)
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, &diag.Error{Path: file, Msg: "cannot read: " + unwrapPathError(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, diag.Errorf(file, 0, "file grew past %d MB while being read", limit>>20)
	}
	return data, nil
}

// addPage files a parsed page in its section or bundle.
func (l *loader) addPage(file string, p *Page) {
	l.byFile[file] = p
	switch path.Base(file) {
	case "_index.md":
		l.sections[p.Dir] = p
	case "index.md":
		l.bundles[path.Dir(file)] = p
		l.pages = append(l.pages, p)
	default:
		l.pages = append(l.pages, p)
	}
}

// Parse reads one page from its source. file is its path from the site
// root, under content/. The page is nil when its front matter cannot be read.
// It does not apply Options.Drafts and Options.Future.
func Parse(file string, data []byte, opts Options) (*Page, []*diag.Error) {
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		return nil, []*diag.Error{diag.New(file, diag.LineAt(data, bad), msg.NotUTF8, data[bad], bad)}
	}
	doc, err := frontmatter.Parse(data)
	if err != nil {
		var fe *frontmatter.Error
		if errors.As(err, &fe) {
			if fe.Text != nil {
				return nil, []*diag.Error{diag.At(file, fe.Line, *fe.Text)}
			}
			return nil, []*diag.Error{diag.New(file, fe.Line, msg.FrontMatter, fe.Msg)}
		}
		return nil, []*diag.Error{diag.New(file, 1, msg.FrontMatter, err.Error())}
	}
	rel := strings.TrimPrefix(file, Dir+"/")
	p := &Page{
		Kind:     KindPage,
		File:     file,
		Params:   map[string]any{},
		Body:     doc.Body,
		BodyLine: doc.BodyLine,
		BodyHash: sha256.Sum256(doc.Body),
		MetaHash: sha256.Sum256(append([]byte(file+"\x00"), data[:len(data)-len(doc.Body)]...)),
	}
	switch base := path.Base(rel); base {
	case "_index.md":
		p.Kind = KindSection
		p.Dir = path.Dir(rel)
		if p.Dir == "." {
			p.Kind, p.Dir = KindHome, ""
		}
	case "index.md":
		p.Dir = path.Dir(path.Dir(rel))
	default:
		p.Dir = path.Dir(rel)
	}
	if p.Dir == "." {
		p.Dir = ""
	}
	d := decoder{page: p, file: file}
	for _, f := range doc.Fields {
		d.field(f)
	}
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	if strings.TrimSpace(p.Title) == "" && !d.bad["title"] {
		if p.Kind == KindHome && opts.SiteTitle != "" {
			p.Title = opts.SiteTitle
		} else if _, ok := p.keyLine("title"); !ok {
			d.problem(max(1, doc.BodyLine-1), msg.NoTitle)
		} else {
			d.problem(p.Line("title"), msg.EmptyTitle)
		}
	}
	if p.Type == "" {
		p.Type = p.Section()
		if p.Type == "" && p.Kind == KindPage {
			p.Type = "page"
		}
	}
	d.setURL(rel)
	d.pastedText(doc.Body, doc.BodyLine)
	p.Problems = d.problems
	return p, d.problems
}

// decoder interprets front matter fields, collecting problems.
type decoder struct {
	page     *Page
	file     string
	problems []*diag.Error
	bad      map[string]bool // keys already reported
}

func (d *decoder) errorf(line int, format string, args ...any) {
	d.problems = append(d.problems, diag.Errorf(d.file, line, format, args...))
}

func (d *decoder) problem(line int, key msg.Key, args ...any) {
	d.problems = append(d.problems, diag.New(d.file, line, key, args...))
}

func (d *decoder) field(f frontmatter.Field) {
	p := d.page
	p.KeyLines = append(p.KeyLines, KeyLine{f.Key, f.Line})
	bad := func(want msg.Key) {
		d.problem(f.Line, msg.FMWrongType, f.Key, msg.New(want), schema.Describe(f.Value))
		if d.bad == nil {
			d.bad = map[string]bool{}
		}
		d.bad[f.Key] = true
	}
	switch f.Key {
	case "title", "description", "summary", "slug", "url", "type", "layout":
		s, ok := f.Value.(string)
		if !ok {
			bad(msg.WordText)
			return
		}
		switch f.Key {
		case "title":
			p.Title = s
		case "description":
			p.Description = s
		case "summary":
			p.Summary = s
		case "slug":
			p.Slug = s
		case "url":
			// checked with the rest of the URL in setURL
			p.Params["url"] = s
		case "type":
			p.Type = s
		case "layout":
			p.Layout = s
		}
	case "date", "lastmod":
		t, err := schema.ParseDate(f.Value)
		if err != nil {
			d.problem(f.Line, msg.FMKey, f.Key, err)
			return
		}
		if f.Key == "date" {
			p.Date = t
		} else {
			p.Lastmod = t
		}
	case "draft":
		b, ok := f.Value.(bool)
		if !ok {
			bad(msg.WordTrueFalse)
			return
		}
		p.Draft = b
	case "weight":
		n, ok := wholeNumber(f.Value)
		if !ok {
			bad(msg.WordWholeNumber)
			return
		}
		p.Weight = n
	case "aliases", "tags":
		list, ok := stringList(f.Value)
		if !ok {
			bad(msg.WordTextList)
			return
		}
		if f.Key == "tags" {
			p.Tags = list
		} else {
			p.Aliases = list
		}
	default:
		p.Params[f.Key] = f.Value
	}
}

func wholeNumber(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case uint64:
		return int(v), v < 1<<62
	case float64:
		return int(v), v == float64(int(v))
	}
	return 0, false
}

func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case nil:
		return nil, true
	}
	return nil, false
}

// setURL works out the page's URL from its path, slug and url.
func (d *decoder) setURL(rel string) {
	p := d.page
	if u, ok := p.Params["url"].(string); ok {
		delete(p.Params, "url")
		clean, err := CleanURL(u)
		if err != nil {
			d.problem(p.Line("url"), msg.FMKey, "url", err)
		} else {
			p.URL = clean
			return
		}
	}
	var dir, last string
	switch p.Kind {
	case KindHome:
		p.URL = "/"
		return
	case KindSection:
		dir, last = path.Split(p.Dir)
	default:
		if path.Base(rel) == "index.md" {
			dir, last = path.Split(path.Dir(rel))
		} else {
			dir, last = path.Split(strings.TrimSuffix(rel, ".md"))
		}
	}
	if p.Slug != "" {
		if err := checkSlug(p.Slug); err != nil {
			d.problem(p.Line("slug"), msg.FMKey, "slug", err)
		} else {
			last = p.Slug
		}
	}
	p.URL = "/" + urlPath(path.Join(dir, last)) + "/"
}

func checkSlug(s string) error {
	switch {
	case s == "." || s == "..":
		return msg.New(msg.SlugLeaves, s)
	case strings.ContainsAny(s, "/\\"):
		return msg.New(msg.SlugSlash, s)
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f || r == '?' || r == '#' }):
		return msg.New(msg.SlugBadChars, s)
	}
	return nil
}

// CleanURL checks a url from front matter and normalizes it to start with
// "/" and, unless it names a file, end with "/".
func CleanURL(u string) (string, error) {
	switch {
	case !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//"):
		return "", msg.New(msg.URLNotRooted, u)
	case strings.ContainsAny(u, "\\?#") || strings.ContainsFunc(u, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return "", msg.New(msg.URLBadChars, u)
	}
	for _, seg := range strings.Split(u, "/") {
		if seg == ".." || seg == "." {
			return "", msg.New(msg.URLLeaves, u, seg)
		}
	}
	clean := path.Clean(u)
	if clean == "/" {
		return "/", nil
	}
	if path.Ext(clean) == "" {
		clean += "/"
	}
	return clean, nil
}

// urlPath lower-cases a content path and turns spaces into hyphens.
func urlPath(p string) string {
	return strings.ReplaceAll(strings.ToLower(p), " ", "-")
}

// assemble builds the section tree, orders pages and checks that URLs are
// unique.
func (l *loader) assemble() *Site {
	site := &Site{ByFile: l.byFile}
	// every folder holding a page is a section, up to the home
	for _, p := range l.pages {
		for dir := p.Dir; ; dir = parentDir(dir) {
			l.section(dir)
			if dir == "" {
				break
			}
		}
	}
	for dir := range l.sections {
		for d := dir; d != ""; {
			d = parentDir(d)
			l.section(d)
		}
	}
	home := l.section("")
	site.Home = home
	// the site's order first: each section then gathers its pages in that
	// order, and sorting them with its subsections finds them nearly sorted
	site.Regular = slices.Clone(l.pages)
	Sort(site.Regular)
	for _, p := range site.Regular {
		p.Parent = l.sections[p.Dir]
		p.Parent.Pages = append(p.Parent.Pages, p)
	}
	for dir, s := range l.sections {
		if dir != "" {
			s.Parent = l.sections[parentDir(dir)]
			s.Parent.Pages = append(s.Parent.Pages, s)
		}
	}
	for _, s := range l.sections {
		Sort(s.Pages)
		var prev *Page
		for _, p := range s.Pages {
			if p.Kind != KindPage {
				continue
			}
			if prev != nil {
				prev.Next, p.Prev = p, prev
			}
			prev = p
		}
		site.Sections = append(site.Sections, s)
	}
	slices.SortFunc(site.Sections, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })

	site.Tags = l.tags(site.Regular)

	site.All = append(site.All, site.Sections...) // home is the first section: its URL is "/"
	site.All = append(site.All, site.Regular...)
	if site.Tags != nil {
		site.All = append(site.All, site.Tags)
		site.All = append(site.All, site.Tags.Pages...)
	}
	l.checkURLs(site)
	slices.SortFunc(l.files, func(a, b File) int { return strings.Compare(a.Src, b.Src) })
	site.Files = l.files
	return site
}

func parentDir(dir string) string {
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		return dir[:i]
	}
	return ""
}

// section returns the section page for dir, making one up when the folder
// has no _index.md.
func (l *loader) section(dir string) *Page {
	if s, ok := l.sections[dir]; ok {
		return s
	}
	s := &Page{Kind: KindSection, Dir: dir, Params: map[string]any{}, URL: "/" + urlPath(dir) + "/"}
	if dir == "" {
		s.Kind, s.URL, s.Title = KindHome, "/", l.opts.SiteTitle
	} else {
		s.Title = humanize(path.Base(dir))
	}
	s.Type = s.Section()
	s.MetaHash = sha256.Sum256([]byte("section\x00" + dir))
	l.sections[dir] = s
	return s
}

// humanize makes a title from a folder name: "studi-kasus" → "Studi kasus".
func humanize(name string) string {
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	r, size := utf8.DecodeRuneInString(name)
	return strings.ToUpper(string(r)) + name[size:]
}

// tags makes the tag list and a page per tag.
func (l *loader) tags(regular []*Page) *Page {
	terms := map[string]*Page{}
	keys := map[string]string{} // a tag's text → its slug; most tags are on many pages
	var order []*Page
	for _, p := range regular {
		for _, tag := range p.Tags {
			key, ok := keys[tag]
			if !ok {
				key = slug.Make(tag)
				keys[tag] = key
			}
			if key == "" {
				continue
			}
			t, ok := terms[key]
			if !ok {
				t = &Page{Kind: KindTerm, Title: tag, Dir: "tags", Type: "tags", URL: "/tags/" + key + "/",
					Params: map[string]any{}, MetaHash: sha256.Sum256([]byte("term\x00" + key))}
				terms[key] = t
				order = append(order, t)
			}
			t.Pages = append(t.Pages, p)
		}
	}
	if len(order) == 0 {
		return nil
	}
	list := &Page{Kind: KindTaxonomy, Title: "Tags", Dir: "tags", Type: "tags", URL: "/tags/",
		Params: map[string]any{}, MetaHash: sha256.Sum256([]byte("taxonomy\x00tags"))}
	for _, t := range order {
		t.Parent = list
		Sort(t.Pages)
	}
	slices.SortFunc(order, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	list.Pages = order
	list.Parent = nil
	return list
}

func (l *loader) checkURLs(site *Site) {
	// Nearly always no two pages claim one address: claims in any order
	// say so. Only when they find a clash or a bad alias are the claims made
	// again in file order, so that the messages are stable.
	clean := true
	claimAll(site.All, func(*Page, string, string, *Page) { clean = false }, func(*Page, error) { clean = false })
	if clean {
		return
	}
	name := func(p *Page) string {
		if p.File != "" {
			return p.File
		}
		return "(" + string(p.Kind) + " " + p.URL + ")"
	}
	byName := slices.Clone(site.All)
	slices.SortFunc(byName, func(a, b *Page) int { return strings.Compare(name(a), name(b)) }) // names are unique
	claimAll(byName, func(p *Page, key, url string, prev *Page) {
		l.problems.Add(diag.New(name(p), p.Line(key), msg.URLTaken, url, name(prev)))
	}, func(p *Page, err error) {
		l.problems.Add(diag.New(p.File, p.Line("aliases"), msg.FMKey, "aliases", err))
	})
}

// claimAll claims every page's address, then every page's aliases, in the
// order of pages. taken is told of each claim on an address another page
// claimed first (key says which front matter key made it), bad of each
// alias that is not an address.
func claimAll(pages []*Page, taken func(p *Page, key, url string, prev *Page), bad func(p *Page, err error)) {
	owner := make(map[string]*Page, len(pages))
	claim := func(p *Page, key, url string) {
		if prev, ok := owner[url]; ok && prev != p {
			taken(p, key, url, prev)
			return
		}
		owner[url] = p
	}
	for _, p := range pages {
		claim(p, "url", p.URL)
	}
	for _, p := range pages {
		for _, a := range p.Aliases {
			u, err := CleanURL(a)
			if err != nil {
				bad(p, err)
				continue
			}
			claim(p, "aliases", u)
		}
	}
}

// Sort orders pages by weight (0 last), then date (newest first), then
// title, then URL, then file: an order with no ties, so no stable sort
// is needed.
func Sort(pages []*Page) {
	slices.SortFunc(pages, func(a, b *Page) int {
		if a.Weight != b.Weight {
			switch {
			case a.Weight == 0:
				return 1
			case b.Weight == 0:
				return -1
			}
			return cmp.Compare(a.Weight, b.Weight)
		}
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.Title, b.Title), strings.Compare(a.URL, b.URL), strings.Compare(a.File, b.File))
	})
}
