package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/serikat-id/serikat/internal/assets"
	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/layout"
	"github.com/serikat-id/serikat/internal/publish"
)

// FeedItems is how many of the newest pages a feed lists.
const FeedItems = 20

// renderOutputs runs the template of every page, reusing outputs whose
// dependencies have not changed and whose file is still in the destination.
func (b *builder) renderOutputs(ctx context.Context, w *publish.Writer, report *Report) map[string]*buildcache.Output {
	globalChanged := b.cache.SetGlobal(b.globalHash())
	// a page whose URL another page already has was reported by content;
	// rendering it too would only report the same clash again
	var pages []*content.Page
	taken := make(map[string]bool, len(b.site.All))
	for _, p := range b.site.All {
		if !taken[p.URL] {
			taken[p.URL] = true
			pages = append(pages, p)
		}
	}
	notFound := b.notFoundPage()
	if notFound != nil {
		pages = append(pages, notFound)
	}
	// every page's own output, and a poster for each campaign
	jobs := make([]output, 0, len(pages))
	hasPosters := b.layouts.Has(posterLayout)
	for _, p := range pages {
		jobs = append(jobs, output{page: p, name: outPath(p.URL)}) // candidates and lookup when it renders
		if hasPosters && p.Type == "kampanye" && p.Kind == content.KindPage {
			jobs = append(jobs, output{page: p, name: outPath(p.URL + "poster/"), candidates: []string{posterLayout}, lookup: "poster"})
		}
	}
	outputs := make(map[string]*buildcache.Output, len(jobs))
	var mu sync.Mutex
	var rendered, reused, deferred int
	// a session may put the pages its visitors have open first (see
	// Session.Build); never when everything changed, since outputs' own
	// dependencies do not record the global hash
	var first map[string]bool
	if b.session && len(b.first) > 0 && !globalChanged {
		first = map[string]bool{}
		for _, name := range b.first {
			first[name] = true
		}
	}
	b.parallel(ctx, len(jobs), func(i int) {
		job := jobs[i]
		if !globalChanged {
			prev, ok := b.cache.Output(job.name)
			hold := ok && b.depsHold(prev.Deps)
			if ok && (hold || first != nil && !first[job.name]) && w.Keep(job.name, prev.Sum) {
				mu.Lock()
				outputs[job.name] = prev
				if hold {
					reused++
				} else {
					deferred++ // its record still names the old dependencies: the next build renders it
				}
				mu.Unlock()
				return
			}
		}
		out, data, err := b.renderOne(job)
		if err != nil || out == nil {
			b.problems.Add(err)
			return
		}
		if err := w.PutOwned(job.name, data, out.Sum, putBytes); err != nil {
			b.problems.Add(err)
			return
		}
		mu.Lock()
		outputs[job.name], rendered = out, rendered+1
		mu.Unlock()
	})
	report.Rendered, report.Reused, report.Deferred = rendered, reused, deferred
	return outputs
}

// output is one file a template makes for a page.
type output struct {
	page       *content.Page
	name       string
	candidates []string // the templates to look for, in order; nil: the page's own (layoutCandidates)
	lookup     string   // what choosing among them depends on; "": lookupKey(page)
}

// posterLayout is the template of a campaign's printable poster.
const posterLayout = layout.Dir + "/kampanye/poster.html"

// hasPoster reports whether a page gets a poster: campaign pages do, when
// the theme has the template.
func (b *builder) hasPoster(p *content.Page) bool {
	return p.Type == "kampanye" && p.Kind == content.KindPage && b.layouts.Has(posterLayout)
}

// notFoundPage is the 404 page when layouts/404.html exists.
func (b *builder) notFoundPage() *content.Page {
	if t, _, ok := b.layouts.Lookup([]string{layout.Dir + "/404.html"}); !ok || t == nil {
		return nil
	}
	p := &content.Page{Kind: "404", URL: "/404.html", Title: b.translateOr("notFoundTitle", "Halaman tidak ditemukan"),
		Params: map[string]any{}, Type: "404"}
	p.MetaHash = sha256.Sum256([]byte("404"))
	b.pages[p] = &page{src: p, md: &buildcache.Markdown{}}
	b.pages[p].metaHash = shortHash("404", p.Title)
	b.byURL[p.URL] = p
	return p
}

func (b *builder) renderOne(job output) (*buildcache.Output, []byte, error) {
	if job.candidates == nil {
		job.candidates, job.lookup = layoutCandidates(job.page), lookupKey(job.page)
	}
	src, candidates := job.page, job.candidates
	if job.lookup == lookupKey(src) && src.Layout != "" && !b.layouts.Has(candidates[0]) && !b.layouts.Has(candidates[1]) {
		return nil, nil, diag.Errorf(src.File, src.Line("layout"), "layout %q not found: add %s or %s", src.Layout, candidates[0], candidates[1])
	}
	t, broken, ok := b.layouts.Lookup(candidates)
	if broken {
		return nil, nil, nil // the template's own problem says it all
	}
	if !ok {
		where := src.File
		if where == "" {
			where = layout.Dir
		}
		return nil, nil, diag.Errorf(where, 0, "no layout for %s page %s: add %s", src.Kind, src.URL, strings.Join(candidates, " or "))
	}
	r := &run{b: b}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := t.Execute(buf, r.view(src)); err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			if src.File != "" {
				de.Msg += " (rendering " + src.File + ")"
			} else {
				de.Msg += " (rendering " + src.URL + ")"
			}
		}
		return nil, nil, err
	}
	name := job.name
	data, err := b.minifyTo(getBytes(), name, buf.Bytes())
	if err != nil {
		return nil, nil, diag.Errorf(t.Name, 0, "%v", err)
	}
	// which template the lookup chose, and what that template runs
	if job.lookup == lookupKey(src) {
		r.dep(layoutDep(src), shortHash(t.Name))
	}
	r.dep(templateDep(t.Name), b.templateHash(t))
	out := &buildcache.Output{Sum: sha256.Sum256(data), Deps: r.sortedDeps()}
	return out, data, nil
}

// layoutCandidates are the templates a page's own output may use, in order.
func layoutCandidates(p *content.Page) []string {
	return layout.Candidates(string(p.Kind), p.Type, p.Layout)
}

// lookupKey names what layout lookup depends on for a page.
func lookupKey(p *content.Page) string {
	return string(p.Kind) + "|" + p.Type + "|" + p.Layout
}

// generated writes the outputs made by Serikat itself rather than by
// templates: feeds, sitemap, redirects, share cards, the web app files, the
// search index.
func (b *builder) generated(w *publish.Writer, outputs map[string]*buildcache.Output) {
	put := b.putter(w, outputs)
	// what lists show of a page: its metadata and its summary
	listed := func(pages []*content.Page) [16]byte {
		h := sha256.New()
		for _, p := range pages {
			bp := b.pages[p]
			h.Write(bp.metaHash[:])
			h.Write(bp.summaryHash[:])
		}
		var out [16]byte
		copy(out[:], h.Sum(nil))
		return out
	}
	site := b.site
	if _, ok := outputs["404.html"]; !ok {
		put("404.html", shortHash("404"), b.fallback404)
	}
	put("sitemap.xml", listed(site.All), b.sitemap)
	put("robots.txt", shortHash("robots"), b.robots)
	regular := listed(site.Regular)
	put("pages.json", regular, b.pagesJSON)
	home := b.pages[site.Home]
	put("index.xml", shortHash(string(home.metaHash[:]), string(regular[:])), func() []byte { return b.feed(site.Home, site.Regular) })
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
		put(outPath(s.URL+"index.xml"), shortHash(string(sp.metaHash[:]), string(key[:])), func() []byte { return b.feed(s, items) })
	}
	for _, p := range site.All {
		for _, a := range p.Aliases {
			clean, err := content.CleanURL(a)
			if err != nil {
				continue // reported by content
			}
			put(outPath(clean), b.pages[p].metaHash, func() []byte { return b.aliasPage(p) })
		}
	}
	cards, shortLinks := askedFor(outputs)
	b.shareCards(context.Background(), w, put, cards)
	b.appFiles(put)
	b.shortLinks(put, shortLinks)
	b.searchIndex(put)
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

func (b *builder) fallback404() []byte {
	title := b.translateOr("notFoundTitle", "Halaman tidak ditemukan")
	return fmt.Appendf(nil, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>%s</title></head><body><main><h1>%s</h1><p><a href="%s">%s</a></p></main></body></html>`,
		xmlEscape(b.cfg.LanguageCode), xmlEscape(title), xmlEscape(title), xmlEscape(b.relURL("/")), xmlEscape(b.translateOr("backHome", "Kembali ke beranda")))
}

func (b *builder) aliasPage(p *content.Page) []byte {
	target := b.absURL(p.URL)
	return fmt.Appendf(nil, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>%s</title><link rel="canonical" href="%s"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=%s"></head><body><p><a href="%s">%s</a></p></body></html>`,
		xmlEscape(b.cfg.LanguageCode), xmlEscape(p.Title), xmlEscape(target), xmlEscape(target), xmlEscape(target), xmlEscape(p.Title))
}

func xmlEscape(s string) string {
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s))
	return buf.String()
}

func (b *builder) sitemap() []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pages := slices.Clone(b.site.All)
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	for _, p := range pages {
		fmt.Fprintf(&buf, "<url><loc>%s</loc>", xmlEscape(b.absURL(p.URL)))
		if !p.Lastmod.IsZero() {
			fmt.Fprintf(&buf, "<lastmod>%s</lastmod>", p.Lastmod.Format("2006-01-02"))
		}
		buf.WriteString("</url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

func (b *builder) robots() []byte {
	s := "User-agent: *\nAllow: /\n"
	if b.absBase != "" {
		s += "Sitemap: " + b.absURL("/sitemap.xml") + "\n"
	}
	return []byte(s)
}

func (b *builder) summaryOf(p *content.Page) string {
	if p.Summary != "" {
		return p.Summary
	}
	return b.pages[p].md.Summary
}

func (b *builder) pagesJSON() []byte {
	type entry struct {
		Title   string   `json:"title"`
		URL     string   `json:"url"`
		Section string   `json:"section"`
		Summary string   `json:"summary"`
		Date    string   `json:"date,omitempty"`
		Tags    []string `json:"tags,omitempty"`
	}
	entries := make([]entry, 0, len(b.site.Regular))
	for _, p := range b.site.Regular {
		e := entry{Title: p.Title, URL: b.relURL(p.URL), Section: p.Section(), Summary: b.summaryOf(p), Tags: p.Tags}
		if !p.Date.IsZero() {
			e.Date = p.Date.Format(time.RFC3339)
		}
		entries = append(entries, e)
	}
	data, _ := json.Marshal(entries) // plain strings and slices always marshal
	return data
}

// feed is an RSS 2.0 feed of the newest pages among items.
func (b *builder) feed(list *content.Page, items []*content.Page) []byte {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(x, y *content.Page) int { return y.Date.Compare(x.Date) })
	if len(items) > FeedItems {
		items = items[:FeedItems]
	}
	var buf bytes.Buffer
	title := b.cfg.Title
	if list.Kind != content.KindHome {
		title = list.Title + " · " + b.cfg.Title
	}
	buf.WriteString(xml.Header + `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>`)
	fmt.Fprintf(&buf, "<title>%s</title><link>%s</link><description>%s</description><language>%s</language>",
		xmlEscape(title), xmlEscape(b.absURL(list.URL)), xmlEscape(title), xmlEscape(b.cfg.LanguageCode))
	fmt.Fprintf(&buf, `<atom:link href="%s" rel="self" type="application/rss+xml"/>`, xmlEscape(b.absURL(list.URL+"index.xml")))
	for _, p := range items {
		link := xmlEscape(b.absURL(p.URL))
		fmt.Fprintf(&buf, "<item><title>%s</title><link>%s</link><guid>%s</guid>", xmlEscape(p.Title), link, link)
		if !p.Date.IsZero() {
			fmt.Fprintf(&buf, "<pubDate>%s</pubDate>", p.Date.Format(time.RFC1123Z))
		}
		fmt.Fprintf(&buf, "<description>%s</description></item>", xmlEscape(b.summaryOf(p)))
	}
	buf.WriteString("</channel></rss>\n")
	return buf.Bytes()
}

// loadStrings reads the UI strings for lang from layouts/i18n/<lang>.toml.
// Each key is either text or a table with "other" (Hugo's format).
func loadStrings(fsys fs.FS, lang string) (map[string]string, error) {
	name := layout.Dir + "/i18n/" + lang + ".toml"
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, &diag.Error{Path: name, Msg: err.Error(), Err: err}
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &diag.Error{Path: name, Line: line, Column: col, Msg: de.Error(), Err: err}
		}
		return nil, &diag.Error{Path: name, Msg: err.Error(), Err: err}
	}
	out := make(map[string]string, len(raw))
	var problems diag.List
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case map[string]any:
			if s, ok := v["other"].(string); ok {
				out[k] = s
				continue
			}
			problems.Addf(name, 0, "%s: want text, or a table with other = \"text\"", k)
		default:
			problems.Addf(name, 0, "%s: want text, got %v", k, v)
		}
	}
	return out, problems.Err()
}

// translate is the T template function.
func (b *builder) translate(key string, data ...any) (string, error) {
	s, ok := b.i18n[key]
	if !ok {
		return "", fmt.Errorf("T: no UI string %q in %s/i18n/%s.toml", key, layout.Dir, b.cfg.LanguageCode)
	}
	if len(data) == 0 || !strings.Contains(s, "{{") {
		return s, nil
	}
	t, err := texttemplate.New(key).Parse(s)
	if err != nil {
		return "", fmt.Errorf("T: UI string %q: %w", key, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data[0]); err != nil {
		return "", fmt.Errorf("T: UI string %q: %w", key, err)
	}
	return buf.String(), nil
}

func (b *builder) translateOr(key, fallback string) string {
	if s, ok := b.i18n[key]; ok {
		return s
	}
	return fallback
}
