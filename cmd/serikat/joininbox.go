package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/inbox"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/sitefs"
)

// inboxRun is one run of serikat join inbox.
type inboxRun struct {
	site, db, identity, recipientsFile string
	recipients                         []string
	noBrowser                          bool
}

func newJoinInboxCmd() *cobra.Command {
	var in inboxRun
	cmd := &cobra.Command{
		Use:   "inbox --db URL --identity FILE",
		Short: "Open the signups your key can read in your browser, and follow each one up",
		Long: `Inbox decrypts the signups your identity can read, on this computer, and
serves them to your browser on 127.0.0.1 (a random port, with a random
token in the link it opens): newest first, by federation, with a WhatsApp
message and a call one tap away, the follow-up status (dihubungi, bertemu,
anggota, tidak melanjutkan) and the numbers of what works, by federation,
strategy and channel. Signups still new after 3 days are marked.

Run it on your own computer, never on the server: nothing decrypted is
written to disk or logged, and the page is answered only to this
computer's browser. Several organizers can work at once on one database:
a change made on a page that was out of date is refused and shown.

Notes are sealed to the same keys as the signups: the site-wide keys
([join] recipients or recipientsFile in serikat.toml, or --recipient) and
each federation's own. Without them the page takes no notes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return in.Run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.db, "db", "sqlite:data/join.db", "the database: sqlite:PATH or postgres://…")
	fl.StringVar(&in.identity, "identity", "", "your age identity file")
	fl.StringVarP(&in.site, "source", "s", ".", "the site, for federation names, keys, channels and strategies")
	fl.StringArrayVar(&in.recipients, "recipient", nil, "a site-wide public key to seal notes to (default [join] recipients)")
	fl.StringVar(&in.recipientsFile, "recipients-file", "", "a file of site-wide public keys (default [join] recipientsFile)")
	fl.BoolVar(&in.noBrowser, "no-browser", false, "print the link only; do not open a browser")
	return cmd
}

// Run serves the inbox until ctx ends.
func (in *inboxRun) Run(ctx context.Context, out, warn io.Writer) error {
	if in.identity == "" {
		return fmt.Errorf("give your identity file with --identity")
	}
	opener, err := sealed.ReadIdentities(in.identity)
	if err != nil {
		return err
	}
	cfg, err := config.Load(sitefs.New(in.site))
	if err != nil {
		return err
	}
	feds, own, err := siteFederations(in.site)
	if err != nil {
		return err
	}
	sealerOf, err := in.noteSealers(cfg, feds, own, warn)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, f := range feds {
		names[f.ID] = f.Name
	}
	channels := join.DefaultChannels
	if cfg.Join.Channels != nil {
		channels = cfg.Join.Channels
	}
	store, err := openStore(in.db, "", true)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	token := inbox.NewToken()
	h := inbox.New(inbox.Config{Store: store, Opener: opener, Sealer: sealerOf, Federations: names, Targets: feds,
		Channels: channels, Strategies: cfg.Join.Strategies, Addr: ln.Addr().String(), Token: token})
	link := fmt.Sprintf("http://%s/?t=%s", ln.Addr(), token)
	fmt.Fprintf(out, "Kotak masuk: %s\nHentikan dengan Ctrl-C setelah selesai.\n", link)
	if !in.noBrowser {
		if err := openBrowser(link); err != nil {
			fmt.Fprintf(warn, "Browser tidak bisa dibuka (%v): buka tautan di atas.\n", err)
		}
	}
	return serve(ctx, ln, h)
}

// noteSealers returns the sealer of each federation's notes: its own keys
// and the site-wide ones, as its signups are sealed; nil for a federation
// with neither.
func (in *inboxRun) noteSealers(cfg *config.Config, feds []join.Federation, own map[string][]string, warn io.Writer) (func(string) join.Sealer, error) {
	siteWide := in.recipients
	if siteWide == nil {
		siteWide = cfg.Join.Recipients
	}
	file := in.recipientsFile
	if file == "" && cfg.Join.RecipientsFile != "" {
		file = filepath.Join(in.site, cfg.Join.RecipientsFile)
	}
	siteWide, err := siteWideKeys(siteWide, file)
	if err != nil {
		return nil, err
	}
	all, per, err := sealers(siteWide, feds, own)
	if err != nil {
		fmt.Fprintf(warn, "Catatan tidak bisa disegel, jadi tidak ditampilkan: %v\n", err)
		return func(string) join.Sealer { return nil }, nil
	}
	return func(federation string) join.Sealer {
		if s, ok := per[federation]; ok {
			return s
		}
		return all
	}, nil
}

// openBrowser opens link in the user's browser. On Linux and the BSDs it
// needs a desktop: without one, xdg-open may start a text browser in the
// terminal serikat prints to.
func openBrowser(link string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", link)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", link)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no desktop (DISPLAY is not set)")
		}
		cmd = exec.Command("xdg-open", link)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // the browser may outlive serikat: its exit is not waited for
	return nil
}
