// Command serikat-bench measures serikat build on generated sites and, where
// hugo is installed, Hugo on the same content in the same run.
//
//	go run ./cmd/serikat-bench                 # 1,000 and 10,000 pages
//	go run ./cmd/serikat-bench -pages 10000 -runs 5 -dir /dev/shm
//	go run ./cmd/serikat-bench -corpus hugo    # a site shaped like real ones
//	go run ./cmd/serikat-bench -corpus theme   # the same, with the default theme
//	go run ./cmd/serikat-bench -serve -pages 10000   # serikat serve and hugo server
//	go run ./cmd/serikat-bench -images 200 -megapixels 12   # photo processing
//
// For each size it writes a site (see internal/benchsite), then alternates
// cold builds of Serikat (no cache, empty destination) and Hugo (hugo
// --minify, empty destination), so both meet the same state of the machine,
// and prints the median wall time, the median peak memory (the child
// process's maximum resident set) and Serikat's ratio to Hugo. Then it
// times Serikat's warm build: one page's text edited, everything else
// served from the build cache, median of several edits.
//
// The site is, by default, our own synthetic one: pages alike, sections
// alike, share cards and the search index off. With -corpus it is a corpus
// shaped like sites we did not design instead: sections of very unequal
// sizes, pages from 30 to 2,900 words, tags with Zipf-like popularity,
// tables, code and links (see internal/benchsite for its shape), built
// with Serikat's defaults:
//
//   - -corpus hugo: plain Hugo-style layouts that Serikat and Hugo both run
//     unchanged, with tag pages and RSS feeds in both;
//   - -corpus theme: Serikat with its default theme (as serikat init makes a
//     site: share cards, search index, offline files), against Hugo on the
//     Hugo-style layouts, which is what Hugo can run; the ratio is printed
//     as "default theme vs hugo".
//
// With -serve it measures previewing instead: it starts "serikat serve"
// (and "hugo server" where installed) on the site, edits one page's text
// (and then the template that renders it: single.html, or the theme's
// _default/single.html), and times from saving the file until the server
// serves the new page, polling it over loopback; medians of several edits.
//
// With -images it measures photo processing: a site with one phone-sized
// photo per page, built cold and from the image cache (see images.go).
//
// The hidden flags -write-corpus DIR (with -corpus and one -pages size) and
// -write-photos DIR write a site and exit, for inspection and for the
// child process that writes the sites of a run.
//
// It writes only under -dir and runs nothing over the network.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/serikat-id/serikat/internal/benchsite"
)

type sample struct {
	wall time.Duration
	rss  int64 // KiB
}

func main() {
	pages := flag.String("pages", "1000,10000", "site sizes, comma-separated")
	runs := flag.Int("runs", 3, "cold builds of each generator per size")
	edits := flag.Int("edits", 5, "warm builds after one-page edits per size")
	dir := flag.String("dir", os.TempDir(), "where to write the sites")
	hugoPath := flag.String("hugo", "hugo", "the hugo command; empty to skip Hugo")
	serveMode := flag.Bool("serve", false, "measure serikat serve and hugo server instead of builds")
	images := flag.Int("images", 0, "measure photo processing instead, on this many photos")
	megapixels := flag.Float64("megapixels", 12, "the size of each photo, with -images")
	corpusName := flag.String("corpus", "", "measure on a corpus shaped like a real site, with hugo-style layouts (hugo) or Serikat's default theme (theme)")
	writePhotos := flag.String("write-photos", "", "(internal) write the photo site into this folder and exit")
	writeCorpus := flag.String("write-corpus", "", "(internal) write the -corpus site of -pages pages into this folder and exit")
	flag.Parse()
	if *writePhotos != "" {
		check(writePhotoSite(*writePhotos, *images, *megapixels))
		return
	}
	var corpus *benchsite.Layouts
	if *corpusName != "" {
		l, err := benchsite.ParseLayouts(*corpusName)
		check(err)
		corpus = &l
	}
	if *writeCorpus != "" {
		n, err := strconv.Atoi(*pages)
		if err != nil || corpus == nil {
			check(fmt.Errorf("-write-corpus needs -corpus and one -pages size"))
		}
		check(benchsite.WriteCorpus(*writeCorpus, n, *corpus))
		return
	}

	work, err := os.MkdirTemp(*dir, "serikat-bench-")
	check(err)
	defer os.RemoveAll(work)
	serikat := filepath.Join(work, "serikat")
	build := exec.Command("go", "build", "-o", serikat, "./cmd/serikat")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	check(build.Run())

	hugo := ""
	if *hugoPath != "" {
		if p, err := exec.LookPath(*hugoPath); err == nil {
			hugo = p
		}
	}
	fmt.Printf("serikat-bench: %s, GOMAXPROCS %s, sites in %s\n", time.Now().Format(time.DateOnly), gomaxprocs(), *dir)
	if hugo == "" {
		fmt.Println("hugo not found: Serikat only (install Debian's hugo to compare)")
	} else {
		out, _ := exec.Command(hugo, "version").Output()
		fmt.Printf("peer: %s", out)
	}
	if *images > 0 {
		benchImages(work, serikat, hugo, *images, *megapixels, *runs)
		return
	}
	for _, field := range strings.Split(*pages, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		check(err)
		t := writeSite(filepath.Join(work, fmt.Sprintf("site-%d", n)), n, corpus)
		site := t.dir
		if *serveMode {
			fmt.Printf("\n%d pages, %s: from saving a file to the new page being served (median of %d)\n", n, t.what, *edits)
			benchServe(site, t.page, t.serikatSingle, *edits, "serikat", []string{serikat, "serve", "-s", site})
			if hugo != "" {
				benchServe(site, t.page, t.hugoSingle, *edits, "hugo server", []string{hugo, "server", "-s", site, "--disableLiveReload", "--bind", "127.0.0.1"})
			}
			continue
		}

		var ours, theirs []sample
		for range *runs {
			os.RemoveAll(filepath.Join(site, "public"))
			os.RemoveAll(filepath.Join(site, ".serikat"))
			ours = append(ours, run(site, serikat, "build", "--quiet"))
			if hugo != "" {
				os.RemoveAll(filepath.Join(site, "hugo-public"))
				theirs = append(theirs, run(site, hugo, "--minify", "--quiet", "-d", "hugo-public"))
			}
		}
		o := median(ours)
		fmt.Printf("\n%d pages, %s, cold build (median of %d)\n", n, t.what, *runs)
		fmt.Printf("  %-8s %7.2f s  %7.1f MB\n", t.name, o.wall.Seconds(), float64(o.rss)/1024)
		if hugo != "" {
			h := median(theirs)
			fmt.Printf("  hugo     %7.2f s  %7.1f MB\n", h.wall.Seconds(), float64(h.rss)/1024)
			vs := "serikat / hugo"
			if corpus != nil && *corpus == benchsite.DefaultTheme {
				vs = "default theme vs hugo"
			}
			fmt.Printf("  ratio    %7.2f×  %7.2f×   (%s: time, peak memory)\n",
				o.wall.Seconds()/h.wall.Seconds(), float64(o.rss)/float64(h.rss), vs)
		}

		// warm: the cache from a cold build, then one page edited at a time
		os.RemoveAll(filepath.Join(site, "public"))
		os.RemoveAll(filepath.Join(site, ".serikat"))
		run(site, serikat, "build", "--quiet")
		var warm []sample
		for i := range *edits {
			f, err := os.OpenFile(filepath.Join(site, filepath.FromSlash(t.page)), os.O_APPEND|os.O_WRONLY, 0)
			check(err)
			_, err = fmt.Fprintf(f, "\nSuntingan ke-%d: peserta menambah catatan.\n", i+1)
			check(err)
			check(f.Close())
			warm = append(warm, run(site, serikat, "build", "--quiet"))
		}
		w := median(warm)
		fmt.Printf("  %s warm, one page edited: %.3f s  %.1f MB (median of %d)\n", t.name, w.wall.Seconds(), float64(w.rss)/1024, *edits)
	}
}

// target is a site written for measuring, and what is measured on it.
type target struct {
	dir  string
	page string // the page edited, from dir
	// the template that renders page, from dir, for Serikat and for Hugo
	serikatSingle, hugoSingle string
	what                      string // the site, as the report names it
	name                      string // Serikat's build, as the report names it
}

// writeSite writes a site of n pages into dir: the synthetic one, or with
// corpus a corpus, written by a child process as the photos are (a
// child's peak memory starts from this process's, so this one stays small).
func writeSite(dir string, n int, corpus *benchsite.Layouts) target {
	single := "layouts/_default/single.html"
	t := target{dir: dir, page: benchsite.PagePath(n, n/2), serikatSingle: single, hugoSingle: single, what: "synthetic site", name: "serikat"}
	if corpus == nil {
		check(benchsite.Write(dir, n))
	} else {
		gen := exec.Command(os.Args[0], "-write-corpus", dir, "-corpus", corpus.String(), "-pages", strconv.Itoa(n))
		gen.Stdout, gen.Stderr = os.Stdout, os.Stderr
		check(gen.Run())
		t.page, t.hugoSingle = benchsite.CorpusPagePath(n, n/2), corpus.HugoLayoutDir()+"/_default/single.html"
		t.what = "corpus, hugo-style layouts"
		if *corpus == benchsite.DefaultTheme {
			t.what, t.name = "corpus, Serikat's default theme against hugo-style layouts", "theme"
		}
	}
	age(dir)
	return t
}

// age moves the site's files an hour back, as files are that were not
// just written; the cache reads again any file changed seconds before it.
func age(site string) {
	old := time.Now().Add(-time.Hour)
	check(filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, old, old)
	}))
}

func run(dir, name string, args ...string) sample {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	check(cmd.Run())
	s := sample{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = ru.Maxrss
	}
	return s
}

func median(s []sample) sample {
	walls := make([]time.Duration, len(s))
	rss := make([]int64, len(s))
	for i := range s {
		walls[i], rss[i] = s[i].wall, s[i].rss
	}
	slices.Sort(walls)
	slices.Sort(rss)
	return sample{walls[len(s)/2], rss[len(s)/2]}
}

func gomaxprocs() string {
	if v := os.Getenv("GOMAXPROCS"); v != "" {
		return v
	}
	return strconv.Itoa(runtime.NumCPU())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "serikat-bench:", err)
		os.Exit(1)
	}
}

// benchServe starts a preview server, then edits the text of page (a path
// under site) and the template single, which renders it, and times until
// the edit is served.
func benchServe(site, page, single string, edits int, name string, argv []string) {
	port := freePort()
	argv = append(argv, "--port", strconv.Itoa(port))
	if name == "serikat" {
		argv = append(argv[:len(argv)-2], "--addr", fmt.Sprintf("127.0.0.1:%d", port))
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = site
	check(cmd.Start())
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	url := base + "/" + strings.TrimSuffix(strings.TrimPrefix(page, "content/"), ".md") + "/"
	if !waitFor(url, "", 120*time.Second) {
		fmt.Printf("  %-12s did not start\n", name)
		return
	}
	page = filepath.Join(site, filepath.FromSlash(page))
	var text, tmpl []time.Duration
	for i := range edits {
		marker := fmt.Sprintf("penanda%s%d", strings.ReplaceAll(name, " ", ""), i)
		f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
		check(err)
		start := time.Now()
		fmt.Fprintf(f, "\n%s\n", marker)
		check(f.Close())
		if waitFor(url, marker, 30*time.Second) {
			text = append(text, time.Since(start))
		}
		time.Sleep(300 * time.Millisecond)
	}
	single = filepath.Join(site, filepath.FromSlash(single))
	orig, err := os.ReadFile(single)
	check(err)
	defer os.WriteFile(single, orig, 0o644)
	for i := range max(1, edits/2) {
		marker := fmt.Sprintf("templat%s%d", strings.ReplaceAll(name, " ", ""), i)
		start := time.Now()
		check(os.WriteFile(single, []byte(strings.Replace(string(orig), "<article>", "<article data-m=\""+marker+"\">", 1)), 0o644))
		if waitFor(url, marker, 60*time.Second) {
			tmpl = append(tmpl, time.Since(start))
		}
		time.Sleep(500 * time.Millisecond)
	}
	fmt.Printf("  %-12s text edit %s   template edit %s\n", name, medianOf(text), medianOf(tmpl))
}

func freePort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls url until its body contains want (or, with want empty,
// until it answers 200).
func waitFor(url, want string, limit time.Duration) bool {
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		resp, err := client.Get(url)
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && strings.Contains(string(body), want) {
			return true
		}
	}
	return false
}

func medianOf(d []time.Duration) string {
	if len(d) == 0 {
		return "   (no result)"
	}
	slices.Sort(d)
	return fmt.Sprintf("%7.0f ms", float64(d[len(d)/2].Microseconds())/1000)
}
