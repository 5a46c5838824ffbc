// Package check reviews a site before it is published, the way a careful
// editor would, and says where each problem is.
//
// Run builds the site in memory (writing nothing, not even the build
// cache) and reports, as path:line: message:
//
//   - everything that stops a build: front matter, templates, links to .md
//     pages or headings that do not exist, missing or broken images;
//   - images without alt text (a warning in a build, an error here);
//   - links written as site URLs (/modul/01-dasar/ or foto/aksi.jpg) to pages
//     or files the built site does not have, and to #anchors those pages
//     lack; links in templates and menus too, at the template line or menu
//     entry that names them (else at the first page showing them);
//   - pages whose HTML weighs more than the budget, gzip-compressed, and
//     published images over theirs ([check] pageKB and imageKB in
//     serikat.toml, 30 and 250 by default);
//   - modules (pages of type modul) without objectives (tujuan) or duration
//     (durasi); campaign pages (type kampanye) without a federation
//     (federasi) or a target;
//   - the page the join form sends a worker to after signing up ([join]
//     thanks), and the section pages templates fetch by name (such as the
//     home page's .Site.GetPage "modul/_index.md") while their sections
//     have pages;
//   - two pages with the same title;
//   - headings that skip a level (a ### under the page's title with no ##
//     before it), which screen readers announce as a gap;
//   - with Options.External, links to other sites that do not answer, or
//     answer with an error: checked with a timeout, a few at a time, and
//     remembered for a day in .serikat/links.json so a re-run is quick.
//
// Warnings (Problem.Warning) are things to look at that do not stop a
// site from being published:
//
//   - text serikat init left for the federation to write, marked [ISI: …];
//   - on Netlify (the site has a netlify.toml), a join form that posts to
//     the site's own /api/join with no rule passing it on to a join
//     endpoint, or one passing it to an example address;
//   - on GitHub Pages (a workflow deploys it with actions/deploy-pages), a
//     join form that posts to Netlify Forms or to the site's own address,
//     neither of which Pages can receive;
//   - a [join] endpoint at an example address (RFC 2606), anywhere.
package check

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/serikat-id/serikat/internal/campaign"
	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/site"
)

// Options configure a check.
type Options struct {
	Source string // the site's folder
	// External checks links to other sites over the network.
	External bool
	// LinkCache remembers external results between runs; "" keeps none.
	LinkCache string
	// Client makes the external requests; default a client with Timeout.
	Client *http.Client
	// Timeout is how long one external link may take; default 10 s.
	Timeout time.Duration
	// Concurrency is how many external links are checked at once; default 8.
	Concurrency int
	// Now is the time pages are dated against; default time.Now().
	Now time.Time
	// Lang is the language of the problems' messages (see package msg).
	Lang msg.Lang
}

// Problem is one thing to fix.
type Problem struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	// Warning marks something to look at that does not stop publishing.
	Warning bool `json:"warning,omitempty"`
}

func (p Problem) String() string { return p.In(msg.English) }

// In is String with "warning" in lang; the message is in the language of
// Options.Lang.
func (p Problem) In(lang msg.Lang) string {
	text := p.Message
	if p.Warning {
		text = msg.Word(msg.Warning, lang) + ": " + text
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, text)
	}
	return p.Path + ": " + text
}

// Report is what a check found.
type Report struct {
	Pages    int       `json:"pages"`
	Problems []Problem `json:"problems"` // sorted by path and line
	lang     msg.Lang  // of the messages
}

// Errors counts the problems that are not warnings.
func (r *Report) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Warning {
			n++
		}
	}
	return n
}

// Run checks the site in opts.Source. It returns an error only when the
// check itself cannot run; problems in the site are in the Report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	built, err := site.BuildInMemory(ctx, site.Options{Source: opts.Source, BaseURL: "/", Now: opts.Now})
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, err
	}
	c := &checker{opts: opts, report: &Report{lang: opts.Lang}}
	c.report.add(err)
	if built == nil || built.Site == nil {
		return c.report.sorted(), nil // the build's problems say why
	}
	for _, w := range built.Report.Warnings {
		if errors.Is(w, site.ErrNoHost) {
			continue // check builds with the path "/" on purpose, to read links
		}
		c.report.add(w)
	}
	// what the build read and rendered: nothing is read or rendered twice
	c.cfg, c.site, c.texts, c.outputs = built.Config, built.Site, built.Texts, built.Outputs
	c.report.Pages = len(c.site.Regular)
	var external []link
	for _, p := range c.site.All {
		if text, ok := c.texts[p.File]; ok && p.File != "" {
			external = append(external, c.page(p, text)...)
		}
	}
	c.frontMatter()
	c.titles()
	c.budgets()
	c.templateLinks()
	c.sectionPages()
	c.joinFlow()
	c.placeholders()
	if opts.External {
		if err := c.external(ctx, external); err != nil {
			return nil, err
		}
	}
	return c.report.sorted(), nil
}

type checker struct {
	opts    Options
	cfg     *config.Config
	site    *content.Site
	texts   map[string]site.Text // by page file
	outputs map[string][]byte    // what could be built
	report  *Report
	// seen are the site URLs Markdown links to, so template links are not
	// reported twice
	seen map[string]bool
	src  []sourceFile // see sources
}

func (r *Report) add(err error) {
	for _, e := range diag.Flatten(err) {
		var d *diag.Error
		if errors.As(e, &d) {
			text := d.Msg
			if d.Text != nil {
				text = d.Text.In(r.lang)
			}
			r.Problems = append(r.Problems, Problem{Path: d.Path, Line: d.Line, Message: text, Warning: d.Warning})
		} else {
			r.Problems = append(r.Problems, Problem{Path: ".", Message: e.Error()})
		}
	}
}

func (r *Report) addf(path string, line int, key msg.Key, args ...any) {
	t := msg.New(key, args...)
	r.Problems = append(r.Problems, Problem{Path: path, Line: line, Message: t.In(r.lang)})
}

func (r *Report) warnf(path string, line int, key msg.Key, args ...any) {
	r.addf(path, line, key, args...)
	r.Problems[len(r.Problems)-1].Warning = true
}

func (r *Report) sorted() *Report {
	slices.SortStableFunc(r.Problems, func(a, b Problem) int {
		if a.Path != b.Path {
			return strings.Compare(a.Path, b.Path)
		}
		return a.Line - b.Line
	})
	r.Problems = slices.Compact(r.Problems)
	return r
}

// link is a link in a page's Markdown.
type link struct {
	page  *content.Page
	dest  string
	image bool
	line  int // in the page's file
}

// page checks one page's headings and site links, and returns its links
// to other sites.
func (c *checker) page(p *content.Page, res site.Text) (external []link) {
	// the page's title is its h1; the text's headings start at h2
	level := 1
	for _, h := range res.Headings {
		if h.Level > level+1 {
			c.report.addf(p.File, p.BodyLine+h.Line-1, msg.HeadingSkips,
				h.Text, h.Level, level, strings.Repeat("#", level+1))
		}
		level = h.Level
	}
	for _, ml := range res.Links {
		l := link{page: p, dest: ml.Dest, image: ml.Image, line: p.BodyLine + ml.Line - 1}
		switch {
		case strings.HasPrefix(l.dest, "http://") || strings.HasPrefix(l.dest, "https://"):
			external = append(external, l)
		case l.image, strings.Contains(l.dest, ":"), strings.HasPrefix(l.dest, "#"), strings.HasPrefix(l.dest, "//"):
			// images, mailto: and tel:, and same-page anchors are the build's
		default:
			c.siteLink(l)
		}
	}
	return external
}

// siteLink checks a link to a page or file of this site.
func (c *checker) siteLink(l link) {
	rawPath, fragment, _ := strings.Cut(l.dest, "#")
	rawPath, _, _ = strings.Cut(rawPath, "?")
	if strings.HasSuffix(rawPath, ".md") {
		return // .md links are checked by the build
	}
	var target string
	if strings.HasPrefix(rawPath, "/") {
		target = rawPath
	} else {
		// a file beside the page, as the build resolves it, or else a URL
		// relative to the page's own
		src := path.Join(path.Dir(l.page.File), rawPath)
		for _, f := range c.site.Files {
			if f.Src == src {
				target = f.URL
			}
		}
		if target == "" {
			target = path.Join(l.page.URL, rawPath)
			if strings.HasSuffix(rawPath, "/") {
				target += "/"
			}
		}
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[target] = true
	name, ok := c.output(target)
	if !ok {
		if c.isEndpoint(target) {
			return
		}
		c.report.addf(l.page.File, l.line, msg.LinkNowhere, l.dest, target)
		return
	}
	if fragment != "" && strings.HasSuffix(name, ".html") && !hasID(c.outputs[name], fragment) {
		c.report.addf(l.page.File, l.line, msg.LinkNoID, l.dest, target, fragment)
	}
}

// output finds the built file a site path serves.
func (c *checker) output(target string) (string, bool) {
	name := strings.TrimPrefix(target, "/")
	for _, n := range []string{name, strings.TrimSuffix(name, "/") + "/index.html"} {
		if n == "/index.html" {
			n = "index.html"
		}
		if _, ok := c.outputs[n]; ok {
			return n, true
		}
	}
	return "", false
}

// isEndpoint reports whether target is served by the join endpoint rather
// than by files.
func (c *checker) isEndpoint(target string) bool {
	api := path.Dir(c.cfg.Join.Endpoint) // "/api" for "/api/join"
	return api != "/" && api != "." && strings.HasPrefix(target, api+"/")
}

var idAttr = regexp.MustCompile(`\sid=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))`)

func hasID(page []byte, id string) bool {
	for _, m := range idAttr.FindAllSubmatch(page, -1) {
		if string(m[1]) == id || string(m[2]) == id || string(m[3]) == id {
			return true
		}
	}
	return false
}

// frontMatter checks the keys the theme's modules and campaigns need.
func (c *checker) frontMatter() {
	for _, p := range c.site.Regular {
		if p.File == "" {
			continue
		}
		// keys of the wrong type or form are the build's errors; here, what
		// is missing
		switch {
		case campaign.IsModule(p):
			m, _ := campaign.DecodeModule(p)
			if len(m.Objectives) == 0 {
				c.report.addf(p.File, p.Line("title"), msg.ModuleNoObjectives)
			}
			if m.Duration == "" {
				c.report.addf(p.File, p.Line("title"), msg.ModuleNoDuration)
			}
		case campaign.IsCampaign(p):
			k, _ := campaign.Decode(p)
			// a joint campaign (bersama: true) lets each worker pick a
			// federation in the form
			if k.Federation == "" && !k.Joint && !slices.Contains(k.Invalid, "federasi") {
				c.report.addf(p.File, p.LineOr("federasi", "title"), msg.CampaignNoFederation)
			}
			c.target(p, k)
			// a worker who wants to ask first must find someone to ask (a
			// joint campaign sends each worker to a federation's own page)
			if k.Contact == "" && !k.Joint && !slices.Contains(k.Invalid, "kontak") {
				c.report.addf(p.File, p.LineOr("kontak", "title"), msg.CampaignNoContact)
			}
			if k.Sector == "" && !k.Joint && !slices.Contains(k.Invalid, "sektor") {
				c.report.addf(p.File, p.LineOr("sektor", "title"), msg.CampaignNoSector)
			}
			if k.EndedBy(c.opts.Now) {
				c.report.addf(p.File, p.LineOr("tenggat", "title"), msg.CampaignEnded, k.Deadline.Format("2006-01-02"))
			}
		}
	}
}

// target checks that a campaign has a target, or shares a joint
// campaign's (bagianDari).
func (c *checker) target(p *content.Page, k *campaign.Campaign) {
	if k.Target > 0 || slices.Contains(k.Invalid, "target") {
		return // a target, or one written wrongly, which the build reports
	}
	ref := k.PartOf
	if ref == "" {
		c.report.addf(p.File, p.Line("target"), msg.CampaignNoTarget)
		return
	}
	target := path.Join(content.Dir, strings.TrimPrefix(ref, content.Dir+"/"))
	joint, ok := c.site.ByFile[target]
	if !ok {
		if !slices.Contains(k.Invalid, "bagianDari") { // else the schema's check said so
			c.report.addf(p.File, p.Line("bagianDari"), msg.PageRefMissing, "bagianDari", ref, target)
		}
		return
	}
	if j, _ := campaign.Decode(joint); j.Target <= 0 {
		c.report.addf(p.File, p.Line("bagianDari"), msg.PartOfNoTarget, ref)
	}
}

// titles reports pages that share a title.
func (c *checker) titles() {
	first := map[string]*content.Page{}
	pages := slices.Clone(c.site.All)
	slices.SortFunc(pages, func(a, b *content.Page) int { return strings.Compare(a.File, b.File) })
	for _, p := range pages {
		if p.File == "" || p.Title == "" {
			continue
		}
		key := strings.ToLower(strings.Join(strings.Fields(p.Title), " "))
		if prev, ok := first[key]; ok {
			c.report.addf(p.File, p.Line("title"), msg.TitleTaken, p.Title, prev.File)
			continue
		}
		first[key] = p
	}
}

// budgets checks the weight of every page and image.
func (c *checker) budgets() {
	byOutput := map[string]string{}
	for _, p := range c.site.All {
		if p.File != "" {
			byOutput[outPath(p.URL)] = p.File
		}
	}
	for _, f := range c.site.Files {
		byOutput[strings.TrimPrefix(f.URL, "/")] = f.Src
	}
	for _, name := range slices.Sorted(maps.Keys(c.outputs)) {
		data := c.outputs[name]
		src, ok := byOutput[name]
		if !ok {
			src = "public/" + name
		}
		switch {
		case strings.HasSuffix(name, ".html"):
			if size := gzipSize(data); size > c.cfg.Check.PageKB*1024 {
				c.report.addf(src, 0, msg.PageTooHeavy,
					float64(size)/1024, c.cfg.Check.PageKB)
			}
		case isImage(name):
			if len(data) > c.cfg.Check.ImageKB*1024 {
				c.report.addf(src, 0, msg.ImageTooHeavy,
					float64(len(data))/1024, c.cfg.Check.ImageKB)
			}
		}
	}
}

var hrefAttr = regexp.MustCompile(`<(?:a|link|img|script|source)\b[^>]*?\s(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))`)

// templateLinks checks the links every page's template and menus add:
// each broken URL once, at the first page that shows it.
func (c *checker) templateLinks() {
	reported := map[string]bool{}
	names := slices.Sorted(maps.Keys(c.outputs))
	// the home page first: a menu's broken link is best shown there
	slices.SortStableFunc(names, func(a, b string) int {
		return boolInt(b == "index.html") - boolInt(a == "index.html")
	})
	for _, name := range names {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefAttr.FindAllSubmatch(c.outputs[name], -1) {
			u := string(m[1]) + string(m[2]) + string(m[3])
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
				continue
			}
			u, _, _ = strings.Cut(u, "#")
			u, _, _ = strings.Cut(u, "?")
			if reported[u] || c.seen[u] || c.isEndpoint(u) {
				continue
			}
			if _, ok := c.output(u); !ok {
				reported[u] = true
				// at the menu entry or template that names it, when one does
				if file, line, ok := c.namedAt(`"` + u + `"`); ok {
					c.report.addf(file, line, msg.LinkNowhereShown, u, name)
					continue
				}
				c.report.addf("public/"+name, 0, msg.LinkNowhereTemplate, u)
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func outPath(url string) string {
	p := strings.TrimPrefix(url, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

func isImage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif":
		return true
	}
	return false
}

func gzipSize(data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}
