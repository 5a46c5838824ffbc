package main

import (
	"os"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// netlify.toml deploys from a clean clone and passes the join endpoint
// through on the site's own origin.
func TestNetlifyConfig(t *testing.T) {
	data, err := os.ReadFile("../../netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Build struct {
			Command     string            `toml:"command"`
			Publish     string            `toml:"publish"`
			Environment map[string]string `toml:"environment"`
		} `toml:"build"`
		Context   map[string]struct{ Command string } `toml:"context"`
		Redirects []struct {
			From, To string
			Status   int
			Force    bool
		} `toml:"redirects"`
	}
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
		}
	}
	if !found {
		t.Error("no /api/* proxy to the join endpoint")
	}
}
