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
  - "Peserta memahami ..."
bahan:
  - "Papan tulis atau kertas plano"
---

## Materi Pokok

Tulis materi di sini.

## Diskusi Kelompok

1. Pertanyaan pemandu pertama?

## Catatan Fasilitator

Tulis catatan untuk fasilitator di sini.

## Ringkasan

Tulis ringkasan untuk dibawa pulang.
{{ end -}}
{{- define "campaign" -}}
---
title: "{{ .Title }}"
description: ""
federasi: ""          # ID federasi, misalnya "hukatan"
target: 0             # jumlah anggota baru yang ditargetkan
tenggat: ""           # tanggal target, misalnya 2025-07-28
---

Tulis ajakan bergabung di sini: siapa kami, mengapa bergabung.
{{ end -}}
{{- define "news" -}}
---
title: "{{ .Title }}"
description: ""
date: {{ .Date }}
tags: []
---

Tulis berita di sini.
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
