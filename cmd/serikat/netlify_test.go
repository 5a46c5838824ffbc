package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/net/html"

	"github.com/serikat-id/serikat/internal/site"
)

// netlifyFile is what the tests read of a netlify.toml.
type netlifyFile struct {
	Build struct {
		Command     string            `toml:"command"`
		Publish     string            `toml:"publish"`
		Environment map[string]string `toml:"environment"`
	} `toml:"build"`
	Context   map[string]struct{ Command string } `toml:"context"`
	Headers   netlifyHeaders                      `toml:"headers"`
	Redirects []struct {
		From, To, Signed string
		Status           int
		Force            bool
	} `toml:"redirects"`
}

// netlify.toml deploys from a clean clone and passes the join endpoint
// through on the site's own origin.
func TestNetlifyConfig(t *testing.T) {
	data, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg netlifyFile
	if err := toml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Build.Publish != "public" || !strings.Contains(cfg.Build.Command, "./cmd/serikat build --base-url \"$URL/\"") {
		t.Errorf("build = %+v", cfg.Build)
	}
	if !strings.HasPrefix(cfg.Build.Environment["GO_VERSION"], "1.26") {
		t.Errorf("Go is not pinned to 1.26: %v", cfg.Build.Environment)
	}
	for _, ctx := range []string{"deploy-preview", "branch-deploy"} {
		if !strings.Contains(cfg.Context[ctx].Command, "$DEPLOY_PRIME_URL/") {
			t.Errorf("%s does not build with its own URL: %q", ctx, cfg.Context[ctx].Command)
		}
	}
	found := false
	for _, r := range cfg.Redirects {
		if r.From == "/api/*" {
			found = true
			if r.Status != 200 || !r.Force || !strings.HasSuffix(r.To, "/api/:splat") || !strings.HasPrefix(r.To, "https://") {
				t.Errorf("the /api proxy = %+v, want status 200, forced, to https://…/api/:splat", r)
			}
			// signed, so the endpoint can tell Netlify's client address
			// header from one a client forged
			if r.Signed != "SERIKAT_PROXY_SECRET" {
				t.Errorf("the /api proxy is signed with %q, want the SERIKAT_PROXY_SECRET variable the README names", r.Signed)
			}
		}
	}
	if !found {
		t.Error("no /api/* proxy to the join endpoint")
	}
}

// netlifyHeaders are netlify.toml's header rules.
type netlifyHeaders []struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

func loadNetlifyHeaders(t testing.TB) netlifyHeaders {
	t.Helper()
	data, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Headers netlifyHeaders `toml:"headers"`
	}
	if err := toml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg.Headers
}

// forPath returns the headers Netlify sends for a path: the values of
// every matching rule, later rules overriding earlier ones (as Netlify's
// headers engine merges them).
func (h netlifyHeaders) forPath(p string) map[string]string {
	out := map[string]string{}
	for _, rule := range h {
		prefix, splat := strings.CutSuffix(rule.For, "*")
		if (splat && strings.HasPrefix(p, prefix)) || (!splat && p == rule.For) {
			for k, v := range rule.Values {
				out[k] = v
			}
		}
	}
	return out
}

// csp is a parsed Content-Security-Policy: directive → sources.
type csp map[string][]string

func parseCSP(s string) csp {
	out := csp{}
	for _, d := range strings.Split(s, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[strings.ToLower(f[0])] = f[1:]
		}
	}
	return out
}

// sources returns the sources a directive allows, following CSP's
// fallbacks; ok is false when nothing governs it (everything allowed).
func (c csp) sources(directive string) (src []string, ok bool) {
	chain := map[string][]string{
		"worker-src": {"worker-src", "child-src", "script-src", "default-src"},
		"frame-src":  {"frame-src", "child-src", "default-src"},
	}[directive]
	if chain == nil {
		chain = []string{directive}
		if strings.HasSuffix(directive, "-src") && directive != "base-uri" {
			chain = append(chain, "default-src")
		}
	}
	for _, d := range chain {
		if s, ok := c[d]; ok {
			return s, true
		}
	}
	return nil, false
}

// allows reports whether directive lets the page at origin load u.
func (c csp) allows(directive, origin, u string) bool {
	src, ok := c.sources(directive)
	if !ok {
		return true
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	for _, s := range src {
		switch {
		case s == "'none'":
			return false
		case s == "*" && parsed.Scheme != "data":
			return true
		case s == "'self'" && (parsed.Host == "" && parsed.Scheme == "" || parsed.Scheme+"://"+parsed.Host == origin):
			return true
		case strings.HasSuffix(s, ":") && parsed.Scheme+":" == s:
			return true
		case strings.Contains(s, "://") && strings.HasPrefix(u, s):
			return true
		}
	}
	return false
}

// inlineAllowed reports whether an inline script or style with this body
// runs under directive: by 'unsafe-inline' or by its hash.
func (c csp) inlineAllowed(directive, body string) bool {
	src, _ := c.sources(directive)
	sum := sha256.Sum256([]byte(body))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	return slices.Contains(src, "'unsafe-inline'") || slices.Contains(src, hash)
}

// violations lists what in an HTML page the policy would block.
func (c csp) violations(origin string, page []byte) []string {
	var out []string
	block := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	z := html.NewTokenizer(bytes.NewReader(page))
	var inScript, inStyle bool
	var body strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inScript || inStyle {
				body.WriteString(tok.Data)
			}
			continue
		case html.EndTagToken:
			if inScript && tok.Data == "script" && body.Len() > 0 && !c.inlineAllowed("script-src", body.String()) {
				block("inline <script> %.40q", body.String())
			}
			if inStyle && tok.Data == "style" && !c.inlineAllowed("style-src", body.String()) {
				block("inline <style> %.40q", body.String())
			}
			inScript, inStyle = false, false
			body.Reset()
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		attr := map[string]string{}
		for _, a := range tok.Attr {
			attr[a.Key] = a.Val
			if strings.HasPrefix(a.Key, "on") && !c.inlineAllowed("script-src", a.Val) {
				block("<%s %s=…>: an inline event handler", tok.Data, a.Key)
			}
			if a.Key == "style" {
				block("<%s style=%q>: an inline style", tok.Data, a.Val)
			}
			if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				block("<%s %s=javascript:…>", tok.Data, a.Key)
			}
		}
		need := func(directive, u string) {
			if u != "" && !c.allows(directive, origin, u) {
				block("<%s> loads %s, which %s does not allow", tok.Data, u, directive)
			}
		}
		switch tok.Data {
		case "script":
			if t := attr["type"]; t == "" || strings.Contains(t, "javascript") || t == "module" {
				inScript = attr["src"] == ""
				need("script-src", attr["src"])
			}
		case "style":
			inStyle = true
		case "link":
			switch rel := strings.ToLower(attr["rel"]); {
			case strings.Contains(rel, "stylesheet"):
				need("style-src", attr["href"])
			case strings.Contains(rel, "icon"):
				need("img-src", attr["href"])
			case rel == "manifest":
				need("manifest-src", attr["href"])
			}
		case "img", "source":
			need("img-src", attr["src"])
			for _, cand := range strings.Split(attr["srcset"], ",") {
				if f := strings.Fields(cand); len(f) > 0 {
					need("img-src", f[0])
				}
			}
		case "form":
			action := attr["action"]
			if action == "" {
				action = "/"
			}
			need("form-action", action)
		case "iframe", "frame":
			need("frame-src", attr["src"])
		case "object", "embed":
			need("object-src", attr["data"]+attr["src"])
		case "audio", "video":
			need("media-src", attr["src"])
		case "base":
			need("base-uri", attr["href"])
		}
	}
}

// The Content-Security-Policy in netlify.toml holds for every page the
// repository's site builds, and Netlify's other headers are there.
func TestNetlifyHeadersAndCSP(t *testing.T) {
	headers := loadNetlifyHeaders(t)
	const origin = "https://serikat.example.org"
	page := headers.forPath("/modul/01-dasar-dasar-berserikat/")
	policy := parseCSP(page["Content-Security-Policy"])
	for _, want := range []struct{ directive, value string }{
		{"frame-ancestors", "'none'"}, {"script-src", "'self'"}, {"object-src", "'none'"}, {"base-uri", "'none'"},
	} {
		if got := policy[want.directive]; !slices.Equal(got, []string{want.value}) {
			t.Errorf("CSP %s = %v, want %s", want.directive, got, want.value)
		}
	}
	for _, d := range []string{"script-src", "style-src"} {
		if src, _ := policy.sources(d); slices.Contains(src, "'unsafe-inline'") || slices.Contains(src, "'unsafe-eval'") || slices.Contains(src, "*") {
			t.Errorf("CSP %s is not strict: %v", d, src)
		}
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
		"Cache-Control": "public, max-age=0, must-revalidate",
	} {
		if page[name] != want {
			t.Errorf("%s on a page = %q, want %q", name, page[name], want)
		}
	}
	if !strings.Contains(page["Permissions-Policy"], "geolocation=()") {
		t.Errorf("Permissions-Policy = %q", page["Permissions-Policy"])
	}
	for _, asset := range []string{"/css/main.0123456789.css", "/js/serikat.0123456789.js"} {
		if got := headers.forPath(asset)["Cache-Control"]; got != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control of %s = %q, want immutable", asset, got)
		}
	}

	report, err := site.BuildInMemory(context.Background(), site.Options{Source: "../..", BaseURL: origin + "/"})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for name, data := range report.Outputs {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		p := "/" + strings.TrimSuffix(name, "index.html")
		policy := parseCSP(headers.forPath(p)["Content-Security-Policy"])
		for _, v := range policy.violations(origin, data) {
			t.Errorf("%s: the CSP blocks %s", name, v)
		}
	}
	if pages < 15 {
		t.Errorf("checked only %d pages", pages)
	}
	// the policy's checker itself catches what it should
	bad := []byte(`<style>b{}</style><script>alert(1)</script><p style="x" onclick="y"><img src="https://pelacak.example.com/p.gif"><form action="https://lain.example.com/">`)
	if v := policy.violations(origin, bad); len(v) != 6 {
		t.Errorf("a page with six violations gives %d:\n%s", len(v), strings.Join(v, "\n"))
	}
}

// The netlify.toml serikat init writes builds the site with the Serikat
// that made it, fetched by Go (the site has no copy of Serikat's source),
// and sends the same headers as this repository's.
func TestInitNetlifyConfig(t *testing.T) {
	parse := func(version string) netlifyFile {
		var cfg netlifyFile
		if err := toml.Unmarshal([]byte(netlifyConfig(version, "go1.26.8")), &cfg); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	for version, want := range map[string]string{
		"v1.4.2":                             "@v1.4.2 build",
		"v0.0.0-20261201120000-0123456789ab": "@v0.0.0-20261201120000-0123456789ab build",
		"dev":                                "@latest build",
		"v0.0.0-20261201120000-0123456789ab+dirty": "@latest build",
	} {
		cfg := parse(version)
		cmds := []string{cfg.Build.Command, cfg.Context["deploy-preview"].Command, cfg.Context["branch-deploy"].Command}
		for i, url := range []string{`"$URL/"`, `"$DEPLOY_PRIME_URL/"`, `"$DEPLOY_PRIME_URL/"`} {
			if !strings.HasPrefix(cmds[i], "go run github.com/serikat-id/serikat/cmd/serikat"+want) || !strings.HasSuffix(cmds[i], "--base-url "+url) {
				t.Errorf("version %s: command %d = %q, want it to fetch serikat%s with --base-url %s", version, i, cmds[i], want, url)
			}
		}
		if cfg.Build.Publish != "public" || cfg.Build.Environment["GO_VERSION"] != "1.26.8" {
			t.Errorf("build = %+v", cfg.Build)
		}
	}
	cfg := parse("v1.4.2")
	if ours := loadNetlifyHeaders(t); !reflect.DeepEqual(cfg.Headers, ours) {
		t.Errorf("init's headers differ from netlify.toml's:\n%v\n%v", cfg.Headers, ours)
	}
	// no proxy to an example address; unknown paths get the 404 page
	if len(cfg.Redirects) != 1 || cfg.Redirects[0].From != "/*" || cfg.Redirects[0].Status != 404 {
		t.Errorf("redirects = %+v", cfg.Redirects)
	}
}
