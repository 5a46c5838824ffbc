package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/assets"
	"github.com/serikat-id/serikat/internal/archetype"
	"github.com/serikat-id/serikat/layouts"
)

const starterConfig = `# Pengaturan situs. Lihat README Serikat untuk semua kunci.
title = "Serikat Buruh"
baseURL = "/"
languageCode = "id"

[params]
deskripsi = "Materi pelatihan dan kampanye keanggotaan serikat buruh."

[[menus.main]]
name = "Modul"
url = "/modul/"
weight = 1

[[menus.main]]
name = "Kampanye"
url = "/kampanye/"
weight = 2
`

const starterHome = `---
title: "Serikat Buruh"
description: "Materi pelatihan dan kampanye keanggotaan."
---

Selamat datang. Pelajari modul pelatihan, lalu ajak rekan kerja bergabung.
`

const starterGitignore = "/public/\n/.serikat/\n"

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Start a new site from the built-in theme",
		Long: `Init creates DIR with the default layouts and assets, a serikat.toml,
a home page, a sample module and a sample campaign page. DIR must not exist
or must be empty.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
				return fmt.Errorf("%s is not empty: choose a new folder", dir)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := copyTheme(dir, "layouts", layouts.FS); err != nil {
				return err
			}
			if err := copyTheme(dir, "assets", assets.FS); err != nil {
				return err
			}
			for name, text := range map[string]string{
				"serikat.toml":      starterConfig,
				"content/_index.md": starterHome,
				".gitignore":        starterGitignore,
			} {
				if err := writeFile(filepath.Join(dir, name), text); err != nil {
					return err
				}
			}
			now := time.Now()
			for _, p := range [][2]string{{"module", "Dasar-dasar Berserikat"}, {"campaign", "Ayo Bergabung"}} {
				if _, err := archetype.Create(dir, p[0], p[1], now); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created a new site in %s.\nNext: serikat build -s %s\n", dir, dir)
			return nil
		},
	}
}

func writeFile(name, text string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(text), 0o644)
}

// copyTheme copies an embedded theme folder, leaving out the Go file that
// embeds it.
func copyTheme(dir, sub string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == ".go" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, sub, filepath.FromSlash(p)), string(data))
	})
}
