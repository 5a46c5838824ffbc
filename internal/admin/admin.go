// Package admin is the content editor a site publishes at /admin/: Decap
// CMS, pinned to one release and embedded in the binary, with a
// configuration made from the site, so that a trainer edits modules,
// campaigns, news and the site's pages in a form instead of in Markdown.
//
// # The editor
//
// The files under decap/ are the JavaScript of the npm package decap-cms
// at Version, unchanged: decap-cms.js, the chunks it loads by name, its
// two WebAssembly files, the bundled libraries' licence notices, and
// LICENSE (MIT). SHA256SUMS holds each file's SHA-256; a test fails when
// a file differs from it. To move to another release, run update.sh with
// the version and change Version.
//
// The editor is served from the site's own origin: /admin/ loads no
// script from another host. CSP is the policy netlify.toml gives /admin/:
// what Decap needs (inline styles, its GitHub API calls, avatars), and no
// more; the rest of the site keeps its strict policy.
//
// # What a build publishes
//
// Files returns, for Site, admin/index.html, admin/config.yml (see
// Config), admin/serikat-admin.js (the preview's stylesheet and the
// Indonesian words of the editor) and the editor's files. Nothing of it is
// linked from the public pages.
//
// # Logging in
//
// On the published site the editor commits to the GitHub repository named
// in serikat.toml ([admin] repo), after the editor logs in with GitHub
// through Netlify's OAuth provider. Under "serikat serve" it reads and
// writes the site's files instead, through the local backend (package
// cmsapi), with no login: ServeConfig adds local_backend to config.yml.
package admin

import (
	"crypto/sha256"
	"embed"
	"io/fs"
	"strings"
)

// Version is the decap-cms release embedded.
const Version = "3.16.3"

// Dir is the folder of the published site the editor lives in.
const Dir = "admin"

// CSP is the Content-Security-Policy of /admin/ (netlify.toml's
// [[headers]] for "/admin/*"; "serikat serve" sends it too). Decap CMS
// styles its components with inline styles and loads its chunks and
// WebAssembly from its own folder, compiles its configuration's schema
// with new Function (unsafe-eval; no inline script runs), and with the GitHub backend it calls
// api.github.com and shows the user's avatar.
const CSP = "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob: https://avatars.githubusercontent.com; connect-src 'self' blob: https://api.github.com; " +
	"font-src 'self' data:; frame-src 'self' blob:; media-src 'self' blob:; manifest-src 'self'; worker-src 'self' blob:; " +
	"form-action 'none'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

//go:embed decap SHA256SUMS
var embedded embed.FS

// Editor returns the editor's files (decap-cms.js and what it loads), as
// they are published under admin/.
func Editor() fs.FS {
	sub, err := fs.Sub(embedded, "decap")
	if err != nil {
		panic(err) // the folder is embedded
	}
	return sub
}

// Sums returns the recorded SHA-256 of each of the editor's files, by name.
func Sums() map[string]string {
	data, err := embedded.ReadFile("SHA256SUMS")
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if ok {
			out[name] = sum
		}
	}
	return out
}

// File is one file of /admin/: its path in the published site, a key that
// changes whenever its bytes do, and its bytes.
type File struct {
	Name string
	Key  [16]byte
	Data func() []byte
}

// Files returns every file /admin/ holds for s.
func Files(s Site) ([]File, error) {
	conf, err := Config(s)
	if err != nil {
		return nil, err
	}
	index := indexHTML(s)
	js := []byte(adminJS)
	out := []File{
		{Name: Dir + "/index.html", Key: key(string(index)), Data: func() []byte { return index }},
		{Name: Dir + "/config.yml", Key: key(string(conf)), Data: func() []byte { return conf }},
		{Name: Dir + "/serikat-admin.js", Key: key(adminJS), Data: func() []byte { return js }},
	}
	sums := Sums()
	err = fs.WalkDir(Editor(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		out = append(out, File{Name: Dir + "/" + name, Key: key(sums[name]), Data: func() []byte {
			data, _ := fs.ReadFile(Editor(), name)
			return data
		}})
		return nil
	})
	return out, err
}

func key(s string) [16]byte {
	sum := sha256.Sum256([]byte(Version + "\x00" + s))
	var k [16]byte
	copy(k[:], sum[:])
	return k
}
