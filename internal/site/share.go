package site

import (
	"context"
	"encoding/hex"
	"fmt"
	"image/color"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/publish"
	"github.com/serikat-id/serikat/internal/sharecard"
)

// A page whose share picture a template shows (.ShareImage) gets a share
// card (package sharecard) at share.png beside its index.html, unless its
// front matter names its own picture (gambar), so a link shared on WhatsApp
// or Facebook shows a picture with its title.
// Cards are kept in .serikat/share, keyed by what they show, so a rebuild
// draws only cards whose page changed.

// ShareImage is the picture a shared link to a page shows (og:image).
type ShareImage struct {
	URL           string // absolute when the site has a host
	Width, Height int
	Alt           string
}

// cardName is the file a page's card is written to, or "" for pages that
// have none (the 404 page, and pages whose URL is a file).
func cardName(p *content.Page) string {
	if !strings.HasSuffix(p.URL, "/") || p.Kind == "404" {
		return ""
	}
	return strings.TrimPrefix(p.URL+"share.png", "/")
}

// colour is a page's colour: front matter warna, else [share] colour.
func (b *builder) colour(p *content.Page) (color.RGBA, error) {
	if w, ok := p.Params["warna"].(string); ok && w != "" {
		c, err := sharecard.ParseColour(w)
		if err != nil {
			return c, diag.Errorf(p.File, p.Line("warna"), "warna: %v", err)
		}
		return c, nil
	}
	c, err := sharecard.ParseColour(b.cfg.Share.Colour)
	if err != nil {
		return c, diag.Errorf(config.FileName, 0, "share.colour: %v", err)
	}
	return c, nil
}

// card is what a page's share card shows.
func (b *builder) card(p *content.Page) (sharecard.Card, error) {
	c := sharecard.Card{Title: p.Title, Site: b.cfg.Title}
	bp := b.pages[p]
	switch {
	case bp.campaign != nil:
		c.Kicker = bp.campaign.FederationName
		if k := bp.campaign.Confederation; k != "" && c.Kicker != "" && !strings.Contains(c.Kicker, k) {
			c.Kicker += " · " + k
		}
	case p.Parent != nil && p.Parent.Kind != content.KindHome:
		c.Kicker = p.Parent.Title
		if bp.module != nil && bp.module.Number > 0 {
			c.Kicker += fmt.Sprintf(" · %s %d", b.translateOr("module", "Modul"), bp.module.Number)
		}
	case p.Kind == content.KindHome:
		c.Title, c.Kicker = b.cfg.Title, ""
		if p.Title != "" && p.Title != b.cfg.Title {
			c.Title = p.Title
		}
	}
	var err error
	c.Colour, err = b.colour(p)
	return c, err
}

// ownImage is the picture a page names in front matter (gambar), if any.
func (b *builder) ownImage(p *content.Page) (string, bool) {
	g, ok := p.Params["gambar"].(string)
	return g, ok && g != ""
}

// shareImage resolves a page's share picture.
func (b *builder) shareImage(p *content.Page) (ShareImage, error) {
	alt := p.Title
	if p.Kind == content.KindHome {
		alt = b.cfg.Title
	}
	if g, ok := b.ownImage(p); ok {
		src, found := b.lookupImage(p, g)
		r, processed := b.photos.results[src]
		switch {
		case !found:
			if twin := caseTwin(src, maps.Keys(b.photos.urls)); twin != "" {
				return ShareImage{}, diag.New(p.File, p.Line("gambar"), msg.SharedNoFileCase, g, src, twin)
			}
			return ShareImage{}, diag.New(p.File, p.Line("gambar"), msg.SharedNoFile, g, src)
		case !processed:
			return ShareImage{}, diag.New(p.File, p.Line("gambar"), msg.ShareImageFormat, g)
		case r.Err != nil:
			return ShareImage{}, diag.Errorf(p.File, p.Line("gambar"), "gambar: %s: %v", g, r.Err)
		}
		if a, ok := p.Params["gambarAlt"].(string); ok && a != "" {
			alt = a
		}
		largest := r.Image.Variants[len(r.Image.Variants)-1]
		return ShareImage{URL: b.absURL(largest.Name(b.photos.urls[src])), Width: largest.Width, Height: largest.Height, Alt: alt}, nil
	}
	name := cardName(p)
	if name == "" || !b.cfg.Share.Cards {
		return ShareImage{}, nil
	}
	return ShareImage{URL: b.absURL("/" + name), Width: sharecard.Width, Height: sharecard.Height, Alt: alt}, nil
}

// checkOwnImages reports pictures named in front matter (gambar) that are
// missing or cannot be shared.
func (b *builder) checkOwnImages() {
	for _, p := range b.site.All {
		if _, ok := b.ownImage(p); ok {
			if _, err := b.shareImage(p); err != nil {
				b.problems.Add(err)
			}
		}
	}
}

// cardKey identifies what a card shows.
func cardKey(c sharecard.Card) [16]byte {
	return shortHash(fmt.Sprint(sharecard.Version), c.Title, c.Kicker, c.Site, fmt.Sprint(c.Colour))
}

// shareCards writes the cards of every page that gets one, drawing in
// parallel only those neither in the destination nor in the card cache.
func (b *builder) shareCards(ctx context.Context, w *publish.Writer, put func(name string, key [16]byte, produce func() []byte), wanted map[string]bool) {
	if !b.cfg.Share.Cards || len(wanted) == 0 {
		return
	}
	type job struct {
		page *content.Page
		name string
		key  [16]byte
		card sharecard.Card
	}
	var jobs []*job
	taken := map[string]bool{}
	for _, p := range b.site.All {
		name := cardName(p)
		if _, own := b.ownImage(p); name == "" || own || taken[name] || !wanted[p.URL] {
			continue // a URL two pages claim is reported by content
		}
		taken[name] = true
		c, err := b.card(p)
		if err != nil {
			b.problems.Add(err)
			continue
		}
		jobs = append(jobs, &job{page: p, name: name, key: cardKey(c), card: c})
	}
	dir := ""
	if b.opts.CacheDir != "" {
		dir = filepath.Join(filepath.Dir(b.opts.CacheDir), "share")
	}
	// each card is handed to put as soon as it is made, so that a site's
	// thousands of cards are not all held in memory at once
	var putMu sync.Mutex
	b.parallel(ctx, len(jobs), func(i int) {
		j := jobs[i]
		data := b.cardData(w, j.name, j.key, j.card, dir, j.page)
		putMu.Lock()
		defer putMu.Unlock()
		// put keeps what the destination has (data is then nil); a card
		// that failed to draw was reported and has no data
		put(j.name, j.key, func() []byte { return data })
	})
}

// cardData is a card's PNG: nil when the destination already has it, else
// from the card cache (dir), else drawn and kept there.
func (b *builder) cardData(w *publish.Writer, name string, key [16]byte, card sharecard.Card, dir string, p *content.Page) []byte {
	if prev, ok := b.cache.Output(name); ok && len(prev.Deps) == 1 && prev.Deps[0].Value == key && w.Holds(name, prev.Sum) {
		return nil // put keeps it
	}
	file := ""
	if dir != "" {
		file = filepath.Join(dir, hex.EncodeToString(key[:])+".png")
		if data, err := os.ReadFile(file); err == nil {
			return data
		}
	}
	data, err := sharecard.Render(card)
	if err != nil {
		b.problems.Add(diag.Errorf(p.File, 0, "share card for %s: %v", name, err))
		return nil
	}
	if file != "" && os.MkdirAll(dir, 0o755) == nil {
		tmp := file + ".tmp"
		if os.WriteFile(tmp, data, 0o644) == nil {
			_ = os.Rename(tmp, file)
		}
	}
	return data
}
