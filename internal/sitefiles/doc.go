// Package sitefiles makes the files of a site that no template renders and
// that every site gets: the RSS feeds (index.xml for the home page and each
// section), sitemap.xml, robots.txt, pages.json, a plain 404.html for a
// theme without one, and the redirect pages of aliases and short links.
//
// Each is a function of the pages and of the site's title, language and
// addresses (Site), returning the file's bytes: XML and JSON written
// compact, HTML not yet minified. Text is escaped for XML and HTML; feeds
// and the sitemap hold absolute URLs when the site's base URL has a host.
//
// It does not decide which files a build makes or when to make one again
// (package site does, from the pages' hashes), and it writes nothing.
package sitefiles
