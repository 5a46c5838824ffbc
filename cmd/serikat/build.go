package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/gctune"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/site"
)

func newBuildCmd() *cobra.Command {
	var opts site.Options
	var quiet, timings bool
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into public/",
		Long: `Build reads content/, layouts/, assets/ and serikat.toml and writes the site.

Every problem is reported as path:line: message, all of them in one run.
When there is any problem nothing is written and the previous site stays.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			gctune.Start()
			site.Version = versionString()
			if !quiet && isTerminal(cmd.ErrOrStderr()) {
				opts.ImageProgress = progressBar(cmd.ErrOrStderr(), "images")
			}
			lang := siteLang(opts.Source)
			report, err := site.Build(cmd.Context(), opts)
			if err != nil {
				return inLang{err, lang}
			}
			printWarnings(cmd.ErrOrStderr(), lang, report.Warnings)
			if !quiet {
				dest := opts.Dest
				if dest == "" {
					dest = filepath.Join(opts.Source, "public")
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg.New(msg.Built, msg.Count(msg.NounPage, report.Pages), msg.Count(msg.NounSection, report.Sections),
					msg.Count(msg.NounFile, report.Files), dest, report.Rendered, report.Reused, report.Written, report.Duration.Milliseconds()).In(lang))
				if n := report.ImagesProcessed + report.ImagesCached; n > 0 {
					fmt.Fprintln(cmd.OutOrStdout(), msg.New(msg.ImagesDone, msg.Count(msg.NounImage, n), report.ImagesProcessed, report.ImagesCached).In(lang))
				}
			}
			if timings {
				for _, p := range report.Phases {
					fmt.Fprintf(cmd.OutOrStdout(), "  %-26s %6d ms\n", p.Name, p.Duration.Milliseconds())
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	opts.Extra = editor
	f.StringVarP(&opts.Source, "source", "s", ".", "the site's folder")
	f.StringVarP(&opts.Dest, "destination", "d", "", "where to write the site (default <source>/public)")
	f.BoolVar(&opts.Drafts, "drafts", false, "include pages marked draft")
	f.BoolVar(&opts.Future, "future", false, "include pages dated in the future")
	f.StringVar(&opts.BaseURL, "base-url", "", "the site's address, overriding baseURL in serikat.toml")
	f.BoolVar(&opts.NoMinify, "no-minify", false, "do not minify HTML, CSS, JS, SVG, JSON and XML")
	f.BoolVar(&quiet, "quiet", false, "print nothing but problems")
	f.BoolVar(&timings, "timings", false, "print how long each step of the build took")
	return cmd
}

// printWarnings prints problems that did not stop the build.
func printWarnings(w io.Writer, lang msg.Lang, warnings []error) {
	for _, err := range warnings {
		fmt.Fprintf(w, "%s: %s\n", msg.Word(msg.Warning, lang), diag.In(err, lang))
	}
}

// siteLang is the language of messages about the site in dir (see
// msg.Choose): that of its serikat.toml, whose default is Indonesian.
func siteLang(dir string) msg.Lang {
	code := "id"
	if cfg, err := config.Load(os.DirFS(dir)); err == nil {
		code = cfg.LanguageCode
	}
	return msg.Choose(code, os.Getenv)
}

// inLang is an error about a site, with the language to print it in.
type inLang struct {
	err  error
	lang msg.Lang
}

func (e inLang) Error() string { return e.err.Error() }
func (e inLang) Unwrap() error { return e.err }

// isTerminal reports whether w is a terminal, where a progress bar can
// redraw itself.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progressBar returns a function that draws "images [=====     ] 12/40" on
// one line of w, and ends the line when done reaches total.
func progressBar(w io.Writer, label string) func(done, total int) {
	return func(done, total int) {
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d", label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
