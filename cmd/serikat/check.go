package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/check"
	"github.com/serikat-id/serikat/internal/gctune"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/site"
)

func newCheckCmd() *cobra.Command {
	var opts check.Options
	var format string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Review the site for problems before publishing it",
		Long: `Check builds the site in memory, writing nothing, and reports every problem
as path:line: message, grouped by file: broken links and anchors, missing
images and alt text, pages over the size budget, modules without objectives
or duration, campaigns without a federation or target, duplicate titles and
headings that skip a level. With --external it also asks other sites whether
the pages linked to still exist.

Warnings (text left to fill in, a join form that the site's host cannot
answer) are shown as "warning:" and do not fail the check. It exits with
status 1 when there is any other problem.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format must be text or json, not %q", format)
			}
			gctune.Start()
			site.Version = versionString()
			if opts.External {
				opts.LinkCache = filepath.Join(opts.Source, ".serikat", "links.json")
			}
			lang := siteLang(opts.Source)
			opts.Lang = lang
			report, err := check.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if report.Problems == nil {
					report.Problems = []check.Problem{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(report); err != nil {
					return err
				}
			} else {
				files := 0
				for i, p := range report.Problems {
					if i == 0 || p.Path != report.Problems[i-1].Path {
						if i > 0 {
							fmt.Fprintln(out)
						}
						files++
					}
					fmt.Fprintln(out, p.In(lang))
				}
				errs, warnings := report.Errors(), len(report.Problems)-report.Errors()
				pages, inFiles := msg.Count(msg.NounPage, report.Pages), msg.Count(msg.NounFile, files)
				var summary msg.Text
				switch {
				case len(report.Problems) == 0:
					summary = msg.New(msg.CheckNone, pages)
				case errs == 0:
					summary = msg.New(msg.CheckNoneWarnings, pages, msg.Count(msg.NounWarning, warnings), inFiles)
				case warnings > 0:
					summary = msg.New(msg.CheckSummaryWarnings, msg.Count(msg.NounProblem, errs), msg.Count(msg.NounWarning, warnings), inFiles)
				default:
					summary = msg.New(msg.CheckSummary, msg.Count(msg.NounProblem, errs), inFiles)
				}
				if len(report.Problems) > 0 {
					fmt.Fprintln(out)
				}
				fmt.Fprintln(out, summary.In(lang))
			}
			if report.Errors() > 0 {
				return errSilent
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", ".", "the site's folder")
	f.StringVar(&format, "format", "text", "text, or json for other programs")
	f.BoolVar(&opts.External, "external", false, "also check links to other sites (needs the internet)")
	return cmd
}
