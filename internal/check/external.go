package check

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/serikat-id/serikat/internal/msg"
)

// linkCacheTTL is how long a link that answered well is not asked again.
// Failures are always asked again: a site that was down may be back.
const linkCacheTTL = 24 * time.Hour

type linkResult struct {
	OK      bool      `json:"ok"`
	Status  string    `json:"status"`
	Checked time.Time `json:"checked"`
}

// external checks links to other sites, each URL once.
func (c *checker) external(ctx context.Context, links []link) error {
	timeout := c.opts.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := c.opts.Client
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	limit := c.opts.Concurrency
	if limit <= 0 {
		limit = 8
	}
	cache := map[string]linkResult{}
	if c.opts.LinkCache != "" {
		if data, err := os.ReadFile(c.opts.LinkCache); err == nil {
			_ = json.Unmarshal(data, &cache) // a damaged cache only costs time
		}
	}
	byURL := map[string][]link{}
	for _, l := range links {
		byURL[l.dest] = append(byURL[l.dest], l)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for u := range byURL {
		if r, ok := cache[u]; ok && r.OK && c.opts.Now.Sub(r.Checked) < linkCacheTTL {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			r := fetch(ctx, client, timeout, u)
			r.Checked = c.opts.Now
			mu.Lock()
			cache[u] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for u, ls := range byURL {
		if r := cache[u]; !r.OK {
			for _, l := range ls {
				c.report.addf(l.page.File, l.line, msg.LinkExternal, u, r.Status)
			}
		}
	}
	if c.opts.LinkCache != "" {
		data, _ := json.Marshal(cache)
		_ = os.MkdirAll(filepath.Dir(c.opts.LinkCache), 0o755)
		_ = os.WriteFile(c.opts.LinkCache, data, 0o644)
	}
	return nil
}

// fetch asks for u with HEAD, and with GET where HEAD is not allowed.
func fetch(ctx context.Context, client *http.Client, timeout time.Duration, u string) linkResult {
	var last linkResult
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		rctx, cancel := context.WithTimeout(ctx, timeout)
		req, err := http.NewRequestWithContext(rctx, method, u, nil)
		if err != nil {
			cancel()
			return linkResult{Status: "not a valid address"}
		}
		req.Header.Set("User-Agent", "serikat-check (link checker)")
		resp, err := client.Do(req)
		if err != nil {
			cancel()
			if rctx.Err() != nil {
				return linkResult{Status: fmt.Sprintf("no answer within %s", timeout)}
			}
			return linkResult{Status: "cannot connect: " + err.Error()}
		}
		resp.Body.Close()
		cancel()
		last = linkResult{OK: resp.StatusCode < 400, Status: resp.Status}
		if resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusNotImplemented && resp.StatusCode != http.StatusForbidden {
			return last
		}
	}
	return last
}
