package theme

import (
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/followup"
	"github.com/serikat-id/serikat/internal/qrsvg/qrtest"
)

const siteURL = "https://serikat.example.org/"

// head reads a page's <link rel=canonical>, <meta property|name> and
// JSON-LD.
func head(t *testing.T, page []byte) (meta map[string]string, canonical string, jsonld []map[string]any) {
	meta = map[string]string{}
	z := html.NewTokenizer(strings.NewReader(string(page)))
	inLD := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		tok := z.Token()
		attr := map[string]string{}
		for _, a := range tok.Attr {
			attr[a.Key] = a.Val
		}
		switch {
		case tt == html.StartTagToken && tok.Data == "meta":
			if k := attr["property"] + attr["name"]; k != "" {
				meta[k] = attr["content"]
			}
		case tt == html.StartTagToken && tok.Data == "link" && attr["rel"] == "canonical":
			canonical = attr["href"]
		case tt == html.StartTagToken && tok.Data == "script" && attr["type"] == "application/ld+json":
			inLD = true
		case tt == html.TextToken && inLD:
			var v map[string]any
			if err := json.Unmarshal([]byte(tok.Data), &v); err != nil {
				t.Errorf("JSON-LD does not parse: %v\n%s", err, tok.Data)
			}
			jsonld = append(jsonld, v)
			inLD = false
		}
	}
}

// localFile is the built file a URL of the site names.
func localFile(dest, u string) (string, bool) {
	if !strings.HasPrefix(u, siteURL) {
		return "", false
	}
	p, _ := url.PathUnescape(strings.TrimPrefix(u, siteURL))
	return filepath.Join(dest, filepath.FromSlash(p)), true
}

// Every page a reader can share carries Open Graph and X tags with a
// picture that exists, is the size the tags say (1200×630 for cards) and
// weighs under 300 KB; campaigns, modules and news carry the JSON-LD of
// their kind.
func TestSharePreviews(t *testing.T) {
	dest := buildRepoSite(t)
	checked := 0
	for name, page := range pages(t, dest) {
		if name == "404.html" || strings.HasPrefix(name, "j/") || strings.Contains(string(page), `http-equiv="refresh"`) || strings.Contains(string(page), "http-equiv=refresh") {
			continue // not pages anyone shares: redirects and the 404 page
		}
		checked++
		meta, canonical, jsonld := head(t, page)
		want := map[string]string{"og:locale": "id_ID", "og:site_name": "Serikat Buruh di Era Digital", "twitter:card": "summary_large_image"}
		for k, v := range want {
			if meta[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, meta[k], v)
			}
		}
		for _, k := range []string{"og:title", "og:description", "og:image:alt"} {
			if strings.TrimSpace(meta[k]) == "" {
				t.Errorf("%s: no %s", name, k)
			}
		}
		if ty := meta["og:type"]; ty != "website" && ty != "article" {
			t.Errorf("%s: og:type %q", name, ty)
		}
		if !strings.HasPrefix(canonical, siteURL) || meta["og:url"] != canonical {
			t.Errorf("%s: canonical %q, og:url %q", name, canonical, meta["og:url"])
		}
		file, ok := localFile(dest, meta["og:image"])
		if !ok {
			t.Errorf("%s: og:image %q is not an absolute URL of the site", name, meta["og:image"])
			continue
		}
		f, err := os.Open(file)
		if err != nil {
			t.Errorf("%s: og:image %s: %v", name, meta["og:image"], err)
			continue
		}
		cfg, _, err := image.DecodeConfig(f)
		info, _ := f.Stat()
		f.Close()
		if err != nil || itoa(cfg.Width) != meta["og:image:width"] || itoa(cfg.Height) != meta["og:image:height"] {
			t.Errorf("%s: og:image is %dx%d (%v), the tags say %sx%s", name, cfg.Width, cfg.Height, err, meta["og:image:width"], meta["og:image:height"])
		}
		if strings.HasSuffix(file, "share.png") && (cfg.Width != 1200 || cfg.Height != 630) {
			t.Errorf("%s: share card is %dx%d", name, cfg.Width, cfg.Height)
		}
		if info.Size() > 300<<10 {
			t.Errorf("%s: og:image weighs %d KB", name, info.Size()>>10)
		}
		wantLD := map[string]string{"kampanye/": "Organization", "modul/": "Course", "berita/": "NewsArticle"}
		for prefix, typ := range wantLD {
			if strings.HasPrefix(name, prefix) && strings.Count(name, "/") == 2 && !strings.Contains(name, "/poster/") {
				if len(jsonld) != 1 || jsonld[0]["@type"] != typ || jsonld[0]["@context"] != "https://schema.org" {
					t.Errorf("%s: JSON-LD %v, want one %s", name, jsonld, typ)
				}
			}
		}
	}
	if checked < 15 {
		t.Errorf("checked only %d pages", checked)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

var (
	svgElement = regexp.MustCompile(`(?s)<svg[^>]*class="?qr.*?</svg>`)
	shareLink  = regexp.MustCompile(`<a href="?([^" >]+)`)
)

// Every campaign has a poster whose QR code opens its join form marked
// src=poster, with its short address printed, and the short address leads
// to the same form.
func TestPostersAndShortLinks(t *testing.T) {
	dest := buildRepoSite(t)
	all := pages(t, dest)
	posters := 0
	for name := range all {
		if !strings.HasPrefix(name, "kampanye/") || strings.Count(name, "/") != 2 || name == "kampanye/index.html" {
			continue
		}
		campaign := siteURL + strings.TrimSuffix(name, "index.html")
		poster, ok := all[strings.TrimSuffix(name, "index.html")+"poster/index.html"]
		if !ok {
			t.Errorf("%s has no poster", name)
			continue
		}
		posters++
		svg := svgElement.Find(poster)
		if svg == nil {
			t.Errorf("%s: the poster has no QR code", name)
			continue
		}
		got, err := qrtest.DecodeSVG(string(svg))
		if want := campaign + "?src=poster#form-gabung"; err != nil || got != want {
			t.Errorf("%s: the QR code reads %q (%v), want %q", name, got, err, want)
		}
		if !strings.Contains(string(svg), `viewBox="0 0 `) {
			t.Errorf("%s: the QR code has no viewBox", name)
		}
		short := regexp.MustCompile(`serikat\.example\.org/j/([a-z0-9-]+)/`).FindSubmatch(poster)
		if short == nil {
			t.Errorf("%s: no short address on the poster", name)
			continue
		}
		read := func(name string) string {
			data, _ := os.ReadFile(filepath.Join(dest, filepath.FromSlash(name)))
			return string(data)
		}
		redirect := read("j/" + string(short[1]) + "/index.html")
		if !strings.Contains(redirect, campaign+"?src=poster#form-gabung") {
			t.Errorf("/j/%s/ does not lead to %s?src=poster: %s", short[1], campaign, redirect)
		}
		if video := read("j/" + string(short[1]) + "/video/index.html"); !strings.Contains(video, "?src=video") {
			t.Errorf("/j/%s/video/ does not carry src=video", short[1])
		}
	}
	if posters < 4 {
		t.Errorf("found %d posters, want one for each of the 4 campaigns", posters)
	}
}

// Every share link names its channel with src=, so signups can be counted
// by where they came from: each src= the theme writes, the phone's own
// share button's too, is a channel the endpoint counts by default (not
// "lainnya") and belongs to one of the training's strategies.
func TestShareLinksCarrySource(t *testing.T) {
	dest := buildRepoSite(t)
	links := 0
	sources := map[string]bool{}
	for name, page := range pages(t, dest) {
		s := string(page)
		for _, m := range srcValue.FindAllStringSubmatch(queryUnescaper.Replace(html.UnescapeString(s)), -1) {
			sources[m[1]] = true
		}
		start := strings.Index(s, `class=share`)
		if start < 0 {
			continue
		}
		section := s[start : start+strings.Index(s[start:], "</section>")]
		for _, m := range shareLink.FindAllStringSubmatch(section, -1) {
			links++
			u, _ := url.QueryUnescape(html.UnescapeString(m[1]))
			if !srcValue.MatchString(u) {
				t.Errorf("%s: share link %s carries no src=", name, m[1])
			}
		}
	}
	if links < 20 {
		t.Errorf("found %d share links", links)
	}
	for _, want := range []string{"whatsapp", "bagikan", "salin", "poster"} {
		if !sources[want] {
			t.Errorf("no page carries src=%s: the test looks in the wrong place", want)
		}
	}
	for src := range sources {
		if !slices.Contains(join.DefaultChannels, src) {
			t.Errorf("src=%s is not one of join.DefaultChannels: its signups would count as %q", src, join.OtherChannel)
		}
		if followup.DefaultStrategies[src] == "" {
			t.Errorf("src=%s has no strategy in followup.DefaultStrategies", src)
		}
	}
}

// srcValue finds the channel a link names, in a page's text or an address;
// queryUnescaper turns a src= inside another address (wa.me/?text=…) back.
var (
	srcValue       = regexp.MustCompile(`[?&]src=([a-z0-9-]+)`)
	queryUnescaper = strings.NewReplacer("%3F", "?", "%3D", "=", "%26", "&")
)
