package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// Every kind of bad input the generator issue lists: each is reported with
// its file and line, all of them in one run, and the previous public/ stays
// exactly as it was.
func TestBadInputReportsEveryProblemAndKeepsPublic(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- content/baik.md --
---
title: Baik
---
Halaman yang benar.
`)
	mustBuild(t, dir, Options{})
	before := tree(t, filepath.Join(dir, "public"))

	writeArchive(t, dir, `
-- content/yaml-rusak.md --
---
title: Rusak
tags: [a, b
---
-- content/toml-rusak.md --
+++
title = "Rusak
+++
-- content/bobot.md --
---
title: Bobot
weight: dua
---
-- content/tanggal.md --
---
title: Tanggal
date: 27 Juli 2024
---
-- content/ganda-a.md --
---
title: Ganda A
url: /sama/
---
-- content/ganda-b.md --
---
title: Ganda B
url: /sama/
---
-- content/keluar.md --
---
title: Keluar
slug: ../../etc
---
-- content/keluar-url.md --
---
title: Keluar URL
url: /a/../../etc/passwd
---
-- content/tata-letak.md --
---
title: Tata Letak
layout: tidak-ada
---
-- content/tanpa-judul.md --
---
description: Lupa judul
---
-- content/tautan.md --
---
title: Tautan
---
Lihat [modul](modul-hilang.md).
-- content/terbuka.md --
---
title: Tidak ditutup
`)
	if err := os.WriteFile(filepath.Join(dir, "content/bukan-utf8.md"), []byte("---\ntitle: Latin1\n---\nCaf\xe9 serikat\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := "---\ntitle: Besar\n---\n" + strings.Repeat("Teks panjang sekali. ", 20<<20/21)
	if err := os.WriteFile(filepath.Join(dir, "content/besar.md"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := build(t, dir, Options{})
	got := problems(t, err)
	positioned(t, err)
	wantProblem(t, got, "content/yaml-rusak.md:3:", "front matter", "not closed")
	wantProblem(t, got, "content/toml-rusak.md:2:", "front matter", "TOML")
	wantProblem(t, got, "content/bobot.md:3: ", "weight must be a whole number", `"dua"`)
	wantProblem(t, got, "content/tanggal.md:3: ", "date", `"27 Juli 2024" is not a date`)
	wantProblem(t, got, "content/ganda-b.md:3: ", "URL /sama/", "content/ganda-a.md")
	wantProblem(t, got, "content/keluar.md:3: ", "slug", "../../etc")
	wantProblem(t, got, "content/keluar-url.md:3: ", "url", "would leave the site")
	wantProblem(t, got, "content/tata-letak.md:3: ", `layout "tidak-ada" not found`, "layouts/page/tidak-ada.html")
	wantProblem(t, got, "content/tanpa-judul.md:3: ", "no title")
	wantProblem(t, got, "content/tautan.md:4: ", "modul-hilang.md", "no such page")
	wantProblem(t, got, "content/terbuka.md:1: ", "never closed")
	wantProblem(t, got, "content/bukan-utf8.md:4: ", "not UTF-8")
	wantProblem(t, got, "content/besar.md: ", "20.0 MB", "at most 8 MB")
	if len(got) != 13 {
		t.Errorf("want 13 problems, one per broken file, got %d:\n%s", len(got), strings.Join(got, "\n"))
	}

	after := tree(t, filepath.Join(dir, "public"))
	sameTree(t, before, after)
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

func TestTemplateErrorsNameTemplateAndLine(t *testing.T) {
	dir := writeSite(t, `
-- layouts/_default/single.html --
<h1>{{ .Title }}</h1>
<p>{{ .Params.x.y.z }}</p>
{{ .TidakAda }}
-- layouts/_default/list.html --
{{ if }}
-- layouts/partials/rusak.html --
{{ range }}
-- content/a.md --
---
title: A
---
`)
	got := problems(t, mustFail(t, dir))
	wantProblem(t, got, "layouts/_default/list.html:1:", "missing value for if")
	wantProblem(t, got, "layouts/partials/rusak.html:1:", "missing value for range")
	wantProblem(t, got, "layouts/_default/single.html:3:", "TidakAda")
}

func TestTemplateExecutionErrorInPartial(t *testing.T) {
	dir := writeSite(t, `
-- layouts/_default/single.html --
<h1>{{ .Title }}</h1>
{{ partial "kartu.html" . }}
-- layouts/_default/list.html --
list
-- layouts/partials/kartu.html --
<div>
{{ index .Params.daftar 5 }}
</div>
-- content/a.md --
---
title: A
daftar: [1, 2]
---
`)
	got := problems(t, mustFail(t, dir))
	wantProblem(t, got, "layouts/partials/kartu.html:2:", "index out of range", "content/a.md")
}

func TestConfigErrorsNameLine(t *testing.T) {
	dir := writeSite(t, minimalLayouts+`
-- serikat.toml --
title = "Situs"
judul = "salah kunci"
[markup]
tocLevel = [2]
`)
	got := problems(t, mustFail(t, dir))
	wantProblem(t, got, "serikat.toml:2:", `unknown setting "judul"`)
	wantProblem(t, got, "serikat.toml:4:", `unknown setting "markup.tocLevel"`)

	dir = writeSite(t, minimalLayouts+`
-- serikat.toml --
title = "Situs"
[markup]
unsafe = "ya"
`)
	got = problems(t, mustFail(t, dir))
	wantProblem(t, got, "serikat.toml:3:", "Unsafe", "bool")
}

func TestDestinationIsAFile(t *testing.T) {
	dir := writeSite(t, minimalLayouts+"-- content/a.md --\n---\ntitle: A\n---\n-- public --\nbukan folder\n")
	_, err := build(t, dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "public")); string(data) != "bukan folder\n" {
		t.Error("the file in the way must not be touched")
	}
}

// unreadableFS fails to read one folder, as a folder without permission
// does (tests run as root, where permissions do not stop reading).
type unreadableFS struct {
	fs.FS
	dir string
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	if name == u.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.FS.Open(name)
}

func TestUnreadableFolder(t *testing.T) {
	dir := t.TempDir()
	fsys := fstest.MapFS{
		"layouts/_default/single.html": {Data: []byte("{{ .Title }}")},
		"layouts/_default/list.html":   {Data: []byte("{{ .Title }}")},
		"content/a.md":                 {Data: []byte("---\ntitle: A\n---\n")},
		"content/rahasia/b.md":         {Data: []byte("---\ntitle: B\n---\n")},
	}
	_, err := Build(t.Context(), Options{Source: dir, FS: unreadableFS{fsys, "content/rahasia"}, Now: testNow})
	got := problems(t, err)
	wantProblem(t, got, "content/rahasia: ", "cannot read", "permission denied")
	if _, err := os.Stat(filepath.Join(dir, "public")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("nothing may be written when a folder cannot be read")
	}
}
