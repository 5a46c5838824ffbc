package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/msg"
)

// sourceFile is a file of the site's settings or templates, by lines.
type sourceFile struct {
	path  string
	lines []string
}

// sources are serikat.toml, then every template under layouts/, read
// once: where the links and pages a theme names come from.
func (c *checker) sources() []sourceFile {
	if c.src != nil {
		return c.src
	}
	c.src = []sourceFile{}
	fsys := os.DirFS(c.opts.Source)
	names := []string{config.FileName}
	fs.WalkDir(fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".html" {
			names = append(names, p)
		}
		return nil
	})
	for _, name := range names {
		if data, err := fs.ReadFile(fsys, name); err == nil {
			c.src = append(c.src, sourceFile{name, strings.Split(string(data), "\n")})
		}
	}
	return c.src
}

// namedAt finds the first line of the settings or templates that contains
// s, or reports false.
func (c *checker) namedAt(s string) (file string, line int, ok bool) {
	for _, f := range c.sources() {
		for i, l := range f.lines {
			if strings.Contains(l, s) {
				return f.path, i + 1, true
			}
		}
	}
	return "", 0, false
}

var getPageRef = regexp.MustCompile(`\.GetPage\s+"([^"]+)"`)

// sectionPages checks the pages templates fetch by name, such as the
// home page's {{ with .Site.GetPage "modul/_index.md" }}: a section's
// _index.md that is missing while the section has pages leaves them out
// of that template without a word.
func (c *checker) sectionPages() {
	for _, f := range c.sources() {
		for i, l := range f.lines {
			for _, m := range getPageRef.FindAllStringSubmatch(l, -1) {
				ref := strings.TrimPrefix(m[1], "/")
				dir, ok := strings.CutSuffix(ref, "/_index.md")
				if !ok {
					continue
				}
				if _, ok := c.site.ByFile[path.Join(content.Dir, ref)]; ok {
					continue
				}
				n := 0
				for _, p := range c.site.Regular {
					if strings.HasPrefix(p.File, path.Join(content.Dir, dir)+"/") {
						n++
					}
				}
				if n > 0 {
					c.report.addf(f.path, i+1, msg.SectionPageMissing,
						m[1], count(n, "page"), path.Join(content.Dir, dir), path.Join(content.Dir, ref))
				}
			}
		}
	}
}

var formAction = regexp.MustCompile(`<form\b[^>]*?\saction=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))`)

// joinFlow checks where the join form leads: the page a worker lands on
// after signing up ([join] thanks, where the endpoint redirects and the
// theme's script goes) must exist, and on Netlify the form must post to
// an address that answers.
func (c *checker) joinFlow() {
	j := c.cfg.Join
	var form string // the first page with a join form
	for _, name := range slices.Sorted(maps.Keys(c.outputs)) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range formAction.FindAllSubmatch(c.outputs[name], -1) {
			if a := string(m[1]) + string(m[2]) + string(m[3]); a == j.Endpoint || a == j.Thanks {
				form = name
			}
		}
		if form != "" {
			break
		}
	}
	if form == "" {
		return
	}
	settings := c.settings()
	if _, ok := c.output(j.Thanks); !ok {
		file, line := config.FileName, config.KeyLine(settings, "thanks")
		if line == 0 {
			var ok bool
			if file, line, ok = c.namedAt(".Thanks"); !ok {
				file = "public/" + form
			}
		}
		c.report.addf(file, line, msg.ThanksMissing, j.Thanks, j.Thanks)
	}
	c.netlifyEndpoint(settings)
	c.pagesEndpoint(settings)
	if u, err := url.Parse(j.Endpoint); err == nil && u.IsAbs() && placeholderHost(u.Hostname()) && j.Backend == config.BackendEndpoint {
		c.report.warnf(config.FileName, config.KeyLine(settings, "endpoint"), msg.JoinEndpointExample, j.Endpoint)
	}
}

// pagesEndpoint warns when a site published on GitHub Pages (a workflow
// deploys it) has its form post where GitHub Pages cannot take it: to
// Netlify Forms, or to the site's own address.
func (c *checker) pagesEndpoint(settings []byte) {
	workflow := c.pagesWorkflow()
	if workflow == "" {
		return
	}
	j := c.cfg.Join
	switch {
	case j.Backend != config.BackendEndpoint:
		c.report.warnf(config.FileName, config.KeyLine(settings, "backend"), msg.JoinPagesForms, workflow)
	case strings.HasPrefix(j.Endpoint, "/"):
		line := config.KeyLine(settings, "endpoint")
		if line == 0 {
			line = config.KeyLine(settings, "backend")
		}
		c.report.warnf(config.FileName, line, msg.JoinPagesSameOrigin, j.Endpoint, workflow)
	}
}

// pagesWorkflow is the GitHub Actions workflow that deploys the site to
// GitHub Pages, or "".
func (c *checker) pagesWorkflow() string {
	src := os.DirFS(c.opts.Source)
	files, _ := fs.Glob(src, ".github/workflows/*.y*ml") // .yml and .yaml
	for _, f := range files {
		data, err := fs.ReadFile(src, f)
		if err == nil && bytes.Contains(data, []byte("actions/deploy-pages")) {
			return f
		}
	}
	return ""
}

// netlifyEndpoint warns when a site published on Netlify (it has a
// netlify.toml) has its form post to its own origin, where no rule passes
// the post on to a join endpoint, or passes it to an example address.
func (c *checker) netlifyEndpoint(settings []byte) {
	j := c.cfg.Join
	if j.Backend != config.BackendEndpoint || !strings.HasPrefix(j.Endpoint, "/") {
		return // Netlify Forms, or an endpoint on another origin
	}
	n, err := config.LoadNetlify(os.DirFS(c.opts.Source))
	if err != nil {
		c.report.add(err)
		return
	}
	if n == nil {
		return // the host is not known
	}
	rule := n.Match(j.Endpoint)
	if rule == nil || !rule.Proxies() {
		line := config.KeyLine(settings, "endpoint")
		if line == 0 {
			line = config.KeyLine(settings, "backend")
		}
		c.report.warnf(config.FileName, line, msg.JoinNotPassed, j.Endpoint)
		return
	}
	if u, err := url.Parse(rule.To); err == nil && placeholderHost(u.Hostname()) {
		c.report.warnf(config.NetlifyFileName, rule.Line, msg.JoinExampleAddress, j.Endpoint, u.Host)
	}
}

// placeholderHost reports whether host is a name kept for examples (RFC
// 2606) or this machine, which Netlify cannot reach.
func placeholderHost(host string) bool {
	host = strings.ToLower(host)
	for _, h := range []string{"example.com", "example.net", "example.org", "example", "invalid", "test", "localhost"} {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return host == "127.0.0.1" || host == "::1"
}

// settings is serikat.toml's text, for the lines of its keys.
func (c *checker) settings() []byte {
	data, _ := os.ReadFile(path.Join(c.opts.Source, config.FileName))
	return data
}

var placeholder = regexp.MustCompile(`\[ISI:[^\]]*\]`)

// placeholders warns about text serikat init left for the federation to
// write, marked [ISI: …].
func (c *checker) placeholders() {
	for _, p := range c.site.All {
		if p.File == "" {
			continue
		}
		data, err := os.ReadFile(path.Join(c.opts.Source, p.File))
		if err != nil {
			continue
		}
		for _, m := range placeholder.FindAllIndex(data, -1) {
			line := 1 + bytes.Count(data[:m[0]], []byte("\n"))
			text := strings.Join(strings.Fields(string(data[m[0]:m[1]])), " ")
			c.report.warnf(p.File, line, msg.Placeholder, text)
		}
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
