package theme

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/browsertest"
	"github.com/serikat-id/serikat/internal/search"
)

// indexFiles reads the built search index.
func indexFiles(t *testing.T, dest string) map[string][]byte {
	files := map[string][]byte{}
	entries, err := os.ReadDir(filepath.Join(dest, "search"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dest, "search", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	return files
}

// In Chromium: the service worker takes control, a module read once opens
// with the server gone, a page never read shows the offline page, "Simpan
// untuk dibaca tanpa sinyal" saves, and search finds a module's words (online
// and then offline), ranking as the Go index does.
func TestOfflineReadingAndSearch(t *testing.T) {
	ctx := browser(t)
	dest := buildRepoSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	defer srv.Close()
	base := srv.URL
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	wait := func(expression string) { t.Helper(); browsertest.Wait(ctx, t, expression) }
	visit := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady("main")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}

	visit("/")
	wait(`navigator.serviceWorker.controller !== null`)
	visit("/modul/01-dasar-dasar-berserikat/")
	wait(`document.querySelector("h1").textContent.includes("Dasar-dasar Berserikat")`)

	visit("/modul/02-manajemen-organisasi/")
	wait(`!document.querySelector(".simpan").hidden`)
	if err := chromedp.Do(ctx, chromedp.Click("button.simpan-offline")); err != nil {
		t.Fatal(err)
	}
	wait(`document.querySelector("button.simpan-offline").textContent.startsWith("Tersimpan")`)

	// search: the browser's word rules are the Go index's
	visit("/cari/")
	var words []string
	for w := range search.Examples {
		words = append(words, w)
	}
	slices.Sort(words)
	for _, w := range words {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.serikatStem(`+jsString(w)+`)`))
		if want := search.Words(w); err != nil || !slices.Equal(got, want) {
			t.Errorf("the browser stems %q to %v (%v), Go to %v", w, got, err, want)
		}
	}
	files := indexFiles(t, dest)
	query := func(q string) []string {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.SetValue("#q", q),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#q").dispatchEvent(new Event("input"))`),
		); err != nil {
			t.Fatal(err)
		}
		wait(`!document.querySelector("#hasil-cari").hidden && document.querySelector("#hasil-cari h2") !== null`)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#hasil-cari li a")).map(a => a.getAttribute("href"))`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := search.Query(files, "perundingan bersama")
	if err != nil || len(want) == 0 {
		t.Fatalf("the Go index finds nothing for the query: %v %v", want, err)
	}
	got := query("perundingan bersama")
	if !slices.Equal(got, want[:min(10, len(want))]) {
		t.Errorf("search results %v, want %v", got, want)
	}

	// the network is cut: the server is gone
	srv.Close()
	visit("/modul/01-dasar-dasar-berserikat/")
	wait(`document.querySelector("h1").textContent.includes("Dasar-dasar Berserikat")`)
	visit("/tentang/")
	wait(`document.querySelector("h1").textContent.includes("tidak ada sinyal")`)
	visit("/cari/")
	if offline := query("perundingan bersama"); !slices.Equal(offline, got) {
		t.Errorf("offline search gave %v, online %v", offline, got)
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
