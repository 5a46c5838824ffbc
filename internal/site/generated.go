package site

import (
	"context"
	"crypto/sha256"
	"io/fs"
	"path"
	"strings"

	"github.com/serikat-id/serikat/internal/assets"
	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/publish"
	"github.com/serikat-id/serikat/internal/sitefiles"
)

// generated writes the outputs made by Serikat itself rather than by
// templates: feeds, sitemap, redirects, share cards, the web app files, the
// search index.
func (b *builder) generated(w *publish.Writer, outputs map[string]*buildcache.Output) {
	put := b.putter(w, outputs)
	// what a file shows of each page: its metadata (address, title,
	// dates), and for lists and feeds its summary
	hashPages := func(pages []*content.Page, summaries bool) [16]byte {
		h := sha256.New()
		for _, p := range pages {
			bp := b.pages[p]
			h.Write(bp.metaHash[:])
			if summaries {
				h.Write(bp.summaryHash[:])
			}
		}
		var out [16]byte
		copy(out[:], h.Sum(nil))
		return out
	}
	listed := func(pages []*content.Page) [16]byte { return hashPages(pages, true) }
	site, files := b.site, b.siteFiles()
	if _, ok := outputs["404.html"]; !ok {
		put("404.html", shortHash("404"), func() []byte {
			return files.NotFound(b.translateOr("notFoundTitle", "Halaman tidak ditemukan"), b.translateOr("backHome", "Kembali ke beranda"))
		})
	}
	put("sitemap.xml", hashPages(site.All, false), func() []byte { return files.Sitemap(site.All) })
	put("robots.txt", shortHash("robots"), func() []byte {
		if b.absBase == "" {
			return sitefiles.Robots("")
		}
		return sitefiles.Robots(b.absURL("/sitemap.xml"))
	})
	regular := listed(site.Regular)
	if b.features.pagesJSON {
		put("pages.json", regular, func() []byte { return files.PagesJSON(site.Regular) })
	}
	home := b.pages[site.Home]
	put("index.xml", shortHash(string(home.metaHash[:]), string(regular[:])), func() []byte { return files.Feed(site.Home, site.Regular) })
	// each section's feed lists the regular pages in it and below it, in
	// the site's order: gathered in one pass over the pages
	under := map[string][]*content.Page{}
	for _, p := range site.Regular {
		for dir := p.Dir; dir != "" && dir != "."; dir = path.Dir(dir) {
			under[dir] = append(under[dir], p)
		}
	}
	for _, s := range site.Sections {
		if s.Kind == content.KindHome {
			continue
		}
		items := under[s.Dir]
		sp, key := b.pages[s], listed(items)
		put(outPath(s.URL+"index.xml"), shortHash(string(sp.metaHash[:]), string(key[:])), func() []byte { return files.Feed(s, items) })
	}
	for _, p := range site.All {
		for _, a := range p.Aliases {
			clean, err := content.CleanURL(a)
			if err != nil {
				continue // reported by content
			}
			put(outPath(clean), b.pages[p].metaHash, func() []byte { return files.Alias(p) })
		}
	}
	if b.features.cards || b.features.shortLinks {
		cards, shortLinks := askedFor(outputs, b.fragmentRecs)
		b.shareCards(context.Background(), w, put, cards)
		b.shortLinks(put, shortLinks)
	}
	b.appFiles(put)
	b.searchIndex(put)
	if b.opts.Extra != nil {
		in := Extra{Site: site, Config: b.cfg, Schema: b.schema}
		for _, a := range b.assets.All() {
			if strings.HasSuffix(a.Out, ".css") {
				in.Stylesheets = append(in.Stylesheets, b.relURL("/"+a.Out))
			}
		}
		b.problems.Add(b.opts.Extra(in, put))
	}
}

// putter returns the function generated outputs are written with. Each is
// keyed by a hash of what it shows (cheap to compute from the pages'
// hashes) and made again only when that changes.
func (b *builder) putter(w *publish.Writer, outputs map[string]*buildcache.Output) func(name string, key [16]byte, produce func() []byte) {
	return func(name string, key [16]byte, produce func() []byte) {
		deps := []buildcache.Dep{{DepKey: buildcache.DepKey{Kind: buildcache.DepGenerated}, Value: key}}
		if prev, ok := b.cache.Output(name); ok && len(prev.Deps) == 1 && prev.Deps[0] == deps[0] && w.Keep(name, prev.Sum) {
			outputs[name] = prev
			return
		}
		data := produce()
		if data == nil {
			return // produce reported why
		}
		var err error
		// the XML and JSON are written compact already; HTML is minified
		if assets.MediaType(name) == assets.HTML {
			data, err = b.minify(name, data)
		}
		if err != nil {
			b.problems.Add(err)
			return
		}
		sum := buildcache.Hash(sha256.Sum256(data))
		outputs[name] = &buildcache.Output{Sum: sum, Deps: deps}
		b.problems.Add(w.PutSum(name, data, sum))
	}
}

func (b *builder) copyFiles(w *publish.Writer) {
	for _, a := range b.assets.All() {
		if !b.published(assets.Dir + "/" + a.Src) {
			continue
		}
		data, err := b.minify(a.Out, a.Data) // SVG, JSON and XML; CSS and JS already are
		if err != nil {
			b.problems.Add(&diag.Error{Path: "assets/" + a.Src, Msg: err.Error(), Err: err})
			continue
		}
		b.problems.Add(w.Put(a.Out, data))
	}
	for _, f := range b.site.Files {
		if !b.published(f.Src) {
			continue
		}
		data, err := fs.ReadFile(b.fsys, f.Src)
		if err != nil {
			b.problems.Add(&diag.Error{Path: f.Src, Msg: "cannot read: " + err.Error(), Err: err})
			continue
		}
		name := strings.TrimPrefix(f.URL, "/")
		if data, err = b.minify(name, data); err != nil {
			b.problems.Add(&diag.Error{Path: f.Src, Msg: err.Error(), Err: err})
			continue
		}
		b.problems.Add(w.Put(name, data))
	}
}

// siteFiles is what the files of package sitefiles say of this site.
func (b *builder) siteFiles() sitefiles.Site {
	return sitefiles.Site{Title: b.cfg.Title, Language: b.cfg.LanguageCode, AbsURL: b.absURL, RelURL: b.relURL, Summary: b.summaryOf}
}

func (b *builder) summaryOf(p *content.Page) string {
	if p.Summary != "" {
		return p.Summary
	}
	return b.pages[p].md.Summary
}
