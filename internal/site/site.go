package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/serikat-id/serikat/internal/assets"
	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/campaign"
	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/layout"
	"github.com/serikat-id/serikat/internal/markdown"
	"github.com/serikat-id/serikat/internal/parallel"
	"github.com/serikat-id/serikat/internal/publish"
	"github.com/serikat-id/serikat/internal/qrsvg"
	"github.com/serikat-id/serikat/internal/schema"
	"github.com/serikat-id/serikat/internal/sitefs"
	"github.com/serikat-id/serikat/internal/slug"
)

// Version is part of every cache key, so a new Serikat never reuses output
// an older one made.
var Version = "dev"

// markdownRevision is part of the key of cached Markdown renders: bump it
// when the renderer's output changes, so development builds (all "dev")
// do not reuse stale renders.
const markdownRevision = 2

// Options configure a build.
type Options struct {
	// Source is the site's folder on disk.
	Source string
	// FS is read instead of Source when set (tests); Source still places the
	// default destination and cache.
	FS fs.FS
	// Dest is where the site is written; default Source/public.
	Dest string
	// CacheDir holds the build cache; default Source/.serikat/cache. "-"
	// turns the persistent cache off.
	CacheDir string
	Drafts   bool   // include drafts
	Future   bool   // include pages dated in the future
	BaseURL  string // overrides serikat.toml's baseURL
	NoMinify bool
	// Now is the build's notion of now, for future-dated pages; default time.Now().
	Now time.Time
	// Workers is how many pages render at once; default GOMAXPROCS.
	Workers int
	// inMemory keeps the built files in memory and writes nothing (see
	// BuildInMemory).
	inMemory bool
	// ImageCacheDir keeps processed photos between builds; default
	// Source/.serikat/images. It is off when CacheDir is "-".
	ImageCacheDir string
	// ImageProgress, when set, is told how many photos are done while a
	// build processes twenty or more.
	ImageProgress func(done, total int)
	// Extra, when set, adds files no template renders (the content editor
	// at /admin/, package admin): it calls put for each, with a key that
	// changes whenever the file's bytes do. Its error fails the build.
	Extra func(in Extra, put func(name string, key [16]byte, data func() []byte)) error
}

// Extra is what Options.Extra is given: the site's pages and settings,
// and the site paths of its built stylesheets.
type Extra struct {
	Site        *content.Site
	Config      *config.Config
	Stylesheets []string
	// Schema is the theme's declaration of its kinds of page, nil when it
	// has none
	Schema *schema.Schema
}

// Report says what a build did.
type Report struct {
	Pages    int // regular pages
	Sections int // section pages, the home included
	Files    int // files in the destination
	Rendered int // outputs whose templates ran
	Reused   int // outputs reused from the cache
	Markdown int // pages whose Markdown was rendered (not reused)
	Written  int // files written to the destination
	// Changed are the files written, from the destination's root, sorted;
	// a preview server reloads the pages among them.
	Changed  []string
	Duration time.Duration
	// Phases is how long each step took, in order.
	Phases []Phase
	// ImagesProcessed and ImagesCached count the photos decoded and
	// resized by this build, and those taken from the image cache.
	ImagesProcessed, ImagesCached int
	// Warnings are problems that do not stop the build, such as an image
	// without alt text.
	Warnings []error
	// TextEdit is set when a Session's build started from its last one,
	// because only pages' text had changed.
	TextEdit bool
	// Deferred counts outputs a Session's build left out of date to put
	// the pages its visitors have open first, or the search index after a
	// text edit; build again to finish.
	Deferred int
}

// Text is what a page's Markdown holds that a review looks at, with lines
// in the Markdown (add the page's BodyLine − 1 for the file's).
type Text struct {
	Headings []markdown.Heading
	Links    []markdown.Link // every link and image, as written
}

// Phase is one timed step of a build.
type Phase struct {
	Name     string
	Duration time.Duration
}

func (r *Report) time(name string, start *time.Time) {
	now := time.Now()
	r.Phases = append(r.Phases, Phase{name, now.Sub(*start)})
	*start = now
}

// page is a content page with what the build derived for it.
type page struct {
	src         *content.Page
	campaign    *campaign.Campaign // for campaign pages, what their keys say
	module      *campaign.Module   // for modules
	md          *buildcache.Markdown
	metaHash    [16]byte
	listHash    [16]byte
	summaryHash [16]byte
}

func (p *page) kind() string { return string(p.src.Kind) }

type builder struct {
	opts     Options
	fsys     fs.FS
	cfg      *config.Config
	site     *content.Site
	pages    map[*content.Page]*page
	byURL    map[string]*page // a warm build looks up a page for each of its outputs' dependencies
	terms    map[string]*content.Page
	md       *markdown.Renderer
	mdKey    [32]byte
	minifier *assets.Minifier
	assets   *assets.Manifest
	layouts  *layout.Set
	schema   *schema.Schema // the theme's kinds of page, nil without layouts/schema.toml
	// fragments shares site-only template output between pages; see resetFragments
	fragments *fragments
	// fragmentRecs are the fragments this build's outputs show, with what
	// each read (see fragmentRecords)
	fragmentRecs map[string]*buildcache.Output
	i18n         map[string]string
	cache        *buildcache.Cache
	problems     diag.List
	warnings     diag.List
	photos       *photos
	// session is set for a Session's builds: the cache outlives the build
	// and the destination is the session's alone
	session bool
	first   []string // a session's outputs to render first, see Session.Build
	textMu  sync.Mutex
	texts   map[string]Text // in memory: see Review.Texts
	review  *Review         // in memory: what BuildInMemory returns
	opened  time.Duration   // how long opening the cache took
	// cacheReady, when not nil, is closed once cache (or cacheErr) is set
	cacheReady chan struct{}
	cacheErr   error
	// features are the generated files the templates ask for
	features features
	// searchLater leaves the search index as it is, for a session's text
	// edit (see textEdit)
	searchLater bool
	// linksChecked is set when every cached render's links were checked
	// against the pages and files this build has (see renderMarkdown)
	linksChecked bool
	// destChecked reports whether the destination is as the last build left
	// it; the check is thousands of stat calls, so it runs from the start
	// of the build alongside the rest
	destChecked func() (map[string]buildcache.Written, bool)
	tplMu       sync.Mutex
	tplHash     map[string][16]byte          // by template file, the hash of the files it runs
	tplDeps     map[buildcache.DepKey]depNow // template lookups and files, worked out once a build
	damaged     atomic.Bool                  // a cached render failed its check

	basePath    string // "/" or "/sub/"
	absBase     string // "https://host/sub/" or "" without a host
	regularHash [16]byte
	tagsHash    [16]byte
}

// Build builds the site. On any problem it returns every problem, joined,
// and writes nothing.
func Build(ctx context.Context, opts Options) (*Report, error) {
	_, report, err := buildSite(ctx, opts)
	return report, err
}

// Review is a site built in memory and what the build read, so that a
// review of the site (serikat check) need not read and render it again.
type Review struct {
	Report  *Report           // what the build did, its warnings included
	Outputs map[string][]byte // the built files by path
	Config  *config.Config
	Site    *content.Site
	Texts   map[string]Text // each page's headings and links, by its file
}

// BuildInMemory builds the site as Build does, but writes nothing: no
// destination, no build cache, and the image cache is only read. On
// problems it returns them, joined, with the Review of what could be built
// (nil when not even the settings and pages could be read).
func BuildInMemory(ctx context.Context, opts Options) (*Review, error) {
	opts.inMemory = true
	b, _, err := buildSite(ctx, opts)
	if b == nil {
		return nil, err
	}
	return b.review, err
}

func buildSite(ctx context.Context, opts Options) (*builder, *Report, error) {
	start := time.Now()
	opts, err := normalize(opts)
	if err != nil {
		return nil, nil, err
	}
	// The cache is opened while the settings and the content folder are
	// read: decoding a large site's cache takes as long as looking at its
	// files, and neither needs the other until pages are reused.
	b := &builder{opts: opts, fsys: opts.FS, minifier: assets.NewMinifier(), cacheReady: make(chan struct{})}
	go func() {
		defer close(b.cacheReady)
		b.cache, b.cacheErr = openCache(opts.CacheDir)
		b.opened = time.Since(start)
	}()
	defer func() {
		b.waitCache()
		if b.cache != nil {
			b.cache.Close()
		}
	}()
	report, err := b.runRetrying(ctx)
	if err != nil {
		return b, report, err
	}
	report.Duration = time.Since(start)
	return b, report, nil
}

// runRetrying runs the build, and runs it again without the cache when a
// cached render turns out to be damaged (a crash before it reached the
// disk): nothing was written, so nothing is lost but time.
func (b *builder) runRetrying(ctx context.Context) (*Report, error) {
	report, err := b.run(ctx)
	if err != nil && b.opts.inMemory {
		return report, err // serikat check wants what could be built
	}
	if b.damaged.Load() {
		damaged := fmt.Errorf("the build cache in %s was damaged; building without it", b.opts.CacheDir)
		if b.destChecked != nil {
			b.destChecked() // its goroutine reads the builder about to be replaced
		}
		b.cache.Close()
		if b.opts.CacheDir != "" {
			os.RemoveAll(b.opts.CacheDir)
		}
		cache, openErr := buildcache.Open(b.opts.CacheDir)
		if openErr != nil {
			return nil, openErr
		}
		*b = builder{opts: b.opts, fsys: b.opts.FS, cache: cache, minifier: b.minifier, session: b.session, first: b.first}
		b.warnings.Add(damaged)
		report, err = b.run(ctx)
	}
	if err != nil {
		return nil, err
	}
	return report, nil
}

func newBuilder(opts Options) (*builder, error) {
	opts, err := normalize(opts)
	if err != nil {
		return nil, err
	}
	cache, err := openCache(opts.CacheDir)
	if err != nil {
		return nil, err
	}
	return &builder{opts: opts, fsys: opts.FS, cache: cache, minifier: assets.NewMinifier()}, nil
}

func openCache(dir string) (*buildcache.Cache, error) {
	cache, err := buildcache.Open(dir)
	if err != nil {
		// a cache that cannot be opened (read-only site) costs speed, not correctness
		return buildcache.Open("")
	}
	return cache, nil
}

// waitCache waits until the cache that Build opens meanwhile is open.
func (b *builder) waitCache() {
	if b.cacheReady != nil {
		<-b.cacheReady
	}
}

// normalize checks opts and fills in the defaults.
func normalize(opts Options) (Options, error) {
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.FS == nil {
		info, err := os.Stat(opts.Source)
		if err != nil {
			return opts, fmt.Errorf("site folder %s: %w", opts.Source, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return opts, fmt.Errorf("site folder %s is a file, not a folder", opts.Source)
		}
		opts.FS = sitefs.New(opts.Source)
	}
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Source, "public")
	}
	if info, err := os.Stat(opts.Dest); err == nil && !info.IsDir() {
		return opts, fmt.Errorf("destination %s is a file, not a folder: remove it or choose another with --destination", opts.Dest)
	}
	if opts.CacheDir == "" {
		opts.CacheDir = filepath.Join(opts.Source, ".serikat", "cache")
	}
	if opts.CacheDir == "-" || opts.inMemory {
		opts.CacheDir = ""
	}
	if opts.ImageCacheDir == "" {
		opts.ImageCacheDir = filepath.Join(opts.Source, ".serikat", "images")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return opts, nil
}

func (b *builder) run(ctx context.Context) (*Report, error) {
	report := &Report{}
	t := time.Now()
	b.checkDest()
	if err := b.load(report, &t); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	report.Pages, report.Sections = len(b.site.Regular), len(b.site.Sections)
	b.processImages(ctx, report)
	b.checkOwnImages()
	report.time("images", &t)
	b.renderMarkdown(ctx, report)
	report.time("markdown", &t)
	b.checkAnchors()
	b.checkUnusedImages()
	b.derive()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, err := b.newWriter()
	if err != nil {
		return nil, err
	}
	report.time("links and dependencies", &t)
	outputs := b.renderOutputs(ctx, w, report)
	report.time("templates", &t)
	if err := ctx.Err(); err != nil {
		w.Abort()
		return nil, err
	}
	b.copyFiles(w)
	b.writeImages(w)
	return b.finish(w, outputs, report, &t, true)
}

// finish writes what every build writes last (feeds, sitemap, share cards,
// the search index, sw.js), records the outputs and, unless there were
// problems, commits the files. save saves the build cache meanwhile; a
// session's text edit saves it after the preview has reloaded.
func (b *builder) finish(w *publish.Writer, outputs map[string]*buildcache.Output, report *Report, t *time.Time, save bool) (*Report, error) {
	b.fragmentRecs = b.fragmentRecords(outputs, save) // a text edit (save false) looks through no more than it rendered
	b.generated(w, outputs)
	b.serviceWorkerJS(w, b.putter(w, outputs))
	report.time("feeds, sitemap and files", t)
	// The cache is saved while the files are committed. Renders of a build
	// that then fails are still worth keeping; outputs are only ever reused
	// when the destination really holds their bytes.
	b.cache.SetFragments(b.fragmentRecs)
	b.cache.SetOutputs(outputs)
	if save {
		saved := make(chan error, 1)
		go func() { saved <- b.cache.Save() }()
		defer func() {
			if err := <-saved; err != nil {
				report.Warnings = append(report.Warnings, err)
			}
			report.time("save build cache", t)
		}()
	}
	report.Warnings = diag.Flatten(b.warnings.Err())
	if err := b.problems.Err(); err != nil {
		w.Abort()
		if w.Memory() != nil {
			b.review = &Review{Report: report, Outputs: w.Memory(), Config: b.cfg, Site: b.site, Texts: b.texts}
			return report, err
		}
		return nil, err
	}
	res, err := b.commit(w)
	if err != nil {
		return nil, err
	}
	report.Warnings = diag.Flatten(b.warnings.Err()) // and what committing found
	report.Written, report.Files = res.Written, len(res.Files)
	if w.Memory() != nil {
		b.review = &Review{Report: report, Outputs: w.Memory(), Config: b.cfg, Site: b.site, Texts: b.texts}
	}
	report.Changed = res.Changed
	report.time("write", t)
	return report, nil
}

// load reads settings, pages, templates, strings and assets, collecting
// problems; it fails early only when nothing further can be checked.
func (b *builder) load(report *Report, t *time.Time) error {
	cfg, err := config.Load(b.fsys)
	if err != nil {
		return err
	}
	if b.opts.BaseURL != "" {
		if err := config.CheckBaseURL(b.opts.BaseURL); err != nil {
			return fmt.Errorf("--base-url: %w", err)
		}
		cfg.BaseURL = b.opts.BaseURL
	}
	b.cfg = cfg
	b.setBase()

	// Templates, assets and strings do not depend on the content: they are
	// read alongside it.
	templatesRead := make(chan struct{})
	go func() {
		defer close(templatesRead)
		b.loadTemplates(cfg)
	}()
	defer func() { <-templatesRead }() // on an early return too, so nothing is left running
	keys, err := schema.Load(b.fsys)
	b.problems.Add(err)
	b.schema = keys
	site, err := content.Load(b.fsys, content.Options{Drafts: b.opts.Drafts, Future: b.opts.Future, Now: b.opts.Now,
		SiteTitle: cfg.Title, Reuse: b.reusePage, Schema: keys})
	b.problems.AddSplit(err, &b.warnings)
	b.waitCache()
	if b.cacheErr != nil {
		return b.cacheErr
	}
	if b.cacheReady != nil {
		report.Phases = append(report.Phases, Phase{"open build cache, meanwhile", b.opened})
	}
	b.rememberPages(site)
	report.time("read content", t)
	b.site = site
	b.pages = make(map[*content.Page]*page, len(site.All))
	b.byURL = make(map[string]*page, len(site.All))
	b.terms = map[string]*content.Page{}
	for _, p := range site.All {
		bp := &page{src: p, md: &buildcache.Markdown{}}
		b.pages[p] = bp
		b.byURL[p.URL] = bp
		var err error
		switch {
		case campaign.IsCampaign(p):
			bp.campaign, err = campaign.Decode(p)
			bp.campaign.Ended = bp.campaign.EndedBy(b.opts.Now)
		case campaign.IsModule(p):
			bp.module, err = campaign.DecodeModule(p)
		}
		b.problems.Add(err)
		if p.Kind == content.KindTerm {
			b.terms[strings.TrimSuffix(strings.TrimPrefix(p.URL, "/tags/"), "/")] = p
		}
	}

	<-templatesRead
	report.time("templates and assets", t)
	b.features = featuresOf(b.layouts.Sources(), cfg.Search.Index)
	b.md = markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe, TOCLevels: cfg.Markup.TOCLevels})
	b.mdKey = sha256.Sum256(fmt.Appendf(nil, "%s|%v|%v|%s|md%d|%v|%d|search %v", Version, cfg.Markup.Unsafe, cfg.Markup.TOCLevels, b.basePath, markdownRevision,
		cfg.Images.Widths, cfg.Images.Quality, b.features.search))
	return nil
}

// loadTemplates reads the assets, the UI strings and the templates.
func (b *builder) loadTemplates(cfg *config.Config) {
	var minifier *assets.Minifier
	if !b.opts.NoMinify {
		minifier = b.minifier
	}
	manifest, err := assets.Process(b.fsys, minifier)
	b.problems.Add(err)
	b.assets = manifest

	b.i18n, err = loadStrings(b.fsys, cfg.LanguageCode)
	b.problems.Add(err)

	funcs := layout.Funcs(cfg.LanguageCode)
	for k, v := range b.funcs() {
		funcs[k] = v
	}
	b.layouts, err = layout.Load(b.fsys, funcs, layout.Options{SiteField: "Site", Fragment: b.fragment})
	b.problems.Add(err)
}

// reusePage hands content.Load a page parsed by an earlier build.
func (b *builder) reusePage(file string, size, modTime int64) *content.Page {
	b.waitCache()
	r, ok := b.cache.Page(file, size, modTime)
	if !ok || r.Page.Kind == content.KindHome {
		return nil // the home page's title may come from serikat.toml
	}
	// The record's page is handed out as it is: this build opened the cache
	// and is its only user, and what the loader adds to the page (its place
	// in the tree) is not part of the record.
	p := r.Page
	if b.session {
		// the record outlives this build: hand out a copy, so the place in
		// the tree this build gives it does not leak into the next
		cp := *p
		cp.Parent, cp.Pages, cp.Prev, cp.Next, cp.Resources = nil, nil, nil, nil, nil
		p = &cp
	}
	p.FileSize, p.FileModTime, p.BodyHash = size, modTime, r.BodyHash
	return p
}

// rememberPages records the parsed pages for the next build.
func (b *builder) rememberPages(site *content.Site) {
	records := make(map[string]buildcache.PageRecord, len(site.ByFile))
	for file, p := range site.ByFile {
		if len(p.Problems) > 0 {
			continue // read again next time, so its problems are reported again
		}
		if r, ok := b.cache.Record(file); ok && (r.Page == p || p.Kind != content.KindHome && r.Size == p.FileSize &&
			r.MTime == p.FileModTime && r.BodyHash == p.BodyHash && r.Page.MetaHash == p.MetaHash) {
			records[file] = r // unchanged: keeping the same record lets the cache skip saving it
			continue
		}
		records[file] = buildcache.PageRecord{Size: p.FileSize, MTime: p.FileModTime, BodyHash: p.BodyHash, Page: recordOf(p)}
	}
	b.cache.SetPages(records)
}

// body returns a page's Markdown, reading its file again when the page was
// reused from the cache.
func (b *builder) body(p *content.Page) ([]byte, error) {
	if p.Body != nil || p.FileSize == 0 {
		return p.Body, nil
	}
	data, err := fs.ReadFile(b.fsys, p.File)
	if err != nil {
		return nil, &diag.Error{Path: p.File, Msg: "cannot read: " + err.Error(), Err: err}
	}
	fresh, problems := content.Parse(p.File, data, content.Options{SiteTitle: b.cfg.Title})
	if len(problems) > 0 || fresh == nil {
		return nil, diag.Errorf(p.File, 0, "changed while the site was being built: build again")
	}
	return fresh.Body, nil
}

func (b *builder) setBase() {
	base := b.cfg.BaseURL
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if strings.HasPrefix(base, "/") {
		b.basePath, b.absBase = base, ""
		return
	}
	b.absBase = base
	rest := base[strings.Index(base, "://")+3:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		b.basePath = rest[i:]
	} else {
		b.basePath = "/"
	}
}

// relURL puts the base path in front of a site path.
func (b *builder) relURL(p string) string {
	return b.basePath + strings.TrimPrefix(p, "/")
}

// absURL gives the absolute URL of a site path, or its relURL without a host.
func (b *builder) absURL(p string) string {
	if b.absBase == "" {
		return b.relURL(p)
	}
	return b.absBase + strings.TrimPrefix(p, "/")
}

// linkURL is relURL for site paths and leaves anything with a scheme alone.
func (b *builder) linkURL(u string) string {
	if strings.Contains(u, "://") || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "tel:") || strings.HasPrefix(u, "#") {
		return u
	}
	return b.relURL(u)
}

func (b *builder) termBySlug(tag string) (*content.Page, bool) {
	// content keys each term by the slug of the tag's text
	if t, ok := b.terms[slug.Make(tag)]; ok {
		return t, true
	}
	t, ok := b.terms[tag]
	return t, ok
}

// funcs are the template functions that need the site.
func (b *builder) funcs() template.FuncMap {
	return template.FuncMap{
		"relURL": func(s any) string { return b.linkURL(fmt.Sprint(s)) },
		"absURL": func(s any) string {
			u := fmt.Sprint(s)
			if strings.Contains(u, "://") {
				return u
			}
			return b.absURL(u)
		},
		"T": b.translate,
		"asset": func(src string) (string, error) {
			a, ok := b.assets.Lookup(src)
			if !ok {
				return "", fmt.Errorf("asset %q not found: there is no assets/%s", src, strings.TrimPrefix(src, "/"))
			}
			return b.relURL(a.Out), nil
		},
		"assetInline": func(src string) (any, error) {
			a, ok := b.assets.Lookup(src)
			if !ok {
				return "", fmt.Errorf("assetInline %q not found: there is no assets/%s", src, strings.TrimPrefix(src, "/"))
			}
			switch assets.MediaType(src) {
			case assets.CSS:
				return template.CSS(a.Inline()), nil
			case assets.JS:
				return template.JS(a.Inline()), nil
			case assets.SVG:
				return template.HTML(a.Inline()), nil
			}
			return a.Inline(), nil
		},
		"qrSVG": func(text, label string) (template.HTML, error) {
			svg, err := qrsvg.SVG(text, label)
			return template.HTML(svg), err
		},
		"markdownify": func(s any) (template.HTML, error) {
			out, err := b.md.Inline(fmt.Sprint(s))
			return template.HTML(out), err
		},
	}
}

// read returns the bytes of a cached render, noting damage.
func (b *builder) read(blob buildcache.Blob) ([]byte, error) {
	data, err := b.cache.Read(blob)
	if errors.Is(err, buildcache.ErrDamaged) {
		b.damaged.Store(true)
	}
	return data, err
}

// readHTML is read for templates: the bytes Cache.Read returns are fresh
// and never written again, so they become the string without a copy (a
// page's text is read once per page that shows it).
func (b *builder) readHTML(blob buildcache.Blob) (template.HTML, error) {
	data, err := b.read(blob)
	if len(data) == 0 {
		return "", err
	}
	return template.HTML(bytesView(data)), err
}

// parallel runs fn for i in [0, n) on the build's workers.
func (b *builder) parallel(ctx context.Context, n int, fn func(i int)) {
	parallel.For(ctx, b.opts.Workers, n, fn)
}

// shortHash hashes parts, separated so that ("ab","c") differs from ("a","bc").
func shortHash(parts ...string) [16]byte {
	var out [16]byte
	sum := hashStrings(parts...)
	copy(out[:], sum[:])
	return out
}

// hashStrings hashes parts, each with its length so that no two lists of
// parts hash alike.
func hashStrings(parts ...string) [32]byte {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		h.Write(stringBytes(p)) // no copy of a page's text
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// derive computes the hashes that output dependencies are checked against.
func (b *builder) derive() {
	b.parallel(context.Background(), len(b.site.All), func(i int) {
		p := b.pages[b.site.All[i]]
		s := p.src
		p.metaHash = shortHash(string(s.Kind), s.URL, s.Title, string(s.MetaHash[:]))
		if p.campaign != nil && p.campaign.Ended {
			// the same front matter renders otherwise once the deadline passes
			p.metaHash = shortHash(string(p.metaHash[:]), "ended")
		}
		p.listHash = urlsHash(s.Pages)
		p.summaryHash = p.md.SummarySum // hashed when rendered
	})
	b.regularHash = urlsHash(b.site.Regular)
	if b.site.Tags != nil {
		// each tag's address and the addresses of its pages
		h := sha256.New()
		for _, t := range b.site.Tags.Pages {
			h.Write(stringBytes(t.URL))
			sum := urlsHash(t.Pages)
			h.Write(sum[:])
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		b.tagsHash = [16]byte(sum[:16])
	}
}

// urlsHash hashes the addresses of pages, in order, without gathering
// them into one string: a tag on thousands of pages is hashed in place.
func urlsHash(pages []*content.Page) [16]byte {
	h := sha256.New()
	for _, p := range pages {
		h.Write(stringBytes(p.URL))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return [16]byte(sum[:16])
}

// stringBytes is s as bytes, for reading only: no copy.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (b *builder) neighbourHash(p *content.Page) [16]byte {
	u := func(n *content.Page) string {
		if n == nil {
			return ""
		}
		return n.URL
	}
	return shortHash(u(p.Prev), u(p.Next), u(p.Parent))
}

// outPath is the file a URL is written to.
func outPath(url string) string {
	p := strings.TrimPrefix(url, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// globalHash covers everything every output may depend on.
func (b *builder) globalHash() buildcache.Hash {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%+v|%v|%v|%v|", Version, *b.cfg, b.opts.NoMinify, b.opts.Drafts, b.opts.Future)
	if data, err := fs.ReadFile(b.fsys, config.FileName); err == nil {
		h.Write(data)
	}
	// Templates are not here: each output depends on the templates it runs
	// (see templateHash), so a template edit re-renders only its pages.
	for _, k := range slices.Sorted(maps.Keys(b.i18n)) {
		fmt.Fprintf(h, "%s=%s|", k, b.i18n[k])
	}
	h.Write(b.assets.Hash[:])
	var out buildcache.Hash
	copy(out[:], h.Sum(nil))
	return out
}

// minify minifies an output by its file name unless minifying is off.
func (b *builder) minify(name string, data []byte) ([]byte, error) {
	return b.minifyTo(nil, name, data)
}

// minifyTo is minify appending to dst, which may come from getBytes.
func (b *builder) minifyTo(dst []byte, name string, data []byte) ([]byte, error) {
	mt := assets.MediaType(name)
	if b.opts.NoMinify || mt == "" || mt == assets.CSS || mt == assets.JS {
		return append(dst, data...), nil
	}
	out, err := b.minifier.Append(dst, mt, data)
	if err != nil {
		return nil, fmt.Errorf("minifying %s: %w", name, err)
	}
	return out, nil
}

// Page outputs are rendered into reused buffers: on a large site, fresh
// buffers for every page cost more in page faults and collection than the
// rendering itself.
var (
	bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	bytesPool  = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}
)

func getBuffer() *bytes.Buffer { b := bufferPool.Get().(*bytes.Buffer); b.Reset(); return b }
func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		bufferPool.Put(b)
	}
}
func getBytes() []byte { return (*bytesPool.Get().(*[]byte))[:0] }

// putBytes returns a slice from getBytes once nothing refers to it.
func putBytes(b []byte) {
	if cap(b) <= 1<<20 {
		bytesPool.Put(&b)
	}
}

// templateHash is the hash of the template files t runs (see
// layout.Template.Files), the value of an output's template dependency.
func (b *builder) templateHash(t *layout.Template) [16]byte {
	b.tplMu.Lock()
	defer b.tplMu.Unlock()
	if h, ok := b.tplHash[t.Name]; ok {
		return h
	}
	var parts []string
	for _, f := range t.Files() {
		parts = append(parts, f, string(b.layouts.Sources()[f]))
	}
	h := shortHash(parts...)
	if b.tplHash == nil {
		b.tplHash = map[string][16]byte{}
	}
	b.tplHash[t.Name] = h
	return h
}
