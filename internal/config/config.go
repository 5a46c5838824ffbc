// Package config reads serikat.toml, the optional settings file at the root
// of a site.
//
// # The file
//
//	title = "Serikat Buruh"
//	baseURL = "https://serikat.example.org/"
//	languageCode = "id"          # default "id"; picks layouts/i18n/<code>.toml
//
//	[params]                     # free-form, available as .Site.Params
//	federasi = "KSBSI"
//
//	[[menus.main]]               # .Site.Menus.main, ordered by weight
//	name = "Modul"
//	url = "/modul/"
//	weight = 1
//
//	[markup]
//	unsafe = false               # true lets raw HTML in Markdown through
//	tocLevels = [2, 3]           # heading levels in .TableOfContents
//
//	[join]                       # the join form and "serikat join serve"
//	backend = "endpoint"         # or "netlify": a Netlify Forms form, no server
//	endpoint = "/api/join"       # where the form posts
//	thanks = "/gabung/terima-kasih/"  # the page after signing up; never kept offline
//	addr = "127.0.0.1:8081"
//	db = "sqlite:data/join.db"   # or postgres://…
//	recipients = ["age1…"]       # organizers' public keys
//	recipientsFile = ""
//	hmacKeyFile = ""             # default: outside the site (see serikat join serve --help)
//	rateLimit = 10               # signups per minute per address; 0 = off
//	trustedProxies = []          # proxies whose X-Forwarded-For is believed (CIDRs)
//	netlifySigningSecretFile = "" # the secret of Netlify's signed /api/* redirect
//	allowOrigins = []
//	dedupDays = 90               # days a phone hash links repeated signups
//	channels = ["whatsapp", "telegram", "facebook", "x", "bagikan", "poster", "video", "salin"]
//	[join.strategies]            # a channel's recruitment strategy, for organizers' statistics
//	poster = "Poster dan tulisan"
//
//	[admin]                      # the content editor at /admin/ (package admin)
//	editor = true                # false: publish no editor
//	repo = "serikat-id/situs"    # the GitHub repository the editor commits to
//	branch = "main"
//	[[admin.collections]]        # added to the editor's own, or replacing one of the same name
//	name = "agenda"              # written as Decap CMS reads a collection
//	label = "Agenda"
//	folder = "content/agenda"
//
//	[[join.federations]]         # besides campaign pages with a federasi id
//	id = "f-hukatan"
//	name = "F HUKATAN"
//	target = 200
//	recipients = ["age1…"]       # this federation's own organizers' keys
//	publicCount = true           # false: no public count, in no total
//
// Every key is checked: an unknown key or a value of the wrong type is an
// error that names serikat.toml and the line. Command-line flags override
// the [join] settings.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/serikat-id/serikat/internal/msg"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/serikat-id/serikat/internal/diag"
)

// FileName is the settings file's name at the site root.
const FileName = "serikat.toml"

// Config is a site's settings. The zero value is not valid; use Load or Default.
type Config struct {
	Title        string                 `toml:"title"`
	BaseURL      string                 `toml:"baseURL"`
	LanguageCode string                 `toml:"languageCode"`
	Params       map[string]any         `toml:"params"`
	Menus        map[string][]MenuEntry `toml:"menus"`
	Markup       Markup                 `toml:"markup"`
	Images       Images                 `toml:"images"`
	Check        Check                  `toml:"check"`
	Share        Share                  `toml:"share"`
	Search       Search                 `toml:"search"`
	Join         Join                   `toml:"join"`
	Admin        Admin                  `toml:"admin"`
}

// Admin configures the content editor published at /admin/.
type Admin struct {
	// Editor publishes the editor; unset, it is on when the theme declares
	// its kinds of page (layouts/schema.toml), which the editor's forms
	// are made from.
	Editor *bool `toml:"editor"`
	// Repo is the GitHub repository ("owner/name") the editor commits to
	// on the published site; Branch its branch, default "main".
	Repo   string `toml:"repo"`
	Branch string `toml:"branch"`
	// Collections are Decap CMS collections, as Decap reads them: each
	// replaces the editor's collection of the same name, or is added.
	Collections []map[string]any `toml:"collections"`
}

// EditorOn reports whether the site publishes the editor; themeModel is
// whether the theme declares its kinds of page.
func (a Admin) EditorOn(themeModel bool) bool {
	if a.Editor == nil {
		return themeModel
	}
	return *a.Editor
}

// Join configures the join form and its endpoint.
type Join struct {
	Backend        string   `toml:"backend"`
	Endpoint       string   `toml:"endpoint"`
	Addr           string   `toml:"addr"`
	DB             string   `toml:"db"`
	Recipients     []string `toml:"recipients"`
	RecipientsFile string   `toml:"recipientsFile"`
	HMACKeyFile    string   `toml:"hmacKeyFile"`
	RateLimit      int      `toml:"rateLimit"`
	// TrustProxy is no longer honoured (it believed anyone's
	// X-Forwarded-For); setting it is an error that names what replaced it.
	TrustProxy               bool     `toml:"trustProxy"`
	TrustedProxies           []string `toml:"trustedProxies"`
	NetlifySigningSecretFile string   `toml:"netlifySigningSecretFile"`
	AllowOrigins             []string `toml:"allowOrigins"`
	// DedupDays is how long a phone hash is kept to link repeated signups.
	DedupDays int `toml:"dedupDays"`
	// Channels are the src= values counted by name; nil means the
	// endpoint's default list. Any other source counts as "lainnya".
	Channels []string `toml:"channels"`
	// Strategies map a channel to the recruitment strategy organizers'
	// statistics count it under (serikat join stats, join inbox); nil
	// means the default: the share links and video under social-media
	// video, poster under posters and writing, advokasi under bottom-up
	// advocacy, perundingan under top-down talks.
	Strategies map[string]string `toml:"strategies"`
	// Thanks is the site path of the page a worker sees after signing up.
	// The service worker never keeps it, so a phone holds no copy of it.
	Thanks string `toml:"thanks"`
	// Federations are named here or by campaign pages (front matter
	// federasi, namaFederasi, target); here wins where both name one.
	Federations []Federation `toml:"federations"`
}

// Federation is a federation a worker can join.
type Federation struct {
	ID     string `toml:"id"`
	Name   string `toml:"name"`
	Target int    `toml:"target"`
	// Recipients are the federation's own organizers' public keys: its
	// signups are sealed to these and the site-wide recipients, so another
	// federation's key cannot read them.
	Recipients []string `toml:"recipients"`
	// PublicCount, when false, keeps the federation's count out of the
	// public statistics (and their total).
	PublicCount *bool `toml:"publicCount"`
	// Progress is what the public statistics count for the federation:
	// "pendaftaran" (signups, the default) or "anggota" (the signups an
	// organizer marked anggota in serikat join inbox).
	Progress string `toml:"progress"`
}

// What a federation's public progress counts (Federation.Progress).
const (
	ProgressSignups = "pendaftaran"
	ProgressMembers = "anggota"
)

var repoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)

var channelPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// Join backends.
const (
	BackendEndpoint = "endpoint"
	BackendNetlify  = "netlify"
)

// MenuEntry is one link of a menu.
type MenuEntry struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int    `toml:"weight"`
}

// Markup holds Markdown settings.
type Markup struct {
	// Unsafe passes raw HTML in Markdown through instead of escaping it.
	Unsafe bool `toml:"unsafe"`
	// TOCLevels are the heading levels listed in a table of contents.
	TOCLevels []int `toml:"tocLevels"`
}

// Images holds the settings for photos in pages (see package imaging).
type Images struct {
	// Widths are the widths, in pixels, each photo is published at; a
	// photo narrower than the largest is also published at its own width.
	Widths []int `toml:"widths"`
	// Quality is the JPEG quality, 1 to 100.
	Quality int `toml:"quality"`
}

// Share holds how pages look when shared.
type Share struct {
	// Cards draws a 1200×630 share card for every page (package sharecard)
	// that does not name its own image (front matter gambar).
	Cards bool `toml:"cards"`
	// Colour is the cards' and the icons' colour, unless a page sets warna.
	Colour string `toml:"colour"`
}

// Search holds the search index settings.
type Search struct {
	// Index writes search/ (package search) for the theme's search page.
	Index bool `toml:"index"`
}

// Check holds the budgets "serikat check" holds pages to.
type Check struct {
	// PageKB is the most a page's HTML may weigh, gzip-compressed, in KB:
	// what a phone fetches before it can show anything.
	PageKB int `toml:"pageKB"`
	// ImageKB is the most one published image file may weigh, in KB.
	ImageKB int `toml:"imageKB"`
}

// Default returns the settings of a site without serikat.toml.
func Default() *Config {
	return &Config{
		Title:        "Serikat",
		BaseURL:      "/",
		LanguageCode: "id",
		Params:       map[string]any{},
		Menus:        map[string][]MenuEntry{},
		Markup:       Markup{TOCLevels: []int{2, 3}},
		Images:       Images{Widths: []int{360, 720, 1080}, Quality: 75},
		Check:        Check{PageKB: 30, ImageKB: 250},
		Share:        Share{Cards: true, Colour: "#a4161a"},
		Search:       Search{Index: true},
		Admin:        Admin{Branch: "main"},
		Join: Join{Backend: BackendEndpoint, Endpoint: "/api/join", Thanks: "/gabung/terima-kasih/", Addr: "127.0.0.1:8081",
			DB: "sqlite:data/join.db", RateLimit: 10, DedupDays: 90},
	}
}

// Load reads serikat.toml from the root of fsys. A missing file gives
// Default(). Every problem found is returned, each as a *diag.Error.
func Load(fsys fs.FS) (*Config, error) {
	cfg := Default()
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return nil, &diag.Error{Path: FileName, Msg: err.Error(), Err: err}
	}
	if err := Parse(data, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Parse decodes data over cfg and validates the result.
func Parse(data []byte, cfg *Config) error {
	var problems diag.List
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	err := dec.Decode(cfg)
	var strict *toml.StrictMissingError
	var decErr *toml.DecodeError
	switch {
	case errors.As(err, &strict):
		for _, e := range strict.Errors {
			line, col := e.Position()
			d := diag.New(FileName, line, msg.UnknownSetting, strings.Join(e.Key(), "."))
			d.Column = col
			problems.Add(d)
		}
	case errors.As(err, &decErr):
		line, col := decErr.Position()
		problems.Add(&diag.Error{Path: FileName, Line: line, Column: col, Msg: decErr.Error(), Err: err})
	case err != nil:
		problems.Add(&diag.Error{Path: FileName, Msg: err.Error(), Err: err})
	}
	if problems.Len() == 0 {
		validate(cfg, data, &problems)
	}
	return problems.Err()
}

func validate(cfg *Config, data []byte, problems *diag.List) {
	if cfg.LanguageCode == "" {
		cfg.LanguageCode = "id"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "/"
	}
	if err := checkBaseURL(cfg.BaseURL); err != nil {
		problems.Add(diag.At(FileName, keyLine(data, "baseURL"), err))
	}
	for _, lvl := range cfg.Markup.TOCLevels {
		if lvl < 1 || lvl > 6 {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "tocLevels"),
				Msg: fmt.Sprintf("markup.tocLevels: heading level must be 1 to 6, got %d", lvl)})
		}
	}
	if len(cfg.Markup.TOCLevels) == 0 {
		cfg.Markup.TOCLevels = []int{2, 3}
	}
	for _, w := range cfg.Images.Widths {
		if w < 16 || w > 8192 {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "widths"),
				Msg: fmt.Sprintf("images.widths: a width must be 16 to 8192 pixels, got %d", w)})
		}
	}
	if r := cfg.Admin.Repo; r != "" && !repoPattern.MatchString(r) {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "repo"),
			Msg: fmt.Sprintf("admin.repo: %q is not a GitHub repository: write owner/name, such as \"serikat-id/situs\"", r)})
	}
	if cfg.Admin.Branch == "" {
		cfg.Admin.Branch = "main"
	}
	for _, c := range cfg.Admin.Collections {
		if name, _ := c["name"].(string); name == "" {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "collections"),
				Msg: "admin.collections: every collection needs a name (the one to replace, or a new one)"})
		}
	}
	if len(cfg.Images.Widths) == 0 {
		cfg.Images.Widths = []int{360, 720, 1080}
	}
	slices.Sort(cfg.Images.Widths)
	cfg.Images.Widths = slices.Compact(cfg.Images.Widths)
	if q := cfg.Images.Quality; q < 1 || q > 100 {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "quality"),
			Msg: fmt.Sprintf("images.quality: JPEG quality must be 1 to 100, got %d", q)})
	}
	if cfg.Check.PageKB < 1 || cfg.Check.ImageKB < 1 {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "check"),
			Msg: fmt.Sprintf("check: budgets must be at least 1 KB, got pageKB %d and imageKB %d", cfg.Check.PageKB, cfg.Check.ImageKB)})
	}
	for name, entries := range cfg.Menus {
		slices.SortStableFunc(entries, func(a, b MenuEntry) int { return a.Weight - b.Weight })
		cfg.Menus[name] = entries
	}
	if cfg.Params == nil {
		cfg.Params = map[string]any{}
	}
	if b := cfg.Join.Backend; b != BackendEndpoint && b != BackendNetlify {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "backend"),
			Msg: fmt.Sprintf("join.backend must be %q or %q, got %q", BackendEndpoint, BackendNetlify, b)})
	}
	if t := cfg.Join.Thanks; !strings.HasPrefix(t, "/") || strings.HasPrefix(t, "//") {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "thanks"),
			Msg: fmt.Sprintf("join.thanks must be a path on the site starting with /, got %q", t)})
	}
	if cfg.Join.TrustProxy {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "trustProxy"),
			Msg: "join.trustProxy believed any client's X-Forwarded-For and is gone: name the proxies with trustedProxies = [\"CIDR\"], or behind Netlify use netlifySigningSecretFile"})
	}
	if cfg.Join.DedupDays < 0 {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "dedupDays"), Msg: "join.dedupDays must be 0 or more"})
	}
	for _, ch := range cfg.Join.Channels {
		if !channelPattern.MatchString(ch) || ch == "lainnya" {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "channels"),
				Msg: fmt.Sprintf("join.channels: %q must be lower-case letters, digits and dashes (and not \"lainnya\", which counts the rest)", ch)})
		}
	}
	for _, f := range cfg.Join.Federations {
		if f.ID == "" || f.Name == "" || f.Target < 0 {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "id"),
				Msg: fmt.Sprintf("join.federations: each needs an id and a name, and a target of 0 or more (got %+v)", f)})
		}
		if p := f.Progress; p != "" && p != ProgressSignups && p != ProgressMembers {
			problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "progress"),
				Msg: fmt.Sprintf("join.federations: progress must be %q or %q, got %q", ProgressSignups, ProgressMembers, p)})
		}
	}
	if cfg.Join.RateLimit < 0 {
		problems.Add(&diag.Error{Path: FileName, Line: keyLine(data, "rateLimit"), Msg: "join.rateLimit must be 0 or more"})
	}
}

// CheckBaseURL reports whether u can serve as a site's base URL: either a
// path starting with "/" or an absolute http(s) URL.
func checkBaseURL(u string) error {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return nil
	}
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return msg.New(msg.BaseURLForm, u)
	}
	return nil
}

// CheckBaseURL validates a base URL given on the command line.
func CheckBaseURL(u string) error { return checkBaseURL(u) }

// keyLine finds the line that sets key, for problems found after decoding.
// The decoder has already accepted the document, so a plain scan is exact
// enough: keys in serikat.toml are bare words at the start of a line.
func keyLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		k, _, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 0
}

// KeyLine finds the line of serikat.toml (data) that sets key, or 0: for
// problems others find in what a setting leads to.
func KeyLine(data []byte, key string) int { return keyLine(data, key) }
