package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

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
			site.Version = versionString()
			report, err := site.Build(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if !quiet {
				dest := opts.Dest
				if dest == "" {
					dest = filepath.Join(opts.Source, "public")
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Built %s in %s: %s in %s (%d rendered, %d reused, %d written) in %d ms\n",
					count(report.Pages, "page"), count(report.Sections, "section"), count(report.Files, "file"), dest,
					report.Rendered, report.Reused, report.Written, report.Duration.Milliseconds())
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

// count writes n with its noun: "1 page", "2 pages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
