package theme

import (
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/browsertest"
)

// browser starts Debian's headless Chromium (see package browsertest).
func browser(t *testing.T) context.Context { return browsertest.New(t) }

// colourScheme makes the page prefer light or dark colours.
func colourScheme(ctx context.Context, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	return err
}

// phone sizes the page as a 360×800 phone screen at twice the pixels.
func phone(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait))
}

// serve serves a built site over real HTTP on loopback.
func serve(t *testing.T, dest string) string {
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// axeSource is axe-core's script, from the npm tools that .ci/run installs.
func axeSource(t *testing.T) string {
	p := os.Getenv("AXE_CORE_JS")
	if p == "" {
		p = "../../.ci/npm/node_modules/axe-core/axe.min.js"
	}
	data, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but axe-core is missing (%v): .ci/run installs it with npm", err)
		}
		t.Skipf("no axe-core (%v): run npm ci --prefix .ci/npm", err)
	}
	return string(data)
}

type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core's WCAG 2.2 A and AA rules on every page
// of the site, in a phone-sized window, in light and dark colour schemes.
func TestAccessibility(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	dest := buildRepoSite(t)
	base := serve(t, dest)
	var urls []string
	for page := range pages(t, dest) {
		urls = append(urls, "/"+strings.TrimSuffix(page, "index.html"))
	}
	sort.Strings(urls)
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	type axeResult struct {
		Violations []axeViolation `json:"violations"`
		Passes     int            `json:"passes"`
	}
	script := axe + `;(async () => { const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]}}); return {violations: r.violations, passes: r.passes.length}; })()`
	for _, scheme := range []string{"light", "dark"} {
		if err := colourScheme(ctx, scheme); err != nil {
			t.Fatal(err)
		}
		for _, u := range urls {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+u), chromedp.WaitReady("body")); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			result, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](script, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: running axe: %v", u, err)
			}
			if result.Passes == 0 {
				t.Errorf("%s (%s): axe passed no rule; it did not run", u, scheme)
			}
			for _, v := range result.Violations {
				var where []string
				for _, n := range v.Nodes {
					where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
				}
				t.Errorf("%s (%s): %s: %s\n  %s", u, scheme, v.ID, v.Help, strings.Join(where, "\n  "))
			}
		}
	}
}

// TestScreenshots writes screenshots of the home, a module and a campaign
// page at 360×800, light and dark, to $SERIKAT_SCREENSHOTS (or a temporary
// folder) and checks they are real images of that size.
// .ci/screenshots runs it for review.
func TestScreenshots(t *testing.T) {
	ctx := browser(t)
	dest := buildRepoSite(t)
	base := serve(t, dest)
	out := os.Getenv("SERIKAT_SCREENSHOTS")
	if out == "" {
		out = t.TempDir()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	shots := map[string]string{
		"beranda":  "/",
		"modul":    "/modul/03-pengorganisasian-pasca-uu-cipta-kerja/",
		"kampanye": "/kampanye/f-hukatan/",
	}
	for name, u := range shots {
		for _, scheme := range []string{"light", "dark"} {
			if err := colourScheme(ctx, scheme); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+u), chromedp.WaitReady("body")); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			file := filepath.Join(out, fmt.Sprintf("%s-%s.png", name, scheme))
			if err := os.WriteFile(file, buf, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(strings.NewReader(string(buf)))
			if err != nil || cfg.Width != 720 || cfg.Height != 1600 {
				t.Errorf("%s: %dx%d (%v), want a 360×800 viewport at 2× (720×1600)", file, cfg.Width, cfg.Height, err)
			}
		}
	}
	t.Logf("screenshots in %s", out)
}

// TestNarrowPhones opens every page 320 pixels wide: nothing may be wider
// than the screen, so nobody has to scroll sideways to read.
func TestNarrowPhones(t *testing.T) {
	ctx := browser(t)
	dest := buildRepoSite(t)
	base := serve(t, dest)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for page := range pages(t, dest) {
		u := base + "/" + strings.TrimSuffix(page, "index.html")
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if width > 320 {
			t.Errorf("%s is %d pixels wide on a 320-pixel screen", page, width)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("checked only %d pages", checked)
	}
}

// TestPrintHandout checks the print style on a module, a campaign and a
// printable handout: no navigation, form or share links, the addresses of
// links printed after them, and the empty cells of a handout's form tall
// enough to write in.
func TestPrintHandout(t *testing.T) {
	ctx := browser(t)
	base := serve(t, buildRepoSite(t))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}) })
	for _, u := range []string{"/modul/01-dasar-dasar-berserikat/", "/kampanye/f-hukatan/", "/bahan/catatan-kasus/"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+u), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`["header.site","footer.site",".prevnext",".share",".gabung"]
			.filter(s => document.querySelector(s)).filter(s => getComputedStyle(document.querySelector(s)).display !== "none")`))
		if err != nil {
			t.Fatal(err)
		}
		if len(hidden) > 0 {
			t.Errorf("%s: printed, still shows %v", u, hidden)
		}
	}
	// The handout is still open: a blank row of its case table is a line to
	// write on, not a collapsed sliver.
	blank, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("td:empty").getBoundingClientRect().height`))
	if err != nil {
		t.Fatal(err)
	}
	if blank < 24 {
		t.Errorf("/bahan/catatan-kasus/: printed, an empty form cell is %.0f px tall, want at least 24", blank)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.createElement("a"); a.href = "https://ksbsi.org/"; a.textContent = "x"; document.querySelector("main").append(a); return getComputedStyle(a, "::after").content })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, "https://ksbsi.org/") {
		t.Errorf("printed links do not show their address: ::after content %q", after)
	}
}
