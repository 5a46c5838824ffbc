package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/campaign"
	"github.com/serikat-id/serikat/internal/clientip"
	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/postgres"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/sitefs"
)

func newJoinCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "join",
		Short: "Run and manage the join endpoint that campaign forms post to",
		// member data: every file a join command makes is the owner's alone
		PersistentPreRun: func(*cobra.Command, []string) { privateFiles() },
	}
	cmd.AddCommand(newJoinKeygenCmd(), newJoinServeCmd(), newJoinExportCmd(), newJoinDeleteCmd(), newJoinStatsCmd(), newJoinInboxCmd())
	return cmd
}

func newJoinKeygenCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "keygen -o FILE",
		Short: "Write an organizer's age identity file and print its public key",
		Long: `Keygen writes an age X25519 identity (the format age-keygen writes) with
mode 0600. Keep it off the server: the endpoint needs only the public key,
given with --recipient, to seal signups that only this file can open.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("give the file to write with -o")
			}
			pub, err := sealed.GenerateIdentity(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Public key: %s\n", pub)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the identity file to write (never overwritten)")
	return cmd
}

// openStore opens the store a --db URL names. Only the endpoint creates a
// database; every other command opens an existing one (existing), so that
// a mistyped path is an error rather than an empty export.
func openStore(dbURL, site string, existing bool) (join.Store, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if !filepath.IsAbs(path) && site != "" {
			path = filepath.Join(site, path)
		}
		if existing {
			return sqlite.OpenExisting(path)
		}
		return sqlite.Open(path)
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if existing {
			return postgres.OpenExisting(ctx, dbURL)
		}
		return postgres.Open(ctx, dbURL)
	}
	return nil, fmt.Errorf("--db %q: want sqlite:PATH or postgres://…", dbURL)
}

// siteFederations reads the federations of a site: those in serikat.toml's
// [[join.federations]], then every campaign page with a federasi id (named
// by namaFederasi, with its target) that the file does not already name;
// a federation's deadline is its campaign page's tenggat.
// recipients are the federations' own keys, from serikat.toml.
func siteFederations(site string) (feds []join.Federation, recipients map[string][]string, err error) {
	fsys := sitefs.New(site)
	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	s, err := content.Load(fsys, content.Options{Now: time.Now()})
	if err != nil {
		return nil, nil, fmt.Errorf("reading the site's campaign pages: %w", err)
	}
	return federationsOf(cfg, s)
}

// federationsOf is siteFederations of a site already read.
func federationsOf(cfg *config.Config, s *content.Site) (feds []join.Federation, recipients map[string][]string, err error) {
	seen := map[string]bool{}
	recipients = map[string][]string{}
	for _, f := range cfg.Join.Federations {
		if !seen[f.ID] {
			seen[f.ID] = true
			feds = append(feds, join.Federation{ID: f.ID, Name: f.Name, Target: f.Target, Private: f.PublicCount != nil && !*f.PublicCount,
				CountMembers: f.Progress == config.ProgressMembers})
			if len(f.Recipients) > 0 {
				recipients[f.ID] = f.Recipients
			}
		}
	}
	var problems diag.List
	for _, p := range s.Regular {
		if !campaign.IsCampaign(p) {
			continue
		}
		c, err := campaign.Decode(p)
		problems.Add(err)
		id := c.Federation
		deadline := ""
		if !c.Deadline.IsZero() {
			deadline = c.Deadline.Format(time.DateOnly)
		}
		if i := slices.IndexFunc(feds, func(f join.Federation) bool { return f.ID == id }); i >= 0 {
			// named in serikat.toml, which has no deadline: the page's
			if feds[i].Deadline == "" {
				feds[i].Deadline = deadline
			}
			continue
		}
		if id == "" {
			continue
		}
		seen[id] = true
		name := c.FederationName
		if name == "" {
			name = id
		}
		feds = append(feds, join.Federation{ID: id, Name: name, Target: c.Target, Deadline: deadline})
	}
	if err := problems.Err(); err != nil {
		return nil, nil, err
	}
	sort.Slice(feds, func(i, j int) bool { return feds[i].ID < feds[j].ID })
	return feds, recipients, nil
}

// hmacKey reads the key file, creating it with mode 0600 when create is
// set and it is missing.
func hmacKey(path string, create bool) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		key := make([]byte, 32)
		rand.Read(key)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, err
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the phone hash key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("%s: want a hex key of at least 16 bytes", path)
	}
	return key, nil
}

// defaultHMACKeyFile is where the phone hash key lives when neither a flag
// nor serikat.toml names it: never beside the database, so that a copy of
// the data folder does not carry the key that makes its hashes testable.
// Under systemd with LoadCredential=hmac.key:…, the credential; else the
// user's configuration folder. A key left at the old default (data/hmac.key
// in the site) is still used, with a warning, so that repeated signups and
// erasure keep working.
func defaultHMACKeyFile(site string, warn io.Writer) string {
	if dir := os.Getenv("CREDENTIALS_DIRECTORY"); dir != "" {
		if p := filepath.Join(dir, "hmac.key"); fileExists(p) {
			return p
		}
	}
	if old := filepath.Join(site, "data", "hmac.key"); fileExists(old) {
		fmt.Fprintf(warn, "warning: %s sits beside the database; move it out of the data folder and name it with --hmac-key-file or [join] hmacKeyFile\n", old)
		return old
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "" // no home: the key must be named, never put in the site
	}
	return filepath.Join(dir, "serikat", "hmac.key")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

type serveFlags struct {
	site, addr, db, recipientsFile, hmacKeyFile, netlifySecretFile string
	thanks                                                         string
	recipients, allowOrigins, trustedProxies                       []string
	rateLimit, dedupDays                                           int
	trustProxy                                                     bool
}

func newJoinServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve POST /api/join, GET /api/stats and GET /healthz",
		Long: `Serve runs the join endpoint until it gets SIGINT or SIGTERM, then lets the
signups in flight finish, checkpoints the database and exits 0.

Behind a proxy, name the proxy's addresses with --trusted-proxy so that rate
limits see the worker's address (X-Forwarded-For is believed from those
only); behind Netlify, whose proxy has no fixed address, sign the /api/*
redirect and give the secret with --netlify-signing-secret-file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.trustProxy {
				return errors.New("--trust-proxy believed any client's X-Forwarded-For; name the proxies instead: --trusted-proxy CIDR (repeatable), or behind Netlify --netlify-signing-secret-file FILE")
			}
			if err := f.fromConfig(cmd.Flags().Changed, cmd.ErrOrStderr()); err != nil {
				return err
			}
			srv, err := f.server(cmd.OutOrStdout(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return srv.Run(cmd.Context())
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.site, "source", "s", ".", "the site, whose campaign pages name the federations")
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8081", "where to listen ([join] addr)")
	fl.StringVar(&f.db, "db", "sqlite:data/join.db", "sqlite:PATH (relative to the site) or postgres://… ([join] db)")
	fl.StringArrayVar(&f.recipients, "recipient", nil, "an organizer's age public key, for every federation (repeat for each)")
	fl.StringVar(&f.recipientsFile, "recipients-file", "", "a file of age public keys, one per line")
	fl.StringVar(&f.hmacKeyFile, "hmac-key-file", "", "the phone hash key, kept away from the database (default: $CREDENTIALS_DIRECTORY/hmac.key, else ~/.config/serikat/hmac.key; created with mode 0600 if missing)")
	fl.IntVar(&f.rateLimit, "rate-limit", 10, "signups per minute per client address; 0 turns it off")
	fl.StringArrayVar(&f.trustedProxies, "trusted-proxy", nil, "a proxy's address or CIDR whose X-Forwarded-For is believed (repeatable)")
	fl.StringVar(&f.netlifySecretFile, "netlify-signing-secret-file", "", "the secret of Netlify's signed /api/* redirect; X-Nf-Client-Connection-Ip is believed only with a valid X-Nf-Sign")
	fl.BoolVar(&f.trustProxy, "trust-proxy", false, "removed: use --trusted-proxy or --netlify-signing-secret-file")
	_ = fl.MarkHidden("trust-proxy")
	fl.StringArrayVar(&f.allowOrigins, "allow-origin", nil, "an origin that may post and read statistics (repeatable)")
	fl.IntVar(&f.dedupDays, "dedup-days", 90, "days a phone hash is kept to link repeated signups; older ones are erased ([join] dedupDays)")
	return cmd
}

// fromConfig takes every setting whose flag was not given from the [join]
// section of the site's serikat.toml.
func (f *serveFlags) fromConfig(given func(string) bool, warn io.Writer) error {
	cfg, err := config.Load(sitefs.New(f.site))
	if err != nil {
		return err
	}
	j := cfg.Join
	if !given("addr") {
		f.addr = j.Addr
	}
	if !given("db") {
		f.db = j.DB
	}
	if !given("recipient") {
		f.recipients = j.Recipients
	}
	if !given("recipients-file") && j.RecipientsFile != "" {
		f.recipientsFile = filepath.Join(f.site, j.RecipientsFile)
	}
	if !given("hmac-key-file") {
		f.hmacKeyFile = j.HMACKeyFile
	}
	if f.hmacKeyFile == "" {
		if f.hmacKeyFile = defaultHMACKeyFile(f.site, warn); f.hmacKeyFile == "" {
			return errors.New("there is no user folder for the phone hash key (no $HOME): name one outside the site with --hmac-key-file")
		}
	} else if !filepath.IsAbs(f.hmacKeyFile) {
		f.hmacKeyFile = filepath.Join(f.site, f.hmacKeyFile)
	}
	if !given("rate-limit") {
		f.rateLimit = j.RateLimit
	}
	if !given("trusted-proxy") {
		f.trustedProxies = j.TrustedProxies
	}
	if !given("netlify-signing-secret-file") && j.NetlifySigningSecretFile != "" {
		f.netlifySecretFile = filepath.Join(f.site, j.NetlifySigningSecretFile)
	}
	if !given("dedup-days") {
		f.dedupDays = j.DedupDays
	}
	// the thank-you page, under the site's base path (/serikat/gabung/…)
	f.thanks = j.Thanks
	if u, err := url.Parse(cfg.BaseURL); err == nil && strings.Trim(u.Path, "/") != "" {
		f.thanks = "/" + strings.Trim(u.Path, "/") + j.Thanks
	}
	if !given("allow-origin") {
		f.allowOrigins = j.AllowOrigins
	}
	// the site itself may always post, also from browsers that do not send
	// Fetch metadata (see join.Handler)
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		if origin := u.Scheme + "://" + u.Host; !slices.Contains(f.allowOrigins, origin) {
			f.allowOrigins = append(f.allowOrigins, origin)
		}
	}
	return nil
}

// sealers are the site-wide sealer and, for each federation with keys of
// its own, one that seals to those and the site-wide keys together. Every
// federation must be readable by someone.
func sealers(siteWide []string, feds []join.Federation, own map[string][]string) (join.Sealer, map[string]join.Sealer, error) {
	var all join.Sealer
	if len(siteWide) > 0 {
		s, err := sealed.NewSealer(siteWide)
		if err != nil {
			return nil, nil, err
		}
		all = s
	}
	per := map[string]join.Sealer{}
	for _, f := range feds {
		keys, ok := own[f.ID]
		if !ok {
			if all == nil {
				return nil, nil, fmt.Errorf("no organizer can read %s's signups: give site-wide keys with --recipient, or the federation's own with recipients in its [[join.federations]] (serikat join keygen -o organizer.key makes one)", f.ID)
			}
			continue
		}
		s, err := sealed.NewSealer(append(slices.Clone(keys), siteWide...))
		if err != nil {
			return nil, nil, fmt.Errorf("join.federations %s: %w", f.ID, err)
		}
		per[f.ID] = s
	}
	return all, per, nil
}

// warnIfShared warns when others than the owner may read or enter path.
func warnIfShared(warn io.Writer, path, what string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		fmt.Fprintf(warn, "warning: %s (%s) is open to other users (mode %o): chmod go-rwx %s\n", what, path, fi.Mode().Perm(), path)
	}
}

// siteWideKeys are the keys given one by one and those in file (none when
// file is ""): who reads every federation's signups.
func siteWideKeys(keys []string, file string) ([]string, error) {
	if file == "" {
		return keys, nil
	}
	more, err := sealed.ReadRecipients(file)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(keys), more...), nil
}

func (f *serveFlags) server(out, warn io.Writer) (*joinServer, error) {
	recipients, err := siteWideKeys(f.recipients, f.recipientsFile)
	if err != nil {
		return nil, err
	}
	feds, own, err := siteFederations(f.site)
	if err != nil {
		return nil, err
	}
	if len(feds) == 0 {
		return nil, fmt.Errorf("%s has no campaign page with a federasi id: there is no federation to join", f.site)
	}
	siteWide, perFederation, err := sealers(recipients, feds, own)
	if err != nil {
		return nil, err
	}
	key, err := hmacKey(f.hmacKeyFile, true)
	if err != nil {
		return nil, err
	}
	warnIfShared(warn, f.hmacKeyFile, "the phone hash key")
	if path, ok := strings.CutPrefix(f.db, "sqlite:"); ok {
		if !filepath.IsAbs(path) {
			path = filepath.Join(f.site, path)
		}
		warnIfShared(warn, filepath.Dir(path), "the database's folder")
	}
	proxies, err := clientip.ParsePrefixes(f.trustedProxies)
	if err != nil {
		return nil, fmt.Errorf("--trusted-proxy: %w", err)
	}
	var secret []byte
	if f.netlifySecretFile != "" {
		data, err := os.ReadFile(f.netlifySecretFile)
		if err != nil {
			return nil, fmt.Errorf("--netlify-signing-secret-file: %w", err)
		}
		if secret = bytes.TrimSpace(data); len(secret) < 16 {
			return nil, fmt.Errorf("%s: the signing secret is shorter than 16 bytes", f.netlifySecretFile)
		}
	}
	resolver := clientip.New(clientip.Options{TrustedProxies: proxies, NetlifySecret: secret})
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var ignoredOnce sync.Once
	clientKey := func(r *http.Request) string {
		addr := resolver.Addr(r)
		if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Nf-Client-Connection-Ip") != "" {
			if peer, err := netip.ParseAddrPort(r.RemoteAddr); err == nil && peer.Addr().Unmap() == addr {
				// a misconfigured proxy makes everyone one client; say so once
				ignoredOnce.Do(func() {
					logger.Warn("forwarded client addresses are ignored: name your proxy with --trusted-proxy, or behind Netlify check --netlify-signing-secret-file")
				})
			}
		}
		return clientip.Key(addr)
	}
	store, err := openStore(f.db, f.site, false)
	if err != nil {
		return nil, err
	}
	h := join.NewHandler(join.Config{Store: store, Sealer: siteWide, FederationSealers: perFederation, HMACKey: key,
		Federations: feds, ThankYou: f.thanks, RateLimit: f.rateLimit, AllowOrigins: f.allowOrigins, DedupDays: f.dedupDays,
		ClientKey: clientKey, Logger: logger})
	return &joinServer{addr: f.addr, handler: h, store: store, out: out}, nil
}

// joinServer is the running endpoint: its HTTP server, its upkeep and its
// store, started and stopped together.
type joinServer struct {
	addr    string
	handler *join.Handler
	store   join.Store
	out     io.Writer
}

// Run serves until ctx ends (SIGINT, SIGTERM), then stops taking
// connections, lets the signups in flight finish, stops the upkeep and
// closes the store, which answers everything queued and checkpoints.
func (s *joinServer) Run(ctx context.Context) error {
	upkeep, stopUpkeep := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.handler.Run(upkeep) }()
	err := listenAndServe(ctx, s.out, s.addr, s.handler)
	stopUpkeep()
	<-done
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// listenAndServe serves until the context ends (Ctrl-C), then shuts down
// cleanly, letting requests in flight finish. onShutdown runs when the
// shutdown starts: it ends requests that would never end by themselves
// (a preview's event streams).
func listenAndServe(ctx context.Context, out io.Writer, addr string, h http.Handler, onShutdown ...func()) error {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is already in use: stop the other server or choose another with --addr 127.0.0.1:PORT", addr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Serving on http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	return serve(ctx, ln, h, onShutdown...)
}

// serve serves on ln as listenAndServe does.
func serve(ctx context.Context, ln net.Listener, h http.Handler, onShutdown ...func()) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10}
	for _, f := range onShutdown {
		srv.RegisterOnShutdown(f)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}
