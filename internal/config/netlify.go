package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/serikat-id/serikat/internal/diag"
)

// NetlifyFileName is Netlify's settings file at the root of a site.
const NetlifyFileName = "netlify.toml"

// Netlify is what Serikat reads of netlify.toml: its redirect rules, in
// the order Netlify tries them (the first that matches wins).
type Netlify struct {
	Redirects []NetlifyRedirect
}

// NetlifyRedirect is one [[redirects]] rule. A rule whose To is an
// http(s) address and whose Status is 200 passes requests on (a proxy).
type NetlifyRedirect struct {
	From   string `toml:"from"`
	To     string `toml:"to"`
	Status int    `toml:"status"`
	Line   int    `toml:"-"` // of its from = line in netlify.toml
}

// LoadNetlify reads netlify.toml at the root of fsys; it returns nil and no
// error when there is none. Keys Serikat does not read are ignored.
func LoadNetlify(fsys fs.FS) (*Netlify, error) {
	data, err := fs.ReadFile(fsys, NetlifyFileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &diag.Error{Path: NetlifyFileName, Msg: err.Error(), Err: err}
	}
	var n Netlify
	if err := toml.Unmarshal(data, &struct {
		Redirects *[]NetlifyRedirect `toml:"redirects"`
	}{&n.Redirects}); err != nil {
		line := 0
		var decErr *toml.DecodeError
		if errors.As(err, &decErr) {
			line, _ = decErr.Position()
		}
		return nil, &diag.Error{Path: NetlifyFileName, Line: line, Msg: err.Error(), Err: err}
	}
	// the rules' from = lines, in order
	lines := strings.Split(string(data), "\n")
	next := 0
	for i := range n.Redirects {
		for j := next; j < len(lines); j++ {
			k, v, ok := strings.Cut(lines[j], "=")
			if ok && strings.TrimSpace(k) == "from" && strings.Contains(v, fmt.Sprintf("%q", n.Redirects[i].From)) {
				n.Redirects[i].Line, next = j+1, j+1
				break
			}
		}
	}
	return &n, nil
}

// Match returns the first rule that a request for the site path p meets,
// or nil. A from ending in /* matches everything under it.
func (n *Netlify) Match(p string) *NetlifyRedirect {
	for i, r := range n.Redirects {
		if prefix, ok := strings.CutSuffix(r.From, "*"); ok && strings.HasPrefix(p, prefix) || r.From == p {
			return &n.Redirects[i]
		}
	}
	return nil
}

// Proxies reports whether the rule passes requests on to another address.
func (r *NetlifyRedirect) Proxies() bool {
	return r.Status == 200 && (strings.HasPrefix(r.To, "https://") || strings.HasPrefix(r.To, "http://"))
}
