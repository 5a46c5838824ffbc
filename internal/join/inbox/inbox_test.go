package inbox

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/sealed"
)

const addr = "127.0.0.1:4321"

type fixture struct {
	h     *Handler
	store join.Store
	db    string
	ids   map[string]int64
}

func setup(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	key := filepath.Join(dir, "organizer.key")
	pub, err := sealed.GenerateIdentity(key)
	if err != nil {
		t.Fatal(err)
	}
	sealer, _ := sealed.NewSealer([]string{pub})
	opener, _ := sealed.ReadIdentities(key)
	db := filepath.Join(dir, "join.db")
	store, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{store: store, db: db, ids: map[string]int64{}}
	for _, s := range []struct{ name, phone, day, src string }{
		{"Siti Aminah", "+6281234567890", "2026-12-01", "poster"},
		{"Budi & <Putra>", "+6281311112222", "2026-12-09", "whatsapp"},
	} {
		plain, _ := sealer.Seal(join.Pad(join.Signup{Name: s.name, Phone: s.phone, Workplace: "PT Kayu", City: "Metro", Federation: "f-hukatan", Source: s.src, Consent: true}))
		r := &join.Record{Federation: "f-hukatan", Day: s.day, ConsentVersion: join.ConsentVersion, Sealed: plain}
		if err := store.Add(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		f.ids[s.name] = r.ID
	}
	f.h = New(Config{Store: store, Opener: opener, Sealer: func(string) join.Sealer { return sealer },
		Federations: map[string]string{"f-hukatan": "F HUKATAN"}, Channels: join.DefaultChannels,
		Targets: []join.Federation{{ID: "f-hukatan", Name: "F HUKATAN", Target: 10, Deadline: "2026-12-31"}},
		Addr:    addr, Token: "rahasia", Now: func() time.Time { return time.Date(2026, 12, 10, 9, 0, 0, 0, join.WIB) }})
	return f
}

func (f *fixture) do(method, target string, body url.Values, header ...string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != nil {
		r = strings.NewReader(body.Encode())
	}
	req := httptest.NewRequest(method, "http://"+addr+target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: cookie, Value: "rahasia"})
	for i := 0; i < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func TestRefusesOutsiders(t *testing.T) {
	f := setup(t)
	if rec := f.do("GET", "/", nil, "Host", "serikat-rebind.example:4321"); rec.Code != http.StatusMisdirectedRequest || strings.Contains(rec.Body.String(), "Siti") {
		t.Errorf("another Host (DNS rebinding): %d", rec.Code)
	}
	req := httptest.NewRequest("GET", "http://"+addr+"/", nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "Siti") {
		t.Errorf("without the token: %d", rec.Code)
	}
	req = httptest.NewRequest("GET", "http://"+addr+"/?t=salah", nil)
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("a wrong token: %d", rec.Code)
	}
	req = httptest.NewRequest("GET", "http://"+addr+"/?t=rahasia", nil)
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if c := rec.Result().Cookies(); rec.Code != http.StatusSeeOther || len(c) != 1 || c[0].Value != "rahasia" ||
		c[0].SameSite != http.SameSiteStrictMode || !c[0].HttpOnly || rec.Header().Get("Location") != "/" {
		t.Errorf("the token's link: %d %v %q", rec.Code, rec.Result().Cookies(), rec.Header().Get("Location"))
	}
	change := url.Values{"record": {"1"}, "version": {"0"}, "status": {"anggota"}}
	for _, h := range [][]string{nil, {"Origin", "http://evil.example"}, {"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}} {
		if rec := f.do("POST", "/status", change, h...); rec.Code != http.StatusForbidden {
			t.Errorf("a change with %v: %d", h, rec.Code)
		}
	}
	if all, _ := f.store.Histories(context.Background()); len(all) != 0 {
		t.Errorf("a refused change was stored: %v", all)
	}
}

func TestPage(t *testing.T) {
	f := setup(t)
	rec := f.do("GET", "/", nil)
	body := rec.Body.String()
	for k, v := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "same-origin",
		"Content-Security-Policy": policy} {
		if rec.Header().Get(k) != v {
			t.Errorf("%s: %q", k, rec.Header().Get(k))
		}
	}
	for _, want := range []string{
		`href="https://wa.me/6281234567890?text=Halo&#43;Siti&#43;Aminah%2C&#43;salam&#43;kenal.&#43;Saya&#43;pengurus&#43;F&#43;HUKATAN.`,
		`href="tel:&#43;6281234567890"`,
		`Budi &amp; &lt;Putra&gt;`,
		`Belum dihubungi 9 hari.`, // Siti, since 1 December
		`<td data-stat="signups">2</td>`,
		// the weekly chart, inline: Siti in the week of Monday 30
		// November, Budi in the next; the target to 31 December
		`<svg xmlns="http://www.w3.org/2000/svg"`,
		`<title id="grafik-f-hukatan-t">F HUKATAN: pendaftar dan anggota per minggu</title>`,
		`class="pendaftar" data-week="2026-11-30" data-value="1"`,
		`class="pendaftar" data-week="2026-12-07" data-value="2"`,
		`class="target" data-value="10"`,
		`class="deadline" data-day="2026-12-31"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, " style=") || strings.Contains(body, "<script") {
		t.Error("the page has a style attribute or a script, which its policy blocks")
	}
	if strings.Index(body, "Budi") > strings.Index(body, "<h3>Siti") {
		t.Error("not newest first")
	}
	if strings.Count(body, "Belum dihubungi 1 hari") != 0 {
		t.Error("Budi, one day new, is marked stale")
	}
	if rec := f.do("GET", "/?kanal=poster", nil); strings.Contains(rec.Body.String(), "<h3>Budi") || !strings.Contains(rec.Body.String(), "<h3>Siti") {
		t.Error("the channel filter")
	}
}

func TestStatusChanges(t *testing.T) {
	f := setup(t)
	id := f.ids["Siti Aminah"]
	origin := []string{"Origin", "http://" + addr}
	change := func(version, status, note string) *httptest.ResponseRecorder {
		return f.do("POST", "/status", url.Values{"record": {itoa(id)}, "version": {version}, "status": {status},
			"federation": {"f-hukatan"}, "note": {note}}, origin...)
	}
	if rec := change("0", "dihubungi", "Minta ditelepon lagi hari Sabtu"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/#p"+itoa(id) {
		t.Fatalf("a change: %d %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	// a second organizer's page still showed version 0
	if rec := change("0", "tidak melanjutkan", ""); !strings.Contains(rec.Header().Get("Location"), "bentrok="+itoa(id)) {
		t.Errorf("a change that came second: %q", rec.Header().Get("Location"))
	}
	if rec := f.do("GET", "/?bentrok="+itoa(id), nil); !strings.Contains(rec.Body.String(), "baru saja diubah oleh pengurus lain") {
		t.Error("the page does not say the change came second")
	}
	if rec := change("1", "anggota", strings.Repeat("x", 300)); !strings.Contains(rec.Header().Get("Location"), "salah=") {
		t.Errorf("a note too long: %q", rec.Header().Get("Location"))
	}
	if rec := change("1", "anggota", ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("a second change: %d", rec.Code)
	}
	body := f.do("GET", "/", nil).Body.String()
	for _, want := range []string{`data-status="anggota">Anggota</strong> sejak 2026-12-10`, `Catatan: <q>Minta ditelepon lagi hari Sabtu</q>`,
		`<td data-stat="members">1 <small>100%</small></td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, "Belum dihubungi 9 hari") {
		t.Error("a member is still marked stale")
	}
	f.store.Close()
	for _, name := range []string{f.db, f.db + "-wal"} {
		data, _ := os.ReadFile(name)
		if bytes.Contains(data, []byte("Sabtu")) {
			t.Errorf("the note is readable in %s", name)
		}
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
