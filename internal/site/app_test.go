package site

import (
	"strings"
	"testing"
)

// sw.js names the thank-you page ([join] thanks, with the site's base path)
// as never kept, beside the join endpoint's prefix, and templates see the
// same address as .Site.Join.Thanks.
func TestServiceWorkerNeverKeepsTheThanksPage(t *testing.T) {
	for _, tc := range []struct {
		name, toml string
		thanks     string
	}{
		{"default", "", "/gabung/terima-kasih/"},
		{"configured", `
-- serikat.toml --
baseURL = "https://uji.example.org/sub/"
[join]
thanks = "/selesai/"
`, "/sub/selesai/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t, minimalLayouts+tc.toml+`
-- layouts/_default/gabung.html --
{{ define "main" }}<form action="{{ .Site.Join.Endpoint }}" data-thanks="{{ .Site.Join.Thanks }}" data-sw="{{ relURL "/sw.js" }}"></form>{{ end }}
-- content/gabung.md --
---
title: Gabung
layout: gabung
---
`)
			mustBuild(t, dir, Options{NoMinify: true})
			sw := read(t, dir, "sw.js")
			for _, want := range []string{
				`var THANKS = "` + tc.thanks + `";`,
				`var API = "/api/";`,
				`if (req.method !== "GET" || url.origin !== location.origin || secret(req.url)) return;`,
				`&& !secret(res.url || req.url) && !noStore(res)`,
			} {
				if !strings.Contains(sw, want) {
					t.Errorf("sw.js lacks %s:\n%s", want, sw)
				}
			}
			if page := read(t, dir, "gabung/index.html"); !strings.Contains(page, `data-thanks="`+tc.thanks+`"`) {
				t.Errorf(".Site.Join.Thanks is not %s: %s", tc.thanks, page)
			}
		})
	}
}
