package main

import (
	"context"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/admin"
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
