package campaign

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/serikat-id/serikat/internal/content"
)

func load(t *testing.T, files map[string]string) *content.Site {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	site, err := content.Load(fsys, content.Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func TestDecode(t *testing.T) {
	site := load(t, map[string]string{
		"content/kampanye/baik.md": `---
title: Gabung F HUKATAN
federasi: f-hukatan
namaFederasi: F HUKATAN
konfederasi: KSBSI
target: 200
tenggat: 2027-06-30
warna: "#a4161a"
alamat: Jl. Contoh
poster:
  judul: Upah dipotong?
  ajakan: Hadapi bersama.
---
`,
		"content/kampanye/kutip.md": `---
title: Kutip
federasi: fsb-nikeuba
target: "150"
tenggat: "2027-01-31"
bersama: false
---
`,
		"content/kampanye/salah.md": `---
title: Salah
federasi: FSB GARTEKS
target: 1.000
tenggat: 30-06-2027
bersama: ya
poster:
  judul: [satu, dua]
---
`,
		"content/modul/01.md": `---
title: Satu
nomor: 1
durasi: 90 menit
tujuan:
  - Memahami hak berserikat
  - Menyusun rencana
bahan: papan tulis
---
`,
		"content/berita/a.md": "---\ntitle: Berita\n---\n",
	})
	c, err := Decode(site.ByFile["content/kampanye/baik.md"])
	if err != nil {
		t.Fatal(err)
	}
	if c.Federation != "f-hukatan" || c.FederationName != "F HUKATAN" || c.Confederation != "KSBSI" || c.Target != 200 ||
		c.Deadline.Format(time.DateOnly) != "2027-06-30" || c.Colour != "#a4161a" || c.Address != "Jl. Contoh" ||
		c.PosterTitle != "Upah dipotong?" || c.PosterPitch != "Hadapi bersama." {
		t.Errorf("decoded %+v", c)
	}
	c, err = Decode(site.ByFile["content/kampanye/kutip.md"])
	if err != nil || c.Target != 150 || c.Deadline.Format(time.DateOnly) != "2027-01-31" {
		t.Errorf("quoted values: %+v, %v", c, err)
	}
	_, err = Decode(site.ByFile["content/kampanye/salah.md"])
	got := ""
	if err != nil {
		got = err.Error()
	}
	for _, want := range []string{
		`content/kampanye/salah.md:3: federasi: "FSB GARTEKS" is not an id: use lower-case letters, digits and dashes, such as "fsb-garteks"`,
		`content/kampanye/salah.md:4: target: write a whole number without dots or commas, such as 1000 (1.000 is read as 1)`,
		`content/kampanye/salah.md:5: tenggat: "30-06-2027" is not a date: write year-month-day, 2027-06-30`,
		`content/kampanye/salah.md:6: bersama: write true or false`,
		`content/kampanye/salah.md:7: poster.judul: write text here, not a list or a table`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack\n  %s\ngot\n%s", want, got)
		}
	}
	m, err := DecodeModule(site.ByFile["content/modul/01.md"])
	if err != nil || m.Number != 1 || m.Duration != "90 menit" || len(m.Objectives) != 2 || len(m.Materials) != 1 {
		t.Errorf("module %+v, %v", m, err)
	}
	if !IsCampaign(site.ByFile["content/kampanye/baik.md"]) || IsCampaign(site.ByFile["content/berita/a.md"]) ||
		!IsModule(site.ByFile["content/modul/01.md"]) {
		t.Error("IsCampaign / IsModule")
	}
}

// A deadline is the campaign's last day, to midnight in WIB.
func TestEndedBy(t *testing.T) {
	c := &Campaign{Deadline: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)}
	wib := time.FixedZone("WIB", 7*3600)
	for now, want := range map[time.Time]bool{
		time.Date(2027, 6, 30, 23, 59, 0, 0, wib):      false,
		time.Date(2027, 7, 1, 0, 0, 0, 0, wib):         true,
		time.Date(2027, 6, 30, 16, 59, 0, 0, time.UTC): false,
		time.Date(2027, 6, 30, 17, 0, 0, 0, time.UTC):  true,
	} {
		if got := c.EndedBy(now); got != want {
			t.Errorf("EndedBy(%s) = %v, want %v", now, got, want)
		}
	}
	if (&Campaign{}).EndedBy(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a campaign without a deadline ended")
	}
}
