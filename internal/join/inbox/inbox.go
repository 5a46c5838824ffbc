// Package inbox is the page serikat join inbox serves to an organizer on
// their own computer: the signups their key opens, newest first, by
// federation, with one-tap actions (a WhatsApp message with a greeting, a
// call) and the follow-up status, the numbers of package followup and
// the weekly charts of package chart, inline.
//
// # Who can reach it
//
// The page is for one browser on the organizer's own computer. The
// command listens on 127.0.0.1 only; every request must name that address
// in its Host (a DNS name pointed at 127.0.0.1 by an attacker's page, DNS
// rebinding, is refused) and carry the run's random token, first in the
// URL the command opens, then in a SameSite=Strict cookie. A change must
// come from the page itself: its Origin (or, without one, Sec-Fetch-Site)
// must be the inbox's own. The Content-Security-Policy lets the page load
// its own style sheet and nothing else; there is no script.
//
// # What it keeps
//
// Nothing decrypted is written anywhere: the page is built in memory at
// each request, answered with Cache-Control: no-store (so the browser
// does not keep it in its disk cache) and Referrer-Policy: same-origin
// (links out, to WhatsApp, carry no address of the page),
// and nothing is logged. A status change stores the status and its day in
// the clear and the note sealed to the signup's keys, padded to one size.
package inbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/followup"
	"github.com/serikat-id/serikat/internal/sealed"
)

// Config configures a Handler.
type Config struct {
	Store  join.Store
	Opener *sealed.Opener
	// Sealer returns the sealer of a federation's signups, for notes; nil
	// when notes cannot be sealed for it (the note field is not shown).
	Sealer func(federation string) join.Sealer
	// Federations name the federations by id.
	Federations map[string]string
	// Targets are the federations with their targets and deadlines, for
	// the weekly charts (see package chart).
	Targets    []join.Federation
	Channels   []string          // see join.ChannelOf
	Strategies map[string]string // see followup.Summarize
	// Addr is where the inbox listens (127.0.0.1:PORT): the only Host it
	// answers, and with http:// the only Origin a change may come from.
	Addr string
	// Token is the run's secret (see NewToken).
	Token string
	Now   func() time.Time
}

// Handler serves the inbox.
type Handler struct {
	cfg Config
	mux *http.ServeMux
}

// cookie is the name of the token's cookie.
const cookie = "serikat_inbox"

// New returns the inbox's handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /{$}", h.page)
	h.mux.HandleFunc("GET /inbox.css", h.css)
	h.mux.HandleFunc("POST /status", h.status)
	return h
}

// policy is the page's Content-Security-Policy: its own style sheet,
// forms posting to itself, and nothing else.
const policy = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP checks the Host, the token and, for a change, the origin,
// before anything else.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", policy)
	hd.Set("Cache-Control", "no-store")
	hd.Set("Referrer-Policy", "same-origin") // no-referrer would make a form's Origin "null"
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Host != h.cfg.Addr {
		http.Error(w, "Kotak masuk hanya dibuka lewat http://"+h.cfg.Addr+"/", http.StatusMisdirectedRequest)
		return
	}
	if t := r.URL.Query().Get("t"); t != "" && r.Method == http.MethodGet && r.URL.Path == "/" {
		if !h.valid(t) {
			http.Error(w, "Tautan ini sudah tidak berlaku. Jalankan serikat join inbox lagi.", http.StatusForbidden)
			return
		}
		// the token moves from the URL (and the history) into a cookie
		http.SetCookie(w, &http.Cookie{Name: cookie, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie(cookie); err != nil || !h.valid(c.Value) {
		http.Error(w, "Buka kotak masuk lewat tautan yang dicetak serikat join inbox.", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !h.sameOrigin(r) {
		http.Error(w, "Perubahan hanya boleh dari halaman kotak masuk ini.", http.StatusForbidden)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) valid(token string) bool {
	return h.cfg.Token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.cfg.Token)) == 1
}

// sameOrigin reports whether a change comes from the inbox's own page.
func (h *Handler) sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		return o == "http://"+h.cfg.Addr
	}
	return r.Header.Get("Sec-Fetch-Site") == "same-origin"
}

//go:embed inbox.css
var css []byte

func (h *Handler) css(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(css)
}

// status stores a status change: the version the page showed, plus one.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Permintaan tidak terbaca.", http.StatusBadRequest)
		return
	}
	id, err1 := strconv.ParseInt(r.PostForm.Get("record"), 10, 64)
	version, err2 := strconv.Atoi(r.PostForm.Get("version"))
	st := join.Status(r.PostForm.Get("status"))
	fed := r.PostForm.Get("federation")
	note := r.PostForm.Get("note")
	if err1 != nil || err2 != nil || !st.Valid() {
		http.Error(w, "Permintaan tidak lengkap.", http.StatusBadRequest)
		return
	}
	back := url.Values{}
	if msg := join.CheckNote(&note); msg != "" {
		back.Set("salah", strconv.FormatInt(id, 10))
		h.redirect(w, r, back, id)
		return
	}
	change := join.StatusChange{Record: id, Version: version + 1, Status: st, Day: followup.Today(h.cfg.Now())}
	if note != "" {
		sealer := h.sealer(fed)
		if sealer == nil {
			http.Error(w, "Catatan untuk federasi ini tidak bisa disegel: kunci publiknya tidak dikenal.", http.StatusBadRequest)
			return
		}
		sealedNote, err := sealer.Seal(join.PadNote(note))
		if err != nil {
			http.Error(w, "Catatan gagal disegel.", http.StatusInternalServerError)
			return
		}
		change.Note = sealedNote
	}
	switch err := h.cfg.Store.SetStatus(r.Context(), change); {
	case errors.Is(err, join.ErrConflict):
		back.Set("bentrok", strconv.FormatInt(id, 10))
	case errors.Is(err, join.ErrNoRecord):
		back.Set("hilang", "1")
	case err != nil:
		http.Error(w, "Basis data tidak bisa ditulis. Coba lagi sebentar lagi.", http.StatusServiceUnavailable)
		return
	}
	h.redirect(w, r, back, id)
}

func (h *Handler) sealer(federation string) join.Sealer {
	if h.cfg.Sealer == nil {
		return nil
	}
	return h.cfg.Sealer(federation)
}

// redirect goes back to the page, at the signup; keeping the channel
// filter the change was made under.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, q url.Values, id int64) {
	if ch := r.PostForm.Get("kanal"); ch != "" {
		q.Set("kanal", ch)
	}
	u := "/"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	http.Redirect(w, r, fmt.Sprintf("%s#p%d", u, id), http.StatusSeeOther)
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	people, skipped, err := followup.Load(ctx, h.cfg.Store, h.cfg.Opener, h.cfg.Channels)
	if err != nil {
		http.Error(w, "Pendaftaran tidak bisa dibaca: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	v, err := h.view(people, skipped, r.URL.Query())
	if err != nil {
		http.Error(w, "Catatan tidak bisa dibuka: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		http.Error(w, "Halaman gagal dibuat.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// NewToken returns a random token for a run: 32 bytes, in hex.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
