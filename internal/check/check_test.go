package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
)

var testNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

const layouts = `
-- layouts/_default/baseof.html --
<!doctype html><html lang="id"><head><title>{{ .Title }}</title></head><body><nav><a href="/">Beranda</a> <a href="/arsip/">Arsip</a></nav>{{ block "main" . }}{{ end }}</body></html>
-- layouts/_default/single.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
-- layouts/_default/list.html --
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
`

// brokenSite has one of each problem check knows, each on a known line.
const brokenSite = layouts + `
-- serikat.toml --
title = "Uji"
[check]
pageKB = 3
imageKB = 250
-- content/_index.md --
---
title: Beranda
---
Selamat datang.
-- content/modul/01-dasar.md --
---
title: Dasar Berserikat
durasi: 90 menit
tujuan: [Memahami serikat]
---
## Pengantar

Lihat [modul yang tidak ada](99-hilang.md).

Lihat [halaman yang tidak ada](/modul/tidak-ada/).

Lihat [bagian yang tidak ada](/modul/02-rekrutmen/#tidak-ada) dan [bagian yang ada](/modul/02-rekrutmen/#langkah).

Unduh [panduan](panduan.pdf) dan [daftar hadir](hadir.pdf).

![](foto.jpg)

![Foto yang hilang](hilang.jpg)

#### Catatan pelatih
-- content/modul/01-dasar/hadir.pdf --
PDF
-- content/modul/02-rekrutmen.md --
---
title: Rekrutmen
---
## Langkah

Datangi buruh di tempat kerja.
-- content/kampanye/hukatan.md --
---
title: Bergabung dengan F HUKATAN
---
Ayo bergabung.
-- content/kampanye/berakhir.md --
---
title: Bergabung dengan FSB NIKEUBA
federasi: fsb-nikeuba
target: 200
tenggat: 2025-07-28
sektor: Niaga, keuangan dan perbankan
---
Ayo bergabung.
-- content/kampanye/bersama.md --
---
title: Kampanye Bersama
bersama: true
bagianDari: kampanye/tidak-ada.md
---
Bersama.
-- content/berita/a.md --
---
title: Pelatihan di Lampung
---
Berita pertama.
-- content/berita/b.md --
---
title: "Pelatihan di  lampung"
---
Berita kedua.
`

func writeSite(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestEveryClassOfProblem(t *testing.T) {
	dir := writeSite(t, brokenSite)
	// a photo for the image without alt text
	os.WriteFile(filepath.Join(dir, "content/modul/foto.jpg"), imagingtest.Photo(t, 400, 300, nil), 0o644)
	// a news page too heavy for a 3 KB budget: words that do not compress
	var long strings.Builder
	long.WriteString("---\ntitle: Laporan Panjang\n---\n")
	for i := range 3000 {
		fmt.Fprintf(&long, "kata%x ", uint32(i)*2654435761)
	}
	os.WriteFile(filepath.Join(dir, "content/berita/panjang.md"), []byte(long.String()), 0o644)

	got := runProblems(t, dir)
	want := []string{
		"content/berita/b.md:2: title \"Pelatihan di  lampung\" is also the title of content/berita/a.md",
		"content/berita/panjang.md: the page weighs",
		"content/kampanye/bersama.md:4: bagianDari: kampanye/tidak-ada.md: no such page",
		"content/kampanye/hukatan.md:2: campaign has no federation",
		"content/kampanye/hukatan.md:1: campaign has no target",
		"content/kampanye/hukatan.md:2: campaign has no contact",
		"content/kampanye/hukatan.md:2: campaign has no sector",
		"content/kampanye/berakhir.md:2: campaign has no contact",
		"content/kampanye/berakhir.md:5: the campaign ended on 2025-07-28",
		"content/modul/01-dasar.md:8: link to 99-hilang.md: no such page",
		"content/modul/01-dasar.md:10: link to /modul/tidak-ada/: the site has no page or file",
		"content/modul/01-dasar.md:12: link to /modul/02-rekrutmen/#tidak-ada: /modul/02-rekrutmen/ has no heading or element with id \"tidak-ada\"",
		"content/modul/01-dasar.md:14: link to panduan.pdf: the site has no page or file",
		"content/modul/01-dasar.md:16: image foto.jpg has no alt text",
		"content/modul/01-dasar.md:18: image hilang.jpg: no such file",
		"content/modul/01-dasar.md:20: heading \"Catatan pelatih\" is level 4 right after level 2: use ###",
		"content/modul/02-rekrutmen.md:2: module has no objectives",
		"content/modul/02-rekrutmen.md:2: module has no duration",
		"layouts/_default/baseof.html:1: link to /arsip/: the site has no page or file there (it shows on public/index.html)",
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %q", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("want %d problems, got %d:\n%s", len(want), len(got), strings.Join(got, "\n"))
	}
	// nothing was written
	for _, name := range []string{"public", ".serikat"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("check wrote %s", name)
		}
	}
}

func TestCleanSitePasses(t *testing.T) {
	dir := writeSite(t, layouts+`
-- content/_index.md --
---
title: Beranda
---
Lihat [Dasar](modul/01-dasar.md) dan [arsip](/arsip/).
-- content/arsip.md --
---
title: Arsip
---
## Tahun 2024

Lihat [tujuan](/modul/01-dasar/#tujuan).
-- content/modul/01-dasar.md --
---
title: Dasar
durasi: 90 menit
tujuan: [Memahami serikat]
---
## Tujuan

### Rincian
`)
	report, err := Run(context.Background(), Options{Source: dir, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Problems) != 0 || report.Pages != 2 {
		t.Errorf("pages %d, problems: %v", report.Pages, report.Problems)
	}
}

// External links are asked over real HTTP (a server on loopback here),
// with a timeout, and good answers are remembered.
func TestExternalLinks(t *testing.T) {
	var hits atomic.Int64
	over := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/ada":
		case "/hanya-get":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/lambat": // answers only when the test is over
			select {
			case <-r.Context().Done():
			case <-over:
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	defer close(over)
	dir := writeSite(t, layouts+`
-- content/_index.md --
---
title: Beranda
---
[ada](`+srv.URL+`/ada) [ada lagi](`+srv.URL+`/ada) [hanya GET](`+srv.URL+`/hanya-get)

[hilang](`+srv.URL+`/hilang)

[lambat](`+srv.URL+`/lambat)
-- content/arsip.md --
---
title: Arsip
---
Arsip.
`)
	// time enough for a loopback answer on a loaded machine
	opts := Options{Source: dir, Now: testNow, External: true, Timeout: 3 * time.Second, Concurrency: 2,
		LinkCache: filepath.Join(t.TempDir(), "links.json")}
	report, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range report.Problems {
		got = append(got, p.String())
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "content/_index.md:6: link to "+srv.URL+"/hilang: 404 Not Found") ||
		!strings.HasPrefix(got[1], "content/_index.md:8: link to "+srv.URL+"/lambat: no answer within 3s") {
		t.Errorf("problems:\n%s", strings.Join(got, "\n"))
	}
	// the second run asks again only for the links that failed
	before := hits.Load()
	if _, err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if asked := hits.Load() - before; asked != 2 { // HEAD /hilang, HEAD /lambat
		t.Errorf("second run made %d requests, want 2 (only the failures)", asked)
	}
	// without External nothing is asked
	before = hits.Load()
	opts.External = false
	if r, _ := Run(context.Background(), opts); len(r.Problems) != 0 || hits.Load() != before {
		t.Errorf("without External: %v, %d requests", r.Problems, hits.Load()-before)
	}
}
