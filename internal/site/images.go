package site

import (
	"context"
	"fmt"
	"html"
	"iter"
	"maps"
	"path"
	"strings"
	"sync"

	"github.com/serikat-id/serikat/internal/assets"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/imaging"
	"github.com/serikat-id/serikat/internal/markdown"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/publish"
)

// Photos in content/ and assets/ are published at several widths (package
// imaging) before any Markdown is rendered, so every <img> a page gets
// knows its srcset, width and height.

// photoSizes is the sizes attribute of a photo in a page's text: the text
// column (main in assets/css/main.css) is 42rem wide at most, border-box,
// less 1rem of padding on each side.
const photoSizes = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"

// photos are the build's processed images, by source path in the site FS.
type photos struct {
	results map[string]imaging.Result
	urls    map[string]string // source path → published URL (of the largest version)
	mu      sync.Mutex
	used    map[string]bool
	pics    map[string]picture // by source, see pictureOf
}

// processImages processes every JPEG and PNG under content/ and assets/.
func (b *builder) processImages(ctx context.Context, report *Report) {
	b.photos = &photos{urls: map[string]string{}, used: map[string]bool{}}
	var sources []imaging.Source
	for _, f := range b.site.Files {
		b.photos.urls[f.Src] = f.URL
		if imaging.Processable(f.Src) {
			sources = append(sources, imaging.Source{FS: b.fsys, Path: f.Src})
		}
	}
	for _, a := range b.assets.All() {
		src := assets.Dir + "/" + a.Src
		b.photos.urls[src] = "/" + a.Out
		if imaging.Processable(a.Src) {
			sources = append(sources, imaging.Source{FS: b.fsys, Path: src})
		}
	}
	if len(sources) == 0 {
		return
	}
	cacheDir := ""
	if b.opts.CacheDir != "" || b.opts.inMemory {
		cacheDir = b.opts.ImageCacheDir
	}
	p := imaging.New(imaging.Options{Widths: b.cfg.Images.Widths, Quality: b.cfg.Images.Quality,
		CacheDir: cacheDir, ReadOnlyCache: b.opts.inMemory})
	var progress func(int, int)
	if b.opts.ImageProgress != nil && len(sources) >= 20 {
		progress = b.opts.ImageProgress
	}
	b.photos.results = p.ProcessAll(ctx, sources, progress)
	for _, r := range b.photos.results {
		switch {
		case r.Err != nil:
		case r.Image.Cached:
			report.ImagesCached++
		default:
			report.ImagesProcessed++
		}
	}
}

// lookupImage finds the image a page refers to as dest: relative to the
// page's folder, or from the content folder when it starts with "/", and
// then under assets/.
func (b *builder) lookupImage(page *content.Page, dest string) (src string, ok bool) {
	dir := path.Dir(page.File)
	if page.File == "" {
		dir = path.Join(content.Dir, page.URL)
	}
	var candidates []string
	if strings.HasPrefix(dest, "/") {
		candidates = []string{path.Join(content.Dir, dest), path.Join(assets.Dir, dest)}
	} else {
		candidates = []string{path.Join(dir, dest), path.Join(assets.Dir, dest)}
	}
	for _, c := range candidates {
		if _, ok := b.photos.urls[c]; ok {
			return c, true
		}
	}
	return candidates[0], false
}

// caseTwin returns the name among names that differs from want only in
// capital letters, or "": on a phone's or Windows' disk they are one file,
// on the server that publishes the site two.
func caseTwin(want string, names iter.Seq[string]) string {
	for n := range names {
		if n != want && strings.EqualFold(n, want) {
			return n
		}
	}
	return ""
}

// picture resolves an image of page for an <img>: its URLs and size, or
// an error for an image that is missing, broken or in a format browsers
// do not show.
func (b *builder) picture(page *content.Page, dest string) (*markdown.Picture, error) {
	rawPath, _, _ := strings.Cut(dest, "#")
	rawPath, _, _ = strings.Cut(rawPath, "?")
	src, ok := b.lookupImage(page, rawPath)
	if !ok {
		if twin := caseTwin(src, maps.Keys(b.photos.urls)); twin != "" {
			return nil, msg.New(msg.ImageNoFileCase, dest, src, twin)
		}
		return nil, msg.New(msg.ImageNoFile, dest, src)
	}
	b.photos.mu.Lock()
	b.photos.used[src] = true
	b.photos.mu.Unlock()
	pic, why := b.photos.pictureOf(b, src)
	if why != nil {
		return nil, msg.New(msg.ImageProblem, dest, why)
	}
	return pic, nil
}

// pictureOf is the <img> of the image at src, or why it cannot be shown.
// It is worked out once per build: every page showing the image, every
// check of a cached render, and templates ask again.
func (ph *photos) pictureOf(b *builder, src string) (*markdown.Picture, error) {
	ph.mu.Lock()
	known, ok := ph.pics[src]
	ph.mu.Unlock()
	if ok {
		return known.pic, known.why
	}
	pic, why := b.makePicture(src)
	ph.mu.Lock()
	if ph.pics == nil {
		ph.pics = map[string]picture{}
	}
	ph.pics[src] = picture{pic, why}
	ph.mu.Unlock()
	return pic, why
}

type picture struct {
	pic *markdown.Picture
	why error
}

func (b *builder) makePicture(src string) (*markdown.Picture, error) {
	if why := imaging.Unsupported(src); why != nil {
		return nil, why
	}
	r, processed := b.photos.results[src]
	if !processed {
		// GIF, WebP and SVG are published as they are
		pic := &markdown.Picture{Src: b.relURL(b.photos.urls[src])}
		if w, h, ok := imaging.Size(b.fsys, src); ok {
			pic.Width, pic.Height = w, h
		}
		return pic, nil
	}
	if r.Err != nil {
		return nil, r.Err
	}
	base := b.photos.urls[src]
	pic := &markdown.Picture{Width: r.Image.Width, Height: r.Image.Height, Sizes: photoSizes}
	var srcset []string
	for _, v := range r.Image.Variants {
		u := b.relURL(v.Name(base))
		srcset = append(srcset, fmt.Sprintf("%s %dw", u, v.Width))
		// the fallback for browsers without srcset: a phone-sized version
		if pic.Src == "" || v.Width <= 720 {
			pic.Src = u
		}
	}
	if len(srcset) > 1 {
		pic.Srcset = strings.Join(srcset, ", ")
	}
	return pic, nil
}

// imageSignature is what a page's rendered <img> depends on, for reusing
// cached Markdown renders.
func (b *builder) imageSignature(page *content.Page, dest string) string {
	pic, err := b.picture(page, dest)
	if err != nil {
		return "error"
	}
	return fmt.Sprintf("%s|%s|%d|%d", pic.Src, pic.Srcset, pic.Width, pic.Height)
}

// imgTag renders pic as an <img>, for templates.
func imgTag(pic *markdown.Picture, alt string, eager bool) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<img src="%s" alt="%s"`, html.EscapeString(pic.Src), html.EscapeString(alt))
	if pic.Srcset != "" {
		fmt.Fprintf(&sb, ` srcset="%s" sizes="%s"`, html.EscapeString(pic.Srcset), html.EscapeString(pic.Sizes))
	}
	if pic.Width > 0 {
		fmt.Fprintf(&sb, ` width="%d" height="%d"`, pic.Width, pic.Height)
	}
	if !eager {
		sb.WriteString(` loading="lazy"`)
	}
	sb.WriteString(` decoding="async">`)
	return sb.String()
}

// checkUnusedImages reports broken or unsupported images no page shows:
// they would otherwise be published, or silently left out.
func (b *builder) checkUnusedImages() {
	if b.photos == nil {
		return
	}
	for src, r := range b.photos.results {
		if r.Err != nil && !b.photos.used[src] {
			b.problems.Add(diag.At(src, 0, r.Err))
		}
	}
	for _, f := range b.site.Files {
		if why := imaging.Unsupported(f.Src); why != nil && !b.photos.used[f.Src] {
			b.warnings.Add(diag.Warn(f.Src, 0, msg.NotPublished, why))
		}
	}
}

// writeImages writes every version of every processed image.
func (b *builder) writeImages(w *publish.Writer) {
	if b.photos == nil {
		return
	}
	for src, r := range b.photos.results {
		if r.Err != nil {
			continue
		}
		base := strings.TrimPrefix(b.photos.urls[src], "/")
		for _, v := range r.Image.Variants {
			name := v.Name(base)
			if w.Keep(name, v.Sum) {
				continue
			}
			data, err := v.Data()
			if err != nil {
				b.problems.Add(&diag.Error{Path: src, Msg: "reading the processed image: " + err.Error(), Err: err})
				continue
			}
			b.problems.Add(w.PutSum(name, data, v.Sum))
		}
	}
}

// published reports whether copyFiles should copy a file unchanged.
func (b *builder) published(src string) bool {
	if b.photos == nil {
		return true
	}
	if _, ok := b.photos.results[src]; ok {
		return false
	}
	return imaging.Unsupported(src) == nil
}
