package sitefiles

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/content"
)

// site is a site under https://contoh.org/sub/ whose title needs escaping.
func site() Site {
	return Site{
		Title: `Serikat "Buruh" & Kawan`, Language: "id",
		AbsURL:  func(p string) string { return "https://contoh.org/sub/" + strings.TrimPrefix(p, "/") },
		RelURL:  func(p string) string { return "/sub/" + strings.TrimPrefix(p, "/") },
		Summary: func(p *content.Page) string { return "Ringkasan <" + p.Title + ">" },
	}
}

func day(d int) time.Time { return time.Date(2024, 3, d, 9, 0, 0, 0, time.UTC) }

// wellFormed fails unless data is well-formed XML.
func wellFormed(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		_, err := d.Token()
		if err != nil {
			if err != io.EOF {
				t.Fatalf("not well-formed XML: %v\n%s", err, data)
			}
			return
		}
	}
}

func TestFeedListsTheNewestPagesWithAbsoluteURLs(t *testing.T) {
	section := &content.Page{Kind: content.KindSection, URL: "/berita/", Title: "Berita & Aksi"}
	var items []*content.Page
	for i := 1; i <= FeedItems+5; i++ {
		items = append(items, &content.Page{Kind: content.KindPage, URL: fmt.Sprintf("/berita/%d/", i), Title: fmt.Sprintf("Aksi <%d>", i), Date: day(i)})
	}
	data := site().Feed(section, items)
	wellFormed(t, data)
	var feed struct {
		Channel struct {
			Title string   `xml:"title"`
			Links []string `xml:"link"` // and atom:link, which has no text
			Items []struct {
				Title       string `xml:"title"`
				Link        string `xml:"link"`
				GUID        string `xml:"guid"`
				PubDate     string `xml:"pubDate"`
				Description string `xml:"description"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(data, &feed); err != nil {
		t.Fatal(err)
	}
	ch := feed.Channel
	if ch.Title != `Berita & Aksi · Serikat "Buruh" & Kawan` || ch.Links[0] != "https://contoh.org/sub/berita/" {
		t.Errorf("channel title %q, link %q", ch.Title, ch.Links[0])
	}
	if len(ch.Items) != FeedItems {
		t.Fatalf("%d items, want the newest %d", len(ch.Items), FeedItems)
	}
	newest := FeedItems + 5
	if got := ch.Items[0]; got.Title != fmt.Sprintf("Aksi <%d>", newest) || got.Link != fmt.Sprintf("https://contoh.org/sub/berita/%d/", newest) ||
		got.Description != fmt.Sprintf("Ringkasan <Aksi <%d>>", newest) || got.PubDate != day(newest).Format(time.RFC1123Z) {
		t.Errorf("first item = %+v, want the newest page", got)
	}
	if !strings.Contains(string(data), `<atom:link href="https://contoh.org/sub/berita/index.xml" rel="self"`) {
		t.Errorf("no self link to the feed's absolute URL:\n%s", data)
	}
}

func TestHomeFeedIsTitledBySite(t *testing.T) {
	data := site().Feed(&content.Page{Kind: content.KindHome, URL: "/"}, nil)
	wellFormed(t, data)
	if !strings.Contains(string(data), "<title>Serikat &#34;Buruh&#34; &amp; Kawan</title>") {
		t.Errorf("home feed's title is not the site's, escaped:\n%s", data)
	}
}

func TestSitemapIsSortedAndAbsolute(t *testing.T) {
	pages := []*content.Page{
		{URL: "/modul/b/", Lastmod: day(2)},
		{URL: "/"},
		{URL: "/modul/a&b/", Lastmod: day(1)},
	}
	data := site().Sitemap(pages)
	wellFormed(t, data)
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	want := "[{https://contoh.org/sub/ } {https://contoh.org/sub/modul/a&b/ 2024-03-01} {https://contoh.org/sub/modul/b/ 2024-03-02}]"
	if fmt.Sprint(set.URLs) != want {
		t.Errorf("sitemap = %v, want %v", set.URLs, want)
	}
	if pages[0].URL != "/modul/b/" {
		t.Error("Sitemap reordered the caller's pages")
	}
}

func TestRobotsNamesTheSitemapOnlyWhenKnown(t *testing.T) {
	if got := string(Robots("https://contoh.org/sitemap.xml")); got != "User-agent: *\nAllow: /\nSitemap: https://contoh.org/sitemap.xml\n" {
		t.Errorf("Robots with a sitemap = %q", got)
	}
	if got := string(Robots("")); got != "User-agent: *\nAllow: /\n" {
		t.Errorf("Robots without = %q", got)
	}
}

func TestPagesJSON(t *testing.T) {
	pages := []*content.Page{
		{URL: "/modul/a/", Dir: "content/modul", Title: "A", Date: day(1), Tags: []string{"upah"}},
		{URL: "/tentang/", Dir: "content", Title: "Tentang"},
	}
	var got []map[string]any
	if err := json.Unmarshal(site().PagesJSON(pages), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0]["url"] != "/sub/modul/a/" || got[0]["summary"] != "Ringkasan <A>" ||
		got[0]["date"] != "2024-03-01T09:00:00Z" || fmt.Sprint(got[0]["tags"]) != "[upah]" {
		t.Errorf("pages.json = %v", got)
	}
	if _, ok := got[1]["date"]; ok {
		t.Errorf("a page without a date has one: %v", got[1])
	}
	if _, ok := got[1]["tags"]; ok {
		t.Errorf("a page without tags has them: %v", got[1])
	}
}

func TestHTMLPagesEscapeTitlesAndAddresses(t *testing.T) {
	s := site()
	for name, page := range map[string][]byte{
		"NotFound": s.NotFound(`Tidak <ada>`, `Kembali & pulang`),
		"Alias":    s.Alias(&content.Page{URL: "/modul/a/", Title: `Modul <A>`}),
		"Redirect": s.Redirect(`Gabung <sekarang>`, `https://contoh.org/sub/kampanye/a/?src=poster&x=1#form-gabung`),
	} {
		html := string(page)
		if strings.Contains(html, "<ada>") || strings.Contains(html, "<A>") || strings.Contains(html, "<sekarang>") || strings.Contains(html, "&x=") {
			t.Errorf("%s does not escape: %s", name, html)
		}
		if !strings.HasPrefix(html, `<!doctype html><html lang="id">`) {
			t.Errorf("%s: %s", name, html)
		}
	}
	if got := string(s.Alias(&content.Page{URL: "/modul/a/"})); !strings.Contains(got, `<link rel="canonical" href="https://contoh.org/sub/modul/a/">`) ||
		!strings.Contains(got, `content="0; url=https://contoh.org/sub/modul/a/"`) {
		t.Errorf("an alias does not lead to its page's absolute URL: %s", got)
	}
	if got := string(s.NotFound("x", "y")); !strings.Contains(got, `<a href="/sub/">y</a>`) {
		t.Errorf("the 404 page does not link home under the base path: %s", got)
	}
}
