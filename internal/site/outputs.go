package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/pelletier/go-toml/v2"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/layout"
	"github.com/serikat-id/serikat/internal/publish"
)

// renderOutputs runs the template of every page, reusing outputs whose
// dependencies have not changed and whose file is still in the destination.
func (b *builder) renderOutputs(ctx context.Context, w *publish.Writer, report *Report) map[string]*buildcache.Output {
	b.resetFragments()
	globalChanged := b.cache.SetGlobal(b.globalHash())
	// a page whose URL another page already has was reported by content;
	// rendering it too would only report the same clash again
	var pages []*content.Page
	taken := make(map[string]bool, len(b.site.All))
	for _, p := range b.site.All {
		if !taken[p.URL] {
			taken[p.URL] = true
			pages = append(pages, p)
		}
	}
	notFound := b.notFoundPage()
	if notFound != nil {
		pages = append(pages, notFound)
	}
	// every page's own output, and a poster for each campaign
	jobs := make([]output, 0, len(pages))
	hasPosters := b.layouts.Has(posterLayout)
	for _, p := range pages {
		jobs = append(jobs, output{page: p, name: outPath(p.URL)}) // candidates and lookup when it renders
		if hasPosters && p.Type == "kampanye" && p.Kind == content.KindPage {
			jobs = append(jobs, output{page: p, name: outPath(p.URL + "poster/"), candidates: []string{posterLayout}, lookup: "poster"})
		}
	}
	outputs := make(map[string]*buildcache.Output, len(jobs))
	var mu sync.Mutex
	var rendered, reused, deferred int
	// a session may put the pages its visitors have open first (see
	// Session.Build); never when everything changed, since outputs' own
	// dependencies do not record the global hash
	var first map[string]bool
	if b.session && len(b.first) > 0 && !globalChanged {
		first = map[string]bool{}
		for _, name := range b.first {
			first[name] = true
		}
	}
	b.parallel(ctx, len(jobs), func(i int) {
		job := jobs[i]
		if !globalChanged {
			prev, ok := b.cache.Output(job.name)
			hold := ok && b.depsHold(prev.Deps)
			if ok && (hold || first != nil && !first[job.name]) && w.Keep(job.name, prev.Sum) {
				mu.Lock()
				outputs[job.name] = prev
				if hold {
					reused++
				} else {
					deferred++ // its record still names the old dependencies: the next build renders it
				}
				mu.Unlock()
				return
			}
		}
		out, data, err := b.renderOne(job)
		if err != nil || out == nil {
			b.problems.Add(err)
			return
		}
		if err := w.PutOwned(job.name, data, out.Sum, putBytes); err != nil {
			b.problems.Add(err)
			return
		}
		mu.Lock()
		outputs[job.name], rendered = out, rendered+1
		mu.Unlock()
	})
	report.Rendered, report.Reused, report.Deferred = rendered, reused, deferred
	return outputs
}

// output is one file a template makes for a page.
type output struct {
	page       *content.Page
	name       string
	candidates []string // the templates to look for, in order; nil: the page's own (layoutCandidates)
	lookup     string   // what choosing among them depends on; "": lookupKey(page)
}

// posterLayout is the template of a campaign's printable poster.
const posterLayout = layout.Dir + "/kampanye/poster.html"

// hasPoster reports whether a page gets a poster: campaign pages do, when
// the theme has the template.
func (b *builder) hasPoster(p *content.Page) bool {
	return p.Type == "kampanye" && p.Kind == content.KindPage && b.layouts.Has(posterLayout)
}

// notFoundPage is the 404 page when layouts/404.html exists.
func (b *builder) notFoundPage() *content.Page {
	if t, _, ok := b.layouts.Lookup([]string{layout.Dir + "/404.html"}); !ok || t == nil {
		return nil
	}
	p := &content.Page{Kind: "404", URL: "/404.html", Title: b.translateOr("notFoundTitle", "Halaman tidak ditemukan"),
		Params: map[string]any{}, Type: "404"}
	p.MetaHash = sha256.Sum256([]byte("404"))
	bp := &page{src: p, md: &buildcache.Markdown{}, metaHash: shortHash("404", p.Title)}
	b.pages[p] = bp
	b.byURL[p.URL] = bp
	return p
}

func (b *builder) renderOne(job output) (*buildcache.Output, []byte, error) {
	if job.candidates == nil {
		job.candidates, job.lookup = layoutCandidates(job.page), lookupKey(job.page)
	}
	src, candidates := job.page, job.candidates
	if job.lookup == lookupKey(src) && src.Layout != "" && !b.layouts.Has(candidates[0]) && !b.layouts.Has(candidates[1]) {
		return nil, nil, diag.Errorf(src.File, src.Line("layout"), "layout %q not found: add %s or %s", src.Layout, candidates[0], candidates[1])
	}
	t, broken, ok := b.layouts.Lookup(candidates)
	if broken {
		return nil, nil, nil // the template's own problem says it all
	}
	if !ok {
		where := src.File
		if where == "" {
			where = layout.Dir
		}
		return nil, nil, diag.Errorf(where, 0, "no layout for %s page %s: add %s", src.Kind, src.URL, strings.Join(candidates, " or "))
	}
	r := &run{b: b}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := t.Execute(buf, r.view(src)); err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			if src.File != "" {
				de.Msg += " (rendering " + src.File + ")"
			} else {
				de.Msg += " (rendering " + src.URL + ")"
			}
		}
		return nil, nil, err
	}
	name := job.name
	data, err := b.minifyTo(getBytes(), name, buf.Bytes())
	if err != nil {
		return nil, nil, diag.Errorf(t.Name, 0, "%v", err)
	}
	// which template the lookup chose, and what that template runs
	if job.lookup == lookupKey(src) {
		r.dep(layoutDep(src), shortHash(t.Name))
	}
	r.dep(templateDep(t.Name), b.templateHash(t))
	out := &buildcache.Output{Sum: sha256.Sum256(data), Deps: r.sortedDeps()}
	return out, data, nil
}

// layoutCandidates are the templates a page's own output may use, in order.
func layoutCandidates(p *content.Page) []string {
	return layout.Candidates(string(p.Kind), p.Type, p.Layout)
}

// lookupKey names what layout lookup depends on for a page.
func lookupKey(p *content.Page) string {
	return string(p.Kind) + "|" + p.Type + "|" + p.Layout
}

// loadStrings reads the UI strings for lang from layouts/i18n/<lang>.toml.
// Each key is either text or a table with "other" (Hugo's format).
func loadStrings(fsys fs.FS, lang string) (map[string]string, error) {
	name := layout.Dir + "/i18n/" + lang + ".toml"
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, &diag.Error{Path: name, Msg: err.Error(), Err: err}
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &diag.Error{Path: name, Line: line, Column: col, Msg: de.Error(), Err: err}
		}
		return nil, &diag.Error{Path: name, Msg: err.Error(), Err: err}
	}
	out := make(map[string]string, len(raw))
	var problems diag.List
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case map[string]any:
			if s, ok := v["other"].(string); ok {
				out[k] = s
				continue
			}
			problems.Addf(name, 0, "%s: want text, or a table with other = \"text\"", k)
		default:
			problems.Addf(name, 0, "%s: want text, got %v", k, v)
		}
	}
	return out, problems.Err()
}

// translate is the T template function.
func (b *builder) translate(key string, data ...any) (string, error) {
	s, ok := b.i18n[key]
	if !ok {
		return "", fmt.Errorf("T: no UI string %q in %s/i18n/%s.toml", key, layout.Dir, b.cfg.LanguageCode)
	}
	if len(data) == 0 || !strings.Contains(s, "{{") {
		return s, nil
	}
	t, err := texttemplate.New(key).Parse(s)
	if err != nil {
		return "", fmt.Errorf("T: UI string %q: %w", key, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data[0]); err != nil {
		return "", fmt.Errorf("T: UI string %q: %w", key, err)
	}
	return buf.String(), nil
}

func (b *builder) translateOr(key, fallback string) string {
	if s, ok := b.i18n[key]; ok {
		return s
	}
	return fallback
}
