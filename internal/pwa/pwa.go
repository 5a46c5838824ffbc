package pwa

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"image/color"
	"path"
	"slices"
	"strings"
	texttemplate "text/template"
	"unicode"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/campaign"
	"github.com/serikat-id/serikat/internal/sharecard"
)

// OfflineURL is the page the service worker shows for a page it does not
// have when there is no connection, when the site has one.
const OfflineURL = "/offline/"

// IconSizes are the sizes of the app's icons, square.
var IconSizes = []int{192, 512}

// IconName is the path of the app's icon of a size.
func IconName(size int) string { return fmt.Sprintf("/icon-%d.png", size) }

// App is what the manifest and the icons show of the site.
type App struct {
	Name        string // the site's title
	ShortName   string // the name under the icon; "" for the words of Name that fit
	Lang        string
	Scope       string // the base URL's path, "/" or "/sub/": where the app starts
	Description string
	Colour      color.RGBA
}

// Letter is the letter an icon shows: the first letter or digit of the
// name, upper case.
func (a App) Letter() string {
	for _, r := range a.Name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return string(unicode.ToUpper(r))
		}
	}
	return "S"
}

// Icon is the PNG of the app's icon of a size.
func (a App) Icon(size int) ([]byte, error) {
	return sharecard.Icon(size, a.Letter(), a.Colour)
}

// Manifest is manifest.webmanifest.
func (a App) Manifest() []byte {
	short := a.ShortName
	if short == "" {
		// the words of the title that fit under an icon (about 12 letters)
		for _, word := range strings.Fields(a.Name) {
			if short != "" && len([]rune(short+" "+word)) > 12 {
				break
			}
			short = strings.TrimSpace(short + " " + word)
		}
	}
	icon := func(size int) string { return a.Scope + strings.TrimPrefix(IconName(size), "/") }
	hex := fmt.Sprintf("#%02x%02x%02x", a.Colour.R, a.Colour.G, a.Colour.B)
	manifest := map[string]any{
		"name": a.Name, "short_name": short, "lang": a.Lang,
		"start_url": a.Scope, "scope": a.Scope, "display": "standalone",
		"background_color": "#ffffff", "theme_color": hex,
		"icons": []map[string]string{
			{"src": icon(192), "sizes": "192x192", "type": "image/png"},
			{"src": icon(512), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	if a.Description != "" {
		manifest["description"] = a.Description
	}
	data, _ := json.Marshal(manifest) // strings only: always marshals
	return data
}

//go:embed sw.js.tmpl
var serviceWorkerSource string

var serviceWorker = texttemplate.Must(texttemplate.New("sw.js").Parse(serviceWorkerSource))

// Worker is what the service worker needs to know of a build.
type Worker struct {
	// Files are the build's other files: their hashes version its cache.
	Files    map[string]buildcache.Written
	Precache []string // the addresses it keeps on install
	Offline  string   // the offline page's address, or ""
	// JoinEndpoint is serikat.toml's join endpoint, whose answers it
	// leaves to the network; Thanks is the address of the thank-you page.
	JoinEndpoint, Thanks string
}

// ServiceWorker is sw.js.
func ServiceWorker(w Worker) ([]byte, error) {
	names := make([]string, 0, len(w.Files))
	for name := range w.Files {
		if name != "sw.js" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		sum := w.Files[name].Sum
		h.Write([]byte(name))
		h.Write(sum[:])
	}
	var version [sha256.Size]byte
	h.Sum(version[:0])

	js := func(v any) string { data, _ := json.Marshal(v); return string(data) }
	var buf bytes.Buffer
	err := serviceWorker.Execute(&buf, map[string]string{
		"Version": js(fmt.Sprintf("%x", version[:6])), "Precache": js(w.Precache), "Offline": js(w.Offline),
		"API": js(apiPrefix(w.JoinEndpoint)), "Thanks": js(w.Thanks),
	})
	return buf.Bytes(), err
}

// apiPrefix is the path the join endpoint answers under ("/api/").
func apiPrefix(endpoint string) string {
	if !strings.HasPrefix(endpoint, "/") {
		return "/api/" // another origin: the worker does not see it anyway
	}
	return strings.TrimSuffix(path.Dir(endpoint), "/") + "/"
}

// ShortCode is a campaign's short link code: its federation, or for a
// joint campaign the last part of its page's URL.
func ShortCode(c *campaign.Campaign, url string) string {
	if c.Federation != "" {
		return c.Federation
	}
	return path.Base(strings.TrimSuffix(url, "/"))
}

// ShortLinks are the files of a campaign's short links by the channel
// that leads there (see JoinURL): j/<code>/ for posters, j/<code>/video/
// for videos.
func ShortLinks(code string) map[string]string {
	return map[string]string{"poster": "j/" + code + "/index.html", "video": "j/" + code + "/video/index.html"}
}

// JoinURL is the address of the join form on a campaign's page (its
// absolute URL), marked with the channel src that led there.
func JoinURL(page, src string) string {
	return page + "?src=" + src + "#form-gabung"
}
