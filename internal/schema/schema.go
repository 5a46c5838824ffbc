// Package schema reads what a theme says its pages' front matter holds, and
// checks a page's keys against it, so that a mistake is reported at the
// line of the content file where it is written, never later inside a
// template.
//
// # The theme's schema.toml
//
// A theme lists the keys its kinds of page use in layouts/schema.toml, one
// table per page type (the section folder, or type: in front matter), and
// the table [all] for keys any page may have:
//
//	[all]
//	gambar = "text"          # the picture a shared link shows
//
//	[kampanye]
//	federasi = "federation"  # the federation's short id
//	target = "number"
//	tenggat = "date"
//	tujuan = "list"
//	bersama = "boolean"
//	bagianDari = "page"
//
// The types:
//
//	text        any single value, written as it will be shown
//	number      a whole number, written with digits only: 1000, not 1.000 or "1000"
//	date        2027-06-30, 2027-06-30 09:00 or 2027-06-30T09:00:00+07:00 (WIB when no zone is given)
//	list        a list of texts, one per line starting with "- " (a single text is a list of one)
//	federation  a short id of lower-case letters, digits and dashes, such as fsb-garteks
//	page        a content file, such as kampanye/lampung.md, that must exist
//	boolean     true or false
//
// A value that is empty ("" or nothing) is taken as not written.
//
// # What is reported
//
// A key of a declared type whose value does not fit is an error that says
// how to write it. A key the page's type, [all] and Hugo's standard keys
// (title, date, weight, draft, tags, description, slug, aliases, layout,
// type, summary and the rest of Hugo's list) do not name is a warning,
// with the nearest known key when one is close: "wieght" is most likely
// "weight". A site whose theme has no schema.toml is not checked this way.
package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
)

// File is where a theme keeps its schema.
const File = "layouts/schema.toml"

// All is the table of keys any page may have.
const All = "all"

// Type is what a key holds.
type Type string

const (
	Text       Type = "text"
	Number     Type = "number"
	Date       Type = "date"
	List       Type = "list"
	Federation Type = "federation"
	PageRef    Type = "page"
	Boolean    Type = "boolean"
	Table      Type = "table" // keys of its own, indented under it
)

var types = []Type{Text, Number, Date, List, Federation, PageRef, Boolean, Table}

// standard are the keys Hugo knows, which any page may have. The content
// package reads some of them; the rest are kept for templates as Hugo
// keeps them.
var standard = []string{"aliases", "build", "cascade", "categories", "date", "description", "draft",
	"expiryDate", "headless", "images", "isCJKLanguage", "keywords", "lastmod", "layout", "linkTitle",
	"markup", "menu", "menus", "outputs", "params", "publishDate", "resources", "sitemap", "slug",
	"summary", "tags", "title", "translationKey", "type", "url", "weight"}

// Schema is a theme's keys by page type.
type Schema struct {
	byType map[string]map[string]Type // page type → key → type; All for every page
}

// Load reads File from fsys. A theme without one has no schema: Load
// returns nil and no error.
func Load(fsys fs.FS) (*Schema, error) {
	data, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &diag.Error{Path: File, Msg: err.Error(), Err: err}
	}
	return Parse(data)
}

// Parse reads a schema from the text of a schema.toml.
func Parse(data []byte) (*Schema, error) {
	var raw map[string]map[string]string
	if err := toml.Unmarshal(data, &raw); err != nil {
		line := 0
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ = de.Position()
		}
		return nil, diag.Errorf(File, line, "%v: write one table per page type, such as [kampanye], with key = \"type\" lines", err)
	}
	s := &Schema{byType: map[string]map[string]Type{}}
	var problems diag.List
	for typ, keys := range raw {
		s.byType[typ] = map[string]Type{}
		for key, t := range keys {
			if !slices.Contains(types, Type(t)) {
				problems.Addf(File, 0, "[%s] %s: %q is not a type: use one of %s", typ, key, t, joinTypes())
				continue
			}
			s.byType[typ][key] = Type(t)
		}
	}
	return s, problems.Err()
}

func joinTypes() string {
	var names []string
	for _, t := range types {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// TypeOf returns the type of key on pages of type typ, and whether the
// schema declares it.
func (s *Schema) TypeOf(typ, key string) (Type, bool) {
	if t, ok := s.byType[typ][key]; ok {
		return t, true
	}
	t, ok := s.byType[All][key]
	return t, ok
}

// Problem is what is wrong with one key.
type Problem struct {
	Text    msg.Text
	Warning bool // the page can still be published
}

// Check checks one front matter key of a page of type typ, holding value
// as the frontmatter package decodes it. It returns nil when the key is
// known and its value fits; a key that is a page reference is only checked
// to be text here (whether the page exists is for whoever knows the site).
func (s *Schema) Check(typ, key string, value any) *Problem {
	t, ok := s.TypeOf(typ, key)
	if !ok {
		if slices.Contains(standard, key) {
			return nil
		}
		if near := s.nearest(typ, key); near != "" {
			return &Problem{Text: msg.New(msg.UnknownKeyNear, key, near), Warning: true}
		}
		return &Problem{Text: msg.New(msg.UnknownKey, key, typ), Warning: true}
	}
	if value == nil || value == "" {
		return nil
	}
	var err error
	switch t {
	case Text, PageRef:
		switch value.(type) {
		case []any, map[string]any:
			err = msg.New(msg.WantText)
		}
	case Number:
		_, err = WholeNumber(value)
	case Date:
		_, err = ParseDate(value)
	case List:
		switch v := value.(type) {
		case string:
		case []any:
			for _, item := range v {
				if _, ok := item.(map[string]any); ok {
					err = msg.New(msg.WantList)
				}
			}
		default:
			err = msg.New(msg.WantList)
		}
	case Federation:
		_, err = FederationID(value)
	case Boolean:
		if _, ok := value.(bool); !ok {
			err = msg.New(msg.WantBoolean, Describe(value))
		}
	case Table:
		if _, ok := value.(map[string]any); !ok {
			err = msg.New(msg.WantTable, key)
		}
	}
	if err == nil {
		return nil
	}
	var text msg.Text
	if !errors.As(err, &text) {
		text = msg.New(msg.Plain, err.Error())
	}
	return &Problem{Text: msg.New(msg.KeyProblem, key, text)}
}

// nearest returns the known key closest to key, or "" when none is close
// enough to be a likely slip.
func (s *Schema) nearest(typ, key string) string {
	known := slices.Clone(standard)
	for k := range s.byType[typ] {
		known = append(known, k)
	}
	for k := range s.byType[All] {
		known = append(known, k)
	}
	slices.Sort(known) // the same answer every time when two are as near
	return msg.Nearest(key, known)
}

// WholeNumber reads a number written with digits only. The errors are
// msg.Texts that say how to write it.
func WholeNumber(v any) (int, error) {
	switch v := v.(type) {
	case int64:
		return int(v), nil
	case float64:
		// YAML reads 1.000, a thousand as Indonesians write it, as 1
		return 0, msg.New(msg.NumberDots)
	case string:
		s := strings.TrimSpace(v)
		if n, err := strconv.Atoi(s); err == nil {
			return 0, msg.New(msg.NumberQuoted, n)
		}
		if digits := strings.NewReplacer(".", "", ",", "").Replace(s); digits != s {
			if n, err := strconv.Atoi(digits); err == nil {
				return 0, msg.New(msg.NumberSeparators, s, n)
			}
		}
		return 0, msg.New(msg.NumberNotWhole, strconv.Quote(s))
	}
	return 0, msg.New(msg.NumberNotWhole, Describe(v))
}

// WIB is Western Indonesian Time, used for dates written without a zone.
// Indonesia has no daylight saving, so a fixed zone is exact.
var WIB = time.FixedZone("WIB", 7*60*60)

var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// dayFirst matches dates written day first, 30-06-2027 or 30/06/2027.
var dayFirst = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// ParseDate reads a date as the package documentation lists; a value
// written without a zone is in WIB. The errors are msg.Texts that name the
// forms a date may take.
func ParseDate(v any) (time.Time, error) {
	var s string
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case string:
		s = strings.TrimSpace(v)
	default:
		return time.Time{}, msg.New(msg.DateNotText, Describe(v))
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, s, WIB); err == nil {
			return t, nil
		}
	}
	if m := dayFirst.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		return time.Time{}, msg.New(msg.DateDayFirst, s, fmt.Sprintf("%s-%02d-%02d", m[3], month, day))
	}
	return time.Time{}, msg.New(msg.DateForm, s)
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,47}$`)

// FederationID reads a federation's short id.
func FederationID(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", msg.New(msg.IDNotText, Describe(v))
	}
	s = strings.TrimSpace(s)
	if !idPattern.MatchString(s) {
		return "", msg.New(msg.IDForm, s, SuggestID(s))
	}
	return s, nil
}

// SuggestID turns a name into an id: "FSB GARTEKS" → "fsb-garteks".
func SuggestID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Describe says what a value is, for a message: a text quoted, a list as
// "a list".
func Describe(v any) any {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return msg.New(msg.Nothing)
	case []any:
		return msg.New(msg.AList)
	case map[string]any:
		return msg.New(msg.ATable)
	default:
		return fmt.Sprint(v)
	}
}
