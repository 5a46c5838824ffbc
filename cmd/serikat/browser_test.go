package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/browsertest"
)

// netlifyLike serves a built site as Netlify would with netlify.toml: its
// headers (the Content-Security-Policy above all), its 404 page, and /api/*
// passed on to the join endpoint at endpoint.
func netlifyLike(t *testing.T, public, endpoint string) string {
	headers := loadNetlifyHeaders(t)
	target, err := url.Parse("http://" + endpoint)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	files := http.FileServer(http.Dir(public))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			proxy.ServeHTTP(w, r)
			return
		}
		for k, v := range headers.forPath(r.URL.Path) {
			w.Header().Set(k, v)
		}
		file := filepath.Join(public, filepath.FromSlash(path.Clean(r.URL.Path)))
		if info, err := os.Stat(file); err != nil || info.IsDir() && !exists(filepath.Join(file, "index.html")) {
			page, _ := os.ReadFile(filepath.Join(public, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(page)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// watcher collects, for the whole test, what a worker would never want: a
// console error, a script exception, a policy violation, a request to
// another host.
type watcher struct {
	mu       sync.Mutex
	problems []string
	hosts    map[string]bool
}

func watchBrowser(ctx context.Context, origin string) *watcher {
	w := &watcher{hosts: map[string]bool{}}
	own, _ := url.Parse(origin)
	chromedp.Listen(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == "error" || ev.Type == "assert" {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				w.problems = append(w.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			w.problems = append(w.problems, "exception: "+msg)
		case *cdplog.EventEntryAdded:
			// failed loads and Content-Security-Policy violations land here
			// except the two the test asks for: the 404 page, and the 422
			// answer to the signup with an invalid phone
			expected := strings.Contains(ev.Entry.URL, "/no-such-page/") ||
				strings.HasSuffix(ev.Entry.URL, "/api/join") && strings.Contains(ev.Entry.Text, "status of 422")
			if ev.Entry.Level == cdplog.EntryLevelError && !expected {
				w.problems = append(w.problems, fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(ev.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != own.Host {
				w.hosts[u.Host] = true
			}
		}
	})
	return w
}

// shooter writes a numbered screenshot of each step to $SERIKAT_SCREENSHOTS
// (or a temporary folder), for a person to review.
type shooter struct {
	t      *testing.T
	ctx    context.Context
	dir    string
	prefix string // of the files' names; default alur
	n      int
}

func (s *shooter) shot(name string) {
	s.t.Helper()
	s.n++
	buf, err := chromedp.Run(s.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	prefix := s.prefix
	if prefix == "" {
		prefix = "alur"
	}
	file := filepath.Join(s.dir, fmt.Sprintf("%s-%02d-%s.png", prefix, s.n, name))
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// fillJoinForm fills the join form as a person would who took ten seconds
// over it (faster posts are taken for bots and dropped).
func fillJoinForm(name, phone string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("input[name=shown_at]").forEach(i => { if (i.value) i.value = String(Date.now() - 10000) })`),
			chromedp.SetValue("#f-name", name),
			chromedp.SetValue("#f-phone", phone),
			chromedp.SetValue("#f-workplace", "PT Hutan Lestari"),
			chromedp.SetValue("#f-city", "Bandar Lampung"),
			chromedp.Click("#f-consent"),
		)
	})
}

// TestWorkerFlowsInChromium follows a worker through the built site in
// Debian's Chromium, in a 360×800 phone viewport, with the site served as
// netlify.toml says (its Content-Security-Policy included) and the real
// join endpoint ("serikat join serve" on SQLite) behind /api: home, a
// module, the next module; a signup with JavaScript and one without, each
// read back with "serikat join export"; an invalid phone. No console
// error, no policy violation, no request to another host.
func TestWorkerFlowsInChromium(t *testing.T) {
	ctx := browsertest.New(t)
	lab := newEndpointLab(t)
	lab.site = filepath.Join(t.TempDir(), "situs")
	for _, dir := range []string{"content", "layouts", "assets"} {
		if err := os.CopyFS(filepath.Join(lab.site, dir), os.DirFS(filepath.Join("../..", dir))); err != nil {
			t.Fatal(err)
		}
	}
	config, _ := os.ReadFile("../../serikat.toml")
	os.WriteFile(filepath.Join(lab.site, "serikat.toml"), config, 0o644)
	lab.run("build", "-s", lab.site, "--quiet")
	db := "sqlite:" + filepath.Join(t.TempDir(), "join.db")
	_, endpoint := lab.start(db)
	base := netlifyLike(t, filepath.Join(lab.site, "public"), endpoint)

	w := watchBrowser(ctx, base)
	dir := os.Getenv("SERIKAT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	shots := &shooter{t: t, ctx: ctx, dir: dir}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}

	t.Run("home, a module, the next module", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		shots.shot("beranda")
		if err := chromedp.Do(ctx, chromedp.Click(`main a[href$="/modul/01-dasar-dasar-berserikat/"]`)); err != nil {
			t.Fatalf("no link from the home page to the first module: %v", err)
		}
		browsertest.Wait(ctx, t, `location.pathname === "/modul/01-dasar-dasar-berserikat/" && document.readyState === "complete"`)
		shots.shot("modul-1")
		if err := chromedp.Do(ctx, chromedp.Click(`.prevnext a[rel=next]`)); err != nil {
			t.Fatal(err)
		}
		browsertest.Wait(ctx, t, `location.pathname === "/modul/02-manajemen-organisasi/" && document.readyState === "complete"`)
		h1, _ := chromedp.Run(ctx, chromedp.Text("h1"))
		if !strings.HasPrefix(h1, "Menjalankan Organisasi") {
			t.Errorf("the next module's heading is %q", h1)
		}
		shots.shot("modul-2")
	})

	t.Run("a page that does not exist", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/no-such-page/"), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		if text, _ := chromedp.Run(ctx, chromedp.Text("main")); !strings.Contains(text, "Beranda") && !strings.Contains(text, "beranda") {
			t.Errorf("the 404 page does not lead home: %q", text)
		}
		shots.shot("404")
	})

	campaign := base + "/kampanye/f-hukatan/?src=whatsapp"
	t.Run("join with JavaScript", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(campaign), chromedp.WaitReady("#f-phone"), fillJoinForm("Siti Aminah", "0812-3456-7890")); err != nil {
			t.Fatal(err)
		}
		shots.shot("formulir-diisi")
		if err := chromedp.Do(ctx, chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		browsertest.Wait(ctx, t, `location.pathname === "/gabung/terima-kasih/" && document.readyState === "complete"`)
		shots.shot("terima-kasih")
	})

	t.Run("an invalid phone shows beside its field and keeps the input", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(campaign), chromedp.WaitReady("#f-phone"), fillJoinForm("Budi Santoso", "021-5551234"), chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		browsertest.Wait(ctx, t, `!!document.querySelector("#e-phone")`)
		msg, _ := chromedp.Run(ctx, chromedp.Text("#e-phone"))
		if msg != "Gunakan nomor ponsel, bukan telepon rumah atau kantor." {
			t.Errorf("the error beside the phone: %q", msg)
		}
		described, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#f-phone").getAttribute("aria-describedby") || ""`))
		if !strings.Contains(described, "e-phone") {
			t.Errorf("the phone field is not described by its error: %q", described)
		}
		for sel, want := range map[string]string{"#f-name": "Budi Santoso", "#f-phone": "021-5551234", "#f-city": "Bandar Lampung"} {
			if kept, _ := chromedp.Run(ctx, chromedp.Value(sel)); kept != want {
				t.Errorf("%s kept %q, want %q", sel, kept, want)
			}
		}
		shots.shot("nomor-salah")
	})

	t.Run("join without JavaScript", func(t *testing.T) {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		page := base + "/kampanye/fsb-nikeuba/?src=poster"
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone"), fillJoinForm("Rahmat Hidayat", "0815-3333-4444"), chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		browsertest.Wait(ctx, t, `location.pathname === "/gabung/terima-kasih/" && document.readyState === "complete"`)
		shots.shot("terima-kasih-tanpa-js")
	})

	// read back, decrypted, through the command organizers use
	var rows []struct {
		Name, Phone, Federation, Source string
	}
	if err := json.Unmarshal(lab.run("join", "export", "--db", db, "--identity", lab.identity, "--format", "json"), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{r.Name, r.Phone, r.Federation, r.Source}, "|"))
	}
	slices.Sort(got)
	want := []string{"Rahmat Hidayat|+6281533334444|fsb-nikeuba|poster", "Siti Aminah|+6281234567890|f-hukatan|whatsapp"}
	if !slices.Equal(got, want) {
		t.Errorf("serikat join export:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	w.check(t)
	t.Logf("screenshots of each step in %s", dir)
}

// check fails t for each thing the watcher saw.
func (w *watcher) check(t *testing.T) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.problems {
		t.Errorf("in the browser: %s", p)
	}
	if len(w.hosts) > 0 {
		t.Errorf("requests to other hosts: %v", slices.Sorted(maps.Keys(w.hosts)))
	}
}

// TestInitSiteJoinInChromium signs up on a site fresh from serikat init,
// whose only change is the sample campaign's federation and target: from
// the home page to the campaign, the form sent to the real endpoint, and
// the thank-you page (not "Halaman tidak ditemukan"), served as Netlify
// would with /api/* passed on to the endpoint.
func TestInitSiteJoinInChromium(t *testing.T) {
	ctx := browsertest.New(t)
	lab := newEndpointLab(t)
	lab.site = filepath.Join(t.TempDir(), "situs")
	lab.run("init", lab.site)
	campaign := "---\ntitle: \"Ayo Bergabung\"\nfederasi: fsb-contoh\nnamaFederasi: FSB Contoh\ntarget: 100\n---\n\nBersama kita lebih kuat.\n"
	if err := os.WriteFile(filepath.Join(lab.site, "content/kampanye/ayo-bergabung.md"), []byte(campaign), 0o644); err != nil {
		t.Fatal(err)
	}
	lab.run("build", "-s", lab.site, "--quiet")
	db := "sqlite:" + filepath.Join(t.TempDir(), "join.db")
	_, endpoint := lab.start(db)
	base := netlifyLike(t, filepath.Join(lab.site, "public"), endpoint)
	w := watchBrowser(ctx, base)

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`main a[href$="/kampanye/ayo-bergabung/"]`)); err != nil {
		t.Fatalf("the home page does not list the campaign: %v", err)
	}
	browsertest.Wait(ctx, t, `location.pathname === "/kampanye/ayo-bergabung/" && !!document.querySelector("#f-phone")`)
	if err := chromedp.Do(ctx, fillJoinForm("Siti Aminah", "0812-3456-7890"), chromedp.Click("form.join button")); err != nil {
		t.Fatal(err)
	}
	browsertest.Wait(ctx, t, `location.pathname === "/gabung/terima-kasih/" && document.readyState === "complete"`)
	if h1, _ := chromedp.Run(ctx, chromedp.Text("h1")); !strings.HasPrefix(h1, "Terima Kasih") {
		t.Errorf("after signing up the page says %q", h1)
	}
	var rows []struct{ Name, Federation string }
	if err := json.Unmarshal(lab.run("join", "export", "--db", db, "--identity", lab.identity, "--format", "json"), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Name != "Siti Aminah" || rows[0].Federation != "fsb-contoh" {
		t.Errorf("serikat join export: %+v", rows)
	}
	w.check(t)
}
