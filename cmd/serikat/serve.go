package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/admin"
	"github.com/serikat-id/serikat/internal/cmsapi"
	"github.com/serikat-id/serikat/internal/devserver"
	"github.com/serikat-id/serikat/internal/gctune"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/site"
	"github.com/serikat-id/serikat/internal/watch"
)

func newServeCmd() *cobra.Command {
	var opts site.Options
	var addr string
	var timings bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Build, serve and rebuild the site as you edit, with the join endpoint",
		Long: `Serve builds the site into a private temporary folder (public/ is not
touched), serves it, and rebuilds whenever content/, layouts/, assets/ or
serikat.toml change; open pages reload when their page changed, swap their
styles when only stylesheets changed, and show the problems over the page
when a rebuild fails. The join endpoint answers at /api/join and
/api/stats on a development database and key in .serikat/dev/ inside the
site. The content editor at /admin/ reads and writes the site's content/
folder here (Decap CMS's local backend at /api/v1), with no login: a page
saved in the editor is rebuilt like a file saved in a text editor. Not for
production: see "serikat join serve".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			gctune.Start()
			out := cmd.OutOrStdout()
			site.Version = versionString()
			tmp, err := os.MkdirTemp("", "serikat-serve-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			opts.Dest = filepath.Join(tmp, "public")
			// its own cache, so previews and "serikat build" keep theirs
			opts.CacheDir = filepath.Join(opts.Source, ".serikat", "serve-cache")
			session, err := site.NewSession(opts)
			if err != nil {
				return err
			}
			defer session.Close()
			dev := devserver.New(opts.Dest)
			source := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(opts.Source, filepath.FromSlash(p))) }
			// build rebuilds after the watcher reported changed (nil: no new
			// changes, finishing a build that put open pages first), putting
			// the pages first; it reports whether others were left for later.
			warned := map[string]bool{}
			lang := siteLang(opts.Source)
			build := func(ctx context.Context, changed []string, first []string) (deferred bool) {
				if changed != nil {
					session.Changed(siteRelative(opts.Source, changed)...)
				}
				report, err := session.Build(ctx, first...)
				if err != nil && ctx.Err() != nil {
					return false // stopped for a newer save: it wrote nothing
				}
				if err != nil {
					printError(cmd.ErrOrStderr(), inLang{err, lang})
					dev.Failed(err, lang, source)
					return false
				}
				var fresh []error
				for _, w := range report.Warnings {
					if !warned[w.Error()] {
						warned[w.Error()] = true
						fresh = append(fresh, w)
					}
				}
				printWarnings(cmd.ErrOrStderr(), lang, fresh) // each once, not at every save
				fmt.Fprintln(out, msg.New(msg.BuiltServe, msg.Count(msg.NounPage, report.Pages), report.Duration.Milliseconds(), report.Written).In(lang))
				if timings {
					for _, p := range report.Phases {
						fmt.Fprintf(out, "  %-26s %6d ms\n", p.Name, p.Duration.Milliseconds())
					}
				}
				dev.Reloaded(report.Changed, onlyStyles(changed))
				return report.Deferred > 0
			}
			build(cmd.Context(), nil, nil)

			api, closeStore, err := devJoin(opts.Source)
			if err != nil {
				return err
			}
			defer closeStore()
			var roots []string
			for _, name := range []string{"content", "layouts", "assets", "serikat.toml"} {
				roots = append(roots, filepath.Join(opts.Source, name))
			}
			// editors save in bursts (write, rename, chmod) within a few milliseconds
			w, err := watch.New(roots, 20*time.Millisecond, "public", "node_modules")
			if err != nil {
				return err
			}
			ctx, stop := context.WithCancel(cmd.Context())
			defer stop()
			go w.Run(ctx)
			// the rebuilds end before the session closes (deferred above)
			rebuilding := make(chan struct{})
			defer func() { stop(); <-rebuilding }()
			go func() {
				defer close(rebuilding)
				// After a save, the pages open in browsers are rebuilt first; the
				// rest follow in a build that the next save stops (it wrote
				// nothing then) so that save's pages come first again.
				var stopRest context.CancelFunc
				var restDone chan struct{}
				for batch := range w.Changes {
					if stopRest != nil {
						stopRest()
						<-restDone
						stopRest = nil
					}
					if !build(ctx, batch, dev.Visited()) {
						continue
					}
					restCtx, cancel := context.WithCancel(ctx)
					done := make(chan struct{})
					stopRest, restDone = cancel, done
					go func() {
						defer close(done)
						build(restCtx, nil, nil)
					}()
				}
				if stopRest != nil {
					stopRest()
					<-restDone
				}
			}()

			hosts := ownHosts(addr)
			cms, err := cmsapi.New(opts.Source, hosts)
			if err != nil {
				return err
			}
			mux := http.NewServeMux()
			mux.Handle("/api/v1", cms)
			mux.Handle("/"+admin.Dir+"/", editorHandler(opts.Dest, hosts, dev))
			mux.Handle("/api/", api)
			mux.Handle("/healthz", api)
			mux.Handle("/", dev)
			if host, port, err := net.SplitHostPort(addr); err == nil && (host == "0.0.0.0" || host == "") {
				if ip := lanAddress(); ip != "" {
					fmt.Fprintf(out, "On a phone on the same network: http://%s:%s/\n", ip, port)
				}
			}
			return listenAndServe(ctx, out, addr, mux, dev.Close)
		},
	}
	opts.Extra = editor
	fl := cmd.Flags()
	fl.StringVarP(&opts.Source, "source", "s", ".", "the site's folder")
	fl.StringVar(&addr, "addr", "127.0.0.1:1313", "where to listen; 0.0.0.0:1313 to open it on a phone")
	fl.BoolVar(&opts.Drafts, "drafts", false, "include pages marked draft")
	fl.BoolVar(&opts.Future, "future", false, "include pages dated in the future")
	fl.BoolVar(&timings, "timings", false, "print how long each step of every rebuild took")
	return cmd
}

// siteRelative turns the watcher's paths into the site's slash-separated
// paths; it returns none (meaning: anything may have changed) when it
// cannot, or when there were none.
func siteRelative(source string, changed []string) []string {
	var out []string
	for _, p := range changed {
		rel, err := filepath.Rel(source, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			abs, _ := filepath.Abs(source)
			if rel, err = filepath.Rel(abs, p); err != nil || strings.HasPrefix(rel, "..") {
				return nil
			}
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// onlyStyles reports whether every changed source is a stylesheet.
func onlyStyles(changed []string) bool {
	for _, p := range changed {
		if !strings.HasSuffix(p, ".css") {
			return false
		}
	}
	return len(changed) > 0
}

// devJoin is the join endpoint on a development database and key inside
// the site (.serikat/dev, git-ignored). The key is made on first use.
func devJoin(siteDir string) (http.Handler, func(), error) {
	dir := filepath.Join(siteDir, ".serikat", "dev")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	idFile := filepath.Join(dir, "organizer.key")
	if _, err := os.Stat(idFile); errors.Is(err, fs.ErrNotExist) {
		if _, err := sealed.GenerateIdentity(idFile); err != nil {
			return nil, nil, err
		}
	}
	pub, err := sealed.PublicKey(idFile)
	if err != nil {
		return nil, nil, err
	}
	sealer, err := sealed.NewSealer([]string{pub})
	if err != nil {
		return nil, nil, err
	}
	key, err := hmacKey(filepath.Join(dir, "hmac.key"), true)
	if err != nil {
		return nil, nil, err
	}
	feds, _, err := siteFederations(siteDir)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlite.Open(filepath.Join(dir, "join.db"))
	if err != nil {
		return nil, nil, err
	}
	// a preview counts at every request: whoever tries the form sees it move
	h := join.NewHandler(join.Config{Store: store, Sealer: sealer, HMACKey: key, Federations: feds, StatsEvery: -1,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	return h, func() { store.Close() }, nil
}

// lanAddress is this machine's first non-loopback IPv4 address.
func lanAddress() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipnet, ok := a.(*net.IPNet); ok && !ipnet.IP.IsLoopback() && ipnet.IP.To4() != nil {
			return ipnet.IP.String()
		}
	}
	return ""
}

// ownHosts returns whether a request's Host names this server, listening
// on addr: by its loopback names, or, listening on every address, by this
// machine's address on the network.
func ownHosts(addr string) func(host string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return func(string) bool { return false }
	}
	names := []string{"127.0.0.1", "localhost", "[::1]"}
	if host == "0.0.0.0" || host == "" || host == "::" {
		if ip := lanAddress(); ip != "" {
			names = append(names, ip)
		}
	} else {
		names = append(names, host)
	}
	return func(h string) bool {
		for _, n := range names {
			if h == n+":"+port {
				return true
			}
		}
		return false
	}
}

// editorHandler serves /admin/ from the built site with the editor's
// Content-Security-Policy, and its config.yml with the local backend on
// this server turned on.
func editorHandler(dest string, hosts func(string) bool, files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", admin.CSP)
		if r.URL.Path != "/"+admin.Dir+"/config.yml" || !hosts(r.Host) {
			files.ServeHTTP(w, r)
			return
		}
		built, err := os.ReadFile(filepath.Join(dest, admin.Dir, "config.yml"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		host, _, _ := net.SplitHostPort(r.Host)
		conf, err := admin.ServeConfig(built, "http://"+r.Host, strings.Trim(host, "[]"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/yaml; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(conf)
	})
}
