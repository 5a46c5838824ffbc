package site

import (
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/campaign"
	"github.com/serikat-id/serikat/internal/content"
)

// This file is the template API: the fields and methods a layout can use.
// Designers write against it, so it changes only with care; the README's
// "Template API" section lists it.
//
// Each template run sees the site through a Page and a Site that belong to
// that run alone. Every method records what it read (a page's metadata, a
// page's content, a list of pages) so a later build can tell whether the
// output could have changed.
//
// What a method returns depends only on its receiver and arguments, never
// on which page the run renders: layout shares a fragment that reads only
// .Site between every page (see fragments.go), which is only right while
// that holds.

// Page is a page as templates see it.
type Page struct {
	p *page
	r *run
}

// Title is the page's title.
func (v Page) Title() string { v.meta(); return v.p.src.Title }

// Description is the front matter description.
func (v Page) Description() string { v.meta(); return v.p.src.Description }

// Content is the page's rendered Markdown.
func (v Page) Content() (template.HTML, error) {
	v.content()
	return v.r.b.readHTML(v.p.md.HTML)
}

// TableOfContents is the page's headings as nested lists in a
// <nav id="TableOfContents">.
func (v Page) TableOfContents() (template.HTML, error) {
	v.content()
	return v.r.b.readHTML(v.p.md.TOC)
}

// Summary is the front matter summary, or else the start of the first
// paragraph, as plain text.
func (v Page) Summary() template.HTML {
	if v.p.src.Summary != "" {
		v.meta()
		return template.HTML(template.HTMLEscapeString(v.p.src.Summary))
	}
	v.r.dep(summaryDep(v.p.src.URL), v.p.summaryHash)
	return template.HTML(template.HTMLEscapeString(v.p.md.Summary))
}

// WordCount is the number of words of the page's text.
func (v Page) WordCount() int { v.content(); return v.p.md.WordCount }

// ReadingTime is the minutes a reader needs, at 200 words a minute.
func (v Page) ReadingTime() int {
	v.content()
	return int(math.Ceil(float64(v.p.md.WordCount) / 200))
}

// Image is an <img> for a photo in the page's folder (or, failing that,
// under assets/): every published version in srcset, its width and height,
// lazy loading. Give "eager" as a third argument for a photo on the first
// screen. alt describes the photo; "" marks it as decoration.
func (v Page) Image(src, alt string, loading ...string) (template.HTML, error) {
	pic, err := v.r.b.picture(v.p.src, src)
	if err != nil {
		return "", err
	}
	v.r.dep(imageDep(v.p.src.URL, src), shortHash(v.r.b.imageSignature(v.p.src, src)))
	return template.HTML(imgTag(pic, alt, len(loading) > 0 && loading[0] == "eager")), nil
}

// ShareImage is the picture a shared link to the page shows: the page's
// own (front matter gambar, with gambarAlt) or its share card. URL is
// empty when there is neither.
func (v Page) ShareImage() ShareImage {
	v.meta()
	if g, ok := v.r.b.ownImage(v.p.src); ok {
		v.r.dep(imageDep(v.p.src.URL, g), shortHash(v.r.b.imageSignature(v.p.src, g)))
	}
	img, err := v.r.b.shareImage(v.p.src)
	if err != nil {
		return ShareImage{} // reported by checkOwnImages, at the page's line
	}
	if _, own := v.r.b.ownImage(v.p.src); !own && img.URL != "" {
		v.r.dep(cardDep(v.p.src.URL), shortHash("asked")) // draw it
	}
	return img
}

// ShortLink is a campaign page's short address, /j/<federasi>/ made
// absolute, which leads to its join form (for posters); "" for other pages.
func (v Page) ShortLink() string {
	v.meta()
	if code := v.r.b.shortCode(v.p.src); code != "" {
		v.r.dep(shortLinkDep(v.p.src.URL), shortHash("asked")) // write it
		return v.r.b.absURL("/j/" + code + "/")
	}
	return ""
}

// JoinURL is the absolute address of a campaign page's join form, marked
// with the channel src (for a poster's QR code: "poster").
func (v Page) JoinURL(src string) string {
	v.meta()
	return v.r.b.joinURL(v.p.src, src)
}

// Poster is the address of a campaign page's printable poster
// (<page>poster/), or "" when the page has none.
func (v Page) Poster() string {
	v.meta()
	if v.r.b.hasPoster(v.p.src) {
		return v.r.b.relURL(v.p.src.URL + "poster/")
	}
	return ""
}

// Campaign is a campaign page's front matter, decoded (see package
// campaign): .Campaign.Target, .Campaign.Deadline, .Campaign.FederationName…
// It is nil for other pages.
func (v Page) Campaign() *campaign.Campaign { v.meta(); return v.p.campaign }

// Module is a training module's front matter, decoded; nil for other pages.
func (v Page) Module() *campaign.Module { v.meta(); return v.p.module }

// Date is the front matter date (zero when not set).
func (v Page) Date() time.Time { v.meta(); return v.p.src.Date }

// Lastmod is the front matter lastmod, or else the date.
func (v Page) Lastmod() time.Time { v.meta(); return v.p.src.Lastmod }

// Params are the front matter keys that are not fields of their own.
func (v Page) Params() map[string]any { v.meta(); return v.p.src.Params }

// Param returns a page parameter, or else the site parameter of that name.
func (v Page) Param(key string) any {
	v.meta()
	if x, ok := v.p.src.Params[key]; ok {
		return x
	}
	return v.r.b.cfg.Params[key]
}

// Permalink is the page's absolute URL (a path when the base URL has no host).
func (v Page) Permalink() string { v.meta(); return v.r.b.absURL(v.p.src.URL) }

// RelPermalink is the page's path, with the base URL's path in front.
func (v Page) RelPermalink() string { v.meta(); return v.r.b.relURL(v.p.src.URL) }

// Section is the top-level section's name, such as "modul".
func (v Page) Section() string { v.meta(); return v.p.src.Section() }

// Type is the layout type: the front matter type or the section.
func (v Page) Type() string { v.meta(); return v.p.src.Type }

// Kind is "home", "section", "page", "taxonomy", "term" or "404".
func (v Page) Kind() string { return v.p.kind() }

// Layout is the front matter layout.
func (v Page) Layout() string { v.meta(); return v.p.src.Layout }

// Draft reports whether the page is a draft (only built with --drafts).
func (v Page) Draft() bool { v.meta(); return v.p.src.Draft }

// Weight is the front matter weight.
func (v Page) Weight() int { v.meta(); return v.p.src.Weight }

// Tags are the page's tags as written.
func (v Page) Tags() []string { v.meta(); return v.p.src.Tags }

// TagPages are the pages of the page's tags.
func (v Page) TagPages() []Page {
	v.meta()
	v.r.dep(tagsDep, v.r.b.tagsHash)
	var out []Page
	for _, t := range v.p.src.Tags {
		if term, ok := v.r.b.termBySlug(t); ok {
			out = append(out, v.r.view(term))
		}
	}
	return out
}

// File is the source file from the site root, empty for made-up pages.
func (v Page) File() string { return v.p.src.File }

// IsHome, IsPage, IsSection and IsNode say what kind of page this is.
func (v Page) IsHome() bool    { return v.p.src.Kind == content.KindHome }
func (v Page) IsPage() bool    { return v.p.src.Kind == content.KindPage }
func (v Page) IsSection() bool { return v.p.src.Kind == content.KindSection }
func (v Page) IsNode() bool    { return v.p.src.Kind != content.KindPage }

// Pages are the pages a list page lists: for a section its pages and
// subsections, for the home the top-level pages and sections, for a tag the
// pages with that tag. Empty for a regular page.
func (v Page) Pages() []Page {
	v.r.list(v.p)
	return v.r.views(v.p.src.Pages)
}

// RegularPages is Pages without subsections.
func (v Page) RegularPages() []Page {
	v.r.list(v.p)
	var out []Page
	for _, p := range v.p.src.Pages {
		if p.Kind == content.KindPage {
			out = append(out, v.r.view(p))
		}
	}
	return out
}

// Sections are the subsections of a list page.
func (v Page) Sections() []Page {
	v.r.list(v.p)
	var out []Page
	for _, p := range v.p.src.Pages {
		if p.Kind == content.KindSection {
			out = append(out, v.r.view(p))
		}
	}
	return out
}

// Prev and Next are the neighbours in the section's order; nil at the ends.
func (v Page) Prev() *Page { return v.neighbour(v.p.src.Prev) }
func (v Page) Next() *Page { return v.neighbour(v.p.src.Next) }

func (v Page) neighbour(n *content.Page) *Page {
	v.r.dep(neighboursDep(v.p.src.URL), v.r.b.neighbourHash(v.p.src))
	if n == nil {
		return nil
	}
	view := v.r.view(n)
	return &view
}

// Parent is the section holding the page; nil for the home.
func (v Page) Parent() *Page { return v.neighbour2(v.p.src.Parent) }

func (v Page) neighbour2(n *content.Page) *Page {
	if n == nil {
		return nil
	}
	view := v.r.view(n)
	return &view
}

// Site is the site.
func (v Page) Site() Site { return Site{r: v.r} }

// Eq reports whether two views show the same page.
func (v Page) Eq(other Page) bool { return v.p == other.p }

func (v Page) meta()    { v.r.dep(metaDep(v.p.src.URL), v.p.metaHash) }
func (v Page) content() { v.r.dep(contentDep(v.p.src.URL), v.p.md.Sum) }

// Site is the site as templates see it.
type Site struct{ r *run }

// Title is the site's title from serikat.toml.
func (s Site) Title() string { return s.r.b.cfg.Title }

// BaseURL is the base URL from serikat.toml or --base-url.
func (s Site) BaseURL() string { return s.r.b.cfg.BaseURL }

// LanguageCode is the site's language, "id" by default.
func (s Site) LanguageCode() string { return s.r.b.cfg.LanguageCode }

// Language is {{ .Site.Language.Lang }}, as Hugo layouts write it.
func (s Site) Language() struct{ Lang string } {
	return struct{ Lang string }{s.r.b.cfg.LanguageCode}
}

// Join is the [join] section of serikat.toml as templates need it: where
// the join form posts, whether to emit a Netlify Forms form instead, and
// the thank-you page after signing up (with the base path, as Endpoint).
func (s Site) Join() struct{ Backend, Endpoint, Thanks string } {
	j := s.r.b.cfg.Join
	return struct{ Backend, Endpoint, Thanks string }{j.Backend, s.r.b.linkURL(j.Endpoint), s.r.b.relURL(j.Thanks)}
}

// Params are the [params] of serikat.toml.
func (s Site) Params() map[string]any { return s.r.b.cfg.Params }

// MenuEntry is one menu link; URL already carries the base path.
type MenuEntry struct {
	Name, URL string
	Weight    int
}

// Menus are the [menus] of serikat.toml by name, ordered by weight.
func (s Site) Menus() map[string][]MenuEntry {
	out := make(map[string][]MenuEntry, len(s.r.b.cfg.Menus))
	for name, entries := range s.r.b.cfg.Menus {
		for _, e := range entries {
			out[name] = append(out[name], MenuEntry{Name: e.Name, URL: s.r.b.linkURL(e.URL), Weight: e.Weight})
		}
	}
	return out
}

// Pages are all regular pages, in section order.
func (s Site) Pages() []Page {
	s.r.dep(sitePagesDep, s.r.b.regularHash)
	return s.r.views(s.r.b.site.Regular)
}

// RegularPages is the same as Pages.
func (s Site) RegularPages() []Page { return s.Pages() }

// Sections are the top-level sections.
func (s Site) Sections() []Page {
	s.r.list(s.r.b.pages[s.r.b.site.Home])
	var out []Page
	for _, p := range s.r.b.site.Home.Pages {
		if p.Kind == content.KindSection {
			out = append(out, s.r.view(p))
		}
	}
	return out
}

// Home is the home page.
func (s Site) Home() Page { return s.r.view(s.r.b.site.Home) }

// Tags are the pages of every tag, by name.
func (s Site) Tags() []Page {
	s.r.dep(tagsDep, s.r.b.tagsHash)
	if s.r.b.site.Tags == nil {
		return nil
	}
	return s.r.views(s.r.b.site.Tags.Pages)
}

// GetPage finds a page by its source file ("modul/01-dasar.md", with or
// without content/) or by its URL ("/modul/").
func (s Site) GetPage(ref string) *Page {
	s.r.dep(sitePagesDep, s.r.b.regularHash)
	file := "content/" + strings.TrimPrefix(strings.TrimPrefix(ref, "/"), "content/")
	if p, ok := s.r.b.site.ByFile[file]; ok {
		v := s.r.view(p)
		return &v
	}
	if p, ok := s.r.b.byURL[ref]; ok {
		v := s.r.view(p.src)
		return &v
	}
	return nil
}

// run is one template execution and what it read.
type run struct {
	b    *builder
	deps []buildcache.Dep // what it read, in order, see dep
}

func (r *run) view(p *content.Page) Page { return Page{p: r.b.pages[p], r: r} }

func (r *run) views(ps []*content.Page) []Page {
	out := make([]Page, len(ps))
	for i, p := range ps {
		out[i] = r.view(p)
	}
	return out
}

func (r *run) list(p *page) { r.dep(listDep(p.src.URL), p.listHash) }
