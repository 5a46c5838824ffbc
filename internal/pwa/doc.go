// Package pwa makes the files that let a site live on a phone and be
// reached from print: the web app manifest (manifest.webmanifest) with its
// icons drawn at build time (icon-192.png, icon-512.png), sw.js, a service
// worker that keeps the pages a worker has read for when there is no
// signal, and the short links (/j/<federasi>/) that lead posters and videos
// to a campaign's join form.
//
// # The service worker
//
// sw.js is made from sw.js.tmpl, kept in its own file so it reads and diffs
// as JavaScript; every value it is given is JSON. Its cache version is a
// hash of every other file of the build, so a new build replaces the app
// shell a phone holds. It precaches the files a page needs to open offline
// and never caches the join endpoint's answers (under API).
//
// # What it does not do
//
// It does not decide whether a site gets these files: package site makes
// each only when the theme's templates name it. It knows no page, only
// what it is given, and writes nothing; short links' redirect pages are
// package sitefiles' Redirect.
package pwa
