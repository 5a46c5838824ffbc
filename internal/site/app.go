package site

import (
	"errors"
	"fmt"
	"github.com/serikat-id/serikat/internal/msg"
	"path"
	"strings"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/publish"
	"github.com/serikat-id/serikat/internal/pwa"
	"github.com/serikat-id/serikat/internal/sharecard"
)

// A site is also a small web app a phone can keep, and campaigns have short
// links for posters and videos (package pwa). The builder makes these files
// when the theme asks for them (see features.go).

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
	short, _ := b.cfg.Params["namaPendek"].(string)
	app := pwa.App{Name: b.cfg.Title, ShortName: short, Lang: b.cfg.LanguageCode, Scope: b.basePath,
		Description: b.site.Home.Description, Colour: colour}
	for _, size := range pwa.IconSizes {
		if !b.features.icons[size] {
			continue
		}
		put(strings.TrimPrefix(pwa.IconName(size), "/"), shortHash(fmt.Sprint(sharecard.Version, size, app.Letter(), colour)), func() []byte {
			data, err := app.Icon(size)
			if err != nil {
				b.problems.Add(err)
			}
			return data
		})
	}
	if !b.features.manifest {
		return
	}
	data := app.Manifest()
	put("manifest.webmanifest", shortHash(string(data)), func() []byte { return data })
}

// ErrNoHost marks the warning that the site's address is unknown (baseURL
// is a path), which matters for what is printed: posters' QR codes.
var ErrNoHost = errors.New("baseURL has no host")

// shortCode is a campaign page's short link code (see pwa.ShortCode); ""
// for other pages.
func (b *builder) shortCode(p *content.Page) string {
	c := b.pages[p].campaign
	if c == nil {
		return ""
	}
	return pwa.ShortCode(c, p.URL)
}

// joinURL is the absolute address of a campaign's join form, marked with
// the channel that led there.
func (b *builder) joinURL(p *content.Page, src string) string {
	return pwa.JoinURL(b.absURL(p.URL), src)
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
			w := diag.Warn(config.FileName, 0, msg.NoHostForPosters)
			w.Err = ErrNoHost
			b.warnings.Add(w)
		}
		if other, ok := seen[code]; ok {
			b.problems.Addf(p.File, p.Line("federasi"), "the short link /j/%s/ is already %s's: two campaigns of one federation need another federasi, or one of them bersama: true", code, other.File)
			continue
		}
		seen[code] = p
		for src, name := range pwa.ShortLinks(code) {
			target := b.joinURL(p, src)
			put(name, shortHash(target, p.Title), func() []byte { return b.siteFiles().Redirect(p.Title, target) })
		}
	}
}

// serviceWorkerJS writes sw.js, versioned by every other file of the build.
func (b *builder) serviceWorkerJS(w *publish.Writer, put func(name string, key [16]byte, produce func() []byte)) {
	if !b.features.serviceWorker {
		return
	}
	precache := []string{b.basePath}
	if b.features.manifest {
		precache = append(precache, b.relURL("/manifest.webmanifest"))
	}
	if b.features.icons[192] {
		precache = append(precache, b.relURL(pwa.IconName(192)))
	}
	offline := ""
	if _, ok := b.byURL[pwa.OfflineURL]; ok {
		offline = b.relURL(pwa.OfflineURL)
		precache = append(precache, offline)
	}
	for _, a := range b.assets.All() {
		if strings.HasSuffix(a.Out, ".css") || strings.HasSuffix(a.Out, ".js") && !strings.HasPrefix(path.Base(a.Src), "cari") {
			precache = append(precache, b.relURL("/"+a.Out))
		}
	}
	js, err := pwa.ServiceWorker(pwa.Worker{Files: w.Files(), Precache: precache, Offline: offline,
		JoinEndpoint: b.cfg.Join.Endpoint, Thanks: b.relURL(b.cfg.Join.Thanks)})
	if err != nil {
		b.problems.Add(err)
		return
	}
	put("sw.js", shortHash(string(js)), func() []byte { return js })
}
