package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// benchImages measures photo processing: a site of n pages, each with one
// photo of the given megapixels (4:3, like a phone camera), built cold
// (no image cache) and warm (every photo from the cache), by Serikat and,
// where installed, by Hugo resizing the same photos to the same widths
// through a render hook.
func benchImages(work, serikat, hugo string, n int, megapixels float64, runs int) {
	site := filepath.Join(work, fmt.Sprintf("photos-%d", n))
	fmt.Printf("\n%d photos of %.0f megapixels: writing them…\n", n, megapixels)
	// Written by a child process: a child's peak memory starts from its
	// parent's resident set at the fork (Linux carries it over exec), so
	// this process must stay small to measure the builds fairly.
	gen := exec.Command(os.Args[0], "-write-photos", site, "-images", strconv.Itoa(n), "-megapixels", fmt.Sprint(megapixels))
	gen.Stdout, gen.Stderr = os.Stdout, os.Stderr
	check(gen.Run())
	age(site)

	var cold, warm, hugoCold, hugoWarm []sample
	for range runs {
		os.RemoveAll(filepath.Join(site, "public"))
		os.RemoveAll(filepath.Join(site, ".serikat"))
		cold = append(cold, run(site, serikat, "build", "--quiet"))
		os.RemoveAll(filepath.Join(site, "public"))
		warm = append(warm, run(site, serikat, "build", "--quiet"))
		if hugo != "" {
			os.RemoveAll(filepath.Join(site, "hugo-public"))
			os.RemoveAll(filepath.Join(site, "resources"))
			hugoCold = append(hugoCold, run(site, hugo, "--quiet", "--theme", "bench", "-d", "hugo-public"))
			os.RemoveAll(filepath.Join(site, "hugo-public"))
			hugoWarm = append(hugoWarm, run(site, hugo, "--quiet", "--theme", "bench", "-d", "hugo-public"))
		}
	}
	line := func(name string, s []sample) sample {
		m := median(s)
		fmt.Printf("  %-22s %7.2f s  %7.1f MB\n", name, m.wall.Seconds(), float64(m.rss)/1024)
		return m
	}
	fmt.Printf("median of %d, wall time and peak memory (resident set):\n", runs)
	c := line("serikat cold", cold)
	w := line("serikat warm (cache)", warm)
	if hugo != "" {
		hc := line("hugo cold", hugoCold)
		hw := line("hugo warm (resources/)", hugoWarm)
		fmt.Printf("  ratio cold %.2f×, warm %.2f×, peak memory %.2f× (serikat / hugo)\n",
			c.wall.Seconds()/hc.wall.Seconds(), w.wall.Seconds()/hw.wall.Seconds(), float64(c.rss)/float64(hc.rss))
	}
}

// writePhotoSite writes a site of n module pages, each a bundle with a
// photo, and a Hugo theme whose image render hook makes the same widths.
func writePhotoSite(site string, n int, megapixels float64) error {
	files := map[string]string{
		"serikat.toml":                 "title = \"Foto\"\nbaseURL = \"/\"\n",
		"hugo.toml":                    "title = \"Foto\"\nbaseURL = \"/\"\n[imaging]\nquality = 75\nresampleFilter = \"Lanczos\"\n",
		"layouts/_default/baseof.html": `<!doctype html><html lang="id"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}`,
		"themes/bench/layouts/_default/_markup/render-image.html": `{{ with .Page.Resources.GetMatch .Destination }}` +
			`{{ $a := .Resize "360x" }}{{ $b := .Resize "720x" }}{{ $c := .Resize "1080x" }}` +
			`<img src="{{ $b.RelPermalink }}" srcset="{{ $a.RelPermalink }} 360w, {{ $b.RelPermalink }} 720w, {{ $c.RelPermalink }} 1080w" width="{{ $c.Width }}" height="{{ $c.Height }}" alt="{{ $.Text }}">{{ end }}`,
		"content/_index.md": "---\ntitle: Foto\n---\n",
	}
	for i := range n {
		files[fmt.Sprintf("content/foto/%03d/index.md", i)] = fmt.Sprintf("---\ntitle: Foto %d\n---\nPelatihan hari ke-%d.\n\n![Peserta pelatihan %d](foto.jpg)\n", i, i, i)
	}
	for name, data := range files {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	// A few distinct photos, each written n/variants times with its own
	// comment, so every file has its own content hash but all cost the same
	// to decode.
	const variants = 4
	h := int(math.Sqrt(megapixels * 1e6 * 3 / 4))
	w := h * 4 / 3
	bases := make([][]byte, variants)
	var wg sync.WaitGroup
	for v := range variants {
		wg.Go(func() { bases[v] = photo(w, h, uint32(v+1)) })
	}
	wg.Wait()
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make(chan error, n)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			base := bases[i%variants]
			comment := fmt.Appendf(nil, "foto %d", i)
			seg := []byte{0xFF, 0xFE, byte((len(comment) + 2) >> 8), byte(len(comment) + 2)}
			data := append(append(append(append([]byte{}, base[:2]...), seg...), comment...), base[2:]...)
			errs <- os.WriteFile(filepath.Join(site, "content", "foto", fmt.Sprintf("%03d", i), "foto.jpg"), data, 0o644)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// photo is a w×h JPEG with smooth shapes and sensor-like noise, about as
// large as a phone's photo of the same size.
func photo(w, h int, seed uint32) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rnd := seed * 2654435761
	for y := range h {
		for x := range w {
			rnd = rnd*1664525 + 1013904223
			v := 128 + 60*math.Sin(float64(x)/(90+float64(seed)*7))*math.Cos(float64(y)/130) + float64(rnd>>28) - 8
			img.Y[y*img.YStride+x] = uint8(max(0, min(255, v)))
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			i := y*img.CStride + x
			img.Cb[i] = uint8(128 + 40*math.Sin(float64(x+y)/200))
			img.Cr[i] = uint8(128 + 40*math.Cos(float64(x-y)/250+float64(seed)))
		}
	}
	var buf bytes.Buffer
	check(jpeg.Encode(&buf, img, &jpeg.Options{Quality: 92}))
	return buf.Bytes()
}
