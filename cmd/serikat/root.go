package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
)

// version is set by the release build (-ldflags "-X main.version=v1.2.3").
var version = ""

// Execute runs the serikat command line with args and reports errors on
// standard error, one problem per line.
func Execute(args []string) error {
	return execute(context.Background(), args, os.Stdout, os.Stderr)
}

func execute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// SIGTERM is what systemd and container runtimes send to stop a service
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		// a double-click: serve the site here and open its editor
		l := newLauncher(os.Stdin, stdout, stderr)
		err := l.Run(ctx)
		if err != nil {
			report(stderr, err)
			l.holdWindow()
		}
		return err
	}
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	report(stderr, err)
	return err
}

// report prints err, unless it is nil or errSilent.
func report(stderr io.Writer, err error) {
	if err != nil && !errors.Is(err, errSilent) {
		printError(stderr, err)
	}
}

// errSilent fails a command that has already said why, such as check
// listing the problems it found.
var errSilent = errors.New("problems found")

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "serikat",
		Short: "Serikat builds a union's training and campaign site from Markdown",
		Long: `Serikat turns Markdown training modules and campaign pages into a fast
static site for workers who read on their phones.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	// Hidden, as in Hugo: for whoever measures where a build spends its time.
	var cpuProfile, memProfile string
	var profile *os.File
	root.PersistentFlags().StringVar(&cpuProfile, "profile-cpu", "", "write a CPU profile to this file")
	root.PersistentFlags().StringVar(&memProfile, "profile-mem", "", "write a memory allocation profile to this file")
	_ = root.PersistentFlags().MarkHidden("profile-cpu")
	_ = root.PersistentFlags().MarkHidden("profile-mem")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		profile = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRunE = func(*cobra.Command, []string) error {
		if memProfile != "" {
			f, err := os.Create(memProfile)
			if err != nil {
				return err
			}
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		if profile == nil {
			return nil
		}
		pprof.StopCPUProfile()
		return profile.Close()
	}
	root.AddCommand(newBuildCmd(), newCheckCmd(), newServeCmd(), newInitCmd(), newNewCmd(), newJoinCmd(), newVersionCmd())
	return root
}

// printError prints each problem on its own line, as path:line: message,
// in the language of the site it is about (inLang), else in English.
func printError(w io.Writer, err error) {
	lang := msg.English
	if l, ok := err.(inLang); ok {
		err, lang = l.err, l.lang
	}
	problems := diag.Flatten(err)
	for _, p := range problems {
		fmt.Fprintln(w, diag.In(p, lang))
	}
	var de *diag.Error
	if len(problems) > 1 || errors.As(err, &de) {
		fmt.Fprintln(w, msg.New(msg.ProblemsFound, msg.Count(msg.NounProblem, len(problems))).In(lang))
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Serikat's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "serikat %s\n", versionString())
			return nil
		},
	}
}
