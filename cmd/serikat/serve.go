package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/site"
)

func newServeCmd() *cobra.Command {
	var opts site.Options
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Build the site and serve it, with the join endpoint, for previewing",
		Long: `Serve builds the site into a private temporary folder (public/ is not
touched) and serves it with the join endpoint at /api/join and /api/stats,
on a development database and key in .serikat/dev/ inside the site, so the
join form works end to end. Not for production: see "serikat join serve".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			site.Version = versionString()
			tmp, err := os.MkdirTemp("", "serikat-serve-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(tmp)
			opts.Dest = filepath.Join(tmp, "public")
			report, err := site.Build(cmd.Context(), opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Built %s in %d ms\n", count(report.Pages, "page"), report.Duration.Milliseconds())
			api, closeStore, err := devJoin(opts.Source)
			if err != nil {
				return err
			}
			defer closeStore()
			mux := http.NewServeMux()
			mux.Handle("/api/", api)
			mux.Handle("/healthz", api)
			mux.Handle("/", staticSite(opts.Dest))
			if host, port, err := net.SplitHostPort(addr); err == nil && (host == "0.0.0.0" || host == "") {
				if ip := lanAddress(); ip != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "On a phone on the same network: http://%s:%s/\n", ip, port)
				}
			}
			return listenAndServe(cmd.Context(), cmd.OutOrStdout(), addr, mux)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Source, "source", "s", ".", "the site's folder")
	fl.StringVar(&addr, "addr", "127.0.0.1:1313", "where to listen; 0.0.0.0:1313 to open it on a phone")
	fl.BoolVar(&opts.Drafts, "drafts", false, "include pages marked draft")
	fl.BoolVar(&opts.Future, "future", false, "include pages dated in the future")
	return cmd
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
	pub, err := publicKeyOf(idFile)
	if err != nil {
		return nil, nil, err
	}
	sealer, err := sealed.NewSealer([]string{pub})
	if err != nil {
		return nil, nil, err
	}
	key, err := hmacKey(filepath.Join(dir, "hmac.key"))
	if err != nil {
		return nil, nil, err
	}
	feds, err := siteFederations(siteDir)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlite.Open(filepath.Join(dir, "join.db"))
	if err != nil {
		return nil, nil, err
	}
	h := join.NewHandler(join.Config{Store: store, Sealer: sealer, HMACKey: key, Federations: feds,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	return h, func() { store.Close() }, nil
}

// publicKeyOf reads the "# public key:" line of an identity file.
func publicKeyOf(idFile string) (string, error) {
	data, err := os.ReadFile(idFile)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, ok := strings.CutPrefix(line, "# public key: "); ok {
			return strings.TrimSpace(k), nil
		}
	}
	return "", fmt.Errorf("%s has no \"# public key:\" line", idFile)
}

// staticSite serves a built site, with its 404.html for missing pages.
func staticSite(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if info, err := os.Stat(p); err != nil || info.IsDir() && fileMissing(filepath.Join(p, "index.html")) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if data, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
				w.Write(data)
			}
			return
		}
		files.ServeHTTP(w, r)
	})
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return err != nil
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
