// Package markdown turns a page's Markdown into HTML with goldmark.
//
// One Renderer is built per site and is safe for concurrent use. It reads
// GitHub-flavoured Markdown (tables, strikethrough, task lists, autolinks),
// footnotes, definition lists and {#custom-id} heading attributes, and applies
// typographic punctuation. Every heading gets an ID: a readable slug of its
// text ("Tujuan Pembelajaran" → "tujuan-pembelajaran"), unique within the page.
//
// Raw HTML inside Markdown is shown as text unless Options.Unsafe is set: a
// trainer pasting a snippet from a web page should not be able to break the
// page or run a script on a worker's phone.
//
// Links and images are handed to the caller's LinkResolver, which maps
// "02-rekrutmen.md" or "foto.jpg" to a URL and reports links to pages that do
// not exist. Links to an anchor of the same page ("#tujuan") are checked here
// against the page's own heading IDs. Problems come back in Result.Problems
// with the line in the Markdown source, never as a failed render: a page
// with a broken link still renders, and the build reports every problem.
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/slug"
)

// Options configure a Renderer.
type Options struct {
	Unsafe    bool  // pass raw HTML through instead of escaping it
	TOCLevels []int // heading levels that appear in the table of contents
}

// LinkResolver maps the destination of a link or image, as written, to the
// URL to emit. It returns an error for a destination that should exist but
// does not; the link is then left as written.
type LinkResolver interface {
	ResolveLink(dest string, image bool, line int) (string, error)
}

// ImageResolver is a LinkResolver that also knows the images a page shows:
// their published versions and size, for an <img> with srcset, width and
// height. It returns an error for an image that is missing or broken.
type ImageResolver interface {
	ResolveImage(dest string, line int) (*Picture, error)
}

// Picture is an image as an <img> shows it.
type Picture struct {
	Src    string
	Srcset string // "" when there is one version
	Sizes  string
	Width  int // 0 when not known (SVG)
	Height int
}

// Heading is one heading of a page.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int // 1-based, in the Markdown source
}

// Problem is something wrong in the source, at a 1-based line of it.
type Problem struct {
	Line    int
	Msg     string
	Warning bool      // worth fixing, but the page is fine to publish
	Text    *msg.Text // Msg as a message of the catalogue, when it is one
}

// problem makes a Problem from err, keeping its msg.Text when it has one.
func problem(line int, err error) Problem {
	p := Problem{Line: line, Msg: err.Error()}
	if t, ok := err.(msg.Text); ok {
		p.Text = &t
	}
	return p
}

// HeadingsHint says which heading IDs a page has, and the nearest to id,
// for a message about a link to a heading it lacks.
func HeadingsHint(id string, ids []string) msg.Text {
	if len(ids) == 0 {
		return msg.New(msg.HeadingsNone)
	}
	list := "#" + strings.Join(ids, ", #")
	if len(ids) > 12 {
		list = "#" + strings.Join(ids[:12], ", #") + ", …"
	}
	if near := msg.Nearest(id, ids); near != "" {
		return msg.New(msg.HeadingNearest, near, list)
	}
	return msg.New(msg.HeadingsAre, list)
}

// Result is one rendered document.
type Result struct {
	HTML      []byte
	TOC       []byte // <nav id="TableOfContents">…</nav>, empty without headings
	Headings  []Heading
	Summary   string // plain text: the first paragraph, at most SummaryWords words
	WordCount int
	Problems  []Problem
	Links     []Link // every link and image, as written
}

// Link is a link or image of a document, as written.
type Link struct {
	Dest  string
	Image bool
	Line  int
}

// SummaryWords is the most words an automatic summary keeps.
const SummaryWords = 70

// Renderer converts Markdown to HTML.
type Renderer struct {
	md        goldmark.Markdown
	tocLevels map[int]bool
}

var stateKey = parser.NewContextKey()

// state is what one Render call shares with the AST transformer.
type state struct {
	resolver LinkResolver
	src      []byte
	problems []Problem
	links    []Link
}

// New builds a Renderer.
func New(opts Options) *Renderer {
	var rendererOpts []renderer.Option
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, gmhtml.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
	}
	md := goldmark.New(
		// table cells align by attribute, not by style="": a strict
		// Content-Security-Policy blocks inline styles
		goldmark.WithExtensions(extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify, extension.TaskList, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 999)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	levels := map[int]bool{}
	for _, l := range opts.TOCLevels {
		levels[l] = true
	}
	return &Renderer{md: md, tocLevels: levels}
}

// Render converts src. resolver may be nil, in which case links are kept as
// written and not checked.
func (r *Renderer) Render(src []byte, resolver LinkResolver) (*Result, error) {
	st := &state{resolver: resolver, src: src}
	pc := parser.NewContext(parser.WithIDs(&headingIDs{}))
	pc.Set(stateKey, st)
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	res := &Result{Problems: st.problems, Links: st.links}
	buf := bytes.NewBuffer(htmlBuffers.Get().([]byte)[:0])
	buf.Grow(len(src) + len(src)/2)
	// goldmark wraps any other writer in a new bufio.Writer per render
	w := writers.Get().(*bufio.Writer)
	w.Reset(buf)
	err := r.md.Renderer().Render(w, src, doc)
	if err == nil {
		err = w.Flush()
	}
	w.Reset(nil)
	writers.Put(w)
	if err != nil {
		return nil, fmt.Errorf("markdown: %w", err)
	}
	res.HTML = buf.Bytes()
	r.collect(doc, src, res)
	return res, nil
}

var writers = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// htmlBuffers hold rendered HTML between pages: a page's HTML is stored
// elsewhere as soon as it is rendered, and ten thousand fresh buffers are
// work for the garbage collector.
var htmlBuffers = sync.Pool{New: func() any { return []byte(nil) }}

// Release gives the result's HTML buffer back for the next Render; res.HTML
// must not be used afterwards.
func (res *Result) Release() {
	if cap(res.HTML) > 0 && cap(res.HTML) <= 1<<20 {
		htmlBuffers.Put(res.HTML[:0])
	}
	res.HTML = nil
}

// Inline renders a short Markdown string, such as a description, without
// the wrapping paragraph.
func (r *Renderer) Inline(s string) ([]byte, error) {
	res, err := r.Render([]byte(s), nil)
	if err != nil {
		return nil, err
	}
	out := bytes.TrimSpace(res.HTML)
	if bytes.HasPrefix(out, []byte("<p>")) && bytes.HasSuffix(out, []byte("</p>")) &&
		bytes.Count(out, []byte("<p>")) == 1 {
		out = out[3 : len(out)-4]
	}
	return out, nil
}

// collect walks the finished tree once for headings, words and the summary.
func (r *Renderer) collect(doc ast.Node, src []byte, res *Result) {
	var summary []string
	summaryDone := false
	// Inline parsers may split one word over several text nodes ("buruh"
	// and "."), so a word goes on from one text node to the next until a
	// space, a line break or the end of the block.
	inWord := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				inWord = false
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idStr, _ := id.([]byte)
			line := 0
			if n.Lines().Len() > 0 {
				line = 1 + bytes.Count(src[:n.Lines().At(0).Start], []byte("\n"))
			}
			res.Headings = append(res.Headings, Heading{Level: n.Level, ID: string(idStr), Text: plainText(n, src), Line: line})
		case *ast.Paragraph:
			if summaryDone {
				break
			}
			if _, inList := n.Parent().(*ast.ListItem); inList {
				break
			}
			summary = strings.Fields(plainText(n, src))
			summaryDone = len(summary) > 0
		case *ast.Text:
			var words int
			words, inWord = countWords(n.Segment.Value(src), inWord)
			res.WordCount += words
			if n.SoftLineBreak() || n.HardLineBreak() {
				inWord = false
			}
		}
		return ast.WalkContinue, nil
	})
	if len(summary) > SummaryWords {
		summary = append(summary[:SummaryWords:SummaryWords], "…")
	}
	res.Summary = strings.Join(summary, " ")
	res.TOC = r.toc(res.Headings)
}

// countWords counts the runs of non-space bytes in b that start in it: a
// run going on from the text before (inWord) is not counted again. It
// returns whether b ends inside a run.
func countWords(b []byte, inWord bool) (int, bool) {
	n := 0
	for _, c := range b {
		space := c == ' ' || c == '\n' || c == '\t' || c == '\r'
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n, inWord
}

// plainText is the text of n without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// typographer output such as &ldquo; is stored as an entity
			b.WriteString(html.UnescapeString(string(c.Value)))
		case *ast.CodeSpan:
			for ch := c.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if t, ok := ch.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// toc renders the headings at the configured levels as nested lists, the
// same markup as Hugo's .TableOfContents so existing styles apply.
func (r *Renderer) toc(headings []Heading) []byte {
	var hs []Heading
	for _, h := range headings {
		if r.tocLevels[h.Level] {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(`<nav id="TableOfContents">`)
	base := hs[0].Level
	for _, h := range hs[1:] {
		base = min(base, h.Level)
	}
	depth := 0
	for i, h := range hs {
		level := h.Level - base + 1
		switch {
		case level > depth:
			for ; depth < level; depth++ {
				b.WriteString("<ul><li>")
			}
		default:
			for ; depth > level; depth-- {
				b.WriteString("</li></ul>")
			}
			if i > 0 {
				b.WriteString("</li><li>")
			}
		}
		fmt.Fprintf(&b, `<a href="#%s">%s</a>`, html.EscapeString(h.ID), html.EscapeString(h.Text))
	}
	for ; depth > 0; depth-- {
		b.WriteString("</li></ul>")
	}
	b.WriteString("</nav>")
	return b.Bytes()
}

// headingIDs implements parser.IDs with readable, unique slugs.
type headingIDs struct{ slug.Unique }

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	return []byte(h.Unique.Make(string(value), "bagian"))
}

func (h *headingIDs) Put(value []byte) { h.Unique.Reserve(string(value)) }

// linkTransformer resolves links and images after parsing, when every
// heading of the page already has its ID.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil {
		return
	}
	ids := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			if id, ok := h.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					ids[string(b)] = true
				}
			}
		}
		if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil // headings are blocks: no need to go through the text
		}
		return ast.WalkContinue, nil
	})
	images := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			st.links = append(st.links, Link{Dest: string(n.Destination), Line: st.line(n)})
			n.Destination = st.resolve(n, n.Destination, false, ids)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				st.links = append(st.links, Link{Dest: string(n.URL(st.src)), Line: st.line(n)})
			}
		case *ast.Image:
			st.links = append(st.links, Link{Dest: string(n.Destination), Image: true, Line: st.line(n)})
			images++
			st.image(n, images == 1, ids)
		}
		return ast.WalkContinue, nil
	})
}

// image resolves an image and gives it what a phone needs to load it well:
// every version with its width, the size it takes (so the text does not
// jump when it arrives) and, below the first screen, lazy loading.
func (st *state) image(n *ast.Image, first bool, ids map[string]bool) {
	if plainText(n, st.src) == "" {
		pr := problem(st.line(n), msg.New(msg.ImageNoAlt, n.Destination, n.Destination))
		pr.Warning = true
		st.problems = append(st.problems, pr)
	}
	ir, ok := st.resolver.(ImageResolver)
	d := string(n.Destination)
	if !ok || d == "" || isExternal(d) || strings.HasPrefix(d, "#") {
		n.Destination = st.resolve(n, n.Destination, true, ids)
		return
	}
	line := st.line(n)
	pic, err := ir.ResolveImage(d, line)
	if err != nil {
		st.problems = append(st.problems, problem(line, err))
		return
	}
	n.Destination = []byte(pic.Src)
	if pic.Srcset != "" {
		n.SetAttributeString("srcset", []byte(pic.Srcset))
		n.SetAttributeString("sizes", []byte(pic.Sizes))
	}
	if pic.Width > 0 {
		n.SetAttributeString("width", []byte(strconv.Itoa(pic.Width)))
		n.SetAttributeString("height", []byte(strconv.Itoa(pic.Height)))
	}
	if !first {
		// the first image may be on the first screen; the rest wait
		n.SetAttributeString("loading", []byte("lazy"))
	}
	n.SetAttributeString("decoding", []byte("async"))
}

func (st *state) resolve(n ast.Node, dest []byte, image bool, ids map[string]bool) []byte {
	d := string(dest)
	switch {
	case d == "" || isExternal(d):
		return dest
	case strings.HasPrefix(d, "#"):
		if !image && !ids[d[1:]] {
			st.problems = append(st.problems, problem(st.line(n), msg.New(msg.LinkNoHeadingAt, d, HeadingsHint(d[1:], slices.Sorted(maps.Keys(ids))))))
		}
		return dest
	case st.resolver == nil:
		return dest
	}
	line := st.line(n)
	u, err := st.resolver.ResolveLink(d, image, line)
	if err != nil {
		st.problems = append(st.problems, problem(line, err))
		return dest
	}
	return []byte(u)
}

// line finds the source line of an inline node from the first text inside
// it, or from its block when it has none.
func (st *state) line(n ast.Node) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	for p := n; off < 0 && p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			off = p.Lines().At(0).Start
		}
	}
	if off < 0 {
		return 0
	}
	return 1 + bytes.Count(st.src[:off], []byte("\n"))
}

// isExternal reports whether dest names a scheme (https:, mailto:, tel:) or
// another host.
func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	for i, c := range dest {
		switch {
		case c == ':':
			return i > 0
		case c == '/' || c == '?' || c == '#' || c == '.':
			return false
		}
	}
	return false
}

// escapedHTML renders raw HTML as visible text.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				_, _ = w.WriteString(html.EscapeString(string(s.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString("<p>")
		for i := 0; i < b.Lines().Len(); i++ {
			s := b.Lines().At(i)
			_, _ = w.WriteString(html.EscapeString(string(s.Value(src))))
		}
		if b.HasClosure() {
			_, _ = w.WriteString(html.EscapeString(string(b.ClosureLine.Value(src))))
		}
		_, _ = w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	})
}
