package pwa

import (
	"encoding/json"
	"image/color"
	"regexp"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/campaign"
)

func TestManifest(t *testing.T) {
	app := App{Name: "Federasi Serikat Buruh Makmur", Lang: "id", Scope: "/sub/", Colour: color.RGBA{0xb9, 0x1c, 0x1c, 0xff}}
	var m struct {
		ShortName   string `json:"short_name"`
		StartURL    string `json:"start_url"`
		Scope       string `json:"scope"`
		ThemeColor  string `json:"theme_color"`
		Description *string
		Icons       []struct{ Src string }
	}
	data := app.Manifest()
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.ShortName != "Federasi" || m.StartURL != "/sub/" || m.Scope != "/sub/" || m.ThemeColor != "#b91c1c" || m.Description != nil {
		t.Errorf("manifest = %s", data)
	}
	if len(m.Icons) != 2 || m.Icons[0].Src != "/sub/icon-192.png" || m.Icons[1].Src != "/sub/icon-512.png" {
		t.Errorf("icons are not under the scope: %s", data)
	}
	app.ShortName, app.Description = "FSBM", "Serikat kita"
	if err := json.Unmarshal(app.Manifest(), &m); err != nil || m.ShortName != "FSBM" || m.Description == nil || *m.Description != "Serikat kita" {
		t.Errorf("given short name and description: %s", app.Manifest())
	}
}

// TestNames holds the short texts the app files derive: the name under the
// icon (the words of the title that fit), the icon's letter, and the path
// the service worker leaves to the network.
func TestNames(t *testing.T) {
	shortName := func(title string) string {
		var m struct {
			ShortName string `json:"short_name"`
		}
		_ = json.Unmarshal(App{Name: title}.Manifest(), &m)
		return m.ShortName
	}
	letter := func(title string) string { return App{Name: title}.Letter() }
	for _, tc := range []struct {
		f             func(string) string
		name, in, out string
	}{
		{shortName, "short name", "SBSI", "SBSI"},
		{shortName, "short name", "Serikat Buruh Kita", "Serikat"},
		{shortName, "short name", "KSPI Bersatu Jaya", "KSPI Bersatu"},
		{shortName, "short name", "Konfederasiserikatburuhseluruh", "Konfederasiserikatburuhseluruh"},
		{letter, "letter", "serikat", "S"},
		{letter, "letter", "«federasi»", "F"},
		{letter, "letter", "1 Mei", "1"},
		{letter, "letter", "—", "S"},
		{apiPrefix, "apiPrefix", "/api/gabung", "/api/"},
		{apiPrefix, "apiPrefix", "/sub/api/v1/gabung", "/sub/api/v1/"},
		{apiPrefix, "apiPrefix", "/gabung", "/"},
		{apiPrefix, "apiPrefix", "https://join.example.org/api", "/api/"}, // another origin
	} {
		if got := tc.f(tc.in); got != tc.out {
			t.Errorf("%s of %q = %q, want %q", tc.name, tc.in, got, tc.out)
		}
	}
}

func TestServiceWorkerVersionFollowsTheOtherFiles(t *testing.T) {
	files := map[string]buildcache.Written{"index.html": {Sum: buildcache.Hash{1}}, "sw.js": {Sum: buildcache.Hash{2}}}
	w := Worker{Files: files, Precache: []string{"/", "/css/main.css"}, Offline: "/offline/", JoinEndpoint: "/api/gabung", Thanks: "/gabung/terima-kasih/"}
	version := regexp.MustCompile(`var VERSION = "([0-9a-f]{12})";`)
	versionOf := func(w Worker) string {
		t.Helper()
		js, err := ServiceWorker(w)
		if err != nil {
			t.Fatal(err)
		}
		m := version.FindStringSubmatch(string(js))
		if m == nil {
			t.Fatalf("no version in sw.js:\n%s", js)
		}
		return m[1]
	}
	first := versionOf(w)
	w.Files = map[string]buildcache.Written{"index.html": {Sum: buildcache.Hash{1}}, "sw.js": {Sum: buildcache.Hash{3}}}
	if versionOf(w) != first {
		t.Error("sw.js's own hash changed its version")
	}
	w.Files = map[string]buildcache.Written{"index.html": {Sum: buildcache.Hash{4}}}
	if versionOf(w) == first {
		t.Error("a changed file left the version as it was")
	}
	js, _ := ServiceWorker(w)
	for _, want := range []string{`var PRECACHE = ["/","/css/main.css"];`, `var OFFLINE = "/offline/";`, `var API = "/api/";`, `var THANKS = "/gabung/terima-kasih/";`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("sw.js lacks %s", want)
		}
	}
}

func TestShortLinks(t *testing.T) {
	if got := ShortCode(&campaign.Campaign{Federation: "fsbm"}, "/kampanye/upah/"); got != "fsbm" {
		t.Errorf("a federation's campaign: %q", got)
	}
	if got := ShortCode(&campaign.Campaign{}, "/kampanye/upah-layak/"); got != "upah-layak" {
		t.Errorf("a joint campaign: %q", got)
	}
	if got := ShortLinks("fsbm"); got["poster"] != "j/fsbm/index.html" || got["video"] != "j/fsbm/video/index.html" || len(got) != 2 {
		t.Errorf("ShortLinks = %v", got)
	}
	if got := JoinURL("https://contoh.org/kampanye/upah/", "poster"); got != "https://contoh.org/kampanye/upah/?src=poster#form-gabung" {
		t.Errorf("JoinURL = %q", got)
	}
}
