package main

import (
	"path"
	"slices"
	"strings"

	"github.com/serikat-id/serikat/internal/admin"
	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/site"
)

// editor publishes the content editor at /admin/ (package admin) for a
// theme that declares its kinds of page, unless serikat.toml says [admin]
// editor = false (or, for another theme, true).
func editor(in site.Extra, put func(name string, key [16]byte, data func() []byte)) error {
	cfg := in.Config
	if !cfg.Admin.EditorOn(in.Schema != nil) {
		return nil
	}
	s := admin.Site{Title: cfg.Title, BaseURL: cfg.BaseURL, Repo: cfg.Admin.Repo, Branch: cfg.Admin.Branch,
		Stylesheets: in.Stylesheets, Collections: cfg.Admin.Collections}
	feds, _, err := federationsOf(cfg, in.Site)
	if err != nil {
		return err
	}
	for _, f := range feds {
		s.Federations = append(s.Federations, admin.Federation{ID: f.ID, Name: f.Name})
	}
	// the pages no folder collection holds: the site's single pages and
	// each section's own page
	for _, p := range in.Site.All {
		if p.File != "" && (p.Kind != content.KindPage || path.Dir(p.File) == content.Dir) {
			s.Pages = append(s.Pages, admin.Page{File: p.File, Title: p.Title})
		}
	}
	slices.SortFunc(s.Pages, func(a, b admin.Page) int { return strings.Compare(a.File, b.File) })
	files, err := admin.Files(s)
	for _, f := range files {
		put(f.Name, f.Key, f.Data)
	}
	return err
}
