package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/assets"
	"github.com/serikat-id/serikat/internal/archetype"
	"github.com/serikat-id/serikat/layouts"
)

const starterConfig = `# Pengaturan situs. Lihat README Serikat untuk semua kunci.
title = "Serikat Buruh"            # ganti dengan nama serikat Anda
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

# Formulir pendaftaran. Dengan backend = "endpoint", formulir mengirim ke
# serikat join serve, yang menyimpan pendaftaran terenkripsi (lihat README,
# "Publishing your site"). Tanpa server, tulis backend = "netlify": Netlify
# Forms yang menyimpan pendaftaran, tanpa enkripsi, jadi sesuaikan juga
# content/privasi.md.
[join]
backend = "endpoint"
endpoint = "/api/join"
thanks = "/gabung/terima-kasih/"   # halaman sesudah mendaftar: content/terima-kasih.md
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
description: "Siapa yang mengelola situs ini dan cara menghubungi pengurus."
---

Situs ini dikelola oleh [ISI: nama serikat atau federasi]. Isinya bahan
pelatihan untuk pengurus dan anggota, dan halaman kampanye untuk mengajak
rekan kerja bergabung.

## Menghubungi pengurus

[ISI: alamat sekretariat, nomor telepon atau WhatsApp pengurus, dan kapan
bisa dihubungi]
`

// starterThanks is the page the join form leads to after a signup ([join]
// thanks); starterModules and starterCampaigns are the section pages the
// home page lists modules and campaigns from.
const starterThanks = `---
title: "Terima Kasih, Pendaftaran Anda Sudah Kami Terima"
description: "Pengurus serikat akan menghubungi Anda."
url: /gabung/terima-kasih/
---

Pendaftaran Anda sudah kami terima. Pengurus akan menghubungi Anda lewat
nomor ponsel yang Anda tuliskan.

Sambil menunggu, Anda bisa membaca [modul pelatihan](modul/_index.md), atau
mengajak rekan kerja yang Anda percaya untuk ikut mendaftar.

Ingin data Anda diperbaiki atau dihapus? Baca [kebijakan privasi](privasi.md).
`

const starterModules = `---
title: "Modul Pelatihan"
description: "Bahan pelatihan untuk pengurus dan anggota serikat."
---

Setiap modul menuliskan tujuannya, lama pelaksanaannya, dan bahan yang perlu
disiapkan. Modul bisa dibaca di ponsel, disimpan untuk dibaca tanpa sinyal,
dan dicetak sebagai bahan ajar.
`

const starterCampaigns = `---
title: "Kampanye Keanggotaan"
description: "Ajakan bergabung dengan serikat."
---

Pilih kampanye yang sesuai dengan tempat kerja Anda, lalu isi formulir
pendaftarannya. Bagikan halamannya kepada rekan kerja, atau cetak posternya.
`

const starterPrivacy = `---
title: "Kebijakan Privasi Formulir Pendaftaran"
description: "Siapa yang menyimpan data pendaftaran Anda, untuk apa, berapa lama, siapa yang bisa membacanya, dan cara meminta penghapusan."
url: /privasi/
---

## Ringkasnya

- Data pendaftaran Anda hanya dipakai supaya pengurus bisa menghubungi Anda.
- Data itu dikunci (dienkripsi). Hanya pengurus yang memegang kuncinya yang
  bisa membukanya. Perusahaan tidak diberi tahu.
- Halaman kampanye hanya menunjukkan jumlah pendaftaran, tanpa nama.
- Anda boleh minta data Anda dihapus kapan saja, tanpa alasan.
- Dalam perjalanan, formulir melewati penyedia hosting situs ini. Servernya
  bisa berada di luar Indonesia.

Kami menjelaskan di sini bagaimana data pendaftaran Anda diperlakukan, sesuai
UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP).

## Siapa yang bertanggung jawab

Pengendali data pribadi Anda menurut UU PDP: **federasi yang Anda pilih** di
formulir, bersama [ISI: konfederasi, bila pengurusnya juga memegang kunci
untuk membuka data pendaftaran; nama dan alamatnya].

Server pendaftaran dijalankan oleh [ISI: nama dan alamat yang menjalankan
server pendaftaran], atas nama mereka, sebagai prosesor data pribadi.
Formulir sampai di server itu dalam keadaan terbuka, lalu langsung dikunci
sebelum disimpan.

Kontak untuk urusan data pribadi: [ISI: surel atau nomor WhatsApp, dan nama
jabatan yang menanganinya].

## Data yang disimpan

Saat Anda mendaftar, formulir menyimpan: **nama**, **nomor ponsel**,
**tempat kerja**, **kota**, **federasi yang dipilih**, **sektor** (bila diisi),
**penanda asal** dari tautan yang Anda buka (misalnya poster atau WhatsApp),
dan **persetujuan** Anda beserta tanggalnya. Jam pendaftaran tidak disimpan.

## Untuk apa

Hanya untuk satu tujuan: supaya pengurus federasi yang Anda pilih bisa
menghubungi Anda dan memproses keanggotaan Anda. Bagian dari tujuan itu:
pengurus yang memegang kunci menghitung dari mana para pendaftar mengetahui
kampanye. Hitungan itu hanya berupa jumlah, tanpa nama. Data tidak dijual dan
tidak diberikan kepada pengusaha atau pihak lain.

Dasarnya adalah persetujuan Anda di formulir. Persetujuan itu juga mencakup
pengiriman data lewat server di luar Indonesia. Bila Anda belum berumur 18
tahun, orang tua atau wali Anda harus ikut menyetujui.

## Siapa yang bisa membacanya

Nama, nomor, tempat kerja, kota, sektor dan penanda asal **dikunci
(dienkripsi)** begitu sampai di server pendaftaran. Hanya pengurus yang
memegang kuncinya yang bisa membukanya. Kunci itu tidak disimpan di server.
Server tidak mencatat data Anda dalam catatan kegiatannya. Untuk menghapus
pendaftaran bila Anda minta, server menyimpan juga kode acak yang dibuat dari
nomor ponsel Anda; kode itu dihapus setelah 90 hari. Formulir tidak pernah
memberi tahu apakah suatu nomor sudah terdaftar.

## Berapa lama

Data disimpan selama Anda menjadi anggota. Pendaftaran yang tidak berlanjut
menjadi keanggotaan dihapus paling lambat **12 bulan** setelah Anda mendaftar.

## Hak Anda

Menurut UU PDP, Anda berhak mengetahui data apa yang kami simpan,
memperbaikinya, menarik persetujuan, dan meminta data Anda **dihapus**. Untuk
itu, hubungi pengurus federasi yang Anda pilih dan sebutkan nomor ponsel yang
Anda daftarkan. Penghapusan dilakukan tanpa perlu alasan.

## Penyedia hosting dan pengiriman ke luar negeri

Situs ini tidak memakai iklan atau pelacak. Halamannya disimpan dan dikirim
oleh penyedia hosting, [ISI: nama penyedia hosting dan negaranya], yang juga
meneruskan formulir ke server pendaftaran. Sambungan terkunci (HTTPS) dari
ponsel Anda berakhir di penyedia itu, jadi selama formulir lewat, penyedia itu
secara teknis bisa membaca isinya. Servernya bisa berada di luar Indonesia
(UU PDP Pasal 56). Seperti semua penyedia hosting, ia melihat alamat internet
ponsel Anda dan halaman yang diminta.
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

// starterGitignore keeps out of Git what a build makes, the build cache,
// and the signups with the key of their phone hashes that serikat join
// serve writes into data/.
const starterGitignore = "/public/\n/.serikat/\n/data/\n"

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Start a new site from the built-in theme",
		Long: `Init creates DIR with the default layouts and assets, a serikat.toml,
a home page, a sample module and a sample campaign page, every page the
theme leads to (join, thank-you, about, privacy, search, offline, the
module and campaign lists), a .gitignore, and a netlify.toml that builds
the site on Netlify with this version of Serikat. DIR must not exist or
must be empty.`,
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
				"serikat.toml":               starterConfig,
				"content/_index.md":          starterHome,
				"content/cari.md":            starterSearch,
				"content/gabung.md":          starterJoin,
				"content/tentang.md":         starterAbout,
				"content/privasi.md":         starterPrivacy,
				"content/offline.md":         starterOffline,
				"content/terima-kasih.md":    starterThanks,
				"content/modul/_index.md":    starterModules,
				"content/kampanye/_index.md": starterCampaigns,
				".gitignore":                 starterGitignore,
				"netlify.toml":               netlifyConfig(versionString(), runtime.Version()),
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
			fmt.Fprintf(cmd.OutOrStdout(), `Created a new site in %[1]s.

Preview it:  serikat serve -s %[1]s   (then open http://127.0.0.1:1313/)
Review it:   serikat check -s %[1]s   (what is left to fill in)
Publish it:  see "Publishing your site" in Serikat's README,
             %[2]s
`, dir, publishingURL)
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

// publishingURL is the README's section on publishing a site made by init.
const publishingURL = "https://github.com/serikat-id/serikat#publishing-your-site"

// netlifyConfig is the netlify.toml of a site made by init: Netlify builds
// it with the Serikat that made it (version) on the Go that built that
// (goVersion, as runtime.Version gives it), and sends the headers of
// Serikat's own netlify.toml. A Serikat built from a checkout has no
// version a build can fetch; its site builds with the latest release.
func netlifyConfig(version, goVersion string) string {
	pin := "# serikat " + version + " made this site.\n"
	if !strings.HasPrefix(version, "v") || strings.Contains(version, "+") {
		pin = "# The serikat that made this site was built from source, with no release\n" +
			"# version: @latest builds with the newest. Write a release's version instead\n" +
			"# (such as @v1.2.0) so the site builds the same way every time.\n"
		version = "latest"
	}
	goVersion = strings.TrimPrefix(goVersion, "go")
	if goVersion == "" || goVersion[0] < '0' || goVersion[0] > '9' {
		goVersion = "1.26.8"
	} else if i := strings.IndexAny(goVersion, " -"); i >= 0 {
		goVersion = goVersion[:i]
	}
	return strings.NewReplacer("{{pin}}", pin, "{{version}}", version, "{{go}}", goVersion).Replace(starterNetlify)
}

const starterNetlify = `# Netlify builds this site from its Git repository with the Serikat
# release named below, fetched by Go, and publishes public/. See
# "Publishing your site" in Serikat's README.
{{pin}}
[build]
  command = "go run github.com/serikat-id/serikat/cmd/serikat@{{version}} build --base-url \"$URL/\""
  publish = "public"

[build.environment]
  GO_VERSION = "{{go}}"

# deploy previews and branch deploys get links to themselves
[context.deploy-preview]
  command = "go run github.com/serikat-id/serikat/cmd/serikat@{{version}} build --base-url \"$DEPLOY_PRIME_URL/\""

[context.branch-deploy]
  command = "go run github.com/serikat-id/serikat/cmd/serikat@{{version}} build --base-url \"$DEPLOY_PRIME_URL/\""

# The join form posts to /api/join on the site's own origin ([join] in
# serikat.toml). Netlify alone cannot answer it: either run
# "serikat join serve" on a server and pass /api/* on to it with the rule
# below (remove the # signs and write its address; the README says how to
# sign it), or set backend = "netlify" in serikat.toml and Netlify Forms
# collects the signups. serikat check warns until one is done.
#
# [[redirects]]
#   from = "/api/*"
#   to = "https://gabung.example.org/api/:splat"  # where serikat join serve runs
#   status = 200
#   force = true
#   signed = "SERIKAT_PROXY_SECRET"

# Every response: a strict Content-Security-Policy that the built site
# satisfies (the theme has no inline script or style, and loads nothing from
# another host), no framing, no sniffing. HTML and other unfingerprinted
# files are revalidated on every visit.
[[headers]]
  for = "/*"
  [headers.values]
    Content-Security-Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    X-Content-Type-Options = "nosniff"
    X-Frame-Options = "DENY"
    Referrer-Policy = "strict-origin-when-cross-origin"
    Permissions-Policy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    Cache-Control = "public, max-age=0, must-revalidate"

# The content editor at /admin/ (Decap CMS, served from this site) needs
# inline styles, eval for its schema, GitHub's API and avatars; every other
# page keeps the strict policy above.
[[headers]]
  for = "/admin/*"
  [headers.values]
    Content-Security-Policy = "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://avatars.githubusercontent.com; connect-src 'self' blob: https://api.github.com; font-src 'self' data:; frame-src 'self' blob:; media-src 'self' blob:; manifest-src 'self'; worker-src 'self' blob:; form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    X-Robots-Tag = "noindex"

# Fingerprinted assets (css/main.3f9a1c2b7d.css) never change under their
# name: a phone keeps them for a year. Later rules override earlier ones.
[[headers]]
  for = "/css/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"

[[headers]]
  for = "/js/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"

# The page after signing up ([join] thanks in serikat.toml: change the two
# together) is kept nowhere on the phone, and a link followed from it does
# not say where the reader came from.
[[headers]]
  for = "/gabung/terima-kasih/*"
  [headers.values]
    Cache-Control = "no-store"
    Referrer-Policy = "no-referrer"

# Anything else not found gets the site's own 404 page, with status 404.
[[redirects]]
  from = "/*"
  to = "/404.html"
  status = 404
`
