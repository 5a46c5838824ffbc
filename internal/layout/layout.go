// Package layout finds and runs a site's templates: html/template files under
// layouts/, arranged the way Hugo arranges them, so simple Hugo layouts work
// unchanged.
//
// # Lookup
//
// For each page the first file that exists is used:
//
//	home page        layouts/index.html, layouts/_default/list.html
//	section          layouts/<type>/list.html, layouts/_default/list.html
//	regular page     layouts/<type>/<layout>.html, layouts/_default/<layout>.html  (when layout is set)
//	                 layouts/<type>/single.html, layouts/_default/single.html
//	tag page         layouts/tags/term.html, layouts/_default/term.html, layouts/_default/list.html
//	list of tags     layouts/tags/terms.html, layouts/_default/terms.html, layouts/_default/list.html
//	not found        layouts/404.html
//
// <type> is the page's type: its top-level section unless front matter says
// otherwise.
//
// # Base templates and partials
//
// A template that defines blocks ({{ define "main" }}) is run inside a base
// template: layouts/<type>/baseof.html, or else layouts/_default/baseof.html,
// whose {{ block "main" . }} it fills. A template without definitions is a
// whole document on its own. {{ partial "nav.html" . }} runs
// layouts/partials/nav.html with the given data.
//
// Every template is parsed once per build. Errors name the template file and
// line, as layouts/_default/single.html:12: ...
//
// # Fragments shared by every page
//
// Most themes repeat on every page something that reads nothing of the
// page: a menu of the site's sections, a list of recent posts, a tag
// cloud. Hugo leaves it to the designer to wrap such a part in
// partialCached; Serikat finds it. A {{ range }}, {{ with }} or {{ if }}
// whose every use of the page goes through the site field (.Site, $.Site;
// inside it, whatever the range or with yields) renders alike on every
// page, so it becomes a fragment: a template of its own, run through
// Options.Fragment, which may reuse one page's output for the next.
//
// The body of a {{ range }} that reads only its element (its dot, the
// site, functions; not $, the index or a variable from outside) renders
// alike wherever that element is listed: a page in ten tag lists is
// rendered once, and Options.Fragment may reuse it for the same element.
//
// A fragment is only made where its output goes into HTML text, where the
// fragment's own escaping and the page's are the same: each candidate is
// checked by escaping a copy of the templates first. Anything else stays
// as written.
package layout

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/serikat-id/serikat/internal/diag"
)

// Dir is the folder of a site that holds its templates.
const Dir = "layouts"

// Set is every template of a site, parsed.
type Set struct {
	leaves   map[string]*Template // by path, e.g. "layouts/_default/single.html"
	broken   map[string]bool      // leaves that failed to parse (already reported)
	partials *template.Template
	sources  map[string][]byte
	opts     Options
	funcs    template.FuncMap
	// fragments holds each fragment's set by id; written by Load only
	fragments map[string]*template.Template
}

// Template is one runnable layout.
type Template struct {
	Name  string // the leaf file, such as "layouts/_default/single.html"
	tmpl  *template.Template
	entry string   // the template to execute: the leaf or its base
	files []string // see Files
}

// Load parses every .html file under layouts/ in fsys. funcs are available
// to all templates, in addition to partial. Every parse error is returned.
func Load(fsys fs.FS, funcs template.FuncMap, opts ...Options) (*Set, error) {
	s := &Set{leaves: map[string]*Template{}, broken: map[string]bool{}, sources: map[string][]byte{},
		fragments: map[string]*template.Template{}}
	if len(opts) > 0 {
		s.opts = opts[0]
	}
	var problems diag.List
	var leafNames, partialNames []string
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == Dir {
				return fs.SkipDir
			}
			problems.Add(&diag.Error{Path: p, Msg: "cannot read: " + err.Error(), Err: err})
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".html" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			problems.Add(&diag.Error{Path: p, Msg: "cannot read: " + err.Error(), Err: err})
			return nil
		}
		s.sources[p] = data
		if strings.HasPrefix(p, Dir+"/partials/") {
			partialNames = append(partialNames, p)
		} else if path.Base(p) != "baseof.html" {
			leafNames = append(leafNames, p)
		}
		return nil
	})
	if err != nil {
		problems.Add(err)
	}

	all := template.FuncMap{"partial": s.partial, fragmentFunc: s.runFragment, eachFunc: s.runEach}
	for k, v := range funcs {
		all[k] = v
	}
	s.funcs = all
	s.partials = template.New("partials").Funcs(all)
	for _, name := range partialNames {
		if _, err := s.partials.New(name).Parse(string(s.sources[name])); err != nil {
			problems.Add(Error(err))
		}
	}
	for _, name := range leafNames {
		t, err := s.parseLeaf(name, all)
		if err != nil {
			problems.Add(err)
			s.broken[name] = true
			continue
		}
		s.leaves[name] = t
	}
	s.closure()
	s.fragmentsOf(s.partials, "partials", partialNames)
	for _, name := range slices.Sorted(maps.Keys(s.leaves)) {
		t := s.leaves[name]
		s.fragmentsOf(t.tmpl, name, []string{t.entry})
	}
	// baseof files that no leaf uses are still checked
	for name, src := range s.sources {
		if path.Base(name) == "baseof.html" {
			if _, err := template.New(name).Funcs(all).Parse(string(src)); err != nil {
				problems.Add(Error(err))
			}
		}
	}
	return s, problems.Err()
}

func (s *Set) parseLeaf(name string, funcs template.FuncMap) (*Template, error) {
	src := s.sources[name]
	base := ""
	if bytes.Contains(src, []byte("{{ define")) || bytes.Contains(src, []byte("{{define")) || bytes.Contains(src, []byte("{{- define")) {
		for _, candidate := range []string{path.Join(path.Dir(name), "baseof.html"), Dir + "/_default/baseof.html"} {
			if _, ok := s.sources[candidate]; ok {
				base = candidate
				break
			}
		}
	}
	if base == "" {
		t, err := template.New(name).Funcs(funcs).Parse(string(src))
		if err != nil {
			return nil, Error(err)
		}
		return &Template{Name: name, tmpl: t, entry: name}, nil
	}
	t, err := template.New(base).Funcs(funcs).Parse(string(s.sources[base]))
	if err != nil {
		return nil, Error(err)
	}
	if _, err := t.New(name).Parse(string(src)); err != nil {
		return nil, Error(err)
	}
	return &Template{Name: name, tmpl: t, entry: base}, nil
}

// Has reports whether the template file exists, parsed or not.
func (s *Set) Has(name string) bool {
	_, ok := s.leaves[name]
	return ok || s.broken[name]
}

// Sources returns the text of every template file by path, for hashing.
func (s *Set) Sources() map[string][]byte { return s.sources }

// Lookup returns the first of the candidate files that exists. broken is
// true when that file exists but did not parse; its problem was reported
// by Load.
func (s *Set) Lookup(candidates []string) (t *Template, broken, ok bool) {
	for _, c := range candidates {
		if s.broken[c] {
			return nil, true, false
		}
		if t, ok := s.leaves[c]; ok {
			return t, false, true
		}
	}
	return nil, false, false
}

// Candidates lists the files to try, in order, for a page of the given kind
// ("home", "section", "page", "term", "taxonomy", "404"), type and layout.
func Candidates(kind, typ, layoutName string) []string {
	d := func(parts ...string) string { return Dir + "/" + strings.Join(parts, "/") }
	switch kind {
	case "home":
		return []string{d("index.html"), d("_default", "list.html")}
	case "section":
		return []string{d(typ, "list.html"), d("_default", "list.html")}
	case "term":
		return []string{d("tags", "term.html"), d("_default", "term.html"), d("_default", "list.html")}
	case "taxonomy":
		return []string{d("tags", "terms.html"), d("_default", "terms.html"), d("_default", "list.html")}
	case "404":
		return []string{d("404.html")}
	}
	var c []string
	if layoutName != "" {
		c = append(c, d(typ, layoutName+".html"), d("_default", layoutName+".html"))
	}
	return append(c, d(typ, "single.html"), d("_default", "single.html"))
}

// Execute runs t with data into w. Errors name the template file and line.
func (t *Template) Execute(w io.Writer, data any) error {
	if err := t.tmpl.ExecuteTemplate(w, t.entry, data); err != nil {
		return Error(err)
	}
	return nil
}

func (s *Set) partial(name string, data ...any) (template.HTML, error) {
	full := Dir + "/partials/" + name
	if s.partials.Lookup(full) == nil {
		return "", fmt.Errorf("partial %q not found (looked for %s)", name, full)
	}
	var ctx any
	if len(data) > 0 {
		ctx = data[0]
	}
	var buf bytes.Buffer
	if err := s.partials.ExecuteTemplate(&buf, full, ctx); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// Error turns an error from html/template into a *diag.Error at the
// innermost template position it names. html/template reports positions only
// in its message ("template: NAME:LINE:COL: ..."), and Serikat names every
// template by its path under layouts/, so that is where to look.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	i := strings.LastIndex(msg, "template: "+Dir+"/")
	if i < 0 {
		return err
	}
	rest := msg[i+len("template: "):]
	name, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return err
	}
	e := &diag.Error{Path: name, Err: err}
	for _, dst := range []*int{&e.Line, &e.Column} {
		num, after, ok := strings.Cut(rest, ":")
		n, convErr := strconv.Atoi(num)
		if !ok || convErr != nil {
			break
		}
		*dst, rest = n, after
	}
	e.Msg = strings.TrimSpace(rest)
	return e
}
