// Command serikat-load measures the join endpoint: it builds serikat, runs
// "serikat join serve" on loopback, posts signups from many clients at once
// for a bounded time and count, and prints durable signups per second with
// p50 and p99 latency. In the same run it measures how many signups one
// machine can encrypt with age alone, the bound that encryption sets.
//
//	go run ./cmd/serikat-load                       # SQLite, 64 clients, 10 s
//	go run ./cmd/serikat-load -db postgres://…      # PostgreSQL
//
// It sends traffic only to 127.0.0.1 and stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/serikat-id/serikat/internal/sealed"
)

func main() {
	clients := flag.Int("clients", 64, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long to post (at most 60s)")
	maxSignups := flag.Int("max", 200000, "stop after this many signups")
	db := flag.String("db", "", "postgres://… to measure PostgreSQL; default a SQLite file")
	flag.Parse()
	*duration = min(*duration, 60*time.Second)

	work, err := os.MkdirTemp("", "serikat-load-")
	check(err)
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "serikat")
	build := exec.Command("go", "build", "-o", bin, "./cmd/serikat")
	build.Stderr = os.Stderr
	check(build.Run())
	site := filepath.Join(work, "site")
	check(os.MkdirAll(filepath.Join(site, "content/kampanye"), 0o755))
	check(os.WriteFile(filepath.Join(site, "content/kampanye/a.md"), []byte("---\ntitle: A\nfederasi: f-hukatan\nnamaFederasi: F HUKATAN\n---\n"), 0o644))
	pub, err := sealed.GenerateIdentity(filepath.Join(work, "organizer.key"))
	check(err)

	// the encryption-only bound, measured on every core
	sealer, err := sealed.NewSealer([]string{pub})
	check(err)
	plain := []byte(`{"name":"Siti Aminah","phone":"+6281234567890","workplace":"PT Hutan Lestari","city":"Bandar Lampung","federation":"f-hukatan","consent":true}`)
	var sealedCount atomic.Int64
	sealCtx, stopSeal := context.WithTimeout(context.Background(), 2*time.Second)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sealCtx.Err() == nil {
				_, err := sealer.Seal(plain)
				check(err)
				sealedCount.Add(1)
			}
		}()
	}
	wg.Wait()
	stopSeal()
	sealRate := float64(sealedCount.Load()) / 2

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	dbURL := "sqlite:" + filepath.Join(work, "join.db")
	if *db != "" {
		dbURL = *db
	}
	server := exec.Command(bin, "join", "serve", "-s", site, "--addr", addr, "--recipient", pub, "--rate-limit", "0", "--db", dbURL,
		"--hmac-key-file", filepath.Join(work, "hmac.key"))
	check(server.Start())
	defer func() { server.Process.Signal(os.Interrupt); server.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			check(fmt.Errorf("the endpoint did not start"))
		}
	}

	ctx, stop := context.WithTimeout(context.Background(), *duration)
	defer stop()
	transport := &http.Transport{MaxIdleConnsPerHost: *clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var sent atomic.Int64
	latencies := make([][]time.Duration, *clients)
	var failures atomic.Int64
	start := time.Now()
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				n := sent.Add(1)
				if n > int64(*maxSignups) {
					return
				}
				form := url.Values{"name": {"Uji Beban"}, "phone": {fmt.Sprintf("+62812%08d", n)}, "workplace": {"PT Uji"},
					"city": {"Metro"}, "federation": {"f-hukatan"}, "consent": {"on"}, "source": {"poster"}}
				t0 := time.Now()
				resp, err := client.PostForm("http://"+addr+"/api/join", form)
				if err != nil {
					failures.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					failures.Add(1)
					continue
				}
				latencies[c] = append(latencies[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	store := "SQLite (WAL, synchronous=FULL)"
	if *db != "" {
		store = "PostgreSQL"
	}
	fmt.Printf("serikat-load: %s, %d clients, %s, GOMAXPROCS %d\n", store, *clients, elapsed.Round(time.Millisecond), runtime.GOMAXPROCS(0))
	fmt.Printf("  durable signups: %d (%.0f per second), failed: %d\n", len(all), float64(len(all))/elapsed.Seconds(), failures.Load())
	fmt.Printf("  latency: p50 %.1f ms, p99 %.1f ms\n", ms(pct(0.50)), ms(pct(0.99)))
	fmt.Printf("  age encryption alone, all cores: %.0f per second\n", sealRate)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "serikat-load:", err)
		os.Exit(1)
	}
}
