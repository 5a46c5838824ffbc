// Command serikat-bench measures serikat build on synthetic sites and, where
// hugo is installed, Hugo on the same content in the same run.
//
//	go run ./cmd/serikat-bench                 # 1,000 and 10,000 pages
//	go run ./cmd/serikat-bench -pages 10000 -runs 5 -dir /dev/shm
//
// For each size it writes a site (see internal/benchsite), then alternates
// cold builds of Serikat (no cache, empty destination) and Hugo (hugo
// --minify, empty destination), so both meet the same state of the machine,
// and prints the median wall time, the median peak memory (the child
// process's maximum resident set) and Serikat's ratio to Hugo. Then it
// times Serikat's warm build: one page's text edited, everything else
// served from the build cache, median of several edits.
//
// It writes only under -dir and runs nothing over the network.
package main

import (
	"flag"
	"fmt"
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
	flag.Parse()

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
	for _, field := range strings.Split(*pages, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		check(err)
		site := filepath.Join(work, fmt.Sprintf("site-%d", n))
		check(benchsite.Write(site, n))
		age(site)

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
		fmt.Printf("\n%d pages, cold build (median of %d)\n", n, *runs)
		fmt.Printf("  serikat  %7.2f s  %7.1f MB\n", o.wall.Seconds(), float64(o.rss)/1024)
		if hugo != "" {
			h := median(theirs)
			fmt.Printf("  hugo     %7.2f s  %7.1f MB\n", h.wall.Seconds(), float64(h.rss)/1024)
			fmt.Printf("  ratio    %7.2f×  %7.2f×   (serikat / hugo: time, peak memory)\n",
				o.wall.Seconds()/h.wall.Seconds(), float64(o.rss)/float64(h.rss))
		}

		// warm: the cache from a cold build, then one page edited at a time
		os.RemoveAll(filepath.Join(site, "public"))
		os.RemoveAll(filepath.Join(site, ".serikat"))
		run(site, serikat, "build", "--quiet")
		var warm []sample
		page := filepath.Join(site, filepath.FromSlash(benchsite.PagePath(n, n/2)))
		for i := range *edits {
			f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
			check(err)
			_, err = fmt.Fprintf(f, "\nSuntingan ke-%d: peserta menambah catatan.\n", i+1)
			check(err)
			check(f.Close())
			warm = append(warm, run(site, serikat, "build", "--quiet"))
		}
		w := median(warm)
		fmt.Printf("  serikat warm, one page edited: %.3f s  %.1f MB (median of %d)\n", w.wall.Seconds(), float64(w.rss)/1024, *edits)
	}
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
