package site

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/serikat-id/serikat/internal/assets"
	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/sitefs"
)

// Session builds one site again and again for a preview server, keeping
// its build cache open and decoded between builds, and trusting that no one
// else writes to its destination (a private folder).
//
// Told what changed (Changed), it goes further: the site's files are
// listed and stat-ed once, and then only the changed ones again; and when
// the only change is the text of pages (their front matter as it was), a
// rebuild starts from the last build's site, renders those pages' Markdown,
// re-renders only the outputs that show their text or summary, and leaves
// every other file alone; the search index it leaves for the next build
// (Report.Deferred). Its builds, once nothing is deferred, are byte for
// byte those of Build.
type Session struct {
	opts   Options
	cache  *buildcache.Cache
	cached *sitefs.Cached // nil when Options.FS was given

	last    *builder      // the last successful build, while the files are as it saw them
	pending []string      // files changed since then
	unknown bool          // something changed that the session was not told exactly
	saving  chan struct{} // closed when the cache a text edit changed is saved
	saveErr error         // why that save failed, for the next build's warnings
}

// NewSession opens a session; Close it when done.
func NewSession(opts Options) (*Session, error) {
	s := &Session{}
	if opts.FS == nil {
		if opts.Source == "" {
			opts.Source = "."
		}
		if _, err := os.Stat(opts.Source); err == nil {
			s.cached = sitefs.NewCached(sitefs.New(opts.Source))
			opts.FS = s.cached
		}
	}
	b, err := newBuilder(opts)
	if err != nil {
		return nil, err
	}
	s.opts, s.cache = opts, b.cache
	return s, nil
}

// Changed tells the session which files and folders (slash-separated,
// relative to the site) changed since its last build; with no paths, that
// anything may have. The session lists and stats the site's files only
// once and then believes what it is told: a preview server passes on what
// its file watcher reports.
func (s *Session) Changed(paths ...string) {
	if s.cached != nil {
		s.cached.Forget(paths...)
	}
	if len(paths) == 0 {
		s.unknown = true
	}
	s.pending = append(s.pending, paths...)
}

// Build builds the site as Build does, on the session's open cache. first
// names output files ("modul/a/index.html") that the preview's visitors
// have open: when templates changed, the build renders those, and leaves
// other outputs whose templates changed as they were (Report.Deferred) for
// the next build to bring up to date, as Hugo's server does in its fast
// render mode. Build again with no first to finish.
func (s *Session) Build(ctx context.Context, first ...string) (*Report, error) {
	start := time.Now()
	s.waitSaved()
	saveErr := s.saveErr // the last text edit's save, told with this build
	s.saveErr = nil
	if s.last != nil && !s.unknown && s.cached != nil && len(s.pending) > 0 {
		report, ok, err := s.last.textEdit(ctx, s.pending)
		if ok {
			s.pending = nil
			if err != nil {
				s.last = nil // start again from the files
				return nil, err
			}
			// saved while the preview reloads; the next build waits for it
			done := make(chan struct{})
			s.saving = done
			go func() {
				defer close(done)
				s.saveErr = s.cache.Save()
			}()
			report.Duration = time.Since(start)
			if saveErr != nil {
				report.Warnings = append(report.Warnings, saveErr)
			}
			return report, nil
		}
	}
	opts, err := normalize(s.opts)
	if err != nil {
		return nil, err
	}
	s.cache.Begin()
	b := &builder{opts: opts, fsys: opts.FS, cache: s.cache, minifier: assets.NewMinifier(), session: true, first: first}
	report, err := b.runRetrying(ctx)
	s.cache = b.cache // a new one, if the old was damaged
	s.pending, s.unknown, s.last = nil, false, nil
	if err != nil {
		return nil, err
	}
	if report.Deferred == 0 && !b.damaged.Load() {
		s.last = b
	}
	if saveErr != nil {
		report.Warnings = append(report.Warnings, saveErr)
	}
	report.Duration = time.Since(start)
	return report, nil
}

// Close releases the session's cache.
func (s *Session) Close() error {
	s.waitSaved()
	return s.cache.Close()
}

func (s *Session) waitSaved() {
	if s.saving != nil {
		<-s.saving
		s.saving = nil
	}
}

// edited is a page whose text changed, and its new text.
type edited struct {
	page          *content.Page
	body          []byte
	sum           [32]byte
	size, modTime int64
}

// textEdit rebuilds after the files changed, when every one is the text of
// a page the last build had, its front matter unchanged. ok is false when
// it cannot tell, and then nothing was touched: the caller builds in full.
func (b *builder) textEdit(ctx context.Context, changed []string) (report *Report, ok bool, err error) {
	var edits []edited
	for _, file := range slices.Compact(slices.Sorted(slices.Values(changed))) {
		p, known := b.site.ByFile[file]
		if !known || !strings.HasSuffix(file, ".md") {
			return nil, false, nil
		}
		info, err := fs.Stat(b.fsys, file)
		if err != nil {
			return nil, false, nil
		}
		data, err := fs.ReadFile(b.fsys, file)
		if err != nil {
			return nil, false, nil
		}
		fresh, problems := content.Parse(file, data, content.Options{SiteTitle: b.cfg.Title})
		if len(problems) > 0 || fresh == nil || fresh.MetaHash != p.MetaHash || fresh.BodyLine != p.BodyLine {
			return nil, false, nil
		}
		edits = append(edits, edited{p, fresh.Body, fresh.BodyHash, info.Size(), info.ModTime().UnixNano()})
	}
	if b.photos != nil {
		for _, r := range b.photos.results {
			if r.Err != nil {
				return nil, false, nil // a broken photo that may have lost its last page: let a full build say so
			}
		}
	}

	// From here the last build's state moves on: whatever happens, it is
	// the state of the files as they now are.
	start := time.Now()
	report = &Report{Pages: len(b.site.Regular), Sections: len(b.site.Sections), TextEdit: true}
	b.problems, b.warnings, b.first = diag.List{}, diag.List{}, nil
	b.damaged.Store(false)
	keys := map[buildcache.DepKey]bool{}
	for _, e := range edits {
		e.page.Body, e.page.BodyHash, e.page.FileSize, e.page.FileModTime = e.body, e.sum, e.size, e.modTime
		bp := b.pages[e.page]
		b.renderPage(bp)
		bp.summaryHash = bp.md.SummarySum
		keys[contentDep(e.page.URL)], keys[summaryDep(e.page.URL)] = true, true
		report.Markdown++
		b.cache.SetPage(e.page.File, buildcache.PageRecord{Size: e.size, MTime: e.modTime, BodyHash: e.sum, Page: recordOf(e.page)})
	}
	b.checkAnchors()
	report.time("markdown", &start)

	w, err := b.newWriter()
	if err != nil || !w.Incremental() {
		if err == nil {
			w.Abort()
		}
		return nil, true, fmt.Errorf("the preview's folder changed under it: restart serikat serve")
	}
	w.KeepAll() // the same files as before; the changed ones are written over them

	// the outputs that read a changed page's text or summary
	// (few: the page, the lists that show its summary), so all are done now
	outputs := b.cache.Outputs()
	// only a text or a summary can have changed: look up nothing else
	textChanged := func(deps []buildcache.Dep) bool {
		for _, d := range deps {
			if (d.Kind == buildcache.DepContent || d.Kind == buildcache.DepSummary) && keys[d.DepKey] {
				if v, ok := b.depValue(d.DepKey); !ok || v != d.Value {
					return true
				}
			}
		}
		return false
	}
	// a fragment many pages share (a list of recent summaries) changes for
	// all of them
	fragmentChanged := map[string]bool{}
	var todo []string
	for name, out := range outputs {
		redo := textChanged(out.Deps)
		for _, d := range out.Deps {
			if redo || d.Kind != buildcache.DepFragment {
				continue
			}
			ch, seen := fragmentChanged[d.Name]
			if !seen {
				f, ok := b.cache.Fragment(d.Name)
				ch = !ok || textChanged(f.Deps)
				fragmentChanged[d.Name] = ch
			}
			redo = ch
		}
		if redo {
			todo = append(todo, name)
		}
	}
	jobs := b.jobsFor(todo)
	b.resetFragments()
	var mu sync.Mutex
	b.parallel(ctx, len(jobs), func(i int) {
		out, data, err := b.renderOne(jobs[i])
		if err != nil || out == nil {
			b.problems.Add(err)
			return
		}
		if err := w.PutOwned(jobs[i].name, data, out.Sum, putBytes); err != nil {
			b.problems.Add(err)
			return
		}
		mu.Lock()
		outputs[jobs[i].name] = out
		report.Rendered++
		mu.Unlock()
	})
	report.Reused = len(outputs) - report.Rendered
	report.time("templates", &start)
	if err := ctx.Err(); err != nil {
		w.Abort()
		return nil, true, err
	}
	// The search index is left as it was and counted as deferred: on a
	// large site making it again takes several times the rest of a text
	// edit, and the preview should reload first. The next build, which a
	// preview server starts at once and stops at the next save, makes it.
	if b.features.search {
		b.searchLater = true
		defer func() { b.searchLater = false }()
		report.Deferred++
	}
	report, err = b.finish(w, outputs, report, &start, false)
	return report, true, err
}

// jobsFor finds the template outputs of the given names, each by its
// page's URL rather than by a pass over every page.
func (b *builder) jobsFor(names []string) []output {
	var jobs []output
	for _, name := range names {
		if dir, ok := strings.CutSuffix(name, "poster/index.html"); ok {
			if bp := b.byURL["/"+dir]; bp != nil && b.hasPoster(bp.src) {
				jobs = append(jobs, output{page: bp.src, name: name, candidates: []string{posterLayout}, lookup: "poster"})
				continue
			}
		}
		url := "/" + name
		if dir, ok := strings.CutSuffix(name, "index.html"); ok && (dir == "" || strings.HasSuffix(dir, "/")) {
			url = "/" + dir
		}
		if bp := b.byURL[url]; bp != nil && outPath(bp.src.URL) == name {
			p := bp.src
			jobs = append(jobs, output{page: p, name: name, candidates: layoutCandidates(p), lookup: lookupKey(p)})
		}
	}
	return jobs
}

// recordOf is what the build cache keeps of a page: its metadata, not its
// text or its place in the tree.
func recordOf(p *content.Page) *content.Page {
	meta := *p
	meta.Body, meta.Parent, meta.Pages, meta.Prev, meta.Next, meta.Resources = nil, nil, nil, nil, nil, nil
	return &meta
}
