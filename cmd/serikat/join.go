package main

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
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
	}
	cmd.AddCommand(newJoinKeygenCmd(), newJoinServeCmd(), newJoinExportCmd(), newJoinDeleteCmd(), newJoinStatsCmd())
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

// openStore opens the store a --db URL names.
func openStore(dbURL, site string) (join.Store, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		path := strings.TrimPrefix(dbURL, "sqlite:")
		if !filepath.IsAbs(path) && site != "" {
			path = filepath.Join(site, path)
		}
		return sqlite.Open(path)
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return postgres.Open(ctx, dbURL)
	}
	return nil, fmt.Errorf("--db %q: want sqlite:PATH or postgres://…", dbURL)
}

// siteFederations reads the federations of a site: those in serikat.toml's
// [[join.federations]], then every campaign page with a federasi id (named
// by namaFederasi, with its target) that the file does not already name.
func siteFederations(site string) ([]join.Federation, error) {
	fsys := sitefs.New(site)
	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var feds []join.Federation
	for _, f := range cfg.Join.Federations {
		if !seen[f.ID] {
			seen[f.ID] = true
			feds = append(feds, join.Federation{ID: f.ID, Name: f.Name, Target: f.Target})
		}
	}
	s, err := content.Load(fsys, content.Options{Now: time.Now()})
	if err != nil {
		return nil, fmt.Errorf("reading the site's campaign pages: %w", err)
	}
	for _, p := range s.Regular {
		id, _ := p.Params["federasi"].(string)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		name, _ := p.Params["namaFederasi"].(string)
		if name == "" {
			name = id
		}
		target, _ := p.Params["target"].(int64)
		feds = append(feds, join.Federation{ID: id, Name: name, Target: int(target)})
	}
	sort.Slice(feds, func(i, j int) bool { return feds[i].ID < feds[j].ID })
	return feds, nil
}

// hmacKey reads the key file, creating it with mode 0600 when missing.
func hmacKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
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
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("%s: want a hex key of at least 16 bytes", path)
	}
	return key, nil
}

type serveFlags struct {
	site, addr, db, recipientsFile, hmacKeyFile string
	recipients, allowOrigins                    []string
	rateLimit                                   int
	trustProxy                                  bool
}

func newJoinServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve POST /api/join, GET /api/stats and GET /healthz",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.fromConfig(cmd.Flags().Changed); err != nil {
				return err
			}
			handler, closeStore, err := f.handler()
			if err != nil {
				return err
			}
			defer closeStore()
			return listenAndServe(cmd.Context(), cmd.OutOrStdout(), f.addr, handler)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.site, "source", "s", ".", "the site, whose campaign pages name the federations")
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8081", "where to listen ([join] addr)")
	fl.StringVar(&f.db, "db", "sqlite:data/join.db", "sqlite:PATH (relative to the site) or postgres://… ([join] db)")
	fl.StringArrayVar(&f.recipients, "recipient", nil, "an organizer's age public key (repeat for each)")
	fl.StringVar(&f.recipientsFile, "recipients-file", "", "a file of age public keys, one per line")
	fl.StringVar(&f.hmacKeyFile, "hmac-key-file", "data/hmac.key", "the phone hash key (created with mode 0600 if missing)")
	fl.IntVar(&f.rateLimit, "rate-limit", 10, "signups per minute per client address; 0 turns it off")
	fl.BoolVar(&f.trustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For / X-Nf-Client-Connection-Ip")
	fl.StringArrayVar(&f.allowOrigins, "allow-origin", nil, "an origin that may post and read statistics (repeatable)")
	return cmd
}

// fromConfig takes every setting whose flag was not given from the [join]
// section of the site's serikat.toml.
func (f *serveFlags) fromConfig(given func(string) bool) error {
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
	if !given("rate-limit") {
		f.rateLimit = j.RateLimit
	}
	if !given("trust-proxy") {
		f.trustProxy = j.TrustProxy
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

func (f *serveFlags) handler() (http.Handler, func(), error) {
	recipients := f.recipients
	if f.recipientsFile != "" {
		more, err := sealed.ReadRecipients(f.recipientsFile)
		if err != nil {
			return nil, nil, err
		}
		recipients = append(recipients, more...)
	}
	sealer, err := sealed.NewSealer(recipients)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (serikat join keygen -o organizer.key makes one)", err)
	}
	keyPath := f.hmacKeyFile
	if !filepath.IsAbs(keyPath) {
		keyPath = filepath.Join(f.site, keyPath)
	}
	key, err := hmacKey(keyPath)
	if err != nil {
		return nil, nil, err
	}
	feds, err := siteFederations(f.site)
	if err != nil {
		return nil, nil, err
	}
	if len(feds) == 0 {
		return nil, nil, fmt.Errorf("%s has no campaign page with a federasi id: there is no federation to join", f.site)
	}
	store, err := openStore(f.db, f.site)
	if err != nil {
		return nil, nil, err
	}
	h := join.NewHandler(join.Config{Store: store, Sealer: sealer, HMACKey: key, Federations: feds,
		RateLimit: f.rateLimit, TrustProxy: f.trustProxy, AllowOrigins: f.allowOrigins,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	return h, func() { store.Close() }, nil
}

// listenAndServe serves until the context ends (Ctrl-C), then shuts down
// cleanly, letting requests in flight finish.
func listenAndServe(ctx context.Context, out io.Writer, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && strings.Contains(err.Error(), "address already in use") {
			return fmt.Errorf("%s is already in use: stop the other server or choose another with --addr 127.0.0.1:PORT", addr)
		}
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10}
	fmt.Fprintf(out, "Serving on http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

func newJoinExportCmd() *cobra.Command {
	var db, identity, format, federation, since string
	cmd := &cobra.Command{
		Use:   "export --db URL --identity FILE",
		Short: "Decrypt and write every signup (CSV or JSON)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format %q: want csv or json", format)
			}
			opener, err := sealed.ReadIdentities(identity)
			if err != nil {
				return err
			}
			filter := join.Filter{Federation: federation}
			if since != "" {
				if filter.Since, err = time.ParseInLocation(time.DateOnly, since, join.WIB); err != nil {
					return fmt.Errorf("--since %q: want a date such as 2025-01-31", since)
				}
			}
			store, err := openStore(db, "")
			if err != nil {
				return err
			}
			defer store.Close()
			type row struct {
				join.Signup
				ConsentVersion string `json:"consent_version"`
				Created        string `json:"created"`
			}
			// everything is decrypted before anything is written: a wrong
			// identity gives an error, never a partial export
			var rows []row
			err = store.Each(cmd.Context(), filter, func(r *join.Record) error {
				plain, err := opener.Open(r.Sealed)
				if err != nil {
					return fmt.Errorf("signup %d: %w", r.ID, err)
				}
				var s join.Signup
				if err := json.Unmarshal(plain, &s); err != nil {
					return fmt.Errorf("signup %d: %w", r.ID, err)
				}
				rows = append(rows, row{s, r.ConsentVersion, r.CreatedAt.Format(time.RFC3339)})
				return nil
			})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if rows == nil {
					rows = []row{}
				}
				return enc.Encode(rows)
			}
			w := csv.NewWriter(out)
			w.Write([]string{"name", "phone", "workplace", "city", "federation", "sector", "source", "consent_version", "created"})
			for _, r := range rows {
				w.Write([]string{r.Name, r.Phone, r.Workplace, r.City, r.Federation, r.Sector, r.Source, r.ConsentVersion, r.Created})
			}
			w.Flush()
			return w.Error()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&identity, "identity", "", "an organizer's age identity file")
	fl.StringVar(&format, "format", "csv", "csv or json")
	fl.StringVar(&federation, "federation", "", "only this federation's signups")
	fl.StringVar(&since, "since", "", "only signups on or after this date (2025-01-31)")
	return cmd
}

func newJoinDeleteCmd() *cobra.Command {
	var db, keyFile, phone string
	cmd := &cobra.Command{
		Use:   "delete --db URL --hmac-key-file FILE --phone NUMBER",
		Short: "Erase every signup of a phone number (UU PDP right to erasure)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e164, msg := join.NormalizePhone(phone)
			if msg != "" {
				return fmt.Errorf("--phone %q: %s", phone, msg)
			}
			if _, err := os.Stat(keyFile); err != nil {
				return fmt.Errorf("--hmac-key-file: %w", err)
			}
			key, err := hmacKey(keyFile)
			if err != nil {
				return err
			}
			store, err := openStore(db, "")
			if err != nil {
				return err
			}
			defer store.Close()
			n, err := store.Delete(cmd.Context(), join.PhoneHash(key, e164))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Deleted %d signup(s).\n", n)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&keyFile, "hmac-key-file", "data/hmac.key", "the endpoint's phone hash key")
	fl.StringVar(&phone, "phone", "", "the phone number, written any common way")
	return cmd
}

func newJoinStatsCmd() *cobra.Command {
	var db, site string
	cmd := &cobra.Command{
		Use:   "stats --db URL",
		Short: "Print the counts: by federation, source and day",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := openStore(db, "")
			if err != nil {
				return err
			}
			defer store.Close()
			c, err := store.Counts(cmd.Context())
			if err != nil {
				return err
			}
			feds, _ := siteFederations(site)
			st := join.StatsOf(c, feds)
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Total: %d\n\nFederation                count  target\n", st.Total)
			listed := map[string]bool{}
			for _, f := range st.Federations {
				listed[f.ID] = true
				fmt.Fprintf(out, "%-24s %6d  %6d\n", f.Name, f.Count, f.Target)
			}
			for id, n := range c.Federations {
				if !listed[id] {
					fmt.Fprintf(out, "%-24s %6d       -\n", id, n)
				}
			}
			fmt.Fprintf(out, "\nSource                    count\n")
			for _, k := range slices.Sorted(maps.Keys(st.Sources)) {
				fmt.Fprintf(out, "%-24s %6d\n", k, st.Sources[k])
			}
			fmt.Fprintf(out, "\nDay                       count\n")
			for _, k := range slices.Sorted(maps.Keys(st.Days)) {
				fmt.Fprintf(out, "%-24s %6d\n", k, st.Days[k])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "sqlite:data/join.db", "the database")
	cmd.Flags().StringVarP(&site, "source", "s", ".", "the site, for federation names and targets")
	return cmd
}
