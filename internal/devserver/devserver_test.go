package devserver

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The pages served lately, newest first, are the ones a rebuild does first;
// assets and missing pages are not among them.
func TestVisited(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.html", "modul/a/index.html", "modul/b/index.html", "404.html", "css/main.css"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte("<html><body>x</body></html>"), 0o644)
	}
	s := New(dir)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, p := range []string{"/modul/a/", "/css/main.css", "/tidak-ada/", "/", "/modul/b/"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		time.Sleep(2 * time.Millisecond) // distinct times, so the order is defined
	}
	want := []string{"modul/b/index.html", "index.html", "modul/a/index.html"}
	if got := s.Visited(); !slices.Equal(got, want) {
		t.Errorf("Visited = %v, want %v", got, want)
	}
}

// An event stream outlives the HTTP server's write timeout (a tab stays
// open for hours), and Close ends it.
func TestEventStreamOutlivesWriteTimeoutAndCloses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html><body>x</body></html>"), 0o644)
	s := New(dir)
	srv := httptest.NewUnstartedServer(s)
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/_serikat/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(500 * time.Millisecond) // past the write timeout
	s.Reloaded([]string{"index.html"}, false)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && sc.Text() != "event: reload" {
	}
	if sc.Err() != nil || sc.Text() != "event: reload" {
		t.Fatalf("the stream after the write timeout ended without the reload: %v", sc.Err())
	}
	ended := make(chan struct{})
	go func() {
		io.Copy(io.Discard, resp.Body) // until Close ends the stream
		close(ended)
	}()
	s.Close()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the stream")
	}
}
