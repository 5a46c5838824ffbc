package site

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	texttemplate "text/template"
	"unicode"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/publish"
	"github.com/serikat-id/serikat/internal/sharecard"
)

// A site is also a small web app a phone can keep: manifest.webmanifest
// with icons drawn at build time (icon-192.png, icon-512.png), and sw.js, a
// service worker that keeps the pages a worker has read for when there is
// no signal. Short links (/j/<federation>/) lead posters and videos to a
// campaign's join form.

// offlineURL is the page the service worker shows for a page it does not
// have when there is no connection.
const offlineURL = "/offline/"

// appIconSizes are the sizes of the app's icons, square.
var appIconSizes = []int{192, 512}

// iconName is the path of the app's icon of a size.
func iconName(size int) string { return fmt.Sprintf("/icon-%d.png", size) }

// appFiles writes the manifest and its icons, those the theme asks for.
func (b *builder) appFiles(put func(name string, key [16]byte, produce func() []byte)) {
	if !b.features.manifest && !b.features.icons[192] && !b.features.icons[512] {
		return
	}
	colour, err := b.colour(&content.Page{Params: map[string]any{}})
	if err != nil {
		b.problems.Add(err)
		return
	}
	letter := "S"
	for _, r := range b.cfg.Title {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letter = string(unicode.ToUpper(r))
			break
		}
	}
	for _, size := range appIconSizes {
		if !b.features.icons[size] {
			continue
		}
		put(strings.TrimPrefix(iconName(size), "/"), shortHash(fmt.Sprint(sharecard.Version, size, letter, colour)), func() []byte {
			data, err := sharecard.Icon(size, letter, colour)
			if err != nil {
				b.problems.Add(err)
			}
			return data
		})
	}
	short, _ := b.cfg.Params["namaPendek"].(string)
	if short == "" {
		// the words of the title that fit under an icon (about 12 letters)
		for _, word := range strings.Fields(b.cfg.Title) {
			if short != "" && len([]rune(short+" "+word)) > 12 {
				break
			}
			short = strings.TrimSpace(short + " " + word)
		}
	}
	if !b.features.manifest {
		return
	}
	hex := fmt.Sprintf("#%02x%02x%02x", colour.R, colour.G, colour.B)
	manifest := map[string]any{
		"name": b.cfg.Title, "short_name": short, "lang": b.cfg.LanguageCode,
		"start_url": b.basePath, "scope": b.basePath, "display": "standalone",
		"background_color": "#ffffff", "theme_color": hex,
		"icons": []map[string]string{
			{"src": b.relURL(iconName(192)), "sizes": "192x192", "type": "image/png"},
			{"src": b.relURL(iconName(512)), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	if d := b.site.Home.Description; d != "" {
		manifest["description"] = d
	}
	data, _ := json.Marshal(manifest)
	put("manifest.webmanifest", shortHash(string(data)), func() []byte { return data })
}

// ErrNoHost marks the warning that the site's address is unknown (baseURL
// is a path), which matters for what is printed: posters' QR codes.
var ErrNoHost = errors.New("baseURL has no host")

// shortCode is a campaign page's short link code: its federation, or the
// last part of its URL for a joint campaign; "" for other pages.
func (b *builder) shortCode(p *content.Page) string {
	c := b.pages[p].campaign
	if c == nil {
		return ""
	}
	if c.Federation != "" {
		return c.Federation
	}
	return path.Base(strings.TrimSuffix(p.URL, "/"))
}

// joinURL is the absolute address of a campaign's join form, marked with
// the channel that led there.
func (b *builder) joinURL(p *content.Page, src string) string {
	return b.absURL(p.URL) + "?src=" + src + "#form-gabung"
}

// shortLinks writes /j/<code>/ (for posters) and /j/<code>/video/ (for
// videos), each a redirect to the campaign's join form.
func (b *builder) shortLinks(put func(name string, key [16]byte, produce func() []byte), wanted map[string]bool) {
	seen := map[string]*content.Page{}
	warned := false
	for _, p := range b.site.Regular {
		code := b.shortCode(p)
		if code == "" || !wanted[p.URL] {
			continue
		}
		if b.absBase == "" && !warned {
			warned = true
			b.warnings.Add(&diag.Error{Path: config.FileName, Err: ErrNoHost,
				Msg: "baseURL has no host, so posters' QR codes and short links hold only a path (/kampanye/…): set baseURL to the site's address, or build with --base-url, before printing posters"})
		}
		if other, ok := seen[code]; ok {
			b.problems.Addf(p.File, p.Line("federasi"), "the short link /j/%s/ is already %s's: two campaigns of one federation need another federasi, or one of them bersama: true", code, other.File)
			continue
		}
		seen[code] = p
		for src, dir := range map[string]string{"poster": "", "video": "video/"} {
			target := b.joinURL(p, src)
			put("j/"+code+"/"+dir+"index.html", shortHash(target, p.Title), func() []byte { return b.siteFiles().Redirect(p.Title, target) })
		}
	}
}

//go:embed sw.js.tmpl
var serviceWorkerSource string

// serviceWorker is sw.js as a text/template, kept in its own file so that
// it reads and diffs as JavaScript; the values it is given are JSON.
var serviceWorker = texttemplate.Must(texttemplate.New("sw.js").Parse(serviceWorkerSource))

// apiPrefix is the path the join endpoint answers under ("/api/"), which
// the service worker leaves to the network.
func (b *builder) apiPrefix() string {
	e := b.cfg.Join.Endpoint
	if !strings.HasPrefix(e, "/") {
		return "/api/" // another origin: the worker does not see it anyway
	}
	return strings.TrimSuffix(path.Dir(e), "/") + "/"
}

// serviceWorkerJS writes sw.js, versioned by every other file of the build.
func (b *builder) serviceWorkerJS(w *publish.Writer, put func(name string, key [16]byte, produce func() []byte)) {
	if !b.features.serviceWorker {
		return
	}
	files := w.Files()
	names := make([]string, 0, len(files))
	for name := range files {
		if name != "sw.js" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		sum := files[name].Sum
		h.Write([]byte(name))
		h.Write(sum[:])
	}
	var version [sha256.Size]byte
	h.Sum(version[:0])

	precache := []string{b.basePath}
	if b.features.manifest {
		precache = append(precache, b.relURL("/manifest.webmanifest"))
	}
	if b.features.icons[192] {
		precache = append(precache, b.relURL(iconName(192)))
	}
	offline := ""
	if _, ok := b.byURL[offlineURL]; ok {
		offline = b.relURL(offlineURL)
		precache = append(precache, offline)
	}
	for _, a := range b.assets.All() {
		if strings.HasSuffix(a.Out, ".css") || strings.HasSuffix(a.Out, ".js") && !strings.HasPrefix(path.Base(a.Src), "cari") {
			precache = append(precache, b.relURL("/"+a.Out))
		}
	}
	js := func(v any) string { data, _ := json.Marshal(v); return string(data) }
	var buf bytes.Buffer
	err := serviceWorker.Execute(&buf, map[string]string{
		"Version": js(fmt.Sprintf("%x", version[:6])), "Precache": js(precache), "Offline": js(offline),
		"API": js(b.apiPrefix()), "Thanks": js(b.relURL(b.cfg.Join.Thanks)),
	})
	if err != nil {
		b.problems.Add(err)
		return
	}
	put("sw.js", shortHash(buf.String()), func() []byte { return buf.Bytes() })
}
