package site

import (
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
)

// linkSite is a loaded site for resolving links without a whole build.
func linkSite(t testing.TB) (*builder, *content.Page) {
	fsys := fstest.MapFS{
		"content/modul/01-dasar.md":       {Data: []byte("---\ntitle: Dasar\n---\n")},
		"content/modul/02-rekrutmen.md":   {Data: []byte("---\ntitle: Rekrutmen\nslug: rekrut\n---\n")},
		"content/federasi/hukatan.md":     {Data: []byte("---\ntitle: HUKATAN\n---\n")},
		"content/kampanye/ayo/index.md":   {Data: []byte("---\ntitle: Ayo\n---\n")},
		"content/kampanye/ayo/poster.pdf": {Data: []byte("%PDF")},
	}
	site, err := content.Load(fsys, content.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{cfg: config.Default(), site: site}
	b.cfg.BaseURL = "https://uji.example.org/sub/"
	b.setBase()
	return b, site.ByFile["content/modul/01-dasar.md"]
}

func TestResolveLink(t *testing.T) {
	b, from := linkSite(t)
	for dest, want := range map[string]string{
		"02-rekrutmen.md":            "/sub/modul/rekrut/",
		"02-rekrutmen.md#strategi":   "/sub/modul/rekrut/#strategi",
		"../federasi/hukatan.md?x=1": "/sub/federasi/hukatan/?x=1",
		"/federasi/hukatan.md":       "/sub/federasi/hukatan/",
		"../kampanye/ayo/index.md":   "/sub/kampanye/ayo/",
		"../kampanye/ayo/poster.pdf": "/sub/kampanye/ayo/poster.pdf",
		"/gabung/":                   "/sub/gabung/",
		"foto-tidak-ada.jpg":         "foto-tidak-ada.jpg",
		"../federasi/hukatan%20x.md": "",
		"../../../../etc/passwd.md":  "",
		"tidak-ada.md":               "",
	} {
		r := &resolver{b: b, page: from}
		got, err := r.ResolveLink(dest, false, 1)
		if want == "" {
			if err == nil {
				t.Errorf("ResolveLink(%q) = %q, want an error", dest, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ResolveLink(%q) = %q, %v; want %q", dest, got, err, want)
		}
	}
}

// FuzzResolveLink checks that a link either fails or resolves to a page of
// the site, and that resolving never panics or leaves the site's path.
func FuzzResolveLink(f *testing.F) {
	for _, s := range []string{"02-rekrutmen.md", "../federasi/hukatan.md#target", "/modul/01-dasar.md", "foto.jpg", "..", "%zz.md", "a.md?b#c", "../../x.md"} {
		f.Add(s)
	}
	b, from := linkSite(f)
	urls := map[string]bool{}
	for _, p := range b.site.All {
		urls[b.relURL(p.URL)] = true
	}
	f.Fuzz(func(t *testing.T, dest string) {
		r := &resolver{b: b, page: from}
		got, err := r.ResolveLink(dest, false, 1)
		if err != nil {
			return
		}
		pathPart, _, _ := strings.Cut(dest, "#")
		pathPart, _, _ = strings.Cut(pathPart, "?")
		if p, uerr := url.PathUnescape(pathPart); uerr == nil && strings.HasSuffix(p, ".md") {
			page, _, _ := strings.Cut(got, "#")
			page, _, _ = strings.Cut(page, "?")
			if !urls[page] {
				t.Fatalf("ResolveLink(%q) = %q, not a page of the site", dest, got)
			}
		}
	})
}

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Serikat", 10, "Serikat"},
		{"Serikat buruh", 8, "Serikat…"},
		{"Pekerja é é é é", 10, "Pekerja é…"},
		{"1234567890", 10, "1234567890"},
	} {
		if got := shorten(tc.in, tc.max); got != tc.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
