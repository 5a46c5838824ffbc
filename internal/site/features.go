package site

import (
	"bytes"

	"github.com/serikat-id/serikat/internal/buildcache"
)

// Serikat makes some files that no template renders: the search index,
// the web app manifest and its icons, the service worker, share cards and
// short links. It makes each only when the theme asks for it, so a site
// whose templates never mention them pays nothing for them:
//
//   - the search index (search/), the manifest (manifest.webmanifest), its
//     icons (icon-192.png, icon-512.png) and the service worker (sw.js)
//     when a template names the file's path, as the default theme does
//     with {{ relURL "/sw.js" }} (the manifest brings its icons);
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
	icons                           map[int]bool // by size
}

// featuresOf reads what the templates ask for from their source.
func featuresOf(sources map[string][]byte, searchOn bool) features {
	names := func(path string) bool {
		for _, src := range sources {
			if bytes.Contains(src, []byte(path)) {
				return true
			}
		}
		return false
	}
	f := features{search: searchOn && names("/search/"), manifest: names("/manifest.webmanifest"),
		serviceWorker: names("/sw.js"), icons: map[int]bool{}}
	for _, size := range appIconSizes {
		f.icons[size] = f.manifest || names(iconName(size))
	}
	return f
}

// asked returns the URLs of the pages whose generated file of the given
// kind (buildcache.DepCard, DepShortLink) some output asked for.
func asked(outputs map[string]*buildcache.Output, kind buildcache.DepKind) map[string]bool {
	urls := map[string]bool{}
	for _, o := range outputs {
		for _, d := range o.Deps {
			if d.Kind == kind {
				urls[d.Page] = true
			}
		}
	}
	return urls
}
