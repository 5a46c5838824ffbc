package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestDefaults(t *testing.T) {
	cfg, err := Load(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LanguageCode != "id" || cfg.BaseURL != "/" || len(cfg.Markup.TOCLevels) != 2 {
		t.Errorf("defaults = %+v", cfg)
	}
}

func TestLoad(t *testing.T) {
	cfg, err := Load(fstest.MapFS{FileName: {Data: []byte(`
title = "KSBSI"
baseURL = "https://ksbsi.example.org/"
[params]
warna = "merah"
[[menus.main]]
name = "B"
weight = 2
[[menus.main]]
name = "A"
weight = 1
[markup]
unsafe = true
tocLevels = [2]
`)}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Join.Backend != "endpoint" || cfg.Join.Endpoint != "/api/join" || cfg.Join.Thanks != "/gabung/terima-kasih/" || cfg.Join.RateLimit != 10 {
		t.Errorf("join defaults = %+v", cfg.Join)
	}
	if cfg.Title != "KSBSI" || cfg.Params["warna"] != "merah" || cfg.Menus["main"][0].Name != "A" || !cfg.Markup.Unsafe || cfg.Markup.TOCLevels[0] != 2 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestProblemsNameTheLine(t *testing.T) {
	for src, want := range map[string]string{
		"title = \"a\"\nwarna = \"merah\"\n":         `serikat.toml:2:1: unknown setting "warna"`,
		"[markup]\ntocLevels = \"2\"\n":              "serikat.toml:2:",
		"baseURL = \"ftp://x.org/\"\n":               `serikat.toml:1: baseURL must be an http(s) URL`,
		"[markup]\ntocLevels = [7]\n":                "serikat.toml:2: markup.tocLevels: heading level must be 1 to 6, got 7",
		"title = \"a\"\n[menus]\nmain = \"bukan\"\n": "serikat.toml:3:",
		"title = \n":                                 "serikat.toml:1:",
		"[join]\nthanks = \"terima-kasih/\"\n":       `serikat.toml:2: join.thanks must be a path on the site starting with /, got "terima-kasih/"`,
		"[join]\nthanks = \"//lain.example.org/\"\n": `serikat.toml:2: join.thanks must be a path`,
		"[join]\n[[join.federations]]\nid = \"f-a\"\nname = \"F A\"\nprogress = \"members\"\n": `serikat.toml:5: join.federations: progress must be "pendaftaran" or "anggota", got "members"`,
	} {
		_, err := Load(fstest.MapFS{FileName: {Data: []byte(src)}})
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: err = %v, want prefix %q", src, err, want)
		}
	}
}
