package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join/postgres/pgtest"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/sealed"
)

// endpointLab is a built serikat binary, a site with one federation and an
// organizer's key, for tests that run the endpoint as a real process.
type endpointLab struct {
	t        *testing.T
	bin      string
	site     string
	identity string
	pub      string
}

func newEndpointLab(t *testing.T) *endpointLab {
	if testing.Short() {
		t.Skip("builds and runs the serikat binary")
	}
	dir := t.TempDir()
	lab := &endpointLab{t: t, bin: filepath.Join(dir, "serikat"), site: filepath.Join(dir, "site"), identity: filepath.Join(dir, "organizer.key")}
	if out, err := exec.Command("go", "build", "-o", lab.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	os.MkdirAll(filepath.Join(lab.site, "content/kampanye"), 0o755)
	os.WriteFile(filepath.Join(lab.site, "content/kampanye/a.md"), []byte("---\ntitle: A\nfederasi: f-hukatan\nnamaFederasi: F HUKATAN\n---\n"), 0o644)
	lab.run("join", "keygen", "-o", lab.identity)
	pub, err := sealed.PublicKey(lab.identity)
	if err != nil {
		t.Fatal(err)
	}
	lab.pub = pub
	return lab
}

// hmacKeyFile is the endpoint's phone hash key, outside the data folder.
func (l *endpointLab) hmacKeyFile() string { return filepath.Join(l.site, "keys", "hmac.key") }

func (l *endpointLab) run(args ...string) []byte {
	out, err := exec.Command(l.bin, args...).Output()
	if err != nil {
		l.t.Fatalf("serikat %v: %v", args, err)
	}
	return out
}

// endpointProc is a running "serikat join serve".
type endpointProc struct {
	cmd    *exec.Cmd
	exited chan error // its exit, once: see Wait
}

// Signal sends the process sig.
func (p *endpointProc) Signal(sig os.Signal) { p.cmd.Process.Signal(sig) }

// Wait waits for the process to end and returns how it ended.
func (p *endpointProc) Wait() error {
	err := <-p.exited
	p.exited <- err // for the next Wait, and the cleanup's
	return err
}

// start runs "serikat join serve" on a free loopback port and waits for it;
// extra flags follow the lab's own. A port another process took between
// its choice and the endpoint's start is chosen again.
func (l *endpointLab) start(db string, extra ...string) (*endpointProc, string) {
	for range 3 {
		addr := loopbackAddr(l.t)
		args := append([]string{"join", "serve", "-s", l.site, "--addr", addr, "--recipient", l.pub, "--rate-limit", "0", "--db", db,
			"--hmac-key-file", l.hmacKeyFile()}, extra...)
		cmd := exec.Command(l.bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			l.t.Fatal(err)
		}
		p := &endpointProc{cmd: cmd, exited: make(chan error, 1)}
		go func() { p.exited <- cmd.Wait() }()
		err := untilServing("http://"+addr+"/healthz", p.exited)
		if err == nil {
			l.t.Cleanup(func() { p.Signal(os.Kill); p.Wait() })
			return p, addr
		}
		p.Signal(os.Kill)
		p.Wait() // stderr is whole
		if !strings.Contains(stderr.String(), "already in use") {
			l.t.Fatalf("the endpoint did not start (%v): %s", err, stderr.String())
		}
	}
	l.t.Fatal("no free port for the endpoint")
	return nil, ""
}

// loopbackAddr is a loopback address with a port free a moment ago.
func loopbackAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// untilServing waits for url to answer (any status: a preview of a broken
// site answers too), as long as a loaded machine needs but no longer than
// the server runs: ended receives how it ended, and gets it back for
// whoever waits next.
func untilServing(url string, ended chan error) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case err := <-ended:
			ended <- err
			return fmt.Errorf("it ended: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("no answer in two minutes")
		}
	}
}

// load posts signups from 16 clients spread over the endpoints until ctx
// ends or each client has sent n; every phone is sent to every endpoint
// when overlap is set. It returns how often each phone was acknowledged.
//
// When busy is not nil, it is closed once 100 signups were acknowledged:
// the moment to pull the plug in the middle of the load.
func load(ctx context.Context, addrs []string, n int, overlap bool, busy chan struct{}) map[string]int {
	var mu sync.Mutex
	acked := map[string]int{}
	ackedTotal := 0
	var wg sync.WaitGroup
	// a post given up on could still be stored: wait out a loaded machine
	// (a server that is gone fails a post at once)
	client := &http.Client{Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < n; i++ {
				phone := fmt.Sprintf("+62812%02d%06d", w, i)
				if overlap {
					phone = fmt.Sprintf("+62812%02d%06d", w%8, i) // two clients send each phone
				}
				resp, err := client.PostForm("http://"+addrs[w%len(addrs)]+"/api/join", url.Values{"name": {"Uji"}, "phone": {phone},
					"workplace": {"PT Uji"}, "city": {"Metro"}, "federation": {"f-hukatan"}, "consent": {"on"}})
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked[phone]++
					if ackedTotal++; ackedTotal == 100 && busy != nil {
						close(busy)
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return acked
}

// signalUnderLoad sends sig to the endpoint once 100 signups from many
// clients have been acknowledged, and returns what was acknowledged and
// how the process ended.
func signalUnderLoad(t *testing.T, server *endpointProc, addr string, sig os.Signal) (map[string]int, error) {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()
	done := make(chan map[string]int)
	busy := make(chan struct{})
	go func() { done <- load(ctx, []string{addr}, 2000, false, busy) }()
	select {
	case <-busy:
	case acked := <-done:
		t.Fatalf("the load ended with %d signups acknowledged, before the signal", len(acked))
	}
	server.Signal(sig)
	err := server.Wait()
	return <-done, err
}

// exported decrypts every stored signup and counts them by phone (every
// record: --all, so that a phone stored twice shows twice).
func (l *endpointLab) exported(db string) map[string]int {
	var rows []struct {
		Phone string `json:"phone"`
	}
	if err := json.Unmarshal(l.run("join", "export", "--db", db, "--identity", l.identity, "--format", "json", "--all"), &rows); err != nil {
		l.t.Fatal(err)
	}
	stored := map[string]int{}
	for _, r := range rows {
		stored[r.Phone]++
	}
	return stored
}

// TestCrashKeepsAcknowledgedSignups runs the real endpoint, posts signups
// from many clients at once, kills the process with SIGKILL in the middle,
// starts it again, and checks that every signup that got a success answer
// is stored exactly once and that the database passes its integrity check.
func TestCrashKeepsAcknowledgedSignups(t *testing.T) {
	lab := newEndpointLab(t)
	db := "sqlite:" + filepath.Join(lab.site, "data/join.db")
	server, addr := lab.start(db)
	acked, _ := signalUnderLoad(t, server, addr, syscall.SIGKILL)
	if len(acked) < 50 {
		t.Fatalf("only %d signups were acknowledged before the crash; the test proves little", len(acked))
	}
	server, _ = lab.start(db) // it starts again on the same file
	server.Signal(os.Interrupt)
	server.Wait()
	stored := lab.exported(db)
	exactlyOnce(t, acked, stored)
	store, err := sqlite.Open(filepath.Join(lab.site, "data/join.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	t.Logf("%d acknowledged before SIGKILL, %d stored", len(acked), len(stored))
}

// TestTwoEndpointsOnePostgres runs two endpoint processes on one PostgreSQL
// database and sends every phone to both at once: every acknowledged post
// is stored once (a repeated phone is a signup of its own), none is lost.
func TestTwoEndpointsOnePostgres(t *testing.T) {
	db := pgtest.Database(t)
	lab := newEndpointLab(t)
	_, a := lab.start(db)
	_, b := lab.start(db)
	ctx, stop := context.WithTimeout(context.Background(), 3*time.Second)
	defer stop()
	acked := load(ctx, []string{a, b}, 300, true, nil)
	stored := lab.exported(db)
	if len(acked) < 50 {
		t.Fatalf("only %d phones acknowledged", len(acked))
	}
	for phone, n := range acked {
		if stored[phone] != n {
			t.Errorf("%s acknowledged %d times, stored %d times", phone, n, stored[phone])
		}
	}
	if len(stored) != len(acked) {
		t.Errorf("%d phones stored, %d acknowledged", len(stored), len(acked))
	}
	t.Logf("%d phones acknowledged through two endpoints, %d stored", len(acked), len(stored))
}

// exactlyOnce checks that every acknowledged phone, and every stored one,
// is stored exactly once.
func exactlyOnce(t *testing.T, acked, stored map[string]int) {
	t.Helper()
	for phone := range acked {
		if stored[phone] != 1 {
			t.Errorf("acknowledged %s is stored %d times", phone, stored[phone])
		}
	}
	for phone, n := range stored {
		if n != 1 {
			t.Errorf("%s stored %d times", phone, n)
		}
	}
}
