package join_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/sealed"
)

var federations = []join.Federation{
	{ID: "f-hukatan", Name: "F HUKATAN", Target: 200},
	{ID: "fsb-nikeuba", Name: "FSB NIKEUBA", Target: 150},
	{ID: "fsb-kamiparho", Name: "FSB KAMIPARHO"},
}

var testKey = []byte("kunci rahasia untuk uji 32 byte!")

type endpoint struct {
	url    string
	store  *sqlite.Store
	opener *sealed.Opener
	sealer *sealed.Sealer
	logger *slog.Logger
	logs   *bytes.Buffer
	client *http.Client
}

// newEndpoint runs the real handler over loopback HTTP on a SQLite file.
func newEndpoint(t testing.TB, cfg join.Config) *endpoint {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pub, err := sealed.GenerateIdentity(filepath.Join(dir, "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := sealed.NewSealer([]string{pub})
	if err != nil {
		t.Fatal(err)
	}
	opener, err := sealed.ReadIdentities(filepath.Join(dir, "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cfg.Store, cfg.Sealer, cfg.Federations = store, sealer, federations
	cfg.HMACKey = testKey
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	srv := httptest.NewServer(join.NewHandler(cfg))
	t.Cleanup(srv.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &endpoint{url: srv.URL, store: store, opener: opener, sealer: sealer, logger: cfg.Logger, logs: logs, client: client}
}

func validForm() url.Values {
	return url.Values{"name": {"Siti Aminah"}, "phone": {"0812-3456-7890"}, "workplace": {"PT Hutan Lestari"},
		"city": {"Bandar Lampung"}, "federation": {"f-hukatan"}, "consent": {"on"}, "source": {"poster"}}
}

func (e *endpoint) postForm(t *testing.T, form url.Values, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+"/api/join", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (e *endpoint) postJSON(t *testing.T, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url+"/api/join", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// postInProcess posts a form to a handler built in the test and wants the
// redirect a stored signup gets.
func postInProcess(t *testing.T, h http.Handler, form url.Values) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/join", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("federation %s: %d", form.Get("federation"), rec.Code)
	}
}

// stored decrypts every stored signup with the organizer's key.
func (e *endpoint) stored(t *testing.T) []join.Signup {
	t.Helper()
	var out []join.Signup
	err := e.store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		plain, err := e.opener.Open(r.Sealed)
		if err != nil {
			return err
		}
		var s join.Signup
		if err := json.Unmarshal(plain, &s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func body(t *testing.T, r *http.Response) string {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBrowserSignupIsStoredEncrypted(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	resp := e.postForm(t, validForm())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/gabung/terima-kasih/" {
		t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	got := e.stored(t)
	if len(got) != 1 || got[0].Name != "Siti Aminah" || got[0].Phone != "+6281234567890" || got[0].Source != "poster" {
		t.Fatalf("stored %+v", got)
	}
	var raw []byte
	e.store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		raw = append(append(raw, r.Sealed...), r.PhoneHash...)
		if r.Federation != "f-hukatan" || r.ConsentVersion != join.ConsentVersion || r.Day == "" {
			t.Errorf("record %+v", r)
		}
		return nil
	})
	for _, secret := range []string{"Siti", "Aminah", "6281234567890", "Hutan Lestari", "poster"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the stored record shows %q", secret)
		}
	}
	if strings.Contains(e.logs.String(), "Siti") || strings.Contains(e.logs.String(), "6281234567890") {
		t.Errorf("personal data in the logs:\n%s", e.logs)
	}
}

// answer is what a client can observe of a response: status, headers but
// the date, and body.
func answer(t *testing.T, resp *http.Response) string {
	t.Helper()
	resp.Header.Del("Date")
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", resp.StatusCode)
	resp.Header.Write(&b)
	b.WriteString(body(t, resp))
	return b.String()
}

// A phone that signed up before is answered byte for byte like a new one,
// and its signup is stored too (a correction must not be lost).
func TestRepeatedSignupIsAnsweredAlike(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	postJSON := func(body string) *http.Response { return e.postJSON(t, body) }
	signup := `{"name":"Budi","phone":"+62 813 1111 2222","workplace":"PT Niaga","city":"Metro","federation":"fsb-nikeuba","consent":true,"source":"whatsapp"}`
	first := answer(t, postJSON(signup))
	if !strings.HasPrefix(first, "201\n") || !strings.HasSuffix(first, "{\"ok\":true}\n") {
		t.Fatalf("first signup answered\n%s", first)
	}
	// the same person again, written differently, with a corrected workplace
	again := answer(t, postJSON(strings.Replace(strings.Replace(signup, "+62 813 1111 2222", "0813-1111-2222", 1), "PT Niaga", "PT Niaga Jaya", 1)))
	fresh := answer(t, postJSON(strings.Replace(signup, "+62 813 1111 2222", "0813-3333-4444", 1)))
	if again != first || fresh != first {
		t.Errorf("answers differ:\nfirst\n%s\nrepeated\n%s\nnew\n%s", first, again, fresh)
	}
	form := validForm()
	formFirst := answer(t, e.postForm(t, form))
	formAgain := answer(t, e.postForm(t, form))
	if formFirst != formAgain || !strings.HasPrefix(formFirst, "303\n") {
		t.Errorf("form answers differ:\n%s\n%s", formFirst, formAgain)
	}
	got := e.stored(t)
	if len(got) != 5 || !slices.ContainsFunc(got, func(s join.Signup) bool { return s.Workplace == "PT Niaga Jaya" }) {
		t.Fatalf("stored %+v, want all five signups with the correction", got)
	}
	// nothing stored links the two records of one person, and each record
	// still answers to its own number for erasure; every sealed signup is
	// as long as every other
	seen := map[string]bool{}
	var sizes []int
	e.store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		plain, err := e.opener.Open(r.Sealed)
		if err != nil {
			t.Fatal(err)
		}
		var s join.Signup
		json.Unmarshal(plain, &s)
		for _, v := range [][]byte{r.PhoneSalt, r.PhoneHash} {
			if seen[string(v)] {
				t.Errorf("record %d repeats a salt or hash of another record", r.ID)
			}
			seen[string(v)] = true
		}
		if !r.HasPhone(testKey, s.Phone) || r.HasPhone(testKey, "+6281299999999") {
			t.Errorf("record %d does not answer to %s alone", r.ID, s.Phone)
		}
		sizes = append(sizes, len(r.Sealed))
		return nil
	})
	if slices.Min(sizes) != slices.Max(sizes) {
		t.Errorf("sealed sizes %v differ: they tell names apart by their length", sizes)
	}
}

func TestInvalidJSON(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	post := func(body string) (*http.Response, map[string]any) {
		resp := e.postJSON(t, body)
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp, v
	}
	resp, v := post(`{"name":"","phone":"021-5551234","workplace":"x","city":"y","federation":"tidak-ada"}`)
	errs, _ := v["errors"].(map[string]any)
	if resp.StatusCode != http.StatusUnprocessableEntity || errs["name"] != "Wajib diisi." ||
		errs["phone"] != "Gunakan nomor ponsel, bukan telepon rumah atau kantor." ||
		errs["federation"] != "Federasi ini tidak dikenal. Pilih dari daftar." || errs["consent"] == nil {
		t.Errorf("invalid: %d %v", resp.StatusCode, v)
	}
	resp, v = post(`{"name":42,"phone":["0812"],"workplace":"x","city":"y","federation":"f-hukatan","consent":"on"}`)
	errs, _ = v["errors"].(map[string]any)
	if resp.StatusCode != http.StatusUnprocessableEntity || errs["name"] != "Isian ini harus berupa teks." || errs["phone"] == nil {
		t.Errorf("wrong types: %d %v", resp.StatusCode, v)
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("a rejected signup was stored: %d rows", n)
	}
}

// Invisible format characters can disguise a name (U+202E reverses what
// follows, U+200B hides inside it): refused with a field error.
func TestFormatCharactersAreRefused(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	for field, value := range map[string]string{"name": "Siti\u202eanimA", "workplace": "PT\u200bKayu", "city": "Metro\ufeff", "sector": "Kayu\u00adlapis"} {
		form := validForm()
		form.Set(field, value)
		resp := e.postForm(t, form, "Accept", "application/json")
		var v struct{ Errors map[string]string }
		json.NewDecoder(resp.Body).Decode(&v)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(v.Errors[field], "tak terlihat") || len(v.Errors) != 1 {
			t.Errorf("%s %q: %d %v", field, value, resp.StatusCode, v.Errors)
		}
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("stored %d", n)
	}
}

// There is no limit per phone number: an attacker posting a worker's
// number many times from the worker's own network gets the same answers,
// every post is stored, and the worker's own signup is stored too.
func TestNoOneLocksAWorkerOut(t *testing.T) {
	e := newEndpoint(t, join.Config{ClientKey: func(r *http.Request) string { return r.Header.Get("X-Test-Client") }})
	var answers []string
	for range 12 {
		answers = append(answers, answer(t, e.postForm(t, validForm(), "X-Test-Client", "wifi-pabrik")))
	}
	for i, a := range answers {
		if a != answers[0] || !strings.HasPrefix(a, "303\n") {
			t.Fatalf("post %d answered differently:\n%s\nfirst:\n%s", i+1, a, answers[0])
		}
	}
	worker := validForm()
	worker.Set("workplace", "PT Hutan Lestari Unit 2")
	if resp := e.postForm(t, worker, "X-Test-Client", "wifi-pabrik"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the worker's own post: %d", resp.StatusCode)
	}
	got := e.stored(t)
	if len(got) != 13 || !slices.ContainsFunc(got, func(s join.Signup) bool { return s.Workplace == "PT Hutan Lestari Unit 2" }) {
		t.Errorf("%d stored, want all 13 with the worker's own last", len(got))
	}
}

// The endpoint's own pages cannot be framed, sniffed or leak a referrer,
// and the error page's one style is allowed by its hash.
func TestSecurityHeaders(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	bad := validForm()
	bad.Set("phone", "12")
	resp := e.postForm(t, bad)
	page := body(t, resp)
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("error page CSP %q lacks %s", csp, want)
		}
	}
	style := page[strings.Index(page, "<style>")+len("<style>") : strings.Index(page, "</style>")]
	sum := sha256.Sum256([]byte(style))
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) {
		t.Errorf("CSP %q does not allow the page's style (%s)", csp, want)
	}
	if strings.Contains(page, "style=") || strings.Contains(page, "<script") {
		t.Error("the error page has an inline style attribute or a script")
	}
	for _, r := range []*http.Response{resp, e.postForm(t, validForm())} {
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "no-referrer" ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%d: headers %v", r.StatusCode, r.Header)
		}
	}
	stats, err := e.client.Get(e.url + "/api/stats")
	if err != nil {
		t.Fatal(err)
	}
	stats.Body.Close()
	if stats.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("stats headers %v", stats.Header)
	}
}

// A federation with keys of its own: its signups open with its key and the
// site-wide one, never with another federation's.
func TestFederationKeys(t *testing.T) {
	dir := t.TempDir()
	key := func(name string) (*sealed.Opener, string) {
		pub, err := sealed.GenerateIdentity(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		o, err := sealed.ReadIdentities(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return o, pub
	}
	hukatan, hukatanPub := key("hukatan.key")
	nikeuba, nikeubaPub := key("nikeuba.key")
	siteWide, siteWidePub := key("ksbsi.key")
	seal := func(keys ...string) join.Sealer {
		s, err := sealed.NewSealer(keys)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	e := newEndpoint(t, join.Config{})
	h := join.NewHandler(join.Config{Store: e.store, Sealer: seal(siteWidePub), HMACKey: []byte("k"), Federations: federations,
		FederationSealers: map[string]join.Sealer{"f-hukatan": seal(hukatanPub, siteWidePub), "fsb-nikeuba": seal(nikeubaPub, siteWidePub)},
		Logger:            e.logger})
	for _, fed := range []string{"f-hukatan", "fsb-nikeuba", "fsb-kamiparho"} {
		form := validForm()
		form.Set("federation", fed)
		postInProcess(t, h, form)
	}
	readable := map[string][]string{}
	e.store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		for name, o := range map[string]*sealed.Opener{"hukatan": hukatan, "nikeuba": nikeuba, "ksbsi": siteWide} {
			if _, err := o.Open(r.Sealed); err == nil {
				readable[name] = append(readable[name], r.Federation)
			} else if !errors.Is(err, sealed.ErrWrongIdentity) {
				t.Error(err)
			}
		}
		return nil
	})
	for _, feds := range readable {
		slices.Sort(feds) // records come in no particular order within a day
	}
	if fmt.Sprint(readable) != "map[hukatan:[f-hukatan] ksbsi:[f-hukatan fsb-kamiparho fsb-nikeuba] nikeuba:[fsb-nikeuba]]" {
		t.Errorf("who reads what: %v", readable)
	}
}

// No line is logged per signup (a timestamped line could be matched with a
// proxy's access log); Run reports counts only.
func TestNoLogLinePerSignup(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	h := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: []byte("k"), Federations: federations, Logger: e.logger})
	srv := httptest.NewServer(h)
	defer srv.Close()
	e.url = srv.URL
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	e.postForm(t, validForm())
	e.postForm(t, validForm())
	bad := validForm()
	bad.Set("phone", "12")
	e.postForm(t, bad)
	if e.logs.Len() != 0 {
		t.Errorf("logged while serving signups:\n%s", e.logs)
	}
	stop()
	<-done
	logs := e.logs.String()
	if strings.Count(logs, "\n") != 1 || !strings.Contains(logs, "stored=2 rejected=1") {
		t.Errorf("the report: %q", logs)
	}
	for _, secret := range []string{"Siti", "0812", "6281", "Hutan", "poster", "f-hukatan"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
}

func TestInvalidBrowserPostKeepsInputAndEscapesIt(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	form := validForm()
	form.Set("name", `<script>alert("x")</script> Siti'; DROP TABLE signups;--`)
	form.Set("phone", "+1 415 555 0100")
	resp := e.postForm(t, form)
	page := body(t, resp)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Siti&#39;; DROP TABLE signups;--"`,
		`value="PT Hutan Lestari"`, `<option value="f-hukatan" selected>`,
		`id="e-phone">Gunakan nomor ponsel Indonesia (&#43;62).`, `aria-invalid="true"`, `checked`, `lang="id"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the form page lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("the name is not escaped")
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("stored %d", n)
	}
	// the same name with a good phone is stored as text, unchanged
	form.Set("phone", "0812 3456 7890")
	e.postForm(t, form)
	if got := e.stored(t); len(got) != 1 || got[0].Name != form.Get("name") {
		t.Errorf("stored %+v", got)
	}
}

func TestBadRequests(t *testing.T) {
	e := newEndpoint(t, join.Config{RateLimit: 3})
	big := validForm()
	big.Set("name", strings.Repeat("a", 10<<20))
	if resp := e.postForm(t, big); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB body: %d", resp.StatusCode)
	}
	resp, err := e.client.Get(e.url + "/api/join")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(resp.Header.Get("Allow"), "POST") {
		t.Errorf("GET: %d %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	bad := validForm()
	bad.Set("name", "Sit\xffi")
	if resp := e.postForm(t, bad); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("invalid UTF-8: %d", resp.StatusCode)
	}
	// junk from this address uses up the limit for junk (three a minute here)
	junk := func() int {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/api/join", strings.NewReader("{"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range 3 {
		junk()
	}
	if code := junk(); code != http.StatusTooManyRequests {
		t.Errorf("the fourth junk post this minute: %d, want 429", code)
	}
	// but not the worker's: three signups a minute are stored, the fourth refused
	for i := range 3 {
		form := validForm()
		form.Set("phone", fmt.Sprintf("0813-6666-%04d", i))
		if resp := e.postForm(t, form); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("signup %d after the junk: %d", i+1, resp.StatusCode)
		}
	}
	resp = e.postForm(t, validForm())
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("burst: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestBotsAndOtherSites(t *testing.T) {
	e := newEndpoint(t, join.Config{AllowOrigins: []string{"https://serikat.example.org"}})
	honey := validForm()
	honey.Set("website", "http://spam.example")
	if resp := e.postForm(t, honey); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d, want an answer like success", resp.StatusCode)
	}
	fast := validForm()
	fast.Set("shown_at", strconvMillis(time.Now().Add(-300*time.Millisecond)))
	if resp := e.postForm(t, fast); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("too fast: %d", resp.StatusCode)
	}
	fastByPhone := validForm()
	fastByPhone.Set("fill_ms", "800")
	if resp := e.postForm(t, fastByPhone); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("too fast by the phone's clock: %d", resp.StatusCode)
	}
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("bots' signups stored: %d", n)
	}
	// a phone whose clock runs 90 s ahead of the server's, whose owner took
	// 91 s: by the server's clock the form took 1 s, by the phone's 91 s
	skewed := validForm()
	skewed.Set("phone", "0813-4444-5555")
	skewed.Set("shown_at", strconvMillis(time.Now().Add(-time.Second)))
	skewed.Set("fill_ms", "91000")
	e.postForm(t, skewed)
	if n := len(e.stored(t)); n != 1 {
		t.Fatalf("the worker with a fast clock was dropped as a bot: %d stored", n)
	}
	if resp := e.postForm(t, validForm(), "Origin", "https://penyerang.example", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d", resp.StatusCode)
	}
	slow := validForm()
	slow.Set("shown_at", strconvMillis(time.Now().Add(-30*time.Second)))
	resp := e.postForm(t, slow, "Origin", "https://serikat.example.org", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Access-Control-Allow-Origin") != "https://serikat.example.org" {
		t.Errorf("allowed origin: %d %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if n := len(e.stored(t)); n != 2 {
		t.Errorf("stored %d, want the two real signups", n)
	}
	// behind Netlify's proxy the browser posts to the site's own origin,
	// while the endpoint sees its own host: Fetch metadata says same-origin
	proxied := validForm()
	proxied.Set("phone", "0813-2222-3333")
	if resp := e.postForm(t, proxied, "Origin", "https://situs.netlify.app", "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a post through the proxy: %d", resp.StatusCode)
	}
	// a browser without Fetch metadata, from an origin that is not allowed
	if resp := e.postForm(t, validForm(), "Origin", "https://penyerang.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an unknown origin without Fetch metadata: %d", resp.StatusCode)
	}
}

func strconvMillis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func TestSourceFromRefererWithoutJavaScript(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	form := validForm()
	form.Del("source")
	e.postForm(t, form, "Referer", "https://serikat.example.org/kampanye/f-hukatan/?src=video")
	if got := e.stored(t); len(got) != 1 || got[0].Source != "video" {
		t.Errorf("stored %+v", got)
	}
}

// The public statistics are aggregates: the total and each federation's
// count and target, with no channel or day; they are counted again at most
// once per StatsEvery.
func TestStats(t *testing.T) {
	now := time.Now()
	e := newEndpoint(t, join.Config{Now: func() time.Time { return now }})
	post := func(i int, src string) {
		form := validForm()
		form.Set("phone", fmt.Sprintf("0813-9999-%04d", i))
		form.Set("source", src)
		if resp := e.postForm(t, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post: %d", resp.StatusCode)
		}
	}
	get := func() string {
		resp, err := e.client.Get(e.url + "/api/stats")
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
		}
		return body(t, resp)
	}
	for i := range 5 {
		post(i, "whatsapp")
	}
	post(20, "hrd-budi-santoso") // a link sent to one worker
	want := `{"total":6,"progress":"pendaftaran","federations":[{"id":"f-hukatan","name":"F HUKATAN","count":6,"progress":"pendaftaran","target":200},` +
		`{"id":"fsb-nikeuba","name":"FSB NIKEUBA","count":0,"progress":"pendaftaran","target":150},{"id":"fsb-kamiparho","name":"FSB KAMIPARHO","count":0,"progress":"pendaftaran","target":0}]}` + "\n"
	if raw := get(); raw != want {
		t.Errorf("stats\n%s\nwant\n%s", raw, want)
	}
	// a signup within the hour does not move the public count
	post(21, "")
	if raw := get(); raw != want {
		t.Errorf("stats moved within the hour:\n%s", raw)
	}
	now = now.Add(time.Hour)
	if raw := get(); !strings.HasPrefix(raw, `{"total":7,`) {
		t.Errorf("stats an hour later:\n%s", raw)
	}
	// the label lives only sealed
	if got := e.stored(t); !slices.ContainsFunc(got, func(s join.Signup) bool { return s.Source == "hrd-budi-santoso" }) {
		t.Errorf("the sealed signup lost its source")
	}
	resp, _ := e.client.Get(e.url + "/healthz")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
}

// A store that is down is a 503 and the worker's input comes back.
func TestStoreDown(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	e.store.Close()
	resp := e.postForm(t, validForm())
	page := body(t, resp)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, `value="Siti Aminah"`) {
		t.Errorf("store down: %d\n%s", resp.StatusCode, page)
	}
	resp, _ = e.client.Get(e.url + "/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the store down: %d", resp.StatusCode)
	}
	// an outage logs at most a line a minute, not one per failed signup
	for range 5 {
		e.postForm(t, validForm())
	}
	if n := strings.Count(e.logs.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for 6 failed signups, want 1:\n%s", n, e.logs)
	}
}

// Run erases phone hashes older than DedupDays: a repeat after that is a
// first signup again, and a stolen database holds no hash to test.
func TestOldPhoneHashesAreForgotten(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	e.postForm(t, validForm())
	later := time.Now().AddDate(0, 0, 91)
	h := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: []byte("k"), Federations: federations,
		Logger: e.logger, DedupDays: 90, Now: func() time.Time { return later }})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var hashes int
		e.store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
			if r.PhoneHash != nil {
				hashes++
			}
			return nil
		})
		if hashes == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the 91-day-old phone hash was not erased")
		}
	}
}

// A federation that keeps its count private is neither listed nor in the
// total, so its count cannot be had by subtraction.
func TestPrivateFederationIsNotCounted(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	feds := []join.Federation{{ID: "f-hukatan", Name: "F HUKATAN", Target: 200}, {ID: "fsb-nikeuba", Name: "FSB NIKEUBA", Private: true}}
	h := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: testKey, Federations: feds, Logger: e.logger})
	for i, fed := range []string{"f-hukatan", "fsb-nikeuba", "fsb-nikeuba"} {
		form := validForm()
		form.Set("federation", fed)
		form.Set("phone", fmt.Sprintf("0813-7777-%04d", i))
		postInProcess(t, h, form)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/stats", nil))
	if want := `{"total":1,"progress":"pendaftaran","federations":[{"id":"f-hukatan","name":"F HUKATAN","count":1,"progress":"pendaftaran","target":200}]}` + "\n"; rec.Body.String() != want {
		t.Errorf("stats %s, want %s", rec.Body, want)
	}
}

// A federation whose progress counts members (serikat.toml's progress =
// "anggota") shows, in the public statistics, how many of its signups an
// organizer marked anggota, says so, and is in the total; still counted
// again at most once per StatsEvery, and a private one still left out.
func TestStatsCountMembers(t *testing.T) {
	now := time.Now()
	e := newEndpoint(t, join.Config{})
	for i, fed := range []string{"f-hukatan", "f-hukatan", "f-hukatan", "fsb-nikeuba", "fsb-kamiparho"} {
		form := validForm()
		form.Set("federation", fed)
		form.Set("phone", fmt.Sprintf("0813-6666-%04d", i))
		if resp := e.postForm(t, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post: %d", resp.StatusCode)
		}
	}
	ctx := context.Background()
	var hukatan, kamiparho []int64
	e.store.Each(ctx, join.Filter{}, func(r *join.Record) error {
		switch r.Federation {
		case "f-hukatan":
			hukatan = append(hukatan, r.ID)
		case "fsb-kamiparho":
			kamiparho = append(kamiparho, r.ID)
		}
		return nil
	})
	stats := func(h http.Handler) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/stats", nil))
		return rec.Body.String()
	}
	feds := []join.Federation{{ID: "f-hukatan", Name: "F HUKATAN", Target: 200}, {ID: "fsb-nikeuba", Name: "FSB NIKEUBA", Target: 150},
		{ID: "fsb-kamiparho", Name: "FSB KAMIPARHO", Private: true, CountMembers: true}}
	signups := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: testKey, Federations: feds, Logger: e.logger})
	want := `{"total":4,"progress":"pendaftaran","federations":[{"id":"f-hukatan","name":"F HUKATAN","count":3,"progress":"pendaftaran","target":200},` +
		`{"id":"fsb-nikeuba","name":"FSB NIKEUBA","count":1,"progress":"pendaftaran","target":150}]}` + "\n"
	if got := stats(signups); got != want {
		t.Errorf("by default, signups:\n%s\nwant\n%s", got, want)
	}

	feds[0].CountMembers = true
	members := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: testKey, Federations: feds, Logger: e.logger,
		Now: func() time.Time { return now }})
	want = `{"total":1,"progress":"campuran","federations":[{"id":"f-hukatan","name":"F HUKATAN","count":0,"progress":"anggota","target":200},` +
		`{"id":"fsb-nikeuba","name":"FSB NIKEUBA","count":1,"progress":"pendaftaran","target":150}]}` + "\n"
	if got := stats(members); got != want {
		t.Errorf("members, before anyone joined:\n%s\nwant\n%s", got, want)
	}
	// two members, one of them corrected back to a meeting; the private
	// federation's member counts nowhere
	for _, c := range []join.StatusChange{
		{Record: hukatan[0], Version: 1, Status: join.StatusContacted, Day: "2026-12-01"},
		{Record: hukatan[0], Version: 2, Status: join.StatusMember, Day: "2026-12-02"},
		{Record: hukatan[1], Version: 1, Status: join.StatusMember, Day: "2026-12-02"},
		{Record: hukatan[1], Version: 2, Status: join.StatusMet, Day: "2026-12-03"},
		{Record: kamiparho[0], Version: 1, Status: join.StatusMember, Day: "2026-12-03"},
	} {
		if err := e.store.SetStatus(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if got := stats(members); got != want {
		t.Errorf("members moved within the hour:\n%s", got)
	}
	now = now.Add(time.Hour)
	want = `{"total":2,"progress":"campuran","federations":[{"id":"f-hukatan","name":"F HUKATAN","count":1,"progress":"anggota","target":200},` +
		`{"id":"fsb-nikeuba","name":"FSB NIKEUBA","count":1,"progress":"pendaftaran","target":150}]}` + "\n"
	if got := stats(members); got != want {
		t.Errorf("members an hour later:\n%s\nwant\n%s", got, want)
	}
	feds[1].CountMembers = true
	all := join.NewHandler(join.Config{Store: e.store, Sealer: e.sealer, HMACKey: testKey, Federations: feds, Logger: e.logger})
	if got := stats(all); !strings.HasPrefix(got, `{"total":1,"progress":"anggota",`) {
		t.Errorf("every federation counting members:\n%s", got)
	}
}

// A site on a host of its own (GitHub Pages) posts the form, without
// JavaScript, to an endpoint elsewhere: the thank-you page it is sent to
// is on the site, also after the endpoint showed the form again for a
// mistake (its posts come from the endpoint's own origin). An origin that
// is not allowed cannot pick where a worker is sent.
func TestThankYouOnTheSiteItCameFrom(t *testing.T) {
	const site = "https://serikat-id.github.io"
	e := newEndpoint(t, join.Config{AllowOrigins: []string{site}, ThankYou: "/serikat/gabung/terima-kasih/"})
	slow := func(phone string) url.Values {
		f := validForm()
		f.Set("phone", phone)
		f.Set("shown_at", strconvMillis(time.Now().Add(-30*time.Second)))
		return f
	}
	resp := e.postForm(t, slow("0813-1000-0001"), "Origin", site, "Sec-Fetch-Site", "cross-site")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != site+"/serikat/gabung/terima-kasih/" {
		t.Errorf("from the site: %d, Location %q", resp.StatusCode, got)
	}

	// a mistake: the endpoint shows the form again, carrying the site
	wrong := slow("0813-1000-0002")
	wrong.Del("city")
	resp = e.postForm(t, wrong, "Origin", site, "Sec-Fetch-Site", "cross-site")
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), `name="site" value="`+site+`"`) {
		t.Fatalf("the form shown again (%d) does not carry the site:\n%s", resp.StatusCode, page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+site+";") {
		t.Errorf("the form's policy does not let it reach the site's thank-you page: %s", csp)
	}
	again := slow("0813-1000-0002")
	again.Set("site", site)
	resp = e.postForm(t, again, "Origin", e.url, "Sec-Fetch-Site", "same-origin")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != site+"/serikat/gabung/terima-kasih/" {
		t.Errorf("from the form shown again: %d, Location %q", resp.StatusCode, got)
	}

	// a site that is not allowed, in the field or as the origin, is ignored
	forged := slow("0813-1000-0003")
	forged.Set("site", "https://penyerang.example")
	resp = e.postForm(t, forged, "Origin", e.url, "Sec-Fetch-Site", "same-origin")
	if got := resp.Header.Get("Location"); got != "/serikat/gabung/terima-kasih/" {
		t.Errorf("a forged site: Location %q", got)
	}
	// behind a proxy on the site's own origin the path is enough
	resp = e.postForm(t, slow("0813-1000-0004"), "Sec-Fetch-Site", "same-origin")
	if got := resp.Header.Get("Location"); got != "/serikat/gabung/terima-kasih/" {
		t.Errorf("through the proxy: Location %q", got)
	}
	if n := len(e.stored(t)); n != 4 {
		t.Errorf("stored %d, want 4", n)
	}
}
