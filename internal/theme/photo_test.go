package theme

import (
	"context"
	"image"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
	"github.com/serikat-id/serikat/internal/site"
)

// photoModule is a module with a photo straight off a phone camera.
const photoModule = `---
title: "Foto Pelatihan"
weight: 9
nomor: 9
durasi: "30 menit"
tujuan:
  - "Melihat suasana pelatihan."
---

## Suasana pelatihan

Para peserta berdiskusi dalam kelompok kecil tentang rencana kerja cabang.

![Peserta pelatihan berdiskusi dalam kelompok kecil](foto.jpg)

Setiap kelompok lalu menyajikan hasilnya di depan kelas.
`

// copyRepoSite copies the repository's serikat.toml and the named folders
// into a new folder, for a test to add to.
func copyRepoSite(t *testing.T, dirs ...string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for _, dir := range dirs {
		if err := os.CopyFS(filepath.Join(src, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	config, err := os.ReadFile(filepath.Join(root, "serikat.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "serikat.toml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

// buildSiteWithPhoto builds the repository's site with one more module,
// carrying a 4000×3000 photo.
func buildSiteWithPhoto(t *testing.T) string {
	t.Helper()
	src := copyRepoSite(t, "content", "layouts", "assets")
	bundle := filepath.Join(src, "content", "modul", "09-foto-pelatihan")
	os.MkdirAll(bundle, 0o755)
	for name, data := range map[string][]byte{
		filepath.Join(bundle, "index.md"): []byte(photoModule),
		filepath.Join(bundle, "foto.jpg"): imagingtest.Photo(t, 4000, 3000, imagingtest.Exif(1)),
	} {
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(src, "public")
	_, err := site.Build(context.Background(), site.Options{Source: src, Dest: dest, CacheDir: "-",
		Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("build:\n%v", err)
	}
	return dest
}

// A module with a phone photo keeps its page within the budget and gives a
// 360-pixel phone the 360-pixel version, not the camera's 4000 pixels.
func TestPhotoOnAPhone(t *testing.T) {
	dest := buildSiteWithPhoto(t)
	page, err := os.ReadFile(filepath.Join(dest, "modul", "09-foto-pelatihan", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if size := gzipSize(t, page); size > modulePageBudget {
		t.Errorf("the module page is %d bytes compressed, budget %d", size, modulePageBudget)
	}
	for _, name := range []string{"foto.jpg", "foto-720w.jpg", "foto-360w.jpg"} {
		info, err := os.Stat(filepath.Join(dest, "modul", "09-foto-pelatihan", name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", name, info.Size())
	}

	ctx := browser(t)
	url := serve(t, dest) + "/modul/09-foto-pelatihan/"
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 800, chromedp.EmulateScale(1), chromedp.EmulateMobile),
		chromedp.Navigate(url),
		chromedp.ScrollIntoView("main img"),
		chromedp.Poll[chromedp.Void](`(() => { const i = document.querySelector("main img"); return i.complete && i.naturalWidth > 0 })()`, chromedp.WithPollingTimeout(20*time.Second)),
	)
	if err != nil {
		t.Fatal(err)
	}
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main img").currentSrc`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(current, "/modul/09-foto-pelatihan/foto-360w.jpg") {
		t.Fatalf("a 360-pixel phone loaded %s, want foto-360w.jpg", current)
	}
	f, err := os.Open(filepath.Join(dest, "modul", "09-foto-pelatihan", "foto-360w.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, _, err := image.DecodeConfig(f); err != nil || cfg.Width != 360 {
		t.Errorf("foto-360w.jpg is %d pixels wide (%v)", cfg.Width, err)
	}
}
