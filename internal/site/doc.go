// Package site runs one build of a site, from its sources to a finished
// public/ folder, and the preview server's repeated builds (Session).
//
// # What a build does
//
//  1. reads serikat.toml, the pages under content/, the templates under
//     layouts/ (with the UI strings in layouts/i18n/) and the files under assets/;
//  2. renders every page's Markdown, in parallel, resolving links to other
//     pages ([Modul 2](02-rekrutmen.md) becomes /modul/02-rekrutmen/) and
//     checking that linked pages and headings exist;
//  3. runs each page's template, in parallel, and minifies the result;
//  4. adds sitemap.xml, an RSS feed (index.xml) for the home page and each
//     section, robots.txt, 404.html and a redirect page for each alias;
//     and, when the theme's templates ask for them, share cards, the search
//     index, the web app manifest and icons, sw.js, short links and
//     pages.json (title, URL, section, summary and date of every page)
//     (features.go);
//  5. writes the result.
//
// Every problem of every step is collected and returned together, each as
// path:line: message. When there is any problem nothing is written: the
// previous public/ stays exactly as it was.
//
// # Writing, and the build cache
//
// A first build renders into a new folder beside the destination and swaps
// it in with one rename (an atomic exchange on Linux), so readers of public/
// see the old site or the new one, never half of each.
//
// The build keeps a cache under the site (.serikat/cache, safe to delete; see
// package buildcache). When the destination is exactly as the last build left
// it, the next build renders only outputs whose inputs changed (it knows,
// for each output, which pages and lists its template read) and replaces only
// files whose bytes changed, each by an atomic rename, after every file has
// been staged successfully. The result is byte for byte what a build without
// the cache would write.
//
// # What it owns, and what it leaves to others
//
// This package is the build plan and the template API: loading (site.go),
// the typed dependencies an output records and their values now (deps.go),
// which generated files the theme asked for (features.go), Markdown and
// link resolution (render.go), photos (images.go), running templates and
// reusing their outputs (outputs.go), the Page and Site that templates see
// (api.go), when each generated file is made again (generated.go, app.go,
// share.go, searchindex.go), and the preview's Session (session.go).
//
// The files themselves are made elsewhere, from what the build gives them:
//
//   - package publish stages the files beside the destination and commits
//     or aborts them (dest.go is the build's side of it);
//   - package sitefiles makes the feeds, sitemap.xml, robots.txt,
//     pages.json, the plain 404 page and redirect pages;
//   - package pwa makes the manifest, its icons and sw.js, and names short
//     links;
//   - package sharecard draws share cards and package search splits the
//     search index into files;
//   - package layout finds and runs templates, package markdown renders
//     Markdown, package content reads the pages.
package site
