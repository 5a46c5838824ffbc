// Package campaign says what the default theme's campaign and module pages
// are: the front matter keys they use, their types, and what a mistake in
// them looks like. It is the one place that knows these keys. The join
// endpoint (which federations exist and their targets), serikat check,
// share cards, short links and templates (.Campaign, .Module) read the
// typed values it decodes, never the raw front matter.
//
// # Campaigns
//
// A campaign is a regular page of the kampanye section (or of type
// kampanye):
//
//	federasi: f-hukatan          # the federation's id: lower-case letters, digits, dashes
//	namaFederasi: F HUKATAN      # its name as people write it
//	konfederasi: KSBSI
//	target: 200                  # new members to recruit; a whole number
//	tenggat: 2027-06-30          # the deadline, year-month-day
//	bersama: true                # a joint campaign: the worker picks a federation
//	bagianDari: kampanye/lampung-651.md   # shares that campaign's target
//	warna: "#a4161a"             # the share card's and poster's colour
//	gambar: foto.jpg             # the picture a shared link shows
//	gambarAlt: …
//	sektor: …                    # the sectors the federation organizes
//	alamat: …                    # where to find its officers
//	kontak: …                    # how to reach them
//	poster:                      # the printed poster's own words
//	  judul: Upah dipotong?      # its headline (else the page's title)
//	  ajakan: …                  # its pitch (else none: never the description)
//
// A campaign whose tenggat has passed (the day ends at midnight WIB) has
// ended: Ended says so for the build's day, and the theme then shows no
// form.
//
// # Modules
//
// A module is a regular page of the modul section: nomor, durasi, peserta,
// tujuan (a list), bahan (a list).
//
// # Mistakes
//
// Decode reports each key of the wrong type or form at its line, in words a
// trainer can act on: target: 1.000 (a dot, as Indonesians write a
// thousand) is read by YAML as the number 1, so it is refused rather than
// taken as one member; a quoted "200" is taken as 200; a deadline written
// 30-06-2027 is refused with the form to use. When the theme has a schema
// (package schema), the content package has already checked these keys
// against it: a key it refused (Page.Refused) is taken as unset and not
// reported again, so one mistake gives one message.
package campaign

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/serikat-id/serikat/internal/content"
	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
	"github.com/serikat-id/serikat/internal/schema"
)

// Section is the section, or type, of campaign pages; ModuleSection that of
// modules.
const (
	Section       = "kampanye"
	ModuleSection = "modul"
)

// Campaign is a campaign page's front matter, decoded.
type Campaign struct {
	Federation     string    // federasi: the join endpoint's id; "" for a joint campaign
	FederationName string    // namaFederasi
	Confederation  string    // konfederasi
	Target         int       // target; 0 when unset (see PartOf)
	Deadline       time.Time // tenggat; zero when unset
	Joint          bool      // bersama
	PartOf         string    // bagianDari: the joint campaign whose target this one shares
	Colour         string    // warna
	Image          string    // gambar
	ImageAlt       string    // gambarAlt
	Sector         string    // sektor
	Address        string    // alamat
	Contact        string    // kontak
	PosterTitle    string    // poster.judul
	PosterPitch    string    // poster.ajakan
	// Ended is set by the build when the deadline has passed on its day
	// (see EndedBy); it is not a key.
	Ended bool
	// Invalid are the keys that were written but could not be read (each
	// reported by Decode); their fields hold zero values.
	Invalid []string
}

// Module is a training module's front matter, decoded.
type Module struct {
	Number       int      // nomor; 0 when unset
	Duration     string   // durasi, as written ("90 menit")
	Participants string   // peserta
	Objectives   []string // tujuan
	Materials    []string // bahan
}

// IsCampaign reports whether p is a campaign page.
func IsCampaign(p *content.Page) bool { return p.Kind == content.KindPage && p.Type == Section }

// IsModule reports whether p is a module page.
func IsModule(p *content.Page) bool { return p.Kind == content.KindPage && p.Type == ModuleSection }

// Decode reads a campaign page's keys. It returns the campaign as far as it
// could be read and every problem, each at its key's line.
func Decode(p *content.Page) (*Campaign, error) {
	d := decoder{p: p}
	c := &Campaign{
		Federation:     d.text("federasi"),
		FederationName: d.text("namaFederasi"),
		Confederation:  d.text("konfederasi"),
		Target:         d.count("target"),
		Deadline:       d.date("tenggat"),
		Joint:          d.flag("bersama"),
		PartOf:         d.text("bagianDari"),
		Colour:         d.text("warna"),
		Image:          d.text("gambar"),
		ImageAlt:       d.text("gambarAlt"),
		Sector:         d.text("sektor"),
		Address:        d.text("alamat"),
		Contact:        d.text("kontak"),
	}
	poster := d.table("poster")
	c.PosterTitle = d.textIn(poster, "poster", "judul")
	c.PosterPitch = d.textIn(poster, "poster", "ajakan")
	if c.Federation != "" {
		if _, err := schema.FederationID(c.Federation); err != nil {
			d.fail("federasi", msg.IDFormName, c.Federation, schema.SuggestID(c.Federation))
			c.Federation = ""
		}
	}
	c.Invalid = d.invalid
	return c, d.problems.Err()
}

// wib is Western Indonesian Time, in which a deadline's day ends.
var wib = time.FixedZone("WIB", 7*60*60)

// EndedBy reports whether the campaign's deadline had passed at now: a
// deadline is the last day of the campaign, to midnight WIB. A campaign
// without a deadline never ends.
func (c *Campaign) EndedBy(now time.Time) bool {
	if c.Deadline.IsZero() {
		return false
	}
	y, m, d := c.Deadline.Date()
	return !now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, wib))
}

// DecodeModule reads a module page's keys.
func DecodeModule(p *content.Page) (*Module, error) {
	d := decoder{p: p}
	m := &Module{
		Number:       d.count("nomor"),
		Duration:     d.text("durasi"),
		Participants: d.text("peserta"),
		Objectives:   d.list("tujuan"),
		Materials:    d.list("bahan"),
	}
	return m, d.problems.Err()
}

type decoder struct {
	p        *content.Page
	problems diag.List
	invalid  []string
}

// value returns the value of key, nil when the schema refused it.
func (d *decoder) value(key string) any {
	if slices.Contains(d.p.Refused, key) {
		d.invalid = append(d.invalid, key)
		return nil
	}
	return d.p.Params[key]
}

func (d *decoder) fail(key string, m msg.Key, args ...any) {
	d.invalid = append(d.invalid, key)
	d.problems.Add(diag.New(d.p.File, d.p.Line(key), msg.KeyProblem, key, msg.New(m, args...)))
}

func (d *decoder) text(key string) string { return d.textAt(key, key, d.value(key)) }

// textAt reads v as text; a mistake is reported as name at lineKey's line.
func (d *decoder) textAt(name, lineKey string, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v)
	default:
		d.invalid = append(d.invalid, name)
		d.problems.Add(diag.New(d.p.File, d.p.Line(lineKey), msg.KeyProblem, name, msg.New(msg.WantText)))
		return ""
	}
}

// table reads a key that holds keys of its own, such as poster.
func (d *decoder) table(key string) map[string]any {
	switch v := d.value(key).(type) {
	case nil:
		return nil
	case map[string]any:
		return v
	default:
		d.fail(key, msg.WantTable, key)
		return nil
	}
}

// textIn reads the text at table[key], reported as parent.key at the
// table's line.
func (d *decoder) textIn(table map[string]any, parent, key string) string {
	return d.textAt(parent+"."+key, parent, table[key])
}

func (d *decoder) flag(key string) bool {
	switch v := d.value(key).(type) {
	case nil:
		return false
	case bool:
		return v
	default:
		d.fail(key, msg.WantBoolean, schema.Describe(v))
		return false
	}
}

// count reads a whole number of zero or more; a quoted one is taken too.
func (d *decoder) count(key string) int {
	v := d.value(key)
	if s, ok := v.(string); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			v = n
		}
	}
	if u, ok := v.(uint64); ok && u <= math.MaxInt32 {
		v = int64(u)
	}
	switch n := v.(type) {
	case nil:
		return 0
	case int64:
		if n > math.MaxInt32 {
			d.fail(key, msg.NumberTooLarge, n)
			return 0
		}
		if n < 0 {
			d.fail(key, msg.NumberNegative, n)
			return 0
		}
		return int(n)
	}
	_, err := schema.WholeNumber(v)
	t, ok := err.(msg.Text)
	if !ok {
		t = msg.New(msg.NumberNotWhole, schema.Describe(v))
	}
	d.fail(key, t.Key, t.Args...)
	return 0
}

// date reads a day written year-month-day, as the schema's dates.
func (d *decoder) date(key string) time.Time {
	v := d.value(key)
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" || v == nil {
		return time.Time{}
	}
	t, err := schema.ParseDate(v)
	if err != nil {
		e := err.(msg.Text)
		d.fail(key, e.Key, e.Args...)
	}
	return t
}

// list reads a list of texts; a single text is a list of one.
func (d *decoder) list(key string) []string {
	switch v := d.value(key).(type) {
	case nil:
		return nil
	case string:
		if s := strings.TrimSpace(v); s != "" {
			return []string{s}
		}
		return nil
	case []any:
		var out []string
		for _, item := range v {
			switch item := item.(type) {
			case string:
				if s := strings.TrimSpace(item); s != "" {
					out = append(out, s)
				}
			case nil:
			default:
				out = append(out, fmt.Sprint(item))
			}
		}
		return out
	default:
		d.fail(key, msg.WantList)
		return nil
	}
}
