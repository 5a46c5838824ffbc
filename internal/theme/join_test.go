package theme

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/browsertest"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/join/storetest"
	"github.com/serikat-id/serikat/internal/sealed"
)

// siteWithEndpoint serves the built site and the real join endpoint (on a
// SQLite file) from one loopback origin, as netlify.toml's proxy does. The
// pages at noStore are sent with Cache-Control: no-store, as a host may.
func siteWithEndpoint(t *testing.T, noStore ...string) (string, *sqlite.Store) {
	dest := buildRepoSite(t)
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pub, err := sealed.GenerateIdentity(filepath.Join(dir, "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sealed.NewSealer([]string{pub})
	opener, err := sealed.ReadIdentities(filepath.Join(dir, "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	openers.Store(store, opener)
	api := join.NewHandler(join.Config{Store: store, Sealer: sealer, HMACKey: []byte("kunci uji"),
		Federations: []join.Federation{{ID: "f-hukatan", Name: "F HUKATAN"}, {ID: "fsb-kamiparho", Name: "FSB KAMIPARHO"}, {ID: "fsb-nikeuba", Name: "FSB NIKEUBA"}},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		StatsEvery:  -1, // counted at every request, so the progress shows these tests' signups
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	files := http.FileServer(http.Dir(dest))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(noStore, r.URL.Path) {
			w.Header().Set("Cache-Control", "no-store")
		}
		files.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, store
}

func stored(t *testing.T, s *sqlite.Store) int { return storetest.Total(t, s) }

// openers holds each test endpoint's organizer key, by its store.
var openers sync.Map

// sources counts the stored signups by their source, opening them as an
// organizer does: the source is sealed with the rest.
func sources(t *testing.T, s *sqlite.Store) map[string]int {
	t.Helper()
	o, _ := openers.Load(s)
	counts := map[string]int{}
	err := s.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		plain, err := o.(*sealed.Opener).Open(r.Sealed)
		if err != nil {
			return err
		}
		var signup join.Signup
		if err := json.Unmarshal(plain, &signup); err != nil {
			return err
		}
		counts[signup.Source]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// fill fills the join form on the current page as a person would, who
// took ten seconds over it (faster posts are taken for bots and dropped).
func fill(phone string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("input[name=shown_at]").forEach(i => { if (i.value) i.value = String(Date.now() - 10000) })`),
			chromedp.SetValue("#f-name", "Siti Aminah"),
			chromedp.SetValue("#f-phone", phone),
			chromedp.SetValue("#f-workplace", "PT Hutan Lestari"),
			chromedp.SetValue("#f-city", "Bandar Lampung"),
			chromedp.Click("#f-consent"),
		)
	})
}

// waitFor evaluates expression until it is true (see browsertest.Wait).
func waitFor(ctx context.Context, t *testing.T, expression string) {
	browsertest.Wait(ctx, t, expression)
}

func TestJoinFormInTheBrowser(t *testing.T) {
	ctx := browser(t)
	base, store := siteWithEndpoint(t)
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	page := base + "/kampanye/f-hukatan/?src=poster"

	t.Run("with JavaScript", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone"), fill("0812-3456-7890"), chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, `location.pathname === "/gabung/terima-kasih/"`)
		if n := stored(t, store); n != 1 {
			t.Errorf("stored %d", n)
		}
		if c := sources(t, store); c["poster"] != 1 {
			t.Errorf("sources %v, want the poster's src", c)
		}
	})

	t.Run("an invalid phone shows beside its field and keeps the input", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone"), fill("021-5551234"), chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, `!!document.querySelector("#e-phone")`)
		msg, err := chromedp.Run(ctx, chromedp.Text("#e-phone"))
		if err != nil || msg != "Gunakan nomor ponsel, bukan telepon rumah atau kantor." {
			t.Errorf("error beside the phone: %q, %v", msg, err)
		}
		kept, _ := chromedp.Run(ctx, chromedp.Value("#f-name"))
		if kept != "Siti Aminah" {
			t.Errorf("the name was not kept: %q", kept)
		}
		if n := stored(t, store); n != 1 {
			t.Errorf("stored %d after a rejected signup", n)
		}
	})

	t.Run("offline, then online again", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone"), fill("0813-1111-2222")); err != nil {
			t.Fatal(err)
		}
		offline(ctx, t, true)
		if err := chromedp.Do(ctx, chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, `(localStorage.getItem("serikat-gabung-tertunda") || "").includes("0813-1111-2222")`)
		if n := stored(t, store); n != 1 {
			t.Errorf("stored %d while offline", n)
		}
		offline(ctx, t, false)
		waitFor(ctx, t, `localStorage.getItem("serikat-gabung-tertunda") === null`)
		if n := stored(t, store); n != 2 {
			t.Errorf("stored %d after coming back online, want 2", n)
		}
	})

	t.Run("progress from the statistics", func(t *testing.T) {
		// the statistics may be cached for minutes (Cache-Control), and
		// this browser fetched them before the signups, on a federation's
		// page that shares the joint target: come as a new visitor
		if _, err := chromedp.Call(ctx, network.ClearBrowserCache, struct{}{}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/kampanye/lampung-651/"), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, `!document.querySelector(".target .progress").hidden`)
		text, _ := chromedp.Run(ctx, chromedp.Text("#progress-label"))
		if text != "Sudah 2 pendaftaran masuk" {
			t.Errorf("progress %q", text)
		}
	})

	// a worker sees how far the campaign has come and the way to join on
	// the first screen of a 360×800 phone, without scrolling
	t.Run("progress and join button above the fold", func(t *testing.T) {
		for _, u := range []string{"/kampanye/f-hukatan/", "/kampanye/fsb-kamiparho/", "/kampanye/fsb-nikeuba/", "/kampanye/lampung-651/"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+u), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, `!document.querySelector(".target .progress").hidden`)
			below, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[".target .progress", "a.button[href='#form-gabung']"].filter(s => {
				const e = document.querySelector(s), r = e && e.getBoundingClientRect();
				return !r || r.height === 0 || r.top < 0 || r.bottom > innerHeight;
			})`))
			if err != nil {
				t.Fatal(err)
			}
			if len(below) > 0 {
				t.Errorf("%s: %v not on the first 360×800 screen", u, below)
			}
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone"), fill("0815-3333-4444"), chromedp.Click("form.join button")); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, `location.pathname === "/gabung/terima-kasih/"`)
		if n := stored(t, store); n != 3 {
			t.Errorf("stored %d, want 3", n)
		}
		if c := sources(t, store); c["poster"] != 3 {
			t.Errorf("without JavaScript the source comes from the page address: %v", c)
		}
	})
}
