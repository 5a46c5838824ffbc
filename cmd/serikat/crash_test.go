package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join/sqlite"
)

// TestCrashKeepsAcknowledgedSignups runs the real endpoint, posts signups
// from many clients at once, kills the process with SIGKILL in the middle,
// starts it again, and checks that every signup that got a success answer
// is stored exactly once and that the database passes its integrity check.
func TestCrashKeepsAcknowledgedSignups(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the serikat binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "serikat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := filepath.Join(dir, "site")
	os.MkdirAll(filepath.Join(site, "content/kampanye"), 0o755)
	os.WriteFile(filepath.Join(site, "content/kampanye/a.md"), []byte("---\ntitle: A\nfederasi: f-hukatan\nnamaFederasi: F HUKATAN\n---\n"), 0o644)
	run := func(args ...string) []byte {
		out, err := exec.Command(bin, args...).Output()
		if err != nil {
			t.Fatalf("serikat %v: %v", args, err)
		}
		return out
	}
	run("join", "keygen", "-o", filepath.Join(dir, "organizer.key"))
	pub, err := publicKeyOf(filepath.Join(dir, "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	start := func() (*exec.Cmd, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(bin, "join", "serve", "-s", site, "--addr", addr, "--recipient", pub, "--rate-limit", "0")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the endpoint did not start")
			}
		}
		return cmd, addr
	}

	server, addr := start()
	var mu sync.Mutex
	acked := map[string]int{}
	ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
	defer stop()
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < 2000; i++ {
				phone := fmt.Sprintf("+62812%02d%06d", w, i)
				resp, err := client.PostForm("http://"+addr+"/api/join", url.Values{"name": {"Uji"}, "phone": {phone},
					"workplace": {"PT Uji"}, "city": {"Metro"}, "federation": {"f-hukatan"}, "consent": {"on"}})
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acked[phone]++
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()
	stop()
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d signups were acknowledged before the crash; the test proves little", len(acked))
	}

	// after a restart the endpoint works and nothing acknowledged is lost
	server, _ = start()
	server.Process.Signal(os.Interrupt)
	server.Wait()
	var rows []struct {
		Phone string `json:"phone"`
	}
	out := run("join", "export", "--db", "sqlite:"+filepath.Join(site, "data/join.db"), "--identity", filepath.Join(dir, "organizer.key"), "--format", "json")
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, r := range rows {
		stored[r.Phone]++
	}
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
	store, err := sqlite.Open(filepath.Join(site, "data/join.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	t.Logf("%d acknowledged before SIGKILL, %d stored (unacknowledged ones may be stored too)", len(acked), len(rows))
}
