package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/browsertest"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/sealed"
)

// inboxProc is a running "serikat join inbox".
type inboxProc struct {
	base, token    string
	stdout, stderr *bytes.Buffer
	client         *http.Client
}

// seed stores signups of the named people, sealed to the lab's key, and
// returns their record ids.
func (l *endpointLab) seed(db string, names ...string) []int64 {
	store, err := openStore(db, "", false)
	if err != nil {
		l.t.Fatal(err)
	}
	defer store.Close()
	sealer, err := sealed.NewSealer([]string{l.pub})
	if err != nil {
		l.t.Fatal(err)
	}
	var ids []int64
	for i, name := range names {
		s := join.Signup{Name: name, Phone: "+62812555500" + strconv.Itoa(10+i), Workplace: "PT Kayu", City: "Metro",
			Federation: "f-hukatan", Source: "poster", Consent: true}
		box, _ := sealer.Seal(join.Pad(s))
		r := &join.Record{Federation: "f-hukatan", Day: time.Now().In(join.WIB).AddDate(0, 0, -5).Format(time.DateOnly),
			ConsentVersion: join.ConsentVersion, Sealed: box}
		if err := store.Add(context.Background(), r); err != nil {
			l.t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// inbox starts "serikat join inbox" on db with home as its HOME and
// temporary folder, and follows its link once, as the browser would.
func (l *endpointLab) inbox(db, home string) *inboxProc {
	cmd := exec.Command(l.bin, "join", "inbox", "--no-browser", "-s", l.site, "--recipient", l.pub, "--db", db, "--identity", l.identity)
	cmd.Env = append(os.Environ(), "HOME="+home, "TMPDIR="+home, "XDG_CACHE_HOME="+home, "XDG_CONFIG_HOME="+home)
	p := &inboxProc{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	pipe, _ := cmd.StdoutPipe()
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	line, err := bufio.NewReader(io.TeeReader(pipe, p.stdout)).ReadString('\n')
	m := regexp.MustCompile(`(http://127\.0\.0\.1:[0-9]+)/\?t=([0-9a-f]{64})`).FindStringSubmatch(line)
	if err != nil || m == nil {
		l.t.Fatalf("serikat join inbox printed %q, %v; %s", line, err, p.stderr)
	}
	go io.Copy(p.stdout, pipe)
	p.base, p.token = m[1], m[2]
	p.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return p
}

func (p *inboxProc) do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	req.AddCookie(&http.Cookie{Name: "serikat_inbox", Value: p.token})
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location") + string(body)
}

// change posts a status change from the inbox's own page.
func (p *inboxProc) change(t *testing.T, id int64, version int, status, note string) string {
	form := url.Values{"record": {strconv.FormatInt(id, 10)}, "version": {strconv.Itoa(version)}, "status": {status},
		"federation": {"f-hukatan"}, "note": {note}}
	req, _ := http.NewRequest("POST", p.base+"/status", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.base)
	code, loc := p.do(t, req)
	if code != http.StatusSeeOther {
		t.Fatalf("a change: %d %s", code, loc)
	}
	return loc
}

// Two organizers' inboxes, two processes on one database, change one
// signup at once: the database lets one change through and tells the
// other; then they take turns, and nothing is lost. Neither writes
// anything decrypted to disk or prints it, and both refuse requests that
// do not come from their own page on this computer.
func TestInboxProcesses(t *testing.T) {
	lab := newEndpointLab(t)
	for name, db := range stores(t, lab) {
		t.Run(name, func(t *testing.T) {
			ids := lab.seed(db, "Siti Aminah", "Budi Santoso")
			home := t.TempDir()
			a, b := lab.inbox(db, home), lab.inbox(db, home)
			var wg sync.WaitGroup
			locs := make([]string, 2)
			for i, p := range []*inboxProc{a, b} {
				wg.Add(1)
				go func() { defer wg.Done(); locs[i] = p.change(t, ids[0], 0, "dihubungi", "Catatan rahasia Sabtu") }()
			}
			wg.Wait()
			if n := strings.Count(locs[0]+locs[1], "bentrok="); n != 1 {
				t.Errorf("two changes of version 1 at once: %q; want exactly one refused", locs)
			}
			a.change(t, ids[0], 1, "bertemu", "")
			b.change(t, ids[0], 2, "anggota", "")
			if loc := a.change(t, ids[0], 2, "tidak melanjutkan", ""); !strings.Contains(loc, "bentrok=") {
				t.Errorf("a change on a page out of date went through: %q", loc)
			}
			req, _ := http.NewRequest("GET", b.base+"/", nil)
			if code, body := b.do(t, req); code != 200 || !strings.Contains(body, `data-status="anggota"`) || !strings.Contains(body, "Catatan rahasia Sabtu") {
				t.Errorf("the other inbox's page: %d", code)
			}
			store, _ := openStore(db, "", true)
			all, _ := store.Histories(context.Background())
			store.Close()
			if h := all[ids[0]]; len(h) != 3 || h.Current() != join.StatusMember {
				t.Errorf("history: %+v", h)
			}

			// for a cron job: Budi waits, named by no one
			if out := string(lab.run("join", "stats", "--db", db, "--stale", "3d")); !strings.Contains(out, "Not contacted after 3 days: 1\n") || strings.Contains(out, "Budi") {
				t.Errorf("join stats --stale:\n%s", out)
			}

			// outsiders
			req, _ = http.NewRequest("GET", a.base+"/", nil)
			req.Host = "inbox.attacker.example"
			if code, body := a.do(t, req); code != http.StatusMisdirectedRequest || strings.Contains(body, "Siti") {
				t.Errorf("another Host: %d", code)
			}
			form := url.Values{"record": {strconv.FormatInt(ids[1], 10)}, "version": {"0"}, "status": {"anggota"}}
			req, _ = http.NewRequest("POST", a.base+"/status", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "http://attacker.example")
			if code, _ := a.do(t, req); code != http.StatusForbidden {
				t.Errorf("a cross-origin change: %d", code)
			}
			if resp, err := http.Get(a.base + "/"); err != nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("without the token: %v %v", resp, err)
			}

			// nothing decrypted on disk or in the output
			secrets := []string{"Siti", "Budi", "6281255550010", "rahasia Sabtu"}
			filepath.WalkDir(home, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					data, _ := os.ReadFile(path)
					for _, s := range secrets {
						if bytes.Contains(data, []byte(s)) {
							t.Errorf("%s holds %q", path, s)
						}
					}
				}
				return nil
			})
			if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
				for _, f := range []string{path, path + "-wal"} {
					data, _ := os.ReadFile(f)
					for _, s := range secrets {
						if bytes.Contains(data, []byte(s)) {
							t.Errorf("%s holds %q", f, s)
						}
					}
				}
			}
			for _, p := range []*inboxProc{a, b} {
				for _, s := range secrets {
					if strings.Contains(p.stdout.String()+p.stderr.String(), s) {
						t.Errorf("the inbox printed %q", s)
					}
				}
			}
		})
	}
}

// An organizer opens the inbox in Chromium on a phone-sized window, marks
// a signup dihubungi and then anggota, and sees the numbers follow.
func TestInboxInChromium(t *testing.T) {
	ctx := browsertest.New(t)
	lab := newEndpointLab(t)
	db := "sqlite:" + filepath.Join(t.TempDir(), "join.db")
	lab.seed(db, "Siti Aminah")
	p := lab.inbox(db, t.TempDir())
	w := watchBrowser(ctx, p.base)
	dir := os.Getenv("SERIKAT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	shots := &shooter{t: t, ctx: ctx, dir: dir, prefix: "kotak-masuk"}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait),
		chromedp.Navigate(p.base+"/?t="+p.token)); err != nil {
		t.Fatal(err)
	}
	stat := func(name string) string {
		return `(document.querySelector('#stat-total [data-stat=` + name + `]') || {}).textContent`
	}
	browsertest.Wait(ctx, t, `location.search === "" && `+stat("members")+` === "0 0%" && !!document.querySelector(".person.stale")`)
	shots.shot("baru")
	if err := chromedp.Do(ctx, chromedp.Click(`.person button[value="dihubungi"]`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Wait(ctx, t, stat("contacted")+` === "1 100%" && !document.querySelector(".person.stale")`)
	shots.shot("dihubungi")
	if err := chromedp.Do(ctx, chromedp.SetValue(".person textarea", "Sudah isi formulir anggota, iuran mulai bulan depan"),
		chromedp.Click(`.person button[value="anggota"]`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Wait(ctx, t, stat("members")+` === "1 100%" && document.querySelector(".person .status").textContent.includes("iuran mulai")`)
	shots.shot("anggota")
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".person a.wa").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(href, "https://wa.me/6281255550010?text=Halo+Siti+Aminah%2C") {
		t.Errorf("the WhatsApp link: %s", href)
	}
	w.check(t)
}
