package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
)

var update = flag.Bool("update", false, "rewrite the golden files inside testdata/script/*.txtar")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"serikat": func() {
			if Execute(os.Args[1:]) != nil {
				os.Exit(1)
			}
		},
	})
}

// TestScripts runs the command-line scripts in testdata/script. Each is a
// site and the commands run on it; see the testscript package for the
// format. go test ./cmd/serikat -update rewrites golden files.
func TestScripts(t *testing.T) {
	goldenDir, err := filepath.Abs("testdata/golden")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			// keys a command makes by default stay in the script's folder
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			// messages in English unless a script says otherwise (env LANG=)
			env.Setenv("LANG", "en")
			// free loopback ports, so scripts run side by side with anything
			for _, name := range []string{"PORT", "PORT2"} {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					return err
				}
				_, port, _ := net.SplitHostPort(ln.Addr().String())
				ln.Close()
				env.Setenv(name, port)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// waithttp URL waits for URL to answer 200: up to two minutes,
			// which a serve that builds a site on a loaded machine may take.
			"waithttp": func(ts *testscript.TestScript, neg bool, args []string) {
				deadline := time.Now().Add(2 * time.Minute)
				for {
					resp, err := http.Get(args[0])
					if err == nil {
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK {
							return
						}
					}
					if time.Now().After(deadline) {
						ts.Fatalf("%s did not answer: %v", args[0], err)
					}
					time.Sleep(50 * time.Millisecond)
				}
			},
			// post URL key=value... posts a form and prints the status, and
			// for a redirect "location: " and where it goes, which it also
			// puts in $LOCATION so the script can follow it.
			"post": func(ts *testscript.TestScript, neg bool, args []string) {
				form := url.Values{}
				for _, kv := range args[1:] {
					k, v, _ := strings.Cut(kv, "=")
					form.Add(k, v)
				}
				client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				resp, err := client.PostForm(args[0], form)
				ts.Check(err)
				resp.Body.Close()
				fmt.Fprintf(ts.Stdout(), "%d\n", resp.StatusCode)
				if loc := resp.Header.Get("Location"); loc != "" {
					fmt.Fprintf(ts.Stdout(), "location: %s\n", loc)
					ts.Setenv("LOCATION", loc)
				}
			},
			// photo FILE W H writes a W×H JPEG as a phone takes it: with
			// Exif holding an orientation and a GPS position
			// (imagingtest.GPSMarker).
			"photo": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 || neg {
					ts.Fatalf("usage: photo FILE W H")
				}
				w, err := strconv.Atoi(args[1])
				ts.Check(err)
				h, err := strconv.Atoi(args[2])
				ts.Check(err)
				data, err := imagingtest.JPEG(w, h, imagingtest.Exif(1))
				ts.Check(err)
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
			},
			// golden FILE NAME compares a built file with testdata/golden/NAME.
			"golden": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 || neg {
					ts.Fatalf("usage: golden FILE NAME")
				}
				got := ts.ReadFile(args[0])
				name := filepath.Join(goldenDir, args[1])
				if *update {
					ts.Check(os.WriteFile(name, []byte(got), 0o644))
					return
				}
				want, err := os.ReadFile(name)
				ts.Check(err)
				if got != string(want) {
					ts.Fatalf("%s differs from testdata/golden/%s (go test -update rewrites it):\nwant %q\ngot  %q", args[0], args[1], want, got)
				}
			},
		},
	})
}
