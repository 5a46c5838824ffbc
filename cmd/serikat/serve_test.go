package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type sse struct {
	event, data string
}

// events reads the server's event stream into a channel.
func events(t *testing.T, base string) <-chan sse {
	resp, err := http.Get(base + "/_serikat/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan sse, 32)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		var ev sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.event != "":
				ch <- ev
				ev = sse{}
			}
		}
	}()
	return ch
}

func expect(t *testing.T, ch <-chan sse, event, contains string) sse {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.event == event && strings.Contains(ev.data, contains) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %q event containing %q", event, contains)
		}
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// startServe runs "serikat serve" on dir in-process, on a free loopback
// port, until page answers; stop ends it as Ctrl-C does and returns how it
// ended.
func startServe(t *testing.T, dir, page string) (base string, stop func() error) {
	t.Helper()
	for range 3 {
		addr := loopbackAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		var stderr strings.Builder
		go func() { done <- execute(ctx, []string{"serve", "-s", dir, "--addr", addr}, io.Discard, &stderr) }()
		base = "http://" + addr
		err := untilServing(base+page, done)
		if err == nil {
			return base, func() error { cancel(); return <-done }
		}
		cancel()
		<-done // stderr is whole
		if !strings.Contains(stderr.String(), "already in use") {
			t.Fatalf("serve did not start (%v): %s", err, stderr.String())
		}
	}
	t.Fatal("no free port for serve")
	return "", nil
}

func TestServeRebuildsAndReloads(t *testing.T) {
	dir, scratch := t.TempDir(), t.TempDir()
	// written whole and renamed into place, as editors save: a file seen
	// between its truncation and its text would be a change of its own
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		tmp := filepath.Join(scratch, "next")
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	write("layouts/_default/single.html", "<html><head><style>{{ assetInline \"css/a.css\" }}</style></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
	write("layouts/_default/list.html", "<html><body>{{ .Title }}</body></html>")
	write("assets/css/a.css", "body{color:black}")
	write("content/a.md", "---\ntitle: Halaman A\n---\nIsi lama.\n")
	write("content/kampanye/ayo.md", "---\ntitle: Ayo\nfederasi: f-hukatan\nnamaFederasi: F HUKATAN\n---\n")

	base, stop := startServe(t, dir, "/a/")
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	if _, page := get(t, base+"/a/"); !strings.Contains(page, "Isi lama.") || !strings.Contains(page, `<script src="/_serikat/live.js" defer></script></body>`) {
		t.Fatalf("first page: %s", page)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve must not write public/")
	}
	ch := events(t, base)

	// an edit is served, and only that page is told to reload
	write("content/a.md", "---\ntitle: Halaman A\n---\nIsi baru.\n")
	ev := expect(t, ch, "reload", `"/a/"`)
	if strings.Contains(ev.data, "/kampanye/ayo/") {
		t.Errorf("a page that did not change is told to reload: %s", ev.data)
	}
	if _, page := get(t, base+"/a/"); !strings.Contains(page, "Isi baru.") {
		t.Errorf("the edit is not served: %s", page)
	}

	// a new folder with a page
	write("content/berita/kabar.md", "---\ntitle: Kabar\n---\nKabar baru.\n")
	expect(t, ch, "reload", `"/berita/kabar/"`)
	if code, page := get(t, base+"/berita/kabar/"); code != 200 || !strings.Contains(page, "Kabar baru.") {
		t.Errorf("new page: %d %s", code, page)
	}

	// a deleted page disappears
	os.Remove(filepath.Join(dir, "content/berita/kabar.md"))
	expect(t, ch, "reload", "")
	if code, _ := get(t, base+"/berita/kabar/"); code != http.StatusNotFound {
		t.Errorf("deleted page: %d", code)
	}

	// a template error shows with its file and line, then clears
	write("layouts/_default/single.html", "<html><body>\n{{ .TidakAda }}\n</body></html>")
	ev = expect(t, ch, "problems", "layouts/_default/single.html:2")
	if !strings.Contains(ev.data, "{{ .TidakAda }}") {
		t.Errorf("the overlay lacks the source line: %s", ev.data)
	}
	write("layouts/_default/single.html", "<html><head><style>{{ assetInline \"css/a.css\" }}</style></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
	expect(t, ch, "fixed", "")

	// a stylesheet edit swaps styles without a reload
	write("assets/css/a.css", "body{color:navy}")
	expect(t, ch, "css", "")

	// the join form works in serve mode
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/api/join", url.Values{"name": {"Siti"}, "phone": {"0812-3456-7890"},
		"workplace": {"PT"}, "city": {"Metro"}, "federation": {"f-hukatan"}, "consent": {"on"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("join in serve mode: %d", resp.StatusCode)
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "layouts/_default"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts/_default/list.html"), []byte("{{ .Title }}"), 0o644)
	var stderr strings.Builder
	err = execute(context.Background(), []string{"serve", "-s", dir, "--addr", ln.Addr().String()}, io.Discard, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "is already in use: stop the other server or choose another with --addr") {
		t.Errorf("err = %v, stderr %q", err, stderr.String())
	}
}

// Ctrl-C with a browser tab open (its event stream never hangs up) stops
// serve cleanly: it returns no error rather than waiting out the shutdown
// timeout and failing.
func TestServeStopsWithATabOpen(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "layouts/_default"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts/_default/list.html"), []byte("<html><body>{{ .Title }}</body></html>"), 0o644)
	os.MkdirAll(filepath.Join(dir, "content/kampanye"), 0o755)
	os.WriteFile(filepath.Join(dir, "content/kampanye/ayo.md"), []byte("---\ntitle: Ayo\nfederasi: f-hukatan\n---\n"), 0o644)
	base, stop := startServe(t, dir, "/")
	resp, err := http.Get(base + "/_serikat/events") // an open tab
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := stop(); err != nil { // Ctrl-C
		t.Errorf("serve stopped with %v", err)
	}
}
