package site

import (
	"cmp"
	"slices"
	"sync"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/layout"
)

// An output records what its templates read (buildcache.Dep), each with
// its value then; a later build reuses the output while every value still
// holds. The constructors below are the only way a dependency is named.

func pageDep(kind buildcache.DepKind, url string) buildcache.DepKey {
	return buildcache.DepKey{Kind: kind, Page: url}
}

func metaDep(url string) buildcache.DepKey       { return pageDep(buildcache.DepMeta, url) }
func contentDep(url string) buildcache.DepKey    { return pageDep(buildcache.DepContent, url) }
func summaryDep(url string) buildcache.DepKey    { return pageDep(buildcache.DepSummary, url) }
func listDep(url string) buildcache.DepKey       { return pageDep(buildcache.DepList, url) }
func neighboursDep(url string) buildcache.DepKey { return pageDep(buildcache.DepNeighbours, url) }
func cardDep(url string) buildcache.DepKey       { return pageDep(buildcache.DepCard, url) }
func shortLinkDep(url string) buildcache.DepKey  { return pageDep(buildcache.DepShortLink, url) }

// imageDep is a photo a page shows, named as the page wrote it.
func imageDep(url, src string) buildcache.DepKey {
	return buildcache.DepKey{Kind: buildcache.DepImage, Page: url, Name: src}
}

// layoutDep is which template a page of this kind, type and layout gets.
func layoutDep(p *content.Page) buildcache.DepKey {
	return buildcache.DepKey{Kind: buildcache.DepLayout, Lookup: buildcache.Lookup{Kind: string(p.Kind), Type: p.Type, Layout: p.Layout}}
}

// templateDep is a template file and what it runs.
func templateDep(name string) buildcache.DepKey {
	return buildcache.DepKey{Kind: buildcache.DepTemplate, Name: name}
}

var (
	sitePagesDep = buildcache.DepKey{Kind: buildcache.DepSitePages}
	tagsDep      = buildcache.DepKey{Kind: buildcache.DepTags}
)

// depsHold reports whether every recorded dependency still has its value.
func (b *builder) depsHold(deps []buildcache.Dep) bool {
	// deps are sorted by page: each page is looked up once per output
	var cur *page
	curURL := ""
	for _, d := range deps {
		var v [16]byte
		var ok bool
		if d.Page != "" {
			if cur == nil || d.Page != curURL {
				if cur, ok = b.byURL[d.Page]; !ok {
					return false
				}
				curURL = d.Page
			}
			v, ok = b.pageDepValue(d.DepKey, cur)
		} else {
			v, ok = b.depValue(d.DepKey)
		}
		if !ok || v != d.Value {
			return false
		}
	}
	return true
}

// depValue is what a dependency is worth now; false when what it names is
// gone.
func (b *builder) depValue(k buildcache.DepKey) ([16]byte, bool) {
	if k.Page != "" {
		p, ok := b.byURL[k.Page]
		if !ok {
			return [16]byte{}, false
		}
		return b.pageDepValue(k, p)
	}
	switch k.Kind {
	case buildcache.DepSitePages:
		return b.regularHash, true
	case buildcache.DepTags:
		return b.tagsHash, true
	case buildcache.DepFragment:
		return b.fragmentValueNow(k.Name)
	case buildcache.DepLayout, buildcache.DepTemplate:
		return b.templateDepValue(k)
	}
	return [16]byte{}, false
}

// templateDepValue is what a template lookup or file is worth now: the same
// for every output that names it, so worked out once a build.
func (b *builder) templateDepValue(k buildcache.DepKey) ([16]byte, bool) {
	b.tplMu.Lock()
	now, ok := b.tplDeps[k]
	b.tplMu.Unlock()
	if ok {
		return now.value, now.ok
	}
	switch k.Kind {
	case buildcache.DepLayout:
		if t, _, found := b.layouts.Lookup(layout.Candidates(k.Lookup.Kind, k.Lookup.Type, k.Lookup.Layout)); found {
			now = depNow{value: shortHash(t.Name), ok: true}
		}
	case buildcache.DepTemplate:
		if t, _, found := b.layouts.Lookup([]string{k.Name}); found {
			now = depNow{value: b.templateHash(t), ok: true}
		}
	}
	b.tplMu.Lock()
	if b.tplDeps == nil {
		b.tplDeps = map[buildcache.DepKey]depNow{}
	}
	b.tplDeps[k] = now
	b.tplMu.Unlock()
	return now.value, now.ok
}

// pageDepValue is what a dependency on the page p is worth now.
func (b *builder) pageDepValue(k buildcache.DepKey, p *page) ([16]byte, bool) {
	switch k.Kind {
	case buildcache.DepMeta:
		return p.metaHash, true
	case buildcache.DepContent:
		return p.md.Sum, true
	case buildcache.DepSummary:
		return p.summaryHash, true
	case buildcache.DepList:
		return p.listHash, true
	case buildcache.DepNeighbours:
		return b.neighbourHash(p.src), true
	case buildcache.DepImage:
		return shortHash(b.imageSignature(p.src, k.Name)), true
	case buildcache.DepCard, buildcache.DepShortLink:
		// asks for the page's card or short link; holds while the page is there
		return shortHash("asked"), true
	}
	return [16]byte{}, false
}

// sortedDeps returns what the run read, in a stable order, each once.
func (r *run) sortedDeps() []buildcache.Dep {
	deps := r.deps
	// a key read twice has one value (nothing a render reads changes while
	// it runs): no need for a stable sort
	slices.SortFunc(deps, func(a, b buildcache.Dep) int {
		// by page first: depsHold then looks each page up once
		return cmp.Or(cmp.Compare(a.Page, b.Page), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Lookup.Kind, b.Lookup.Kind), cmp.Compare(a.Lookup.Type, b.Lookup.Type), cmp.Compare(a.Lookup.Layout, b.Lookup.Layout))
	})
	deps = slices.CompactFunc(deps, func(a, b buildcache.Dep) bool { return a.DepKey == b.DepKey })
	// kept exactly: the record lives as long as the cache, and the buffer
	// it grew in is handed to the next run
	out := slices.Clone(deps)
	if cap(r.deps) > 0 {
		clear(r.deps[:cap(r.deps)])
		scratch := r.deps[:0]
		depScratch.Put(&scratch)
	}
	r.deps = nil
	return out
}

// depScratch holds buffers runs record their reads in.
var depScratch sync.Pool

// dep records that the run read k, worth value. Reads come in runs (a
// listed page's title, then its link, then its date): a repeat of the last
// read is not recorded again.
func (r *run) dep(k buildcache.DepKey, value [16]byte) {
	if n := len(r.deps); n > 0 && r.deps[n-1].DepKey == k {
		return
	}
	if r.deps == nil {
		if s, ok := depScratch.Get().(*[]buildcache.Dep); ok {
			r.deps = *s
		}
	}
	r.deps = append(r.deps, buildcache.Dep{DepKey: k, Value: value})
}
