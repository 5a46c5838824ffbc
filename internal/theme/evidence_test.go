package theme

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The phone keeps no evidence of signing up: point 10, in Chromium against
// the built site and the real endpoint.

// pendingKey is where the theme script keeps signups made offline.
const pendingKey = `"serikat-gabung-tertunda"`

// pendingList is the kept signups, as the page sees them.
const pendingList = `JSON.parse(localStorage.getItem(` + pendingKey + `) || "[]")`

// offline cuts the browser's connection, or gives it back: first the
// network (requests fail, the service worker's too), then what the page is
// told (navigator.onLine and its events, which Chromium's network rules no
// longer set), so that a page told it is online finds the network there.
func offline(ctx context.Context, t *testing.T, cut bool) {
	t.Helper()
	rules := []*network.Conditions{} // none: the connection is back
	if cut {
		rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &cut, MatchedNetworkConditions: rules}); err != nil {
		t.Fatal(err)
	}
	// a request the service worker does not answer reaches the server or
	// not (HEAD: nothing is stored either way)
	waitFor(ctx, t, fmt.Sprintf(`fetch("/api/stats", { method: "HEAD", cache: "no-store" }).then(() => %v, () => %v)`, !cut, cut))
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: cut, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	// the page learns of it a moment later; on a busy machine a click in
	// between would still find it online
	waitFor(ctx, t, fmt.Sprintf(`navigator.onLine === %v`, !cut))
}

// A signup made offline is kept with the time it was kept. On a page load,
// even without a connection, one kept over 72 hours is erased unsent and
// one kept by an older script (no time) gets one; once the connection is
// back and the endpoint has them, nothing is left under the key.
func TestOfflineSignupIsErasedOnceSentOrAfter72Hours(t *testing.T) {
	ctx := browser(t)
	base, store := siteWithEndpoint(t)
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	page := base + "/kampanye/f-hukatan/?src=poster"
	visit := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("#f-phone")); err != nil {
			t.Fatal(err)
		}
	}
	// read online first, so that the service worker has the page to show offline
	visit()
	waitFor(ctx, t, `navigator.serviceWorker.controller !== null`)
	visit()
	waitFor(ctx, t, `caches.match(location.href, { ignoreSearch: true }).then(Boolean)`)

	if err := chromedp.Do(ctx, fill("0813-1111-2222")); err != nil {
		t.Fatal(err)
	}
	offline(ctx, t, true)
	if err := chromedp.Do(ctx, chromedp.Click("form.join button")); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, `JSON.stringify(`+pendingList+`).includes("0813-1111-2222")`)
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`((l) => l.length === 1 && l[0].at > 0 && l[0].at <= Date.now())(`+pendingList+`)`)); err != nil || !ok {
		t.Fatalf("the kept signup has no time: %v", err)
	}

	// one kept 73 hours ago, and one an older script kept without a time
	before, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`((l) => {
		const h = 3600 * 1000;
		l.push({ action: l[0].action, data: Object.assign({}, l[0].data, { phone: "0817-5555-6666" }), at: Date.now() - 73 * h });
		l.push({ action: l[0].action, data: Object.assign({}, l[0].data, { phone: "0818-7777-8888" }) });
		localStorage.setItem(`+pendingKey+`, JSON.stringify(l));
		return Date.now();
	})(`+pendingList+`)`))
	if err != nil {
		t.Fatal(err)
	}
	at := strconv.FormatFloat(before, 'f', -1, 64)
	visit() // still offline: the page learns so a moment after it loads
	waitFor(ctx, t, `!navigator.onLine`)
	waitFor(ctx, t, `((l) => l.length === 2 && !JSON.stringify(l).includes("0817-5555-6666") &&
		l[0].data.phone === "0813-1111-2222" && l[0].at < `+at+` &&
		l[1].data.phone === "0818-7777-8888" && l[1].at >= `+at+` && l[1].at <= Date.now())(`+pendingList+`)`)
	if n := stored(t, store); n != 0 {
		t.Errorf("stored %d while offline", n)
	}

	offline(ctx, t, false)
	waitFor(ctx, t, `localStorage.getItem(`+pendingKey+`) === null`)
	if n := stored(t, store); n != 2 {
		t.Errorf("stored %d after coming back online, want 2 (the expired signup is never sent)", n)
	}

	// a phone that stays offline past 72 hours forgets the signup on its
	// own, and the key with it
	offline(ctx, t, true)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`localStorage.setItem(`+pendingKey+`, JSON.stringify([{ action: "/api/join", data: { phone: "0819-1234-5678" }, at: Date.now() - 72 * 3600 * 1000 - 1 }]))`)); err != nil {
		t.Fatal(err)
	}
	visit()
	waitFor(ctx, t, `!navigator.onLine && localStorage.getItem(`+pendingKey+`) === null`)
	offline(ctx, t, false)
}

// After a signup reaches the thank-you page, no cache of the site (the
// service worker's, or any other in Cache Storage) holds the thank-you page
// or an /api/ answer; neither does "Simpan" when asked to keep them, nor a
// page its host sends as no-store. A thank-you page an older worker kept
// is dropped when this one takes over.
func TestNoCacheKeepsTheThanksPageOrAPI(t *testing.T) {
	ctx := browser(t)
	base, store := siteWithEndpoint(t, "/tentang/")
	if err := phone(ctx); err != nil {
		t.Fatal(err)
	}
	const thanks = "/gabung/terima-kasih/"
	open := func(path, ready string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady(ready)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}

	// an older worker kept the thank-you page: put it there before this
	// worker is installed, from a page that runs no script of the site
	open("/icon-192.png", "img")
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`caches.open("serikat-halaman").then(c => c.put("`+thanks+`", new Response("lama")))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	open("/", "main")
	waitFor(ctx, t, `navigator.serviceWorker.controller !== null`)
	if hit, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`caches.match("`+thanks+`").then(Boolean)`, chromedp.EvalAwaitPromise)); err != nil || hit {
		t.Errorf("the thank-you page an older worker kept is still there (%v)", err)
	}

	open("/tentang/", "main") // no-store
	open("/kampanye/lampung-651/", "main")
	waitFor(ctx, t, `!document.querySelector(".target .progress").hidden`) // /api/stats
	open("/kampanye/f-hukatan/?src=poster", "#f-phone")
	if err := chromedp.Do(ctx, fill("0812-3456-7890"), chromedp.Click("form.join button")); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, `location.pathname === "`+thanks+`" && document.readyState === "complete"`)
	if n := stored(t, store); n != 1 {
		t.Fatalf("stored %d", n)
	}
	// "Simpan" keeps only what may be kept
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.serviceWorker.ready.then(reg => new Promise(done => {
		navigator.serviceWorker.addEventListener("message", e => done(e.data.type));
		reg.active.postMessage({ type: "simpan", urls: [location.href, "/api/stats", "/tentang/", "/modul/02-manajemen-organisasi/"] });
	}))`, chromedp.EvalAwaitPromise))
	if err != nil || saved != "tersimpan" {
		t.Fatalf("Simpan answered %q, %v", saved, err)
	}
	// a page read after the thank-you page is kept: the worker is keeping
	// pages, and what it kept before is in the cache by now
	open("/modul/01-dasar-dasar-berserikat/", "main")
	waitFor(ctx, t, `caches.match("/modul/01-dasar-dasar-berserikat/").then(Boolean)`)

	kept, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`caches.keys().then(names => Promise.all(names.map(n =>
		caches.open(n).then(c => c.keys()).then(reqs => reqs.map(r => n + " " + new URL(r.url).pathname))))).then(l => [].concat(...l))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, k := range kept {
		_, p, _ := strings.Cut(k, " ")
		paths[p] = true
		if strings.HasPrefix(p, thanks) || strings.HasPrefix(p, "/api/") || p == "/tentang/" {
			t.Errorf("Cache Storage holds %s", k)
		}
	}
	for _, want := range []string{"/", "/kampanye/f-hukatan/", "/modul/01-dasar-dasar-berserikat/", "/modul/02-manajemen-organisasi/"} {
		if !paths[want] {
			t.Errorf("Cache Storage lacks %s, so the check above proves little: %v", want, kept)
		}
	}
	for _, u := range []string{thanks, base + thanks, "/api/stats", "/api/join", "/tentang/"} {
		if hit, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`caches.match("`+u+`", { ignoreSearch: true }).then(Boolean)`, chromedp.EvalAwaitPromise)); err != nil || hit {
			t.Errorf("caches.match(%q) = %v, %v", u, hit, err)
		}
	}
}
