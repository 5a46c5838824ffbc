package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/serikat-id/serikat/internal/msg"
)

// newSiteDir is the folder a site made by a run with no arguments goes in.
const newSiteDir = "situs-serikat"

// launcher is serikat run with no arguments, as a double-click on the
// program runs it: it serves the site it finds (serikat serve) and opens
// the editor at /admin/ in the browser. Where it finds no site it asks
// whether to make one (serikat init) in a folder situs-serikat, then does
// the same; with nobody to ask, it says what to run instead and fails.
type launcher struct {
	// dirs are the folders to look in, in order: each is a site if it
	// holds serikat.toml, or holds one in its situs-serikat folder. A new
	// site is made in the first.
	dirs []string
	// stdin answers whether to make a site; interactive reports that
	// someone is there to answer (it is a terminal).
	stdin          io.Reader
	interactive    bool
	stdout, stderr io.Writer
	// addr is where to listen; 127.0.0.1:1313 moves to a free port when
	// another program holds it.
	addr string
	// open opens a page in the browser; nil opens none (the address is
	// printed either way).
	open func(url string) error
	// lang is the language Run speaks in, once it knows the site.
	lang msg.Lang
}

// defaultAddr is where serikat serve listens unless told otherwise.
const defaultAddr = "127.0.0.1:1313"

// newLauncher is the launcher for this process: it looks in the working
// folder and then the program's own (on macOS a double-click starts in the
// home folder, not beside the program: there the program's folder comes
// first). SERIKAT_ADDR changes where it listens, and SERIKAT_NO_BROWSER
// set to anything keeps it from opening the browser.
func newLauncher(stdin *os.File, stdout, stderr io.Writer) *launcher {
	l := &launcher{stdin: stdin, interactive: isTerminal(stdin), stdout: stdout, stderr: stderr,
		addr: defaultAddr, open: openBrowser}
	if a := os.Getenv("SERIKAT_ADDR"); a != "" {
		l.addr = a
	}
	if os.Getenv("SERIKAT_NO_BROWSER") != "" {
		l.open = nil
	}
	wd, _ := os.Getwd()
	var exeDir string
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			exeDir = filepath.Dir(exe)
		}
	}
	home, _ := os.UserHomeDir()
	switch {
	case exeDir == "" || exeDir == wd:
		l.dirs = []string{wd}
	case wd == home:
		l.dirs = []string{exeDir, wd}
	default:
		l.dirs = []string{wd, exeDir}
	}
	return l
}

// Run serves the site, making it first if there is none, until ctx ends.
func (l *launcher) Run(ctx context.Context) error {
	site, ok := l.findSite()
	l.lang = msg.Choose("id", os.Getenv) // no site, no languageCode: a trainer's language
	if !ok {
		var err error
		if site, err = l.offerSite(ctx); err != nil || site == "" {
			return err
		}
	}
	l.lang = siteLang(site)
	addr := freeAddr(l.addr)
	ctx, stop := context.WithCancel(ctx)
	opened := make(chan struct{})
	go func() {
		defer close(opened)
		l.openWhenReady(ctx, "http://"+addr)
	}()
	defer func() { stop(); <-opened }()
	return l.command(ctx, "serve", "-s", site, "--addr", addr)
}

// findSite returns the first folder of l.dirs, or its situs-serikat
// folder, that holds serikat.toml.
func (l *launcher) findSite() (string, bool) {
	for _, d := range l.dirs {
		for _, dir := range []string{d, filepath.Join(d, newSiteDir)} {
			if _, err := os.Stat(filepath.Join(dir, "serikat.toml")); err == nil {
				return dir, true
			}
		}
	}
	return "", false
}

// offerSite asks whether to make a site, and makes it. It returns the
// site's folder, or "" when the answer was no.
func (l *launcher) offerSite(ctx context.Context) (string, error) {
	t := launchTexts[l.lang]
	if !l.interactive {
		fmt.Fprintf(l.stderr, t.noSite, l.dirs[0])
		return "", errSilent
	}
	dir := filepath.Join(l.dirs[0], newSiteDir)
	fmt.Fprintf(l.stdout, t.question, l.dirs[0], dir)
	answer, err := bufio.NewReader(l.stdin).ReadString('\n')
	if err != nil && answer == "" { // nobody answered after all
		fmt.Fprintln(l.stdout)
		fmt.Fprintf(l.stderr, t.noSite, l.dirs[0])
		return "", errSilent
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "", "y", "ya", "iya", "yes":
	default:
		fmt.Fprintln(l.stdout, t.declined)
		return "", nil
	}
	if err := l.command(ctx, "init", dir); err != nil {
		return "", err
	}
	return dir, nil
}

// command runs serikat with args, as if typed.
func (l *launcher) command(ctx context.Context, args ...string) error {
	root := newRootCmd(l.stdout, l.stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// openWhenReady waits for the server at base to answer, then prints the
// editor's address and opens it (the home page for a site that publishes
// no editor).
func (l *launcher) openWhenReady(ctx context.Context, base string) {
	client := &http.Client{Timeout: 5 * time.Second}
	status := func(path string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return 0
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// the first build comes before the server listens: a large site takes a while
	for status("/") == 0 {
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	url := base + "/admin/"
	if status("/admin/") != http.StatusOK {
		url = base + "/"
	}
	fmt.Fprintf(l.stdout, launchTexts[l.lang].editorAt, url)
	if l.open != nil {
		if err := l.open(url); err != nil {
			fmt.Fprintf(l.stderr, launchTexts[l.lang].noBrowser, err)
		}
	}
}

// holdWindow waits for Enter on Windows, where the console window a
// double-click opened closes as soon as the program ends, taking the
// reason it failed with it.
func (l *launcher) holdWindow() {
	if runtime.GOOS != "windows" || !l.interactive {
		return
	}
	fmt.Fprint(l.stderr, launchTexts[l.lang].pressEnter)
	bufio.NewReader(l.stdin).ReadString('\n')
}

// freeAddr returns addr, or when addr is defaultAddr and another program
// listens there, a free port on the same host.
func freeAddr(addr string) string {
	if addr != defaultAddr {
		return addr
	}
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		ln.Close()
		return addr
	}
	if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return addr // serve says what is wrong
	}
	defer ln.Close()
	return ln.Addr().String()
}

// launchText is what a run with no arguments says, in one language.
type launchText struct {
	noSite, question, declined, editorAt, noBrowser, pressEnter string
}

var launchTexts = map[msg.Lang]launchText{
	msg.Indonesian: {
		noSite: `Tidak ada situs Serikat di %s (tidak ada serikat.toml).
Jalankan serikat di folder situs untuk membuka editornya, atau:
  serikat init situs-serikat     membuat situs baru
  serikat serve -s FOLDER        menampilkan dan menyunting situs di FOLDER
  serikat --help                 semua perintah
`,
		question:   "Belum ada situs Serikat di %s.\nBuat situs baru di %s? [Y/t] ",
		declined:   "Tidak ada yang dibuat.",
		editorAt:   "\nEditor: %s\nBuka alamat itu di peramban bila belum terbuka. Biarkan jendela ini terbuka selama menyunting; tutup untuk berhenti.\n\n",
		noBrowser:  "Peramban tidak bisa dibuka (%v): buka alamat di atas sendiri.\n",
		pressEnter: "Tekan Enter untuk menutup jendela ini.",
	},
	msg.English: {
		noSite: `No Serikat site in %s (no serikat.toml).
Run serikat in a site's folder to open its editor, or:
  serikat init situs-serikat     make a new site
  serikat serve -s FOLDER        preview and edit the site in FOLDER
  serikat --help                 every command
`,
		question:   "No Serikat site in %s yet.\nMake a new one in %s? [Y/n] ",
		declined:   "Nothing was made.",
		editorAt:   "\nThe editor: %s\nOpen that address in a browser if it did not open. Keep this window open while you edit; close it to stop.\n\n",
		noBrowser:  "Could not open a browser (%v): open the address above yourself.\n",
		pressEnter: "Press Enter to close this window.",
	},
}
