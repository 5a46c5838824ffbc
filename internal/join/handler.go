package join

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MaxBody is the largest request body read; a signup is a few hundred bytes.
const MaxBody = 8 << 10

// MinFillTime is how long a person takes at least to fill the form. Posts
// faster than this, when the page's script recorded when the form was
// shown, are treated as bots: answered as a success and stored nowhere.
const MinFillTime = 2 * time.Second

// Sealer encrypts a signup's personal fields (see package sealed).
type Sealer interface {
	Seal(plaintext []byte) ([]byte, error)
}

// Config configures a Handler.
type Config struct {
	Store       Store
	Sealer      Sealer
	HMACKey     []byte // keys the phone hash; kept outside the database
	Federations []Federation
	// ThankYou is where a browser goes after signing up; default /gabung/terima-kasih/.
	ThankYou string
	// RateLimit is signups per minute per client address; 0 turns it off.
	RateLimit int
	// TrustProxy takes the client address from X-Nf-Client-Connection-Ip or
	// X-Forwarded-For, as set by Netlify or a load balancer.
	TrustProxy bool
	// AllowOrigins may post from another origin and read the statistics.
	AllowOrigins []string
	Logger       *slog.Logger
	Now          func() time.Time
}

// Handler serves POST /api/join, GET /api/stats and GET /healthz.
type Handler struct {
	cfg      Config
	feds     map[string]Federation
	mux      *http.ServeMux
	perAddr  *limiters
	perPhone *limiters
}

// NewHandler returns the endpoint's handler.
func NewHandler(cfg Config) *Handler {
	if cfg.ThankYou == "" {
		cfg.ThankYou = "/gabung/terima-kasih/"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, feds: map[string]Federation{}, mux: http.NewServeMux()}
	for _, f := range cfg.Federations {
		h.feds[f.ID] = f
	}
	if cfg.RateLimit > 0 {
		h.perAddr = newLimiters(rate.Limit(float64(cfg.RateLimit)/60), cfg.RateLimit)
	}
	// a phone number may sign up a few times an hour (to other federations, or again)
	h.perPhone = newLimiters(rate.Limit(5.0/3600), 5)
	h.mux.HandleFunc("/api/join", h.join)
	h.mux.HandleFunc("/api/stats", h.stats)
	h.mux.HandleFunc("/healthz", h.health)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// PhoneHash is the keyed hash that recognizes a phone number without storing it.
func PhoneHash(key []byte, e164 string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(e164))
	return m.Sum(nil)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (h *Handler) join(w http.ResponseWriter, r *http.Request) {
	h.cors(w, r)
	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		w.Header().Set("Allow", "POST, OPTIONS")
		h.fail(w, r, http.StatusMethodNotAllowed, nil, nil, "Gunakan formulir pendaftaran untuk mendaftar.")
		return
	}
	if !h.originAllowed(r) {
		h.fail(w, r, http.StatusForbidden, nil, nil, "Formulir ini hanya bisa dikirim dari situs serikat.")
		return
	}
	if h.perAddr != nil && !h.perAddr.allow(h.clientAddr(r)) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, 60/h.cfg.RateLimit)))
		h.fail(w, r, http.StatusTooManyRequests, nil, nil, "Terlalu banyak pendaftaran dari jaringan ini. Coba lagi sebentar lagi.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	s, meta, typeErrs, err := parseSignup(r)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.fail(w, r, http.StatusRequestEntityTooLarge, nil, nil, "Isian terlalu panjang.")
		return
	case err != nil:
		h.fail(w, r, http.StatusBadRequest, nil, nil, "Isian tidak bisa dibaca. Coba kirim ulang.")
		return
	}
	if meta.honeypot != "" || h.tooFast(meta.shownAt) {
		h.cfg.Logger.Info("signup ignored", "reason", "bot check")
		h.succeed(w, r, false)
		return
	}
	entered := s // what the worker typed, to show back if something fails
	if errs := s.Validate(h.feds); errs != nil || typeErrs != nil {
		if errs == nil {
			errs = FieldErrors{}
		}
		for k, v := range typeErrs {
			errs[k] = v
		}
		h.fail(w, r, http.StatusUnprocessableEntity, errs, &entered, "Periksa isian yang ditandai.")
		return
	}
	hash := PhoneHash(h.cfg.HMACKey, s.Phone)
	if !h.perPhone.allow(string(hash)) {
		w.Header().Set("Retry-After", "3600")
		h.fail(w, r, http.StatusTooManyRequests, nil, &entered, "Nomor ini sudah terlalu sering didaftarkan. Coba lagi nanti.")
		return
	}
	plain, _ := json.Marshal(s) // a struct of strings always marshals
	sealed, err := h.cfg.Sealer.Seal(plain)
	if err != nil {
		h.cfg.Logger.Error("sealing a signup failed", "err", err.Error())
		h.fail(w, r, http.StatusInternalServerError, nil, &entered, "Terjadi kesalahan. Data Anda belum tersimpan; coba kirim ulang.")
		return
	}
	now := h.cfg.Now()
	rec := &Record{Federation: s.Federation, Source: s.Source, Day: now.In(WIB).Format(time.DateOnly),
		ConsentVersion: ConsentVersion, PhoneHash: hash, Sealed: sealed, CreatedAt: now}
	// the signup is stored even if the worker's connection drops meanwhile
	added, err := h.cfg.Store.Add(context.WithoutCancel(r.Context()), rec)
	if err != nil {
		h.cfg.Logger.Error("storing a signup failed", "federation", s.Federation, "err", err.Error())
		h.fail(w, r, http.StatusServiceUnavailable, nil, &entered, "Pendaftaran belum bisa disimpan saat ini. Isian Anda masih di sini; coba kirim lagi sebentar lagi.")
		return
	}
	h.cfg.Logger.Info("signup", "federation", s.Federation, "source", s.Source, "new", added)
	h.succeed(w, r, !added)
}

type signupMeta struct {
	honeypot string
	shownAt  string
}

func valueOr(v, def any) any {
	if v == nil {
		return def
	}
	return v
}

// parseSignup reads a form or JSON body. typeErrs are JSON fields of the
// wrong type, reported with the validation errors.
func parseSignup(r *http.Request) (s Signup, meta signupMeta, typeErrs FieldErrors, err error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		// decoded field by field, so a wrong type is a field error (422)
		// rather than an unreadable request
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return s, meta, nil, err
			}
			return s, meta, nil, errors.New("malformed JSON")
		}
		typeErrs := FieldErrors{}
		text := func(key string) string {
			switch v := body[key].(type) {
			case nil:
				return ""
			case string:
				return v
			default:
				typeErrs[key] = "Isian ini harus berupa teks."
				return ""
			}
		}
		s = Signup{Name: text("name"), Phone: text("phone"), Workplace: text("workplace"), City: text("city"),
			Federation: text("federation"), Sector: text("sector"), Source: text("source")}
		switch v := body["consent"].(type) {
		case bool:
			s.Consent = v
		case string:
			s.Consent = v == "on" || v == "true" || v == "ya"
		}
		meta = signupMeta{honeypot: fmt.Sprint(valueOr(body["website"], ""))}
		switch v := body["shown_at"].(type) {
		case string:
			meta.shownAt = v
		case float64:
			meta.shownAt = strconv.FormatInt(int64(v), 10)
		}
		if len(typeErrs) == 0 {
			typeErrs = nil
		}
		return s, meta, typeErrs, nil
	}
	if err := r.ParseForm(); err != nil {
		return s, meta, nil, err
	}
	f := r.PostForm
	s = Signup{Name: f.Get("name"), Phone: f.Get("phone"), Workplace: f.Get("workplace"), City: f.Get("city"),
		Federation: f.Get("federation"), Sector: f.Get("sector"), Source: f.Get("source"), Consent: f.Get("consent") == "on"}
	if s.Source == "" {
		s.Source = sourceFromReferer(r)
	}
	return s, signupMeta{honeypot: f.Get("website"), shownAt: f.Get("shown_at")}, nil, nil
}

// sourceFromReferer reads ?src= from the page the form was on, for browsers
// without JavaScript (the script fills the source field otherwise).
func sourceFromReferer(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil {
		return ""
	}
	return ref.Query().Get("src")
}

func (h *Handler) tooFast(shownAt string) bool {
	ms, err := strconv.ParseInt(shownAt, 10, 64)
	if err != nil || ms <= 0 {
		return false // no script, no timing: the post is judged by the rest
	}
	elapsed := h.cfg.Now().Sub(time.UnixMilli(ms))
	return elapsed >= 0 && elapsed < MinFillTime
}

// originAllowed accepts a post when the browser says it comes from the
// origin it is sent to (Sec-Fetch-Site: same-origin, which stays true
// behind Netlify's /api proxy, where Origin is the site and Host is the
// endpoint), when its Origin is allowed or is the endpoint's own, and from
// clients that send neither (curl, scripts). It refuses cross-site browser
// posts from anywhere else.
func (h *Handler) originAllowed(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site == "same-origin" {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return site != "cross-site"
	}
	if slices.Contains(h.cfg.AllowOrigins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == r.Host
}

func (h *Handler) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin != "" && slices.Contains(h.cfg.AllowOrigins, origin) {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Accept")
		w.Header().Add("Vary", "Origin")
	}
}

func (h *Handler) clientAddr(r *http.Request) string {
	if h.cfg.TrustProxy {
		if ip := r.Header.Get("X-Nf-Client-Connection-Ip"); ip != "" {
			return ip
		}
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first, _, _ := strings.Cut(fwd, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Handler) succeed(w http.ResponseWriter, r *http.Request, duplicate bool) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusCreated, map[string]any{"ok": true, "duplicate": duplicate})
		return
	}
	http.Redirect(w, r, h.cfg.ThankYou, http.StatusSeeOther)
}

// fail answers an error. JSON clients get {"errors": {...}}; browsers get a
// page in Bahasa Indonesia with the form again, the errors beside their
// fields and what the worker typed still in it.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, errs FieldErrors, entered *Signup, message string) {
	if wantsJSON(r) {
		body := map[string]any{"message": message}
		if errs != nil {
			body["errors"] = errs
		}
		writeJSON(w, status, body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	data := formPage{Message: message, Errors: errs, Federations: h.cfg.Federations, ThankYou: h.cfg.ThankYou}
	if entered != nil {
		data.Signup = *entered
	}
	if err := formTemplate.Execute(w, data); err != nil {
		h.cfg.Logger.Error("rendering the form page failed", "err", err.Error())
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Stats is what GET /api/stats answers: counts, never anyone's data.
type Stats struct {
	Total       int              `json:"total"`
	Federations []FederationStat `json:"federations"`
	Sources     map[string]int   `json:"sources"`
	Days        map[string]int   `json:"days"`
}

// FederationStat is one federation's progress.
type FederationStat struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Count  int    `json:"count"`
	Target int    `json:"target"`
}

// StatsOf turns a store's counts into Stats; every configured federation is
// listed, with 0 when nobody joined it yet.
func StatsOf(c Counts, federations []Federation) Stats {
	st := Stats{Sources: map[string]int{}, Days: c.Days}
	for _, f := range federations {
		st.Federations = append(st.Federations, FederationStat{ID: f.ID, Name: f.Name, Count: c.Federations[f.ID], Target: f.Target})
	}
	for _, n := range c.Federations {
		st.Total += n
	}
	for src, n := range c.Sources {
		if src == "" {
			src = "langsung"
		}
		st.Sources[src] += n
	}
	if st.Days == nil {
		st.Days = map[string]int{}
	}
	return st
}

func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	h.cors(w, r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "GET only"})
		return
	}
	c, err := h.cfg.Store.Counts(r.Context())
	if err != nil {
		h.cfg.Logger.Error("counting signups failed", "err", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "statistik belum tersedia"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60")
	json.NewEncoder(w).Encode(StatsOf(c, h.cfg.Federations))
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	if _, err := h.cfg.Store.Counts(r.Context()); err != nil {
		http.Error(w, "storage unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// limiters are token buckets by key, forgotten when there are too many.
type limiters struct {
	mu    sync.Mutex
	m     map[string]*rate.Limiter
	every rate.Limit
	burst int
}

func newLimiters(every rate.Limit, burst int) *limiters {
	return &limiters{m: map[string]*rate.Limiter{}, every: every, burst: burst}
}

func (l *limiters) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.m[key]
	if !ok {
		if len(l.m) >= 100_000 {
			clear(l.m) // bounded memory under a flood; limits restart
		}
		lim = rate.NewLimiter(l.every, l.burst)
		l.m[key] = lim
	}
	return lim.Allow()
}

type formPage struct {
	Message     string
	Errors      FieldErrors
	Signup      Signup
	Federations []Federation
	ThankYou    string
}

var formTemplate = template.Must(template.New("form").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Daftar menjadi anggota</title>
<style>body{font:1.0625rem/1.6 system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;color:#1a1a1a}label{display:block;font-weight:600;margin-top:.75rem}input,select{font:inherit;width:100%;min-height:44px;padding:.4rem;border:1px solid #595959;border-radius:.375rem}.consent{display:flex;gap:.5rem;margin-top:1rem}.consent input{width:24px;min-height:24px}.consent label{font-weight:400;margin:0}.error{color:#a4161a;font-weight:600;margin:.25rem 0}button{font:inherit;font-weight:700;min-height:44px;margin-top:1rem;padding:.6rem 1.25rem;border:0;border-radius:.375rem;background:#a4161a;color:#fff}</style></head>
<body><main>
<h1>Daftar menjadi anggota</h1>
<p role="alert"><strong>{{ .Message }}</strong></p>
<form method="post" action="/api/join">
<label for="f-name">Nama lengkap *</label>
<input id="f-name" name="name" value="{{ .Signup.Name }}" autocomplete="name" required{{ if .Errors.name }} aria-invalid="true" aria-describedby="e-name"{{ end }}>
{{ with .Errors.name }}<p class="error" id="e-name">{{ . }}</p>{{ end }}
<label for="f-phone">Nomor ponsel (WhatsApp) *</label>
<input id="f-phone" name="phone" type="tel" inputmode="tel" value="{{ .Signup.Phone }}" autocomplete="tel" required{{ if .Errors.phone }} aria-invalid="true" aria-describedby="e-phone"{{ end }}>
{{ with .Errors.phone }}<p class="error" id="e-phone">{{ . }}</p>{{ end }}
<label for="f-workplace">Tempat kerja (nama perusahaan) *</label>
<input id="f-workplace" name="workplace" value="{{ .Signup.Workplace }}" required{{ if .Errors.workplace }} aria-invalid="true" aria-describedby="e-workplace"{{ end }}>
{{ with .Errors.workplace }}<p class="error" id="e-workplace">{{ . }}</p>{{ end }}
<label for="f-city">Kota atau kabupaten *</label>
<input id="f-city" name="city" value="{{ .Signup.City }}" required{{ if .Errors.city }} aria-invalid="true" aria-describedby="e-city"{{ end }}>
{{ with .Errors.city }}<p class="error" id="e-city">{{ . }}</p>{{ end }}
<label for="f-federation">Federasi *</label>
<select id="f-federation" name="federation" required{{ if .Errors.federation }} aria-invalid="true" aria-describedby="e-federation"{{ end }}>
<option value="">Pilih federasi</option>
{{ $chosen := .Signup.Federation }}{{ range .Federations }}<option value="{{ .ID }}"{{ if eq .ID $chosen }} selected{{ end }}>{{ .Name }}</option>{{ end }}
</select>
{{ with .Errors.federation }}<p class="error" id="e-federation">{{ . }}</p>{{ end }}
<label for="f-sector">Sektor atau bagian (tidak wajib)</label>
<input id="f-sector" name="sector" value="{{ .Signup.Sector }}">
<div class="consent"><input id="f-consent" name="consent" type="checkbox"{{ if .Signup.Consent }} checked{{ end }}{{ if .Errors.consent }} aria-invalid="true" aria-describedby="e-consent"{{ end }}>
<label for="f-consent">Saya setuju data ini disimpan terenkripsi dan dipakai pengurus federasi untuk menghubungi saya tentang keanggotaan. Saya bisa meminta penghapusannya kapan saja.</label></div>
{{ with .Errors.consent }}<p class="error" id="e-consent">{{ . }}</p>{{ end }}
<input type="hidden" name="source" value="{{ .Signup.Source }}">
<button type="submit">Kirim lagi</button>
</form>
</main></body></html>
`))
