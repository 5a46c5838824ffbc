// Package devserver serves a site while it is being written: the built
// files, a small script injected into every page, and a stream of
// Server-Sent Events at /_serikat/events that tells open pages what to do.
//
//   - reload: a list of page paths whose output changed; a page reloads only
//     when its own path is in it (or the list holds "*").
//   - css: only stylesheets changed; the page swaps its styles in place.
//   - problems: the last rebuild failed; the page shows the problems, each
//     with its file, line and the source lines around it, over the content.
//   - fixed: a rebuild succeeded after problems; the page reloads.
//
// Browsers reconnect to the stream by themselves, so pages keep working
// after the server restarts. The package knows nothing of how the site is
// built or watched: its caller tells it with Reloaded and Failed.
package devserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
)

// Server serves the built site in a folder.
type Server struct {
	dir      string
	mu       sync.Mutex
	clients  map[chan message]bool
	problems string               // the overlay HTML while the last build failed
	visited  map[string]time.Time // pages served, by output file, and when
	closing  chan struct{}        // closed by Close: event streams end
	once     sync.Once
}

type message struct{ event, data string }

// New serves the site built in dir.
func New(dir string) *Server {
	return &Server{dir: dir, clients: map[chan message]bool{}, visited: map[string]time.Time{}, closing: make(chan struct{})}
}

// Close ends every open event stream, so that an HTTP server shutting down
// does not wait for browser tabs that would never hang up.
func (s *Server) Close() { s.once.Do(func() { close(s.closing) }) }

// Visited returns the output files ("modul/a/index.html") of the pages
// served in the last ten minutes, at most the twenty most recent: the
// pages a rebuild should bring up to date first.
func (s *Server) Visited() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	type seen struct {
		file string
		at   time.Time
	}
	var recent []seen
	for f, at := range s.visited {
		if time.Since(at) > 10*time.Minute {
			delete(s.visited, f)
			continue
		}
		recent = append(recent, seen{f, at})
	}
	sort.Slice(recent, func(i, j int) bool { return recent[i].at.After(recent[j].at) })
	var out []string
	for i := 0; i < len(recent) && i < 20; i++ {
		out = append(out, recent[i].file)
	}
	return out
}

func (s *Server) broadcast(m message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- m:
		default: // a stuck client misses an event rather than stalling the server
		}
	}
}

// Reloaded tells open pages that a rebuild succeeded. changed are the
// output files written (such as "modul/a/index.html"); onlyStyles says the
// sources that changed were stylesheets alone.
func (s *Server) Reloaded(changed []string, onlyStyles bool) {
	s.mu.Lock()
	hadProblems := s.problems != ""
	s.problems = ""
	s.mu.Unlock()
	switch {
	case hadProblems:
		s.broadcast(message{"fixed", "{}"})
	case onlyStyles:
		s.broadcast(message{"css", "{}"})
	case len(changed) > 0:
		paths := make([]string, 0, len(changed))
		for _, f := range changed {
			paths = append(paths, pagePath(f))
		}
		data, _ := json.Marshal(paths)
		s.broadcast(message{"reload", string(data)})
	}
}

// pagePath is the URL path an output file is served at.
func pagePath(file string) string {
	file = "/" + strings.TrimPrefix(filepath.ToSlash(file), "/")
	if strings.HasSuffix(file, "/index.html") {
		return strings.TrimSuffix(file, "index.html")
	}
	return file
}

// Failed tells open pages that a rebuild failed with err, worded in lang;
// source reads the files the problems name, for the lines around each.
func (s *Server) Failed(err error, lang msg.Lang, source func(path string) ([]byte, error)) {
	overlay := Overlay(err, lang, source)
	s.mu.Lock()
	s.problems = overlay
	s.mu.Unlock()
	data, _ := json.Marshal(overlay)
	s.broadcast(message{"problems", string(data)})
}

// Overlay renders build problems as HTML: each problem in lang, and for
// those with a line, the source lines around it with the line marked.
func Overlay(err error, lang msg.Lang, source func(path string) ([]byte, error)) string {
	var b strings.Builder
	for _, e := range diag.Flatten(err) {
		fmt.Fprintf(&b, "<p><strong>%s</strong></p>", html.EscapeString(diag.In(e, lang)))
		var de *diag.Error
		if !errors.As(e, &de) || de.Line == 0 || source == nil {
			continue
		}
		data, rerr := source(de.Path)
		if rerr != nil {
			continue
		}
		lines := strings.Split(string(data), "\n")
		b.WriteString("<pre>")
		for n := max(1, de.Line-2); n <= min(len(lines), de.Line+2); n++ {
			mark := "  "
			if n == de.Line {
				mark = "> "
			}
			fmt.Fprintf(&b, "%s%4d | %s\n", mark, n, html.EscapeString(lines[n-1]))
		}
		b.WriteString("</pre>")
	}
	return b.String()
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_serikat/events":
		s.events(w, r)
		return
	case "/_serikat/live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(liveScript))
		return
	}
	s.file(w, r)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	// a stream lasts as long as the tab is open, past any server write timeout
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	c := make(chan message, 8)
	s.mu.Lock()
	s.clients[c] = true
	problems := s.problems
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n: connected\n\n")
	if problems != "" {
		data, _ := json.Marshal(problems)
		fmt.Fprintf(w, "event: problems\ndata: %s\n\n", data)
	}
	flusher.Flush()
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case m := <-c:
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.event, m.data)
			flusher.Flush()
		case <-keepAlive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		}
	}
}

// file serves a built file; HTML pages get the live script before </body>.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	p := filepath.Join(s.dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		p = filepath.Join(p, "index.html")
	}
	status := http.StatusOK
	data, err := os.ReadFile(p)
	if err != nil {
		status = http.StatusNotFound
		data, _ = os.ReadFile(filepath.Join(s.dir, "404.html"))
		p = "404.html"
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasSuffix(p, ".html") {
		if status == http.StatusOK {
			if rel, err := filepath.Rel(s.dir, p); err == nil {
				s.mu.Lock()
				s.visited[filepath.ToSlash(rel)] = time.Now()
				s.mu.Unlock()
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		tag := []byte(`<script src="/_serikat/live.js" defer></script>`)
		if i := bytes.LastIndex(data, []byte("</body>")); i >= 0 {
			data = append(data[:i:i], append(tag, data[i:]...)...)
		} else {
			data = append(data, tag...)
		}
		w.WriteHeader(status)
		w.Write(data)
		return
	}
	if status == http.StatusNotFound {
		http.NotFound(w, r)
		return
	}
	http.ServeFile(w, r, p)
}

// liveScript runs only while previewing.
const liveScript = `(function () {
  "use strict";
  var es = new EventSource("/_serikat/events"), box;
  function show(html) {
    if (!box) {
      box = document.createElement("div");
      box.id = "serikat-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:#fff;color:#111;padding:1rem;font:14px/1.4 ui-monospace,monospace;border-top:6px solid #a4161a";
      document.body.appendChild(box);
    }
    box.innerHTML = "<h2 style='font:700 18px system-ui;color:#a4161a'>Situs belum bisa dibangun</h2>" + html;
  }
  es.addEventListener("problems", function (e) { show(JSON.parse(e.data)); });
  es.addEventListener("fixed", function () { location.reload(); });
  es.addEventListener("reload", function (e) {
    var changed = JSON.parse(e.data);
    if (changed.indexOf("*") >= 0 || changed.indexOf(location.pathname) >= 0) location.reload();
  });
  es.addEventListener("css", function () {
    fetch(location.href, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var fresh = doc.querySelectorAll("style, link[rel=stylesheet]"), old = document.querySelectorAll("style, link[rel=stylesheet]");
      old.forEach(function (el) { el.remove(); });
      fresh.forEach(function (el) { document.head.appendChild(document.importNode(el, true)); });
      document.documentElement.dataset.serikatCss = String(Date.now());
    });
  });
})();
`
