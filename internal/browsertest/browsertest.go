// Package browsertest starts Debian's headless Chromium for tests, through
// chromedp, in a phone-sized window.
//
// Without Chromium a test is skipped, except under CI=true, where a missing
// browser fails it: CI must never pass by running nothing. CHROMIUM names
// the browser to run; otherwise chromium, chromium-browser or google-chrome
// is looked up on PATH.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// New starts a browser for t, closed when t ends, and returns its context
// (with a five-minute limit).
func New(t testing.TB) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no Chromium found: .ci/run installs Debian's chromium")
		}
		t.Skip("no Chromium; install Debian's chromium package to run browser tests")
	}
	// no UserDataDir: the profile folder chromedp makes itself it removes
	// after Chromium and its helper processes have gone, where t.TempDir's
	// cleanup could find a helper still writing into it
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(360, 800),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// the first call starts the browser and must not carry a timeout
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// Wait evaluates expression in the page until it is true (or a promise of
// true), for up to a minute; a page that navigates meanwhile is simply
// asked again.
func Wait(ctx context.Context, t testing.TB, expression string) {
	t.Helper()
	var last error
	// a minute: a loaded machine may take long to load a page and its
	// scripts; a wait that ends sooner is not what a test checks
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expression, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		last = err
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("waiting for %s at %s: %v", expression, loc, last)
}
