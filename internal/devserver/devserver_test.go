package devserver

import (
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
