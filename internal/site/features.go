package site

import (
	"bytes"
	"strings"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/pwa"
)

// Serikat makes some files that no template renders: the search index,
// the web app manifest and its icons, the service worker, share cards and
// short links. It makes each only when the theme asks for it, so a site
// whose templates never mention them pays nothing for them:
//
//   - the search index (search/), the manifest (manifest.webmanifest), its
//     icons (icon-192.png, icon-512.png) and the service worker (sw.js)
//     when a template names the file, as the default theme does with
//     {{ relURL "/sw.js" }} (the manifest brings its icons);
//   - a page's share card (share.png) when a rendered template calls that
//     page's .ShareImage and shows the card (not the page's own picture);
//   - a campaign's short links (/j/<federasi>/) when a rendered template
//     calls its .ShortLink.
//
// Pages' outputs record the cards and short links they showed as
// dependencies, so that outputs reused from the build cache still ask for
// them.

// features are the site-wide files the theme's templates name.
type features struct {
	search, manifest, serviceWorker bool
	pagesJSON                       bool         // the list of every page, for scripts
	icons                           map[int]bool // by size
	// cards and shortLinks: some template calls .ShareImage or .ShortLink,
	// so outputs may ask for them (a template cannot call a method it
	// does not name)
	cards, shortLinks bool
}

// featuresOf reads what the templates ask for from their source. A file
// is named by its path from the root or by its name in quotes, as Hugo
// themes write it: "/sw.js", {{ relURL "sw.js" }}, {{ "sw.js" | absURL }}.
func featuresOf(sources map[string][]byte, searchOn bool) features {
	names := func(name string) bool {
		for _, src := range sources {
			if bytes.Contains(src, []byte("/"+name)) || bytes.Contains(src, []byte(`"`+name)) {
				return true
			}
		}
		return false
	}
	calls := func(method string) bool {
		for _, src := range sources {
			if bytes.Contains(src, []byte(method)) {
				return true
			}
		}
		return false
	}
	f := features{search: searchOn && names("search/"), manifest: names("manifest.webmanifest"),
		serviceWorker: names("sw.js"), pagesJSON: names("pages.json"), icons: map[int]bool{},
		cards: calls("ShareImage"), shortLinks: calls("ShortLink")}
	for _, size := range pwa.IconSizes {
		f.icons[size] = f.manifest || names(strings.TrimPrefix(pwa.IconName(size), "/"))
	}
	return f
}

// askedFor returns the URLs of the pages whose share card, and whose short
// links, some output asked for: one pass over every output's dependencies.
func askedFor(outputs, fragments map[string]*buildcache.Output) (cards, shortLinks map[string]bool) {
	cards, shortLinks = map[string]bool{}, map[string]bool{}
	seen := map[string]bool{}
	var note func(deps []buildcache.Dep)
	note = func(deps []buildcache.Dep) {
		for _, d := range deps {
			switch d.Kind {
			case buildcache.DepCard:
				cards[d.Page] = true
			case buildcache.DepShortLink:
				shortLinks[d.Page] = true
			case buildcache.DepFragment:
				if f := fragments[d.Name]; f != nil && !seen[d.Name] {
					seen[d.Name] = true
					note(f.Deps)
				}
			}
		}
	}
	for _, o := range outputs {
		note(o.Deps)
	}
	return cards, shortLinks
}
