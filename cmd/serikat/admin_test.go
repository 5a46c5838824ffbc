package main

import (
	"context"
	"fmt"
	"github.com/serikat-id/serikat/internal/imaging/imagingtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/serikat-id/serikat/internal/admin"
	"github.com/serikat-id/serikat/internal/browsertest"
	"github.com/serikat-id/serikat/internal/site"
)

// /admin/ gets the editor's own policy, the one package admin states and
// "serikat serve" sends, while every other path keeps the strict one; the
// editor's page satisfies its policy.
func TestNetlifyAdminCSP(t *testing.T) {
	headers := loadNetlifyHeaders(t)
	if got := headers.forPath("/admin/")["Content-Security-Policy"]; got != admin.CSP {
		t.Errorf("netlify.toml's CSP for /admin/ is\n%s\nwant admin.CSP\n%s", got, admin.CSP)
	}
	strict := headers.forPath("/")["Content-Security-Policy"]
	for _, p := range []string{"/modul/", "/administrasi/", "/kampanye/admin/", "/adminx"} {
		if got := headers.forPath(p)["Content-Security-Policy"]; got != strict {
			t.Errorf("%s gets %q, not the site's strict policy", p, got)
		}
	}
	for _, d := range []string{"script-src", "connect-src"} {
		if src, _ := parseCSP(admin.CSP).sources(d); strings.Contains(strings.Join(src, " "), "unsafe-inline") || strings.Contains(strings.Join(src, " "), "*") {
			t.Errorf("admin CSP %s allows %v", d, src)
		}
	}

	const origin = "https://serikat.example.org"
	report, err := site.BuildInMemory(context.Background(), site.Options{Source: "../..", BaseURL: origin + "/", Extra: editor})
	if err != nil {
		t.Fatal(err)
	}
	page, ok := report.Outputs["admin/index.html"]
	if !ok {
		t.Fatal("the site's build has no admin/index.html")
	}
	for _, v := range parseCSP(admin.CSP).violations(origin, page) {
		t.Errorf("admin/index.html: the CSP blocks %s", v)
	}
	for name := range report.Outputs {
		if strings.HasSuffix(name, ".html") && !strings.HasPrefix(name, "admin/") && strings.Contains(string(report.Outputs[name]), "decap-cms") {
			t.Errorf("%s loads the editor", name)
		}
	}
}

// A trainer opens the editor of "serikat serve" in Chromium, writes a new
// module in its form and saves it: the Markdown file appears under
// content/modul/ with front matter serikat check accepts, and the page is
// served. Under the editor's own CSP, with no request to another host.
func TestEditorWritesModuleInChromium(t *testing.T) {
	ctx := browsertest.New(t)
	dir := filepath.Join(t.TempDir(), "situs")
	for _, d := range []string{"content", "layouts", "assets"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("../..", d))); err != nil {
			t.Fatal(err)
		}
	}
	toml, _ := os.ReadFile("../../serikat.toml")
	os.WriteFile(filepath.Join(dir, "serikat.toml"), toml, 0o644)
	base, stop := startServe(t, dir, "/admin/")
	defer stop()
	w := watchBrowser(ctx, base)
	defer func() {
		if t.Failed() { // what the editor showed
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 2000)`))
			t.Log(text)
		}
	}()

	// field finds the input labelled label and marks it for chromedp
	field := func(label, mark string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const l = [...document.querySelectorAll("label")].reverse().find(l => l.textContent.trim().startsWith(%q));
			const i = l && (document.getElementById(l.htmlFor) || l.parentElement.querySelector("input, textarea"));
			if (!i) throw new Error("no field " + %q);
			i.setAttribute("data-t", %q);
		})()`, label, label, mark))
	}
	click := func(text string) string {
		return fmt.Sprintf(`(() => { const b = [...document.querySelectorAll("button, [role=button], [role=menuitem], a, li")].find(b => b.textContent.trim().toLowerCase() === %q.toLowerCase()); if (b) b.click(); return !!b })()`, text)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/#/collections/modul/new")); err != nil {
		t.Fatal(err)
	}
	// the local backend needs no password: the button only enters
	browsertest.Wait(ctx, t, click("Masuk"))
	browsertest.Wait(ctx, t, `(location.hash = "#/collections/modul/new", [...document.querySelectorAll("label")].some(l => l.textContent.trim().startsWith("Judul")))`)
	if err := chromedp.Do(ctx,
		field("Judul", "title"), chromedp.SendKeys(`[data-t=title]`, "Serikat di Tempat Kerja Digital"),
		field("Durasi", "durasi"), chromedp.SendKeys(`[data-t=durasi]`, "90 menit"),
		field("Nomor modul", "nomor"), chromedp.SendKeys(`[data-t=nomor]`, "9"),
	); err != nil {
		t.Fatal(err)
	}
	browsertest.Wait(ctx, t, click("Tambah Tujuan"))
	browsertest.Wait(ctx, t, `[...document.querySelectorAll("label")].filter(l => l.textContent.trim().startsWith("Tujuan")).length >= 2`)
	if err := chromedp.Do(ctx, field("Tujuan", "tujuan"), chromedp.SendKeys(`[data-t=tujuan]`, "Peserta bisa mengajak rekan kerja bergabung")); err != nil {
		t.Fatal(err)
	}
	// a photo from the phone, through the editor's media library
	photo := filepath.Join(t.TempDir(), "rapat-pertama.jpg")
	if err := os.WriteFile(photo, imagingtest.Photo(t, 800, 600, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	browsertest.Wait(ctx, t, click("Pilih foto"))
	browsertest.Wait(ctx, t, `!!document.querySelector("input[type=file]")`)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{photo})); err != nil {
		t.Fatal(err)
	}
	// the uploaded photo shows in the library, as a draft saved with the page
	browsertest.Wait(ctx, t, `[...document.querySelectorAll("p")].some(p => p.textContent.trim() === "rapat-pertama.jpg")`)
	browsertest.Wait(ctx, t, click("Simpan"))
	browsertest.Wait(ctx, t, click("Simpan sekarang"))

	var file string
	for deadline := time.Now().Add(15 * time.Second); file == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		matches, _ := filepath.Glob(filepath.Join(dir, "content", "modul", "*", "index.md"))
		if len(matches) > 0 {
			file = matches[0]
		}
	}
	if file == "" {
		w.check(t)
		t.Fatal("no content/modul/*/index.md after saving")
	}
	data, _ := os.ReadFile(file)
	text := string(data)
	// the photo is in the page's bundle, where the image pipeline finds it
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "rapat-pertama.jpg")); err != nil {
		entries, _ := os.ReadDir(filepath.Dir(file))
		t.Errorf("the photo is not beside %s: %v (%v)", file, err, entries)
	}
	for _, want := range []string{"title: Serikat di Tempat Kerja Digital", "durasi: 90 menit", "nomor: 9", "tujuan:\n  - Peserta bisa mengajak rekan kerja bergabung"} {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", file, want, text)
		}
	}
	var out, errs strings.Builder
	if err := execute(context.Background(), []string{"check", "-s", dir}, &out, &errs); err != nil || strings.Contains(out.String(), "content/modul/serikat") {
		t.Errorf("serikat check: %v\n%s%s", err, out.String(), errs.String())
	}
	rel, _ := filepath.Rel(filepath.Join(dir, "content"), filepath.Dir(file))
	page := "/" + filepath.ToSlash(rel) + "/"
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := get(t, base+page)
		if code == 200 && strings.Contains(body, "Serikat di Tempat Kerja Digital") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not served: %d", page, code)
		}
	}
	w.check(t)
	if len(w.hosts) > 0 {
		t.Errorf("the editor asked other hosts: %v", w.hosts)
	}
}
