// Package join is the endpoint that campaign pages' join forms post to. It
// keeps every signup safe, tells organizers where members came from, and
// counts progress toward each federation's target.
//
// # What a signup is
//
// A worker sends name, phone, workplace, city, federation, sector
// (optional), consent (the ticked box) and source (optional: the channel,
// from the page's ?src=). Validate checks each field and answers in Bahasa
// Indonesia, field by field. The phone number is normalized to E.164 and
// must be an Indonesian mobile number, however it was written
// (0812-3456-7890, +62 812…, 62812…).
//
// # What is stored
//
// The personal fields (name, phone, workplace, city, sector) are encrypted
// to the organizers' public keys before they are stored, so the endpoint
// cannot read what it stored and a stolen database shows nothing but counts.
// Beside them are kept only what counting needs: federation, source, day,
// the consent text's version, and a keyed hash of the phone number (HMAC with
// a key kept outside the database) that recognizes a second signup of the
// same person to the same federation. See Record and Store.
//
// Nothing personal is ever logged.
package join

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// ConsentVersion names the consent text the form shows. Change it when the
// text changes, so each signup records what the worker agreed to.
const ConsentVersion = "2026-11-id-1"

// Signup is one worker's request to join.
type Signup struct {
	Name       string `json:"name"`
	Phone      string `json:"phone"` // E.164 after Validate
	Workplace  string `json:"workplace"`
	City       string `json:"city"`
	Federation string `json:"federation"`
	Sector     string `json:"sector,omitempty"`
	Source     string `json:"source,omitempty"`
	Consent    bool   `json:"consent"`
}

// Federation is one federation a signup can name.
type Federation struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Target int    `json:"target"`
}

// FieldErrors maps a field name to what is wrong with it, in Bahasa Indonesia.
type FieldErrors map[string]string

// Limits on field lengths, in characters.
const (
	maxName      = 100
	maxWorkplace = 120
	maxCity      = 80
	maxSector    = 80
)

var sourcePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// Validate trims and checks every field, normalizes the phone number and
// returns what is wrong, or nil. federations are the ones a signup may name.
func (s *Signup) Validate(federations map[string]Federation) FieldErrors {
	errs := FieldErrors{}
	text := func(field string, v *string, max int, required bool) {
		*v = strings.TrimSpace(*v)
		switch {
		case !utf8.ValidString(*v):
			errs[field] = "Isian ini berisi karakter yang tidak terbaca. Ketik ulang."
		case *v == "" && required:
			errs[field] = "Wajib diisi."
		case utf8.RuneCountInString(*v) > max:
			errs[field] = fmt.Sprintf("Terlalu panjang: paling banyak %d huruf.", max)
		case strings.ContainsFunc(*v, func(r rune) bool { return unicode.IsControl(r) }):
			errs[field] = "Isian ini berisi karakter yang tidak diizinkan."
		}
	}
	text("name", &s.Name, maxName, true)
	text("workplace", &s.Workplace, maxWorkplace, true)
	text("city", &s.City, maxCity, true)
	text("sector", &s.Sector, maxSector, false)

	if phone, msg := NormalizePhone(s.Phone); msg != "" {
		errs["phone"] = msg
	} else {
		s.Phone = phone
	}
	s.Federation = strings.TrimSpace(s.Federation)
	if s.Federation == "" {
		errs["federation"] = "Pilih federasi."
	} else if _, ok := federations[s.Federation]; !ok {
		errs["federation"] = "Federasi ini tidak dikenal. Pilih dari daftar."
	}
	if !s.Consent {
		errs["consent"] = "Centang kotak persetujuan agar pengurus boleh menyimpan data dan menghubungi Anda."
	}
	s.Source = strings.ToLower(strings.TrimSpace(s.Source))
	if s.Source != "" && !sourcePattern.MatchString(s.Source) {
		s.Source = "" // a damaged ?src= must not cost a worker their signup
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// NormalizePhone returns raw as an E.164 Indonesian mobile number, or a
// message in Bahasa Indonesia saying what is wrong.
func NormalizePhone(raw string) (string, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "Wajib diisi."
	}
	if len(raw) > 32 || !utf8.ValidString(raw) {
		return "", "Nomor ini tidak bisa dibaca. Tulis seperti 0812-3456-7890."
	}
	cleaned := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()/", r) {
			return -1
		}
		return r
	}, raw)
	if strings.HasPrefix(cleaned, "62") {
		cleaned = "+" + cleaned // 62812… is the country code written without +
	}
	num, err := phonenumbers.Parse(cleaned, "ID")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", "Nomor ini tidak valid. Tulis seperti 0812-3456-7890."
	}
	if num.GetCountryCode() != 62 {
		return "", "Gunakan nomor ponsel Indonesia (+62)."
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", "Gunakan nomor ponsel, bukan telepon rumah atau kantor."
	}
	return phonenumbers.Format(num, phonenumbers.E164), ""
}

// Record is a signup as stored: counts in the clear, the person sealed.
type Record struct {
	ID             int64
	Federation     string
	Source         string
	Day            string // YYYY-MM-DD in WIB
	ConsentVersion string
	PhoneHash      []byte // HMAC-SHA256 of federation and phone
	Sealed         []byte // the Signup, encrypted to the organizers
	CreatedAt      time.Time
}

// WIB is the time zone of a signup's day.
var WIB = time.FixedZone("WIB", 7*60*60)
