package sitefiles

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/serikat-id/serikat/internal/content"
)

// FeedItems is how many of the newest pages a feed lists.
const FeedItems = 20

// Site is what the files say of the site.
type Site struct {
	Title    string // serikat.toml's title
	Language string // its languageCode
	// AbsURL is the absolute URL of a site path ("/modul/"), or RelURL's
	// answer when the base URL has no host; RelURL is the path under the
	// base URL's path ("/sub/modul/").
	AbsURL, RelURL func(path string) string
	// Summary is a page's summary as lists show it.
	Summary func(*content.Page) string
}

// NotFound is a plain 404 page titled title, with a link home labelled
// backHome.
func (s Site) NotFound(title, backHome string) []byte {
	return fmt.Appendf(nil, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>%s</title></head><body><main><h1>%s</h1><p><a href="%s">%s</a></p></main></body></html>`,
		escape(s.Language), escape(title), escape(title), escape(s.RelURL("/")), escape(backHome))
}

// Alias is the page at one of p's aliases: it sends readers and search
// engines on to p.
func (s Site) Alias(p *content.Page) []byte {
	target := s.AbsURL(p.URL)
	return fmt.Appendf(nil, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>%s</title><link rel="canonical" href="%s"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=%s"></head><body><p><a href="%s">%s</a></p></body></html>`,
		escape(s.Language), escape(p.Title), escape(target), escape(target), escape(target), escape(p.Title))
}

// Redirect is a page that sends readers on to target (a short link), kept
// out of search engines.
func (s Site) Redirect(title, target string) []byte {
	return fmt.Appendf(nil, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>%s</title><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=%s"></head><body><p><a href="%s">%s</a></p></body></html>`,
		escape(s.Language), escape(title), escape(target), escape(target), escape(title))
}

// Sitemap is sitemap.xml listing pages by URL, each with its lastmod.
func (s Site) Sitemap(pages []*content.Page) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pages = slices.Clone(pages)
	sort.Slice(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	for _, p := range pages {
		fmt.Fprintf(&buf, "<url><loc>%s</loc>", escape(s.AbsURL(p.URL)))
		if !p.Lastmod.IsZero() {
			fmt.Fprintf(&buf, "<lastmod>%s</lastmod>", p.Lastmod.Format("2006-01-02"))
		}
		buf.WriteString("</url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

// Robots is robots.txt, allowing everything; it names the sitemap at
// sitemapURL unless that is "" (a sitemap must be named by an absolute URL).
func Robots(sitemapURL string) []byte {
	s := "User-agent: *\nAllow: /\n"
	if sitemapURL != "" {
		s += "Sitemap: " + sitemapURL + "\n"
	}
	return []byte(s)
}

// PagesJSON is pages.json: the title, address, section, summary, date and
// tags of each page, in order, for scripts and other sites to read.
func (s Site) PagesJSON(pages []*content.Page) []byte {
	type entry struct {
		Title   string   `json:"title"`
		URL     string   `json:"url"`
		Section string   `json:"section"`
		Summary string   `json:"summary"`
		Date    string   `json:"date,omitempty"`
		Tags    []string `json:"tags,omitempty"`
	}
	entries := make([]entry, 0, len(pages))
	for _, p := range pages {
		e := entry{Title: p.Title, URL: s.RelURL(p.URL), Section: p.Section(), Summary: s.Summary(p), Tags: p.Tags}
		if !p.Date.IsZero() {
			e.Date = p.Date.Format(time.RFC3339)
		}
		entries = append(entries, e)
	}
	data, _ := json.Marshal(entries) // plain strings and slices always marshal
	return data
}

// Feed is the RSS 2.0 feed of list (the home page or a section): the
// FeedItems newest pages among items, newest first.
func (s Site) Feed(list *content.Page, items []*content.Page) []byte {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(x, y *content.Page) int { return y.Date.Compare(x.Date) })
	if len(items) > FeedItems {
		items = items[:FeedItems]
	}
	var buf bytes.Buffer
	title := s.Title
	if list.Kind != content.KindHome {
		title = list.Title + " · " + s.Title
	}
	buf.WriteString(xml.Header + `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>`)
	fmt.Fprintf(&buf, "<title>%s</title><link>%s</link><description>%s</description><language>%s</language>",
		escape(title), escape(s.AbsURL(list.URL)), escape(title), escape(s.Language))
	fmt.Fprintf(&buf, `<atom:link href="%s" rel="self" type="application/rss+xml"/>`, escape(s.AbsURL(list.URL+"index.xml")))
	for _, p := range items {
		link := escape(s.AbsURL(p.URL))
		fmt.Fprintf(&buf, "<item><title>%s</title><link>%s</link><guid>%s</guid>", escape(p.Title), link, link)
		if !p.Date.IsZero() {
			fmt.Fprintf(&buf, "<pubDate>%s</pubDate>", p.Date.Format(time.RFC1123Z))
		}
		fmt.Fprintf(&buf, "<description>%s</description></item>", escape(s.Summary(p)))
	}
	buf.WriteString("</channel></rss>\n")
	return buf.Bytes()
}

// escape escapes s for XML text and attributes, and so for HTML too.
func escape(s string) string {
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s))
	return buf.String()
}
