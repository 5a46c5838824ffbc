// Package archetype writes new pages with the front matter each kind of
// page needs, for "serikat new":
//
//	module    content/modul/NN-<slug>.md     numbered after the last module
//	campaign  content/kampanye/<slug>.md
//	news      content/berita/<slug>.md       dated now
//
// The file name is the slug of the title. An existing file is never
// overwritten.
package archetype

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/serikat-id/serikat/internal/slug"
)

// Kinds are the kinds of page "serikat new" can make.
var Kinds = []string{"module", "campaign", "news"}

var templates = template.Must(template.New("").Parse(`
{{- define "module" -}}
---
title: "{{ .Title }}"
description: ""
weight: {{ .Number }}
nomor: {{ .Number }}
durasi: "90 menit"
peserta: "Pengurus cabang dan komisariat"
tujuan:
  - "[ISI: apa yang bisa dilakukan peserta setelah modul ini]"
bahan:
  - "Papan tulis atau kertas plano"
---

## Materi pokok

[ISI: materi pokok modul ini]

## Diskusi kelompok

1. Pertanyaan pemandu pertama?

## Catatan fasilitator

[ISI: catatan untuk fasilitator]

## Ringkasan

[ISI: ringkasan untuk dibawa pulang]
{{ end -}}
{{- define "campaign" -}}
---
title: "{{ .Title }}"
description: ""       # satu atau dua kalimat: masalah buruh dan ajakannya
federasi: ""          # ID federasi, misalnya "f-hukatan"
namaFederasi: ""      # nama federasi seperti biasa ditulis, misalnya "F HUKATAN"
target: 0             # jumlah anggota baru yang ditargetkan
tenggat: ""           # hari terakhir kampanye, misalnya 2027-06-30
sektor: "[ISI: sektor yang diorganisir federasi]"
alamat: "[ISI: alamat sekretariat]"
kontak: "[ISI: nomor WhatsApp atau surel pengurus, dan jam bisa dihubungi]"
poster:
  judul: ""           # judul besar poster: masalah buruh, bukan nama organisasi
  ajakan: ""          # satu atau dua kalimat ajakan di poster
---

## Mengapa bergabung

Tulis di sini, singkat: masalah apa yang dihadapi buruh di sektor ini, dan apa
yang dikerjakan serikat bersama mereka.

## Pertanyaan yang sering diajukan

### Berapa iurannya, dan bagaimana membayarnya?

Besar iuran ditetapkan dalam AD/ART federasi: [ISI: besar iuran per bulan].
Cara membayarnya: [ISI: misalnya kepada bendahara komisariat]. Iuran hanya
boleh dipotong dari upah bila Anda memberi surat kuasa tertulis kepada
perusahaan, dan kuasa itu bisa Anda cabut (Kepmenakertrans
No. KEP.187/MEN/X/2004 Pasal 5).

### Apa yang dikerjakan serikat untuk saya?

Serikat mewakili anggotanya dan mendampingi anggota dalam perselisihan (UU
No. 21 Tahun 2000 Pasal 4 ayat 2). Perselisihan dengan perusahaan dirundingkan
dulu secara bipartit, yaitu antara pihak buruh dan perusahaan saja (UU No. 2
Tahun 2004 Pasal 3). Bila perselisihan sampai ke Pengadilan Hubungan
Industrial, serikat boleh mewakili anggotanya di sana (Pasal 87).

Perjanjian kerja bersama (PKB) tidak bisa langsung dirundingkan. Serikat di
perusahaan itu harus sudah tercatat di dinas tenaga kerja. Serikat juga harus
didukung lebih dari separuh buruh di perusahaan itu, lewat keanggotaan atau
pemungutan suara (UU No. 13 Tahun 2003 Pasal 116 dan 119). Bila di perusahaan
ada lebih dari satu serikat, aturannya lain (Pasal 120). Karena itu setiap
anggota baru penting. Layanan federasi untuk anggota: [ISI: misalnya
pendampingan kasus, bantuan hukum, pelatihan].

### Apakah atasan saya akan tahu?

Tidak dari formulir ini: perusahaan tidak diberi tahu. Kapan Anda tampil
sebagai anggota, Anda yang memutuskan bersama pengurus.

Tetapi jaga juga dari sisi Anda:

- **Jangan mendaftar dari ponsel kantor atau wifi perusahaan.** Pakai ponsel
  dan paket data sendiri.
- **Pendaftaran yang belum terkirim ada di ponsel.** Bila tidak ada sinyal,
  pendaftaran menunggu di ponsel sampai terkirim. Selama itu, siapa pun yang
  memegang ponsel Anda bisa melihatnya.
- **Iuran yang dipotong dari upah.** Cara ini hanya boleh dengan surat kuasa
  tertulis dari setiap anggota. Perusahaan lalu menerima nama anggota dan
  surat kuasanya (Kepmenakertrans No. KEP.187/MEN/X/2004 Pasal 4 dan 5). Jadi
  perusahaan tahu siapa yang memilih cara ini.
- **Mendirikan serikat baru di tempat kerja.** Saat serikat baru dicatatkan ke
  dinas tenaga kerja, daftar nama pendirinya ikut diserahkan (UU No. 21 Tahun
  2000 Pasal 18). Nama para pendiri tidak bisa dirahasiakan. Bicarakan dulu
  dengan pengurus.

### Bagaimana bila saya ditekan karena bergabung?

Siapa pun dilarang menghalangi buruh menjadi anggota serikat, misalnya dengan
PHK, mutasi, memotong upah atau intimidasi (UU No. 21 Tahun 2000 Pasal 28).
Pelanggarannya adalah tindak pidana kejahatan: penjara 1 sampai 5 tahun
dan/atau denda Rp100 juta sampai Rp500 juta (Pasal 43). Bila Anda ditekan,
catat kejadiannya: tanggal, siapa, apa yang dikatakan, dan siapa saksinya.
Simpan pesan atau suratnya, lalu segera hubungi pengurus.

### Apa yang terjadi setelah saya mendaftar?

Pendaftaran di sini adalah langkah pertama. Pengurus menghubungi Anda lewat
nomor yang Anda tulis, dalam [ISI: berapa hari]. Setelah itu: [ISI: misalnya
formulir keanggotaan, kartu anggota, dan pertemuan pertama].

### Saya sudah menjadi anggota serikat lain. Bisakah saya bergabung?

Di satu perusahaan, seorang buruh hanya boleh menjadi anggota satu serikat
(UU No. 21 Tahun 2000 Pasal 14 ayat 1). Bila tercatat di lebih dari satu, ia
harus memilih satu secara tertulis (Pasal 14 ayat 2). Bicarakan dulu dengan
pengurus.
{{ end -}}
{{- define "news" -}}
---
title: "{{ .Title }}"
description: ""
date: {{ .Date }}
tags: []
---

[ISI: isi berita]
{{ end -}}
`))

// Create writes a new page of kind under siteDir and returns its path
// relative to siteDir.
func Create(siteDir, kind, title string, now time.Time) (string, error) {
	s := slug.Make(title)
	if s == "" {
		return "", fmt.Errorf("title %q has no letters or digits to name the file with", title)
	}
	data := struct {
		Title  string
		Number int
		Date   string
	}{Title: strings.ReplaceAll(title, `"`, `\"`), Date: now.Format("2006-01-02")}
	var rel string
	switch kind {
	case "module":
		n, err := nextModuleNumber(filepath.Join(siteDir, "content", "modul"))
		if err != nil {
			return "", err
		}
		data.Number = n
		rel = filepath.Join("content", "modul", fmt.Sprintf("%02d-%s.md", n, s))
	case "campaign":
		rel = filepath.Join("content", "kampanye", s+".md")
	case "news":
		rel = filepath.Join("content", "berita", s+".md")
	default:
		return "", fmt.Errorf("unknown kind %q: use one of %s", kind, strings.Join(Kinds, ", "))
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, kind, data); err != nil {
		return "", err
	}
	full := filepath.Join(siteDir, rel)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists: choose another title or edit that file", rel)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	return rel, f.Close()
}

// nextModuleNumber is one more than the highest "NN-" prefix in dir.
func nextModuleNumber(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	highest := 0
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "-")
		if n, err := strconv.Atoi(prefix); ok && err == nil && n > highest {
			highest = n
		}
	}
	return highest + 1, nil
}
