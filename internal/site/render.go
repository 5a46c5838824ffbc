package site

import (
	"context"
	"crypto/sha256"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"unsafe"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/markdown"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/search"
)

// renderMarkdown renders every page body, reusing cached renders whose
// links still resolve the same way.
func (b *builder) renderMarkdown(ctx context.Context, report *Report) {
	// Links resolve against the site's pages and files. When those are the
	// ones every cached render was last checked against, the checks can be
	// skipped. Otherwise the mark is cleared until a build has checked all
	// renders and found no problem: neither a build cut short nor one that
	// found a broken link (whose old render stays cached) may vouch for them.
	space := b.linkSpace()
	b.linksChecked = b.cache.LinkSpace() == space
	if !b.linksChecked {
		b.cache.SetLinkSpace(buildcache.Hash{})
		defer func() {
			if ctx.Err() == nil && b.problems.Err() == nil {
				b.cache.SetLinkSpace(space)
			}
		}()
	}
	var todo []*page
	for _, p := range b.site.All {
		if p.File != "" {
			todo = append(todo, b.pages[p])
		}
	}
	rendered := make([]bool, len(todo))
	b.parallel(ctx, len(todo), func(i int) {
		rendered[i] = b.renderPage(todo[i])
	})
	for _, r := range rendered {
		if r {
			report.Markdown++
		}
	}
}

func (b *builder) renderPage(p *page) (rendered bool) {
	src := p.src
	h := sha256.New()
	h.Write(b.mdKey[:])
	h.Write([]byte(src.File + "\x00"))
	h.Write(src.BodyHash[:])
	var key buildcache.Hash
	h.Sum(key[:0])
	if cached, ok := b.cache.Markdown(key); ok && b.stillResolves(src, cached) {
		p.md = cached
		src.Body = nil // the Markdown is no longer needed; free it early on large sites
		return false
	}
	body, err := b.body(src)
	if err != nil {
		b.problems.Add(err)
		return true
	}
	res := &resolver{b: b, page: src}
	out, err := b.md.Render(body, res)
	if err != nil {
		b.problems.Add(&diag.Error{Path: src.File, Msg: err.Error(), Err: err})
		return true
	}
	if b.opts.inMemory {
		b.textMu.Lock()
		if b.texts == nil {
			b.texts = map[string]Text{}
		}
		b.texts[src.File] = Text{Headings: out.Headings, Links: out.Links}
		b.textMu.Unlock()
	}
	for _, pr := range out.Problems {
		e := diag.Errorf(src.File, src.BodyLine+pr.Line-1, "%s", pr.Msg)
		e.Text = pr.Text
		if pr.Warning {
			b.warnings.Add(e)
		} else {
			b.problems.Add(e)
		}
	}
	m := &buildcache.Markdown{
		Summary:    out.Summary,
		WordCount:  out.WordCount,
		Links:      res.links,
		Anchors:    res.anchors,
		Sum:        shortHash(bytesView(out.HTML), bytesView(out.TOC), out.Summary),
		SummarySum: shortHash(out.Summary),
	}
	for _, h := range out.Headings {
		m.Headings = append(m.Headings, buildcache.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
	}
	var terms []byte
	if b.features.search {
		// the page's part of the search index is made here, on every core
		// and once per render, not for every page whenever the index changes
		headings := make([]string, len(out.Headings))
		for i, h := range out.Headings {
			headings[i] = h.Text
		}
		terms = search.AppendTerms(nil, search.TextTerms(headings, textOf(out.HTML)))
	}
	if len(out.Problems) > 0 {
		// not cached: the page must be rendered again once it is fixed (and
		// its warnings shown again by every build until then); keep
		// the HTML in an uncached blob so templates can still run for errors
		if err := b.cache.PutMarkdown(buildcache.Hash{}, m, out.HTML, out.TOC, terms); err != nil {
			b.problems.Add(err)
		}
	} else if err := b.cache.PutMarkdown(key, m, out.HTML, out.TOC, terms); err != nil {
		b.problems.Add(err)
	}
	out.Release() // the cache holds a copy
	p.md = m
	src.Body = nil
	return true
}

// stillResolves reports whether every link of a cached render resolves to
// the same URL now.
func (b *builder) stillResolves(src *content.Page, m *buildcache.Markdown) bool {
	res := &resolver{b: b, page: src}
	for _, l := range m.Links {
		if l.Image {
			if b.imageSignature(src, l.Dest) != l.URL {
				return false
			}
			continue
		}
		if b.linksChecked {
			continue
		}
		u, err := res.ResolveLink(l.Dest, l.Image, 0)
		if err != nil || u != l.URL {
			return false
		}
	}
	return true
}

// linkSpace hashes what links resolve against: every page's file and URL,
// every other content file's URL, and the site's base path.
func (b *builder) linkSpace() buildcache.Hash {
	parts := make([]string, 0, 2+2*len(b.site.All)+2*len(b.site.Files))
	parts = append(parts, b.basePath)
	for _, p := range b.site.All {
		parts = append(parts, p.File, p.URL)
	}
	parts = append(parts, "")
	for _, f := range b.site.Files {
		parts = append(parts, f.Src, f.URL)
	}
	return hashStrings(parts...)
}

// checkAnchors checks links to headings of other pages, now that every
// page's headings are known.
func (b *builder) checkAnchors() {
	for _, p := range b.site.All {
		if p.File == "" {
			continue
		}
		for _, a := range b.pages[p].md.Anchors {
			target, ok := b.site.ByFile[a.Target]
			if !ok {
				continue // already reported as a missing page
			}
			var ids []string
			for _, h := range b.pages[target].md.Headings {
				ids = append(ids, h.ID)
			}
			if !slices.Contains(ids, a.ID) {
				b.problems.Add(diag.New(p.File, p.BodyLine+a.Line-1, msg.LinkNoHeading, strings.TrimPrefix(a.Target, "content/"), a.ID, a.Target, markdown.HeadingsHint(a.ID, ids)))
			}
		}
	}
}

// resolver resolves the links of one page.
type resolver struct {
	b       *builder
	page    *content.Page
	links   []buildcache.Link
	anchors []buildcache.Anchor
}

var _ markdown.ImageResolver = (*resolver)(nil)

// ResolveLink maps a link as written in Markdown to a URL. Links to .md
// files must name an existing page; relative links to other files under
// content/ are made absolute so they work from the page's pretty URL.
func (r *resolver) ResolveLink(dest string, image bool, line int) (string, error) {
	u, err := r.resolve(dest, line)
	if err == nil {
		r.links = append(r.links, buildcache.Link{Dest: dest, Image: image, URL: u})
	}
	return u, err
}

// ResolveImage resolves an image of the page to its published versions.
func (r *resolver) ResolveImage(dest string, line int) (*markdown.Picture, error) {
	pic, err := r.b.picture(r.page, dest)
	if err == nil {
		r.links = append(r.links, buildcache.Link{Dest: dest, Image: true, URL: r.b.imageSignature(r.page, dest)})
	}
	return pic, err
}

func (r *resolver) resolve(dest string, line int) (string, error) {
	rawPath, fragment, _ := strings.Cut(dest, "#")
	rawPath, query, _ := strings.Cut(rawPath, "?")
	p, err := url.PathUnescape(rawPath)
	if err != nil {
		p = rawPath
	}
	suffix := ""
	if query != "" {
		suffix += "?" + query
	}
	if fragment != "" {
		suffix += "#" + fragment
	}
	var target string
	if strings.HasPrefix(p, "/") {
		target = path.Join(content.Dir, p)
	} else {
		target = path.Join(path.Dir(r.page.File), p)
	}
	if strings.HasSuffix(p, ".md") {
		if !strings.HasPrefix(target, content.Dir+"/") {
			return "", msg.New(msg.LinkLeaves, dest)
		}
		tp, ok := r.b.site.ByFile[target]
		if !ok {
			if twin := caseTwin(target, maps.Keys(r.b.site.ByFile)); twin != "" {
				return "", msg.New(msg.LinkNoPageCase, dest, target, twin)
			}
			return "", msg.New(msg.LinkNoPage, dest, target)
		}
		if fragment != "" {
			r.anchors = append(r.anchors, buildcache.Anchor{Target: target, ID: fragment, Line: line})
		}
		return r.b.relURL(tp.URL) + suffix, nil
	}
	if strings.HasPrefix(p, "/") {
		return r.b.relURL(p) + suffix, nil
	}
	for _, f := range r.b.site.Files {
		if f.Src == target {
			return r.b.relURL(f.URL) + suffix, nil
		}
	}
	return dest, nil
}

// bytesView is b as a string for reading only, without a copy.
func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
