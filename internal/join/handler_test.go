package join_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
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
	cfg.HMACKey = []byte("kunci rahasia untuk uji 32 byte!")
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
		if r.Federation != "f-hukatan" || r.Source != "poster" || r.ConsentVersion != join.ConsentVersion || r.Day == "" {
			t.Errorf("record %+v", r)
		}
		return nil
	})
	for _, secret := range []string{"Siti", "Aminah", "6281234567890", "Hutan Lestari"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the stored record shows %q", secret)
		}
	}
	if strings.Contains(e.logs.String(), "Siti") || strings.Contains(e.logs.String(), "6281234567890") {
		t.Errorf("personal data in the logs:\n%s", e.logs)
	}
}

func TestJSONSignupAndDuplicate(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	post := func(body string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/api/join", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		resp, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp, v
	}
	signup := `{"name":"Budi","phone":"+62 813 1111 2222","workplace":"PT Niaga","city":"Metro","federation":"fsb-nikeuba","consent":true,"source":"whatsapp"}`
	resp, v := post(signup)
	if resp.StatusCode != http.StatusCreated || v["ok"] != true || v["duplicate"] != false {
		t.Fatalf("first: %d %v", resp.StatusCode, v)
	}
	// the same person again, written differently: a success, no second row
	resp, v = post(strings.Replace(signup, "+62 813 1111 2222", "0813-1111-2222", 1))
	if resp.StatusCode != http.StatusCreated || v["duplicate"] != true {
		t.Fatalf("duplicate: %d %v", resp.StatusCode, v)
	}
	// the same person to another federation is a new signup
	post(strings.Replace(signup, "fsb-nikeuba", "f-hukatan", 1))
	if n := len(e.stored(t)); n != 2 {
		t.Errorf("stored %d signups, want 2", n)
	}
	resp, v = post(`{"name":"","phone":"021-5551234","workplace":"x","city":"y","federation":"tidak-ada"}`)
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
	if n := len(e.stored(t)); n != 2 {
		t.Errorf("a rejected signup was stored: %d rows", n)
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
	// the third request from this address this minute; the fourth is refused
	e.postForm(t, validForm())
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
	if n := len(e.stored(t)); n != 0 {
		t.Errorf("bots' signups stored: %d", n)
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
	if n := len(e.stored(t)); n != 1 {
		t.Errorf("stored %d, want the one real signup", n)
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

func TestStats(t *testing.T) {
	e := newEndpoint(t, join.Config{})
	e.postForm(t, validForm())
	other := validForm()
	other.Set("phone", "0813-9999-8888")
	other.Del("source")
	e.postForm(t, other)
	resp, err := e.client.Get(e.url + "/api/stats")
	if err != nil {
		t.Fatal(err)
	}
	raw := body(t, resp)
	if resp.Header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	var st join.Stats
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		t.Fatal(err)
	}
	if st.Total != 2 || len(st.Federations) != 3 || st.Federations[0].Count != 2 || st.Federations[0].Target != 200 ||
		st.Federations[1].Count != 0 || st.Sources["poster"] != 1 || st.Sources["langsung"] != 1 {
		t.Errorf("stats %s", raw)
	}
	today := time.Now().In(join.WIB).Format(time.DateOnly)
	if st.Days[today] != 2 {
		t.Errorf("days %v, want 2 on %s", st.Days, today)
	}
	for _, secret := range []string{"Siti", "0812", "6281", "Hutan"} {
		if strings.Contains(raw, secret) {
			t.Errorf("stats show %q", secret)
		}
	}
	resp, _ = e.client.Get(e.url + "/healthz")
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
}
