package join

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
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
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/serikat-id/serikat/internal/ratelimit"
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
	Store Store
	// Sealer seals every signup to the site-wide organizers (the
	// confederation); FederationSealers, where a federation has its own
	// keys, seal to those and the site-wide ones together instead.
	Sealer            Sealer
	FederationSealers map[string]Sealer
	HMACKey           []byte // keys the phone hash; kept outside the database
	Federations       []Federation
	// ThankYou is where a browser goes after signing up; default /gabung/terima-kasih/.
	ThankYou string
	// RateLimit is signups per minute per client address; 0 turns it off.
	RateLimit int
	// ClientKey names the client for rate limits (see package clientip,
	// which knows which proxies to believe); default the peer's address.
	ClientKey func(*http.Request) string
	// AllowOrigins may post from another origin and read the statistics.
	AllowOrigins []string
	// DedupDays is how long phone hashes are kept (Run erases older ones);
	// 0 keeps them.
	DedupDays int
	// StatsEvery is how often the public statistics are counted again
	// (default an hour), so that a count moving right after a link was
	// sent to one worker does not show that worker joined; a negative
	// value counts at every request (previews).
	StatsEvery time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
}

// Handler serves POST /api/join, GET /api/stats and GET /healthz.
type Handler struct {
	cfg     Config
	feds    map[string]Federation
	mux     *http.ServeMux
	perAddr *ratelimit.Limiter // signups about to be stored, per client
	// perAddrRejected is the same limit for posts that are not stored
	perAddrRejected *ratelimit.Limiter
	tally           tally
	// formPolicy is the CSP of the error page (see formPolicy).
	formPolicy string
	// stats is the last public count, and when it was made
	statsMu   sync.Mutex
	statsBody []byte
	statsAt   time.Time
	// errLog lets through at most one error line a minute: during an
	// outage a line per failed signup could be matched with a proxy's log
	errLog rate.Sometimes
}

// tally counts outcomes for the hourly log line, which replaces a line per
// signup: a timestamped line per signup could be matched with a proxy's
// access log.
type tally struct{ stored, rejected, ignored, failed atomic.Int64 }

// limiterMaxKeys bounds the rate limiter's memory. There is no limit per
// phone number: any such limit either answers differently or, dropping the
// excess quietly, does less work and so answers faster, which tells a
// client on the worker's own network that the number was posted before;
// and it would let that client lock the worker out.
const limiterMaxKeys = 100_000

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
	if cfg.ClientKey == nil {
		cfg.ClientKey = peerAddr
	}
	if cfg.StatsEvery == 0 {
		cfg.StatsEvery = time.Hour
	}
	h := &Handler{cfg: cfg, feds: map[string]Federation{}, mux: http.NewServeMux(), formPolicy: formPolicy(cfg.ThankYou, cfg.AllowOrigins),
		errLog: rate.Sometimes{Interval: time.Minute}}
	for _, f := range cfg.Federations {
		h.feds[f.ID] = f
	}
	if cfg.RateLimit > 0 {
		h.perAddr = ratelimit.New(rate.Limit(float64(cfg.RateLimit)/60), cfg.RateLimit, limiterMaxKeys)
		h.perAddrRejected = ratelimit.New(rate.Limit(float64(cfg.RateLimit)/60), cfg.RateLimit, limiterMaxKeys)
	}
	h.mux.HandleFunc("/api/join", h.join)
	h.mux.HandleFunc("/api/stats", h.stats)
	h.mux.HandleFunc("/healthz", h.health)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer") // the thank-you page learns nothing of the form's page
	hd.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
	h.mux.ServeHTTP(w, r)
}

// Run does the endpoint's upkeep until ctx ends: every hour it erases phone
// hashes older than DedupDays and logs how many signups were stored,
// rejected and ignored in that hour (only counts; nothing when all are 0).
func (h *Handler) Run(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		h.forgetOldHashes(ctx)
		select {
		case <-ctx.Done():
			h.logTally()
			return
		case <-tick.C:
			h.logTally()
		}
	}
}

func (h *Handler) forgetOldHashes(ctx context.Context) {
	if h.cfg.DedupDays <= 0 {
		return
	}
	before := h.cfg.Now().In(WIB).AddDate(0, 0, -h.cfg.DedupDays).Format(time.DateOnly)
	if _, err := h.cfg.Store.ForgetPhoneHashes(ctx, before); err != nil && ctx.Err() == nil {
		h.logError("erasing old phone hashes failed", err)
	}
}

func (h *Handler) logTally() {
	stored, rejected := h.tally.stored.Swap(0), h.tally.rejected.Swap(0)
	ignored, failed := h.tally.ignored.Swap(0), h.tally.failed.Swap(0)
	if stored+rejected+ignored+failed > 0 {
		h.cfg.Logger.Info("signups since the last report", "stored", stored, "rejected", rejected, "ignored", ignored, "failed", failed)
	}
}

// logError logs an internal error, at most one line a minute.
func (h *Handler) logError(msg string, err error) {
	h.errLog.Do(func() { h.cfg.Logger.Error(msg, "err", err.Error()) })
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
	// Rate limits come after reading the post, with a bucket of their own
	// for what is not stored (unreadable, invalid, a bot's): a client on a
	// worker's network emptying the limit with junk would otherwise lock the
	// worker out. Emptying the signups' bucket takes valid signups, which
	// are stored, and show.
	client := h.cfg.ClientKey(r)
	limited := func(l *ratelimit.Limiter) bool {
		if l == nil || l.Allow(client) {
			return false
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(1, 60/h.cfg.RateLimit)))
		h.fail(w, r, http.StatusTooManyRequests, nil, nil, "Terlalu banyak pendaftaran dari jaringan ini. Coba lagi sebentar lagi.")
		return true
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	s, meta, typeErrs, err := parseSignup(r)
	if err != nil && limited(h.perAddrRejected) {
		return
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.fail(w, r, http.StatusRequestEntityTooLarge, nil, nil, "Isian terlalu panjang.")
		return
	case err != nil:
		h.fail(w, r, http.StatusBadRequest, nil, nil, "Isian tidak bisa dibaca. Coba kirim ulang.")
		return
	}
	if meta.honeypot != "" || h.tooFast(meta) {
		if h.perAddrRejected != nil {
			h.perAddrRejected.Allow(client) // answered alike either way
		}
		h.tally.ignored.Add(1)
		h.succeed(w, r)
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
		if limited(h.perAddrRejected) {
			return
		}
		h.tally.rejected.Add(1)
		h.fail(w, r, http.StatusUnprocessableEntity, errs, &entered, "Periksa isian yang ditandai.")
		return
	}
	if limited(h.perAddr) {
		return
	}
	salt, hash := NewPhoneHash(h.cfg.HMACKey, s.Phone)
	sealed, err := h.sealerFor(s.Federation).Seal(Pad(s))
	if err != nil {
		h.tally.failed.Add(1)
		h.logError("sealing a signup failed", err)
		h.fail(w, r, http.StatusInternalServerError, nil, &entered, "Terjadi kesalahan. Data Anda belum tersimpan; coba kirim ulang.")
		return
	}
	rec := &Record{ID: NewID(), Federation: s.Federation,
		Day: h.cfg.Now().In(WIB).Format(time.DateOnly), ConsentVersion: ConsentVersion, PhoneSalt: salt, PhoneHash: hash, Sealed: sealed}
	// the signup is stored even if the worker's connection drops meanwhile
	if err := h.cfg.Store.Add(context.WithoutCancel(r.Context()), rec); err != nil {
		h.tally.failed.Add(1)
		h.logError("storing a signup failed", err)
		h.fail(w, r, http.StatusServiceUnavailable, nil, &entered, "Pendaftaran belum bisa disimpan saat ini. Isian Anda masih di sini; coba kirim lagi sebentar lagi.")
		return
	}
	h.tally.stored.Add(1)
	h.succeed(w, r)
}

func (h *Handler) sealerFor(federation string) Sealer {
	if s, ok := h.cfg.FederationSealers[federation]; ok {
		return s
	}
	return h.cfg.Sealer
}

type signupMeta struct {
	honeypot string
	shownAt  string // when the page's script showed the form, by the phone's clock
	fillMS   string // how long the form took, by the phone's clock alone
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
		for key, into := range map[string]*string{"shown_at": &meta.shownAt, "fill_ms": &meta.fillMS} {
			switch v := body[key].(type) {
			case string:
				*into = v
			case float64:
				*into = strconv.FormatInt(int64(v), 10)
			}
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
	return s, signupMeta{honeypot: f.Get("website"), shownAt: f.Get("shown_at"), fillMS: f.Get("fill_ms")}, nil, nil
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

// tooFast reports a post filled faster than a person can. The time is the
// phone's own measure (fill_ms) where the page's script sent one: a phone
// whose clock runs ahead of the server's would otherwise make a worker who
// took long enough look like a bot, answered as a success and dropped.
// Only an older script's shown_at is compared with the server's clock.
func (h *Handler) tooFast(m signupMeta) bool {
	if ms, err := strconv.ParseInt(m.fillMS, 10, 64); err == nil {
		return ms >= 0 && time.Duration(ms)*time.Millisecond < MinFillTime
	}
	ms, err := strconv.ParseInt(m.shownAt, 10, 64)
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

// peerAddr is the connection's address: the client, when nothing stands
// between it and the endpoint.
func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// succeed is the one answer to every accepted post, whether it was stored,
// repeated a known phone, or was dropped as a bot's or as one too many.
func (h *Handler) succeed(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusCreated, map[string]bool{"ok": true})
		return
	}
	target := h.cfg.ThankYou
	if site := h.siteOrigin(r); site != "" && strings.HasPrefix(target, "/") {
		target = site + target
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// siteOrigin is the allowed origin, other than the endpoint's own, that a
// browser posted the form from: the thank-you page is on the site, and on a
// host of its own (GitHub Pages, say) the endpoint's bare path would not
// find it. The form the endpoint shows again after a mistake carries it
// in a hidden field, since its posts come from the endpoint's own origin.
// "" when the form was posted from the site's own origin or its proxy.
func (h *Handler) siteOrigin(r *http.Request) string {
	for _, origin := range []string{r.Header.Get("Origin"), r.PostForm.Get(siteField)} {
		if !slices.Contains(h.cfg.AllowOrigins, origin) {
			continue
		}
		if u, err := url.Parse(origin); err == nil && u.Host != r.Host {
			return origin
		}
	}
	return ""
}

// siteField is the hidden field of the endpoint's own form that names the
// site's origin (see siteOrigin).
const siteField = "site"

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
	w.Header().Set("Content-Security-Policy", h.formPolicy)
	w.WriteHeader(status)
	data := formPage{Style: formStyle, Message: message, Errors: errs, Federations: h.cfg.Federations, Site: h.siteOrigin(r)}
	if entered != nil {
		data.Signup = *entered
	}
	// the template is fixed and tested: what fails here is the worker's
	// connection, which is not worth a line (nor its address)
	_ = formTemplate.Execute(w, data)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Stats is what GET /api/stats answers: aggregates only, no channel and
// no day. (Channel counts, even from a threshold up, can be padded by
// whoever sends one worker a link: they stay with the organizers, in
// serikat join stats.)
type Stats struct {
	Total int `json:"total"`
	// Progress says what Total counts: ProgressSignups or ProgressMembers
	// when every federation listed counts the same, else ProgressMixed.
	Progress    string           `json:"progress"`
	Federations []FederationStat `json:"federations"`
}

// FederationStat is one federation's progress.
type FederationStat struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
	// Progress says what Count counts: ProgressSignups or ProgressMembers.
	Progress string `json:"progress"`
	Target   int    `json:"target"`
}

// What the public statistics count (Stats.Progress): signups (every
// submission), members (people whose follow-up stands at StatusMember),
// or, in a total, some federations' signups and other's members.
const (
	ProgressSignups = "pendaftaran"
	ProgressMembers = "anggota"
	ProgressMixed   = "campuran"
)

// StatsOf turns a store's counts into the public Stats. Every configured
// federation that is not Private is listed, with 0 when nobody joined it
// yet, and the total is theirs: a private federation's count cannot be had
// by subtraction, and neither can that of a federation no longer listed.
// Counts are of submissions, not people: counting a repeated phone once
// would let anyone learn, by posting a number and watching the count,
// whether it was known. A federation that CountMembers counts its members
// instead, which only organizers move (and the hourly recount blurs when).
func StatsOf(c Counts, federations []Federation) Stats {
	st := Stats{Progress: ProgressSignups, Federations: []FederationStat{}}
	for _, f := range federations {
		if f.Private {
			continue
		}
		n, progress := c.Federations[f.ID], ProgressSignups
		if f.CountMembers {
			n, progress = c.Members[f.ID], ProgressMembers
		}
		st.Federations = append(st.Federations, FederationStat{ID: f.ID, Name: f.Name, Count: n, Progress: progress, Target: f.Target})
		st.Total += n
		if len(st.Federations) == 1 {
			st.Progress = progress
		} else if st.Progress != progress {
			st.Progress = ProgressMixed
		}
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
	body, err := h.publicStats(r.Context())
	if err != nil {
		h.logError("counting signups failed", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "statistik belum tersedia"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(body)
}

// publicStats returns the statistics as counted at most StatsEvery ago.
func (h *Handler) publicStats(ctx context.Context) ([]byte, error) {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	now := h.cfg.Now()
	if h.statsBody != nil && h.cfg.StatsEvery > 0 && now.Sub(h.statsAt) < h.cfg.StatsEvery && !now.Before(h.statsAt) {
		return h.statsBody, nil
	}
	c, err := h.cfg.Store.Counts(ctx)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(StatsOf(c, h.cfg.Federations))
	h.statsBody, h.statsAt = append(body, '\n'), now
	return h.statsBody, nil
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	// a ping, not a count: its time must not follow the number of signups
	if err := h.cfg.Store.Ping(r.Context()); err != nil {
		http.Error(w, "storage unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// formStyle is the error page's only style, allowed by its hash in
// formPolicy: the page needs no 'unsafe-inline'.
const formStyle = `body{font:1.0625rem/1.6 system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;color:#1a1a1a}label{display:block;font-weight:600;margin-top:.75rem}input,select{font:inherit;width:100%;min-height:44px;padding:.4rem;border:1px solid #595959;border-radius:.375rem}.consent{display:flex;gap:.5rem;margin-top:1rem}.consent input{width:24px;min-height:24px}.consent label{font-weight:400;margin:0}.error{color:#a4161a;font-weight:600;margin:.25rem 0}button{font:inherit;font-weight:700;min-height:44px;margin-top:1rem;padding:.6rem 1.25rem;border:0;border-radius:.375rem;background:#a4161a;color:#fff}`

// formPolicy is the error page's Content-Security-Policy: its own style,
// its form posting back here (and the redirect to the thank-you page, on
// the site's origin when that is another), no framing.
func formPolicy(thankYou string, sites []string) string {
	sum := sha256.Sum256([]byte(formStyle))
	// form-action holds for the redirect after the post too: to the
	// thank-you page, on the site the form came from
	action := "'self'"
	if u, err := url.Parse(thankYou); err == nil && u.Scheme != "" && u.Host != "" {
		action += " " + u.Scheme + "://" + u.Host
	}
	for _, site := range sites {
		action += " " + site
	}
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; form-action " + action + "; base-uri 'none'; frame-ancestors 'none'"
}

type formPage struct {
	Style       template.CSS
	Message     string
	Errors      FieldErrors
	Signup      Signup
	Federations []Federation
	Site        string // the site's origin, for the thank-you page
}

var formTemplate = template.Must(template.New("form").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Formulir pendaftaran</title>
<style>{{ .Style }}</style></head>
<body><main>
<h1>Formulir pendaftaran</h1>
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
<label for="f-consent">Saya setuju data ini disimpan dalam keadaan dikunci (dienkripsi) dan dipakai pengurus federasi untuk menghubungi saya tentang keanggotaan, juga bila data ini lewat server di luar Indonesia. Saya bisa meminta penghapusannya kapan saja.</label></div>
{{ with .Errors.consent }}<p class="error" id="e-consent">{{ . }}</p>{{ end }}
<input type="hidden" name="source" value="{{ .Signup.Source }}">
{{ with .Site }}<input type="hidden" name="site" value="{{ . }}">{{ end }}
<button type="submit">Kirim lagi</button>
</form>
</main></body></html>
`))
