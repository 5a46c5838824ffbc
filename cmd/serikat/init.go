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

[[menus.main]]
name = "Cari"
url = "/cari/"
weight = 3
`

// starterSearch and starterOffline are the search page and the page the
// service worker shows for a page it has not kept, when there is no signal.
const starterSearch = `---
title: "Cari"
description: "Cari materi di modul pelatihan dan kampanye."
layout: cari
---
`

// starterJoin, starterAbout and starterPrivacy are the pages the theme
// links to from every page: the join page, and in the footer what the site
// is and what the join form does with a worker's data (the form's consent
// links to it).
const starterJoin = `---
title: "Gabung"
description: "Daftar menjadi anggota serikat."
url: /gabung/
layout: gabung
---

Isi formulir di bawah. Pengurus akan menghubungi Anda.
`

const starterAbout = `---
title: "Tentang Situs Ini"
description: "Siapa yang membuat situs ini dan untuk siapa."
---

Tuliskan di sini siapa pengelola situs ini, untuk siapa materinya, dan cara
menghubungi pengurus.
`

const starterPrivacy = `---
title: "Kebijakan Privasi Formulir Pendaftaran"
description: "Apa yang disimpan formulir pendaftaran, untuk apa, berapa lama, siapa yang bisa membacanya, dan cara meminta penghapusan."
url: /privasi/
---

Kami menjelaskan di sini bagaimana data pendaftaran Anda diperlakukan, sesuai
UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP).

## Data yang disimpan

Saat Anda mendaftar, formulir menyimpan: **nama**, **nomor ponsel**,
**tempat kerja**, **kota**, **federasi yang dipilih**, **sektor** (bila diisi),
**dari mana Anda mengetahui kampanye** (misalnya poster atau WhatsApp), dan
**persetujuan** Anda beserta waktunya.

## Untuk apa

Hanya untuk satu tujuan: supaya pengurus federasi yang Anda pilih bisa
menghubungi Anda dan memproses keanggotaan Anda. Sumber pendaftaran dihitung
tanpa nama, supaya federasi tahu cara kampanye mana yang berhasil.

## Siapa yang bisa membacanya

Nama, nomor, tempat kerja dan kota **disimpan terenkripsi**. Hanya pengurus
yang memegang kunci federasi yang bisa membukanya. Server yang menerima
formulir sendiri tidak bisa membacanya, dan data ini tidak dicatat di log.
Data tidak dijual dan tidak diberikan kepada pengusaha atau pihak lain.

## Berapa lama

Data disimpan selama Anda menjadi anggota. Pendaftaran yang tidak berlanjut
menjadi keanggotaan dihapus paling lambat **12 bulan** setelah Anda mendaftar.

## Hak Anda

Menurut UU PDP, Anda berhak mengetahui data apa yang kami simpan,
memperbaikinya, dan meminta data Anda **dihapus**. Untuk itu, hubungi pengurus
federasi yang Anda pilih dan sebutkan nomor ponsel yang Anda daftarkan.
Penghapusan dilakukan tanpa perlu alasan.

## Tanpa pelacak

Situs ini tidak memakai iklan, pelacak, atau layanan pihak ketiga. Kami tidak
tahu halaman apa yang Anda baca.
`

const starterOffline = `---
title: "Sedang tidak ada sinyal"
description: "Halaman ini belum tersimpan di ponsel, dan ponsel sedang tidak tersambung."
---

Halaman yang Anda buka belum tersimpan di ponsel ini. Modul yang pernah Anda
buka tetap bisa dibaca tanpa sinyal: buka lagi dari [beranda](/).
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
				"serikat.toml":       starterConfig,
				"content/_index.md":  starterHome,
				"content/cari.md":    starterSearch,
				"content/gabung.md":  starterJoin,
				"content/tentang.md": starterAbout,
				"content/privasi.md": starterPrivacy,
				"content/offline.md": starterOffline,
				".gitignore":         starterGitignore,
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
