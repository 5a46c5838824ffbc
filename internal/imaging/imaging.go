// Package imaging prepares photos for phones on mobile data.
//
// A photo straight off a phone camera is 4000×3000 pixels and 3 to 6 MB:
// more data than a whole site. A Processor decodes each JPEG or PNG once,
// turns it upright by its EXIF orientation, and writes it at a few widths
// (by default 360, 720 and 1080 pixels, and its own width when it is
// narrower than the largest), in its own format: JPEG at quality 75, PNG
// with a palette when it has at most 256 colours. The published files are
// encoded afresh, so they carry no metadata at all: no camera, no date and,
// above all, no GPS position, which could show where a worker lives.
//
// The largest version keeps the source's name (foto.jpg); smaller ones get
// the width in theirs (foto-360w.jpg), so a page's <img srcset> lets each
// phone fetch only what its screen needs.
//
// # The cache
//
// Results are kept in a cache folder (.serikat/images by default), keyed by
// the source's content hash and the settings, so a rebuild decodes only new
// or changed photos. Each entry is written to a temporary folder and renamed
// into place, so a crash never leaves half an entry. The cache also notes
// each source's size and modification time, so a rebuild need not even
// read unchanged photos.
//
// # Memory
//
// Photos are processed in parallel, but a decoded photo costs about six
// bytes a pixel (144 MB for 24 megapixels), so the Processor admits work by
// its pixel count against a fixed budget rather than by a count of workers.
//
// # Broken input
//
// A truncated or damaged file, a format browsers cannot show everywhere
// (HEIC, TIFF, BMP), a photo over MaxPixels: each is an error naming the
// file, and no output is written for it.
package imaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/serikat-id/serikat/internal/msg"
	"image"
	"image/color"
	_ "image/gif" // DecodeConfig for GIFs published as they are
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // DecodeConfig for WebP published as it is
	"golang.org/x/sync/semaphore"
)

// algorithm is part of every cache key: bump it when the output of the same
// settings changes.
const algorithm = 1

// MaxPixels is the largest photo, in pixels, a Processor accepts. Phone
// cameras make up to about 50 megapixels; anything bigger is a scan or a
// panorama that should be made smaller before it goes on a site.
const MaxPixels = 64_000_000

// Options configure a Processor.
type Options struct {
	Widths  []int // ascending; default 360, 720, 1080
	Quality int   // JPEG quality; default 75
	// CacheDir holds processed photos between builds; "" keeps them in
	// memory for this build only.
	CacheDir string
	// ReadOnlyCache uses the cache folder without adding to it.
	ReadOnlyCache bool
	// MemoryBudget is roughly how many bytes of decoded pixels may be in
	// flight at once; default 256 MB.
	MemoryBudget int64
	// Workers is how many photos are processed at once at most; default
	// GOMAXPROCS.
	Workers int
}

// Source is one photo to process.
type Source struct {
	FS   fs.FS
	Path string // in FS; also the name errors use
}

// Image is a processed photo.
type Image struct {
	Format   string    // "jpeg" or "png"
	Width    int       // of the largest version, upright
	Height   int       // of the largest version, upright
	Variants []Variant // ascending by width; the last is the largest
	Cached   bool      // came from the cache without decoding
}

// Variant is one published version of a photo.
type Variant struct {
	Width, Height int
	Suffix        string // added before the extension: "-360w", or "" for the largest
	Sum           [32]byte
	Size          int64
	data          []byte // without a cache folder
	file          string // in the cache folder
}

// Name is the published file name of v for the source name src.
func (v Variant) Name(src string) string {
	ext := path.Ext(src)
	return strings.TrimSuffix(src, ext) + v.Suffix + ext
}

// Data returns the bytes of v.
func (v Variant) Data() ([]byte, error) {
	if v.data != nil {
		return v.data, nil
	}
	return os.ReadFile(v.file)
}

// Processable reports whether name is a format a Processor resizes.
func Processable(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// Unsupported returns why name is an image format that browsers cannot
// show everywhere, or nil.
func Unsupported(name string) error {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".heic", ".heif":
		return msg.New(msg.ImageHEIC)
	case ".tif", ".tiff", ".bmp", ".dng", ".cr2", ".nef", ".arw", ".raw", ".psd":
		return msg.New(msg.ImageNoBrowser, strings.ToUpper(ext[1:]))
	}
	return nil
}

// Size returns the width and height of an image file published as it is
// (GIF, WebP), or ok false when it cannot tell (SVG).
func Size(fsys fs.FS, name string) (w, h int, ok bool) {
	f, err := fsys.Open(name)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

// Processor processes photos; it is safe for concurrent use.
type Processor struct {
	opts     Options
	settings string
	mem      *semaphore.Weighted
	workers  *semaphore.Weighted
	index    *statIndex
}

// New returns a Processor.
func New(opts Options) *Processor {
	if len(opts.Widths) == 0 {
		opts.Widths = []int{360, 720, 1080}
	}
	if opts.Quality == 0 {
		opts.Quality = 75
	}
	if opts.MemoryBudget <= 0 {
		opts.MemoryBudget = 256 << 20
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	p := &Processor{
		opts:     opts,
		settings: fmt.Sprintf("v%d w%v q%d", algorithm, opts.Widths, opts.Quality),
		mem:      semaphore.NewWeighted(opts.MemoryBudget),
		workers:  semaphore.NewWeighted(int64(opts.Workers)),
	}
	if opts.CacheDir != "" {
		p.index = loadIndex(filepath.Join(opts.CacheDir, "index.json"))
	}
	return p
}

// Result is the outcome of processing one Source.
type Result struct {
	Image *Image
	Err   error
}

// ProcessAll processes sources in parallel and returns a result for each
// path. progress, when not nil, is called after each photo with how many
// are done.
func (p *Processor) ProcessAll(ctx context.Context, sources []Source, progress func(done, total int)) map[string]Result {
	out := make(map[string]Result, len(sources))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, err := p.Process(ctx, src)
			mu.Lock()
			out[src.Path] = Result{img, err}
			done := len(out)
			if progress != nil {
				progress(done, len(sources))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if p.index != nil && !p.opts.ReadOnlyCache {
		p.index.save()
	}
	return out
}

// Process processes one photo, from the cache when it can.
func (p *Processor) Process(ctx context.Context, src Source) (*Image, error) {
	if err := p.workers.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	defer p.workers.Release(1)

	info, err := fs.Stat(src.FS, src.Path)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", errors.Unwrap(err))
	}
	stat := statKey{src.Path, info.Size(), info.ModTime().UnixNano()}
	if p.index != nil && stat.MTime != 0 {
		if sum, ok := p.index.get(stat); ok {
			if img, ok := p.cached(sum); ok {
				return img, nil
			}
		}
	}
	data, err := fs.ReadFile(src.FS, src.Path)
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", errors.Unwrap(err))
	}
	sum := sha256.Sum256(data)
	if p.index != nil {
		if img, ok := p.cached(sum); ok {
			p.index.put(stat, sum)
			return img, nil
		}
	}
	img, err := p.process(ctx, data, strings.ToLower(path.Ext(src.Path)))
	if err != nil {
		return nil, err
	}
	// a cache that cannot be written (a read-only folder, another build
	// storing the same photo) costs time, not the build: the bytes stay in
	// memory
	if p.opts.CacheDir != "" && !p.opts.ReadOnlyCache && p.store(sum, img) == nil && stat.MTime != 0 {
		p.index.put(stat, sum)
	}
	return img, nil
}

func (p *Processor) process(ctx context.Context, data []byte, ext string) (*Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(err, ext)
	}
	if format != "jpeg" && format != "png" {
		return nil, msg.New(msg.ImageWrongExt, strings.ToUpper(format), strings.ToUpper(strings.TrimPrefix(ext, ".")))
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > MaxPixels {
		return nil, msg.New(msg.ImageTooBig, cfg.Width, cfg.Height, float64(pixels)/1e6, MaxPixels/1_000_000)
	}
	// A decoded photo takes up to 4 bytes a pixel, turning it upright as
	// many again, and resizing a fraction more.
	cost := min(pixels*6, p.opts.MemoryBudget)
	if err := p.mem.Acquire(ctx, cost); err != nil {
		return nil, err
	}
	defer p.mem.Release(cost)

	src, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, decodeError(err, ext)
	}
	b := src.Bounds()
	img := &Image{Format: format}
	widths := p.widths(b.Dx())
	prev := src
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		var scaled image.Image = prev
		if w != prev.Bounds().Dx() {
			// each smaller version is made from the next larger one: as
			// sharp, and far less work than from the full photo
			scaled = imaging.Resize(prev, w, 0, imaging.Lanczos)
		}
		var buf bytes.Buffer
		if format == "jpeg" {
			err = jpeg.Encode(&buf, scaled, &jpeg.Options{Quality: p.opts.Quality})
		} else {
			err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, paletted(scaled))
		}
		if err != nil {
			return nil, fmt.Errorf("encoding the %d-pixel version: %w", w, err)
		}
		v := Variant{Width: w, Height: scaled.Bounds().Dy(), Sum: sha256.Sum256(buf.Bytes()), Size: int64(buf.Len()), data: buf.Bytes()}
		if i != len(widths)-1 {
			v.Suffix = fmt.Sprintf("-%dw", w)
		}
		img.Variants = append([]Variant{v}, img.Variants...)
		prev = scaled
	}
	largest := img.Variants[len(img.Variants)-1]
	img.Width, img.Height = largest.Width, largest.Height
	return img, nil
}

// widths are the widths to publish a photo of width w at.
func (p *Processor) widths(w int) []int {
	var out []int
	for _, x := range p.opts.Widths {
		if x < w {
			out = append(out, x)
		}
	}
	if largest := p.opts.Widths[len(p.opts.Widths)-1]; w <= largest {
		out = append(out, w)
	}
	return out
}

func decodeError(err error, ext string) error {
	switch {
	case errors.Is(err, image.ErrFormat):
		return msg.New(msg.ImageNotImage, strings.ToUpper(strings.TrimPrefix(ext, ".")))
	case strings.Contains(err.Error(), "EOF"), strings.Contains(err.Error(), "short Huffman data"):
		return msg.New(msg.ImageCutShort, err.Error())
	}
	return msg.New(msg.ImageDamaged, err.Error())
}

// paletted returns img with a palette when it has at most 256 colours,
// which makes a PNG of a chart or a screenshot several times smaller.
func paletted(img image.Image) image.Image {
	b := img.Bounds()
	seen := map[color.NRGBA]uint8{}
	var pal color.Palette
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if _, ok := seen[c]; ok {
				continue
			}
			if len(pal) == 256 {
				return img
			}
			seen[c] = uint8(len(pal))
			pal = append(pal, c)
		}
	}
	out := image.NewPaletted(b, pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.SetColorIndex(x, y, seen[color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)])
		}
	}
	return out
}

// entry is a cache entry's meta.json.
type entry struct {
	Settings string
	Format   string
	Variants []struct {
		Width, Height int
		Suffix        string
		Sum           string
		Size          int64
	}
}

func (p *Processor) entryDir(sum [32]byte) string {
	key := sha256.Sum256(append(sum[:], p.settings...))
	h := hex.EncodeToString(key[:16])
	return filepath.Join(p.opts.CacheDir, h[:2], h)
}

// cached returns the cache entry for a source hash, if it is whole.
func (p *Processor) cached(sum [32]byte) (*Image, bool) {
	dir := p.entryDir(sum)
	data, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, false
	}
	var e entry
	if json.Unmarshal(data, &e) != nil || e.Settings != p.settings || len(e.Variants) == 0 {
		return nil, false
	}
	img := &Image{Format: e.Format, Cached: true}
	for _, v := range e.Variants {
		file := filepath.Join(dir, fmt.Sprintf("%d.%s", v.Width, e.Format))
		info, err := os.Stat(file)
		s, herr := hex.DecodeString(v.Sum)
		if err != nil || info.Size() != v.Size || herr != nil || len(s) != 32 {
			return nil, false
		}
		iv := Variant{Width: v.Width, Height: v.Height, Suffix: v.Suffix, Size: v.Size, file: file}
		copy(iv.Sum[:], s)
		img.Variants = append(img.Variants, iv)
	}
	largest := img.Variants[len(img.Variants)-1]
	img.Width, img.Height = largest.Width, largest.Height
	return img, true
}

// store writes img into the cache, whole or not at all, and then points
// its variants at the cached files.
func (p *Processor) store(sum [32]byte, img *Image) error {
	dir := p.entryDir(sum)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".tmp-")
	if err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	e := entry{Settings: p.settings, Format: img.Format}
	for _, v := range img.Variants {
		name := fmt.Sprintf("%d.%s", v.Width, img.Format)
		if err := os.WriteFile(filepath.Join(tmp, name), v.data, 0o644); err != nil {
			return fmt.Errorf("image cache: %w", err)
		}
		e.Variants = append(e.Variants, struct {
			Width, Height int
			Suffix        string
			Sum           string
			Size          int64
		}{v.Width, v.Height, v.Suffix, hex.EncodeToString(v.Sum[:]), v.Size})
	}
	meta, _ := json.Marshal(e)
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), meta, 0o644); err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	os.RemoveAll(dir) // a damaged entry from before
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	// the bytes are read back when they are written out: a build with
	// hundreds of photos need not hold them all in memory
	for i := range img.Variants {
		v := &img.Variants[i]
		v.file, v.data = filepath.Join(dir, fmt.Sprintf("%d.%s", v.Width, img.Format)), nil
	}
	return nil
}

// statKey identifies a source file's version without reading it.
type statKey struct {
	Path  string
	Size  int64
	MTime int64
}

// statIndex maps sources to their content hashes by size and modification
// time, so unchanged photos are not even read.
type statIndex struct {
	file    string
	mu      sync.Mutex
	entries map[string]indexEntry
	dirty   bool
}

type indexEntry struct {
	Size  int64
	MTime int64
	Sum   string
}

func loadIndex(file string) *statIndex {
	ix := &statIndex{file: file, entries: map[string]indexEntry{}}
	if data, err := os.ReadFile(file); err == nil {
		_ = json.Unmarshal(data, &ix.entries) // a damaged index only costs reading the photos
	}
	return ix
}

func (ix *statIndex) get(k statKey) ([32]byte, bool) {
	ix.mu.Lock()
	e, ok := ix.entries[k.Path]
	ix.mu.Unlock()
	var sum [32]byte
	if !ok || e.Size != k.Size || e.MTime != k.MTime {
		return sum, false
	}
	s, err := hex.DecodeString(e.Sum)
	if err != nil || len(s) != 32 {
		return sum, false
	}
	copy(sum[:], s)
	return sum, true
}

func (ix *statIndex) put(k statKey, sum [32]byte) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e := indexEntry{k.Size, k.MTime, hex.EncodeToString(sum[:])}
	if ix.entries[k.Path] != e {
		ix.entries[k.Path] = e
		ix.dirty = true
	}
}

func (ix *statIndex) save() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.dirty {
		return
	}
	data, _ := json.Marshal(ix.entries)
	tmp := ix.file + ".tmp"
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, ix.file)
	}
	ix.dirty = false
}
