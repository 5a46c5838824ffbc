package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLaunch runs serikat with no arguments as a trainer does the first
// time, from a terminal with no site in it: the answer to the question
// decides whether a site is made; once made, it is served and the editor
// is opened, and the next run serves it without asking.
func TestLaunch(t *testing.T) {
	t.Setenv("LANG", "en")
	dir := t.TempDir()
	launch := func(answer string) (opened string, out string, err error) {
		addr := loopbackAddr(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		l := &launcher{dirs: []string{dir}, stdin: strings.NewReader(answer), interactive: true,
			stdout: &stdout, stderr: &stderr, addr: addr,
			open: func(url string) error {
				// what the browser would find there
				resp, err := http.Get(url)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("GET %s: %s", url, resp.Status)
					}
				}
				opened = strings.Replace(url, addr, "ADDR", 1)
				cancel()
				return err
			}}
		err = l.Run(ctx)
		if ctx.Err() == context.DeadlineExceeded {
			t.Fatalf("the editor was never opened:\n%s%s", &stdout, &stderr)
		}
		return opened, stdout.String() + stderr.String(), err
	}

	// a terminal that closes without an answer: guidance, and a failure
	opened, out, err := launch("")
	if err != errSilent || opened != "" || !strings.Contains(out, "serikat init situs-serikat") {
		t.Fatalf("no answer: opened %q, err %v, said:\n%s", opened, err, out)
	}

	opened, out, err = launch("t\n")
	if err != nil || opened != "" || !strings.Contains(out, "Make a new one in "+filepath.Join(dir, "situs-serikat")+"? [Y/n]") {
		t.Fatalf("answered no: opened %q, err %v, said:\n%s", opened, err, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Fatalf("answered no, and %s was made", entries[0].Name())
	}

	opened, out, err = launch("ya\n")
	if err != nil || opened != "http://ADDR/admin/" || !strings.Contains(out, "The editor: http://") {
		t.Fatalf("answered ya: opened %q, err %v, said:\n%s", opened, err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "situs-serikat", "serikat.toml")); err != nil {
		t.Fatal(err)
	}

	// nobody answers the second time: there is nothing to ask
	opened, out, err = launch("")
	if err != nil || opened != "http://ADDR/admin/" || strings.Contains(out, "Make a new one") {
		t.Fatalf("second run: opened %q, err %v, said:\n%s", opened, err, out)
	}
}
