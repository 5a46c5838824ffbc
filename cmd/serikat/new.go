package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/archetype"
)

func newNewCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   `new module|campaign|news "Judul"`,
		Short: "Create a page with the front matter its kind needs",
		Example: `  serikat new module "Strategi Rekrutmen dari Bawah"
  serikat new campaign "Bergabung dengan F HUKATAN"
  serikat new news "Pelatihan Organizer di Lampung"`,
		Args:      cobra.ExactArgs(2),
		ValidArgs: archetype.Kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			title := strings.TrimSpace(args[1])
			if title == "" {
				return fmt.Errorf("the title is empty")
			}
			rel, err := archetype.Create(source, args[0], title, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), rel)
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "the site's folder")
	return cmd
}
