// Package assets prepares a site's stylesheets, scripts and other files from
// assets/, and minifies the pages the site renders.
//
// CSS and JavaScript files are minified and published with a content hash in
// their name (css/main.css becomes css/main.3f9a1c2b7d.css), so they can be
// cached forever on a phone and still change when the file changes. Templates
// ask for the published URL with {{ asset "css/main.css" }}, or inline a small
// stylesheet with {{ assetInline "css/main.css" }}. Other files are published
// unchanged at the same path. Go files (the embedding of the default theme)
// and hidden files are skipped.
//
// The Minifier is the one place that wraps tdewolff/minify; it is safe for
// concurrent use.
package assets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/buffer"

	"github.com/serikat-id/serikat/internal/diag"
)

// Dir is the folder of a site that holds its assets.
const Dir = "assets"

// Media types the Minifier knows.
const (
	HTML = "text/html"
	CSS  = "text/css"
	JS   = "application/javascript"
	SVG  = "image/svg+xml"
	JSON = "application/json"
	XML  = "text/xml"
)

// Minifier minifies text by media type.
type Minifier struct{ m *minify.M }

// NewMinifier returns a Minifier for HTML, CSS, JS, SVG, JSON and XML.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add(HTML, &html.Minifier{KeepDocumentTags: true, KeepQuotes: false, KeepSpecialComments: false})
	m.AddFunc(CSS, remembered(css.Minify))
	m.AddFunc(JS, remembered(js.Minify))
	m.AddFunc(SVG, svg.Minify)
	m.AddFunc(JSON, json.Minify)
	m.AddFunc(XML, xml.Minify)
	return &Minifier{m: m}
}

// remembered wraps a minifier so that it minifies each small input once: a
// theme's inline <style> or <script> is the same on every page, and the
// HTML minifier hands it over again for each of them.
func remembered(f minify.MinifierFunc) minify.MinifierFunc {
	const small, most = 32 << 10, 512 // bytes an input may have; inputs kept
	var done sync.Map                 // input and params → output
	var kept atomic.Int32
	return func(m *minify.M, w io.Writer, r io.Reader, params map[string]string) error {
		in, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if len(in) > small {
			return f(m, w, bytes.NewReader(in), params)
		}
		key := string(in)
		for _, k := range slices.Sorted(maps.Keys(params)) {
			key += "\x00" + k + "=" + params[k]
		}
		if out, ok := done.Load(key); ok {
			_, err := w.Write(out.([]byte))
			return err
		}
		var buf bytes.Buffer
		if err := f(m, &buf, bytes.NewReader(in), params); err != nil {
			return err
		}
		if kept.Add(1) <= most {
			done.Store(key, buf.Bytes())
		}
		_, err = w.Write(buf.Bytes())
		return err
	}
}

// Bytes minifies b of the given media type.
func (mf *Minifier) Bytes(mediaType string, b []byte) ([]byte, error) {
	return mf.m.Bytes(mediaType, b)
}

// Append minifies b of the given media type and appends the result to dst.
func (mf *Minifier) Append(dst []byte, mediaType string, b []byte) ([]byte, error) {
	w := appendWriter{dst}
	// buffer.Reader hands the minifier b itself; a bytes.Reader would be copied
	if err := mf.m.Minify(mediaType, &w, buffer.NewReader(b)); err != nil {
		return dst, err
	}
	return w.b, nil
}

type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// MediaType returns the media type the Minifier uses for a file name, or ""
// when it does not minify that kind of file.
func MediaType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return HTML
	case ".css":
		return CSS
	case ".js", ".mjs":
		return JS
	case ".svg":
		return SVG
	case ".json", ".webmanifest":
		return JSON
	case ".xml":
		return XML
	}
	return ""
}

// Asset is one published file from assets/.
type Asset struct {
	Src  string // path under assets/, such as "css/main.css"
	Out  string // published path from the site root, such as "css/main.3f9a1c2b7d.css"
	Data []byte
}

// Manifest is every asset of a site.
type Manifest struct {
	bySrc map[string]*Asset
	// Hash changes whenever any asset's output changes.
	Hash [32]byte
}

// Lookup returns the asset from assets/<src>.
func (m *Manifest) Lookup(src string) (*Asset, bool) {
	a, ok := m.bySrc[strings.TrimPrefix(src, "/")]
	return a, ok
}

// All returns every asset, ordered by source path.
func (m *Manifest) All() []*Asset {
	out := make([]*Asset, 0, len(m.bySrc))
	for _, a := range m.bySrc {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Src < out[j].Src })
	return out
}

// Process reads assets/ from fsys. With minifier nil, CSS and JS are still
// fingerprinted but not minified. Every problem is returned.
func Process(fsys fs.FS, minifier *Minifier) (*Manifest, error) {
	m := &Manifest{bySrc: map[string]*Asset{}}
	var problems diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == Dir {
				return fs.SkipDir
			}
			problems.Add(&diag.Error{Path: p, Msg: "cannot read: " + err.Error(), Err: err})
			return nil
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || path.Ext(p) == ".go" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			problems.Add(&diag.Error{Path: p, Msg: "cannot read: " + err.Error(), Err: err})
			return nil
		}
		src := strings.TrimPrefix(p, Dir+"/")
		a := &Asset{Src: src, Out: src, Data: data}
		if mt := MediaType(src); mt == CSS || mt == JS {
			if minifier != nil {
				min, err := minifier.Bytes(mt, data)
				if err != nil {
					problems.Add(positioned(p, err))
					return nil
				}
				a.Data = min
			}
			sum := sha256.Sum256(a.Data)
			ext := path.Ext(src)
			a.Out = strings.TrimSuffix(src, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		}
		m.bySrc[src] = a
		return nil
	})
	if err != nil {
		problems.Add(err)
	}
	h := sha256.New()
	for _, a := range m.All() {
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00", a.Src, a.Out, len(a.Data))
		h.Write(a.Data)
	}
	copy(m.Hash[:], h.Sum(nil))
	return m, problems.Err()
}

func positioned(p string, err error) error {
	var pe *parse.Error
	if errors.As(err, &pe) {
		return &diag.Error{Path: p, Line: pe.Line, Column: pe.Column, Msg: pe.Message, Err: err}
	}
	return &diag.Error{Path: p, Msg: err.Error(), Err: err}
}

// Inline returns the content of an asset for inlining in a page, trimmed.
func (a *Asset) Inline() string { return string(bytes.TrimSpace(a.Data)) }
