package cmsapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lab is a site with one module, served by the handler on loopback.
type lab struct {
	t     *testing.T
	site  string
	url   string
	saved [][]string
}

func newLab(t *testing.T) *lab {
	l := &lab{t: t, site: t.TempDir()}
	l.file("content/modul/01-a.md", "---\ntitle: A\n---\nIsi.\n")
	l.file("rahasia.txt", "kunci")
	var srv *httptest.Server
	h, err := New(l.site, func(host string) bool { return host == srv.Listener.Addr().String() })
	if err != nil {
		t.Fatal(err)
	}
	h.Saved = func(files []string) { l.saved = append(l.saved, files) }
	srv = httptest.NewServer(h)
	t.Cleanup(srv.Close)
	l.url = srv.URL
	return l
}

func (l *lab) file(name, data string) {
	full := filepath.Join(l.site, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		l.t.Fatal(err)
	}
}

// post sends action with params as the editor would, from origin.
func (l *lab) post(origin, action string, params any) (int, string) {
	l.t.Helper()
	body, _ := json.Marshal(map[string]any{"action": action, "params": params})
	req, _ := http.NewRequest(http.MethodPost, l.url+"/api/v1", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String()
}

func TestProtocol(t *testing.T) {
	l := newLab(t)
	own := l.url
	if code, body := l.post(own, "info", nil); code != 200 || !strings.Contains(body, `"type":"local_fs"`) || !strings.Contains(body, `"publish_modes":["simple"]`) {
		t.Errorf("info: %d %s", code, body)
	}
	code, body := l.post(own, "entriesByFolder", map[string]any{"folder": "content/modul", "extension": "md", "depth": 2, "branch": "main"})
	if code != 200 || !strings.Contains(body, `"data":"---\ntitle: A\n---\nIsi.\n"`) || !strings.Contains(body, `"path":"content/modul/01-a.md"`) {
		t.Errorf("entriesByFolder: %d %s", code, body)
	}
	if code, body := l.post(own, "getEntry", map[string]any{"path": "content/modul/none.md"}); code != 200 || !strings.Contains(body, `"data":null`) {
		t.Errorf("getEntry of a missing file: %d %s", code, body)
	}
	// a new module in its bundle, with its photo
	code, body = l.post(own, "persistEntry", map[string]any{
		"dataFiles": []map[string]string{{"slug": "b", "path": "content/modul/b/index.md", "raw": "---\ntitle: B\n---\n"}},
		"assets":    []map[string]string{{"path": "content/modul/b/foto.jpg", "content": "/9j/", "encoding": "base64"}},
		"options":   map[string]any{"commitMessage": "x", "useWorkflow": false, "status": ""},
	})
	if code != 200 {
		t.Fatalf("persistEntry: %d %s", code, body)
	}
	if data, _ := os.ReadFile(filepath.Join(l.site, "content/modul/b/foto.jpg")); string(data) != "\xff\xd8\xff" {
		t.Errorf("the photo holds %q", data)
	}
	if len(l.saved) != 1 || strings.Join(l.saved[0], " ") != "content/modul/b/index.md content/modul/b/foto.jpg" {
		t.Errorf("saved %v", l.saved)
	}
	if code, body := l.post(own, "getMedia", map[string]any{"mediaFolder": "content/modul/b"}); code != 200 || !strings.Contains(body, `"name":"foto.jpg"`) || strings.Contains(body, "index.md") {
		t.Errorf("getMedia: %d %s", code, body)
	}
	if code, body := l.post(own, "deleteFile", map[string]any{"path": "content/modul/b/foto.jpg"}); code != 200 {
		t.Errorf("deleteFile: %d %s", code, body)
	}
	if _, err := os.Stat(filepath.Join(l.site, "content/modul/b/foto.jpg")); !os.IsNotExist(err) {
		t.Errorf("the photo is still there: %v", err)
	}
	if code, _ := l.post(own, "nonsense", nil); code != 422 {
		t.Errorf("an unknown action: %d", code)
	}
}

// Paths that leave content/ are refused and nothing is written or read.
func TestRefusesPathsOutsideContent(t *testing.T) {
	l := newLab(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(l.site, "content", "keluar")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"content/../rahasia.txt", "../rahasia.txt", "rahasia.txt", "/etc/passwd", filepath.Join(l.site, "content/x.md"),
		"content/keluar/x.md", "content/keluar/baru/x.md", "layouts/_default/single.html", "content\\..\\rahasia.txt", "serikat.toml"} {
		code, body := l.post(l.url, "persistEntry", map[string]any{
			"entry": map[string]string{"slug": "x", "path": p, "raw": "ditimpa"}, "assets": []any{}, "options": map[string]any{}})
		if code != 422 {
			t.Errorf("persistEntry %s: %d %s", p, code, body)
		}
		if code, body := l.post(l.url, "getMediaFile", map[string]any{"path": p}); code != 422 {
			t.Errorf("getMediaFile %s: %d %s", p, code, body)
		}
		if code, _ := l.post(l.url, "deleteFile", map[string]any{"path": p}); code != 422 {
			t.Errorf("deleteFile %s: %d", p, code)
		}
	}
	if code, _ := l.post(l.url, "entriesByFolder", map[string]any{"folder": "content/keluar", "extension": "", "depth": 1}); code != 422 {
		t.Errorf("listing through a link out: %d", code)
	}
	if data, _ := os.ReadFile(filepath.Join(l.site, "rahasia.txt")); string(data) != "kunci" {
		t.Errorf("rahasia.txt now holds %q", data)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("written outside the site: %v", entries)
	}
	if len(l.saved) != 0 {
		t.Errorf("saved %v", l.saved)
	}
}

// A page on another origin, or one reaching the server by another name
// (DNS rebinding), cannot use it.
func TestRefusesOtherOrigins(t *testing.T) {
	l := newLab(t)
	params := map[string]any{"entry": map[string]string{"slug": "x", "path": "content/x.md", "raw": "x"}, "assets": []any{}, "options": map[string]any{}}
	for _, origin := range []string{"", "https://jahat.example.com", "null", "http://localhost.jahat.example.com", strings.Replace(l.url, "http:", "https:", 1)} {
		if code, body := l.post(origin, "persistEntry", params); code != 403 {
			t.Errorf("Origin %q: %d %s", origin, code, body)
		}
	}
	// the right Origin for the wrong Host
	u, _ := url.Parse(l.url)
	body, _ := json.Marshal(map[string]any{"action": "persistEntry", "params": params})
	req, _ := http.NewRequest(http.MethodPost, l.url+"/api/v1", bytes.NewReader(body))
	req.Host = "jahat.example.com:" + u.Port()
	req.Header.Set("Origin", "http://"+req.Host)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("Host %s: %d", req.Host, resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(l.site, "content/x.md")); !os.IsNotExist(err) {
		t.Errorf("content/x.md was written: %v", err)
	}
	if code, _ := l.post(l.url, "persistEntry", params); code != 200 {
		t.Errorf("the server's own origin: %d", code)
	}
}

// serve may listen on the network so a phone can preview; a program on
// that network writes any Host and Origin it likes, so only this computer
// may change files.
func TestRefusesOtherComputers(t *testing.T) {
	site := t.TempDir()
	if err := os.Mkdir(filepath.Join(site, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	const lan = "192.168.1.5:1313"
	h, err := New(site, func(host string) bool { return host == lan })
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"action": "persistEntry", "params": map[string]any{
		"entry": map[string]string{"slug": "x", "path": "content/x.md", "raw": "x"}, "assets": []any{}, "options": map[string]any{}}})
	for _, c := range []struct {
		remote string
		want   int
	}{{"192.168.1.20:50000", 403}, {"[fe80::1]:50000", 403}, {"127.0.0.1:50000", 200}} { // this computer last: it writes
		remote, want := c.remote, c.want
		req := httptest.NewRequest(http.MethodPost, "http://"+lan+"/api/v1", bytes.NewReader(body))
		req.RemoteAddr = remote
		req.Header.Set("Origin", "http://"+lan)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("from %s: %d %s, want %d", remote, rec.Code, rec.Body, want)
		}
		if _, err := os.Stat(filepath.Join(site, "content/x.md")); (err == nil) != (want == 200) {
			t.Errorf("from %s: content/x.md written: %v", remote, err == nil)
		}
	}
}
