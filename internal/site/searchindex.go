package site

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/search"
)

// searchIndex writes search/ (package search) for every regular page. It is
// made again only when a page's text, title, address or section's title
// changed.
func (b *builder) searchIndex(put func(name string, key [16]byte, produce func() []byte)) {
	if !b.features.search || b.searchLater {
		return
	}
	pages := slices.Clone(b.site.Regular)
	parts := make([]string, 0, 4*len(pages))
	for _, p := range pages {
		bp := b.pages[p]
		section := "" // a result names its section
		if p.Parent != nil && p.Parent.Kind != content.KindHome {
			section = p.Parent.Title
		}
		parts = append(parts, p.URL, string(bp.metaHash[:]), string(bp.md.Sum[:]), section)
	}
	key := shortHash(parts...)
	var files map[string][]byte
	build := func() map[string][]byte {
		if files != nil {
			return files
		}
		docs := make([]search.Doc, len(pages))
		b.parallel(context.Background(), len(pages), func(i int) {
			p := pages[i]
			bp := b.pages[p]
			d := search.Doc{URL: b.relURL(p.URL), Title: p.Title, Summary: p.Description}
			if p.Parent != nil && p.Parent.Kind != content.KindHome {
				d.Section = p.Parent.Title
			}
			if d.Summary == "" {
				d.Summary = bp.md.Summary
			}
			d.Summary = shorten(d.Summary, 160)
			// the terms the page's render kept (see renderPage), read in
			// place; a damaged entry makes the build start again without
			// the cache
			if data, err := b.read(bp.md.Terms); err == nil {
				if search.CheckTerms(data) != nil {
					b.damaged.Store(true)
				} else {
					d.Kept = data
				}
			}
			docs[i] = d
		})
		files = search.Build(docs)
		return files
	}
	// which files the index has depends on its words: build it to know,
	// unless the last build's list still holds
	names := b.cache.Names("search/")
	if prev, ok := b.cache.Output("search/pages-0.json"); !ok || len(prev.Deps) != 1 || prev.Deps[0].Value != key {
		names = nil
		for name := range build() {
			names = append(names, "search/"+name)
		}
	}
	for _, name := range names {
		put(name, key, func() []byte { return build()[strings.TrimPrefix(name, "search/")] })
	}
}

// shorten cuts s to at most max characters, the last an ellipsis.
func shorten(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == max-1 {
			cut = i
			break
		}
		n++
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

// textOf is the text of an HTML fragment, without its tags.
func textOf(fragment []byte) string {
	var sb strings.Builder
	z := html.NewTokenizer(bytes.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return sb.String()
		case html.TextToken:
			sb.Write(z.Text())
			sb.WriteByte(' ')
		}
	}
}
