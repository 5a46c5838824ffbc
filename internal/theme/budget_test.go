package theme

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/site"
)

const (
	smallPageBudget  = 14600 // home, join and campaign pages
	modulePageBudget = 30000
	otherPageBudget  = 30000
	scriptBudget     = 10 * 1024
)

// buildRepoSite builds the repository's own site into a temporary folder
// with the base URL Netlify would give it.
func buildRepoSite(t testing.TB) string {
	t.Helper()
	return buildRepoSiteAt(t, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
}

// buildRepoSiteAt builds the repository's site as it would be built at now.
func buildRepoSiteAt(t testing.TB, now time.Time) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return buildSiteAt(t, root, now)
}

// buildSiteAt builds the site in root as it would be built at now.
func buildSiteAt(t testing.TB, root string, now time.Time) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	_, err := site.Build(context.Background(), site.Options{
		Source: root, Dest: dest, CacheDir: "-", BaseURL: "https://serikat.example.org/",
		Now: now,
	})
	if err != nil {
		t.Fatalf("building the repository's site:\n%v", err)
	}
	return dest
}

func gzipSize(t testing.TB, data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}

// pages returns every HTML page of the built site by its path, leaving out
// redirects (aliases and short links such as /j/f-hukatan/), which a
// reader never sees.
func pages(t testing.TB, dest string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if bytes.Contains(data, []byte(`http-equiv=refresh`)) || bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func budgetFor(page string) int {
	switch {
	case page == "index.html", page == "gabung/index.html", strings.HasPrefix(page, "kampanye/") && page != "kampanye/index.html":
		return smallPageBudget
	case strings.HasPrefix(page, "modul/"):
		return modulePageBudget
	}
	return otherPageBudget
}

func TestPageWeightBudgets(t *testing.T) {
	dest := buildRepoSite(t)
	all := pages(t, dest)
	for _, must := range []string{"index.html", "gabung/index.html", "kampanye/f-hukatan/index.html", "modul/01-dasar-dasar-berserikat/index.html"} {
		if _, ok := all[must]; !ok {
			t.Fatalf("the site has no %s", must)
		}
	}
	for page, data := range all {
		if size, budget := gzipSize(t, data), budgetFor(page); size > budget {
			t.Errorf("%s: %d bytes compressed, budget %d", page, size, budget)
		}
	}
}

var (
	scriptTag = regexp.MustCompile(`(?is)<script\b([^>]*)>`)
	srcAttr   = regexp.MustCompile(`(?i)\bsrc=("[^"]*"|'[^']*'|[^\s>]+)`)
	// resources a page loads, as opposed to links a reader may follow
	resourceAttr = regexp.MustCompile(`(?is)<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=("[^"]*"|'[^']*'|[^\s>]+)|<link\b[^>]*\bhref=("[^"]*"|'[^']*'|[^\s>]+)[^>]*>`)
	cssURL       = regexp.MustCompile(`url\(`)
)

func unquote(s string) string { return strings.Trim(s, `"'`) }

func TestScriptsFontsAndHosts(t *testing.T) {
	dest := buildRepoSite(t)
	scripts := map[string]bool{}
	for page, data := range pages(t, dest) {
		html := string(data)
		for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
			attrs := strings.ToLower(m[1])
			if strings.Contains(attrs, "application/ld+json") {
				continue // data for search engines; never run
			}
			if !strings.Contains(attrs, "defer") && !strings.Contains(attrs, "async") && !strings.Contains(attrs, `type=module`) {
				t.Errorf("%s: render-blocking script <script%s>", page, m[1])
			}
			if src := srcAttr.FindStringSubmatch(m[1]); src != nil {
				scripts[unquote(src[1])] = true
			}
		}
		for _, m := range resourceAttr.FindAllStringSubmatch(html, -1) {
			u := unquote(m[1] + m[2])
			if strings.Contains(m[0], "rel=canonical") || strings.Contains(m[0], `rel="canonical"`) {
				continue // names the page itself; nothing is loaded
			}
			if strings.HasPrefix(u, "//") || strings.Contains(u, "://") && !strings.HasPrefix(u, "https://serikat.example.org/") {
				t.Errorf("%s loads %s from another host", page, u)
			}
		}
		if strings.Contains(html, "@font-face") || strings.Contains(html, "fonts.googleapis") {
			t.Errorf("%s uses a web font", page)
		}
		if cssURL.MatchString(html) {
			t.Errorf("%s: inlined CSS loads a resource with url()", page)
		}
	}
	total := 0
	for src := range scripts {
		rel := strings.TrimPrefix(src, "https://serikat.example.org/")
		data, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(strings.TrimPrefix(rel, "/"))))
		if err != nil {
			t.Fatalf("script %s: %v", src, err)
		}
		total += gzipSize(t, data)
	}
	if total > scriptBudget {
		t.Errorf("JavaScript: %d bytes compressed in all, budget %d", total, scriptBudget)
	}
	if len(scripts) == 0 {
		t.Error("found no script at all; the check above checked nothing")
	}
	var fonts []string
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".woff", ".woff2", ".ttf", ".otf", ".eot":
			fonts = append(fonts, p)
		}
		return nil
	})
	if len(fonts) > 0 {
		t.Errorf("font files published: %v", fonts)
	}
}

// Structure every page needs, checked without a browser; the browser test
// runs axe-core for the rest of WCAG 2.2 A and AA.
func TestPageStructure(t *testing.T) {
	dest := buildRepoSite(t)
	idRe := regexp.MustCompile(`\bid=("[^"]*"|[^\s>]+)`)
	forRe := regexp.MustCompile(`<label\b[^>]*\bfor=("[^"]*"|[^\s>]+)`)
	inputRe := regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)
	for page, data := range pages(t, dest) {
		html := string(data)
		if !strings.Contains(html, "<html lang=id>") && !strings.Contains(html, "<html lang=id ") {
			t.Errorf("%s: no lang=id", page)
		}
		if strings.Count(html, "<h1") != 1 {
			t.Errorf("%s: %d h1 headings, want 1", page, strings.Count(html, "<h1"))
		}
		if page != "404.html" && !strings.Contains(html, `class=skip href=#isi`) {
			t.Errorf("%s: no skip link", page)
		}
		for _, landmark := range []string{"<header", "<main", "<footer"} {
			if page != "404.html" && !strings.Contains(html, landmark) {
				t.Errorf("%s: no %s landmark", page, landmark)
			}
		}
		labelled := map[string]bool{}
		for _, m := range forRe.FindAllStringSubmatch(html, -1) {
			labelled[unquote(m[1])] = true
		}
		for _, input := range inputRe.FindAllString(html, -1) {
			if strings.Contains(input, "type=hidden") {
				continue
			}
			id := idRe.FindStringSubmatch(input)
			if id == nil || !labelled[unquote(id[1])] {
				t.Errorf("%s: field without a label: %s", page, input)
			}
		}
	}
}

// The join form posts every field the join endpoint reads.
func TestJoinFormFields(t *testing.T) {
	dest := buildRepoSite(t)
	for _, page := range []string{"gabung/index.html", "kampanye/f-hukatan/index.html", "kampanye/lampung-651/index.html"} {
		data, err := os.ReadFile(filepath.Join(dest, page))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		if !strings.Contains(html, "<form method=post action=/api/join") {
			t.Errorf("%s: the form does not post to /api/join", page)
		}
		for _, field := range []string{"name", "phone", "workplace", "city", "federation", "sector", "consent", "source"} {
			if !strings.Contains(html, "name="+field+">") && !strings.Contains(html, "name="+field+" ") {
				t.Errorf("%s: the form has no %s field", page, field)
			}
		}
	}
}

// Headings go down one level at a time (h1, h2, h3), so screen reader users
// can move through a page by its outline.
func TestHeadingsInOrder(t *testing.T) {
	dest := buildRepoSite(t)
	heading := regexp.MustCompile(`<h([1-6])\b`)
	for page, data := range pages(t, dest) {
		prev := 0
		for _, m := range heading.FindAllStringSubmatch(string(data), -1) {
			level := int(m[1][0] - '0')
			if level > prev+1 {
				t.Errorf("%s: h%d follows h%d", page, level, prev)
			}
			prev = level
		}
	}
}
