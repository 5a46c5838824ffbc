// Package join is the endpoint that campaign pages' join forms post to. It
// keeps every signup sealed, tells organizers where members came from, and
// counts progress toward each federation's target, without ever telling an
// outsider whether a given person signed up.
//
// # What a signup is
//
// A worker sends name, phone, workplace, city, federation, sector
// (optional), consent (the ticked box) and source (optional: the channel,
// from the page's ?src=). Validate checks each field and answers in Bahasa
// Indonesia, field by field. The phone number is normalized to E.164 and
// must be an Indonesian mobile number, however it was written
// (0812-3456-7890, +62 812…, 62812…). Text refuses control and invisible
// format characters (U+202E, U+200B…), which can disguise a name.
//
// # What is stored
//
// The personal fields (name, phone, workplace, city, sector, and the source
// exactly as it came: which channel led a worker to the form is theirs
// too) are encrypted to the organizers' public keys before they are
// stored: the site-wide keys and, when the federation has its own, that
// federation's. The endpoint cannot read what it stored, and a stolen
// database shows nothing but counts. Beside them are kept only what
// counting needs: federation, day, the consent text's version, and a
// salted keyed hash of the phone number (HMAC with a key kept outside the
// database and a random salt per record) that lets serikat join delete
// find a person's records without opening them; after dedupDays it is
// erased. No stored value links two records of one person, and record ids
// are random: repeated signups are recognized only by organizers, who open
// them. The sealed text is padded to PadTo bytes, so its size does not
// tell a long name from a short one. See Record and Store.
//
// # Follow-up
//
// Organizers move each signup through StatusNew, StatusContacted,
// StatusMet and StatusMember (or StatusStopped), in serikat join inbox.
// Each change is kept, append-only, beside the signup: its status and day
// in the clear, for counting, and the organizer's note sealed to the same
// keys as the signup and padded to one size (PadNote). Changes are
// numbered per signup, and the store refuses a number that is taken, so
// that two organizers working at once never overwrite each other
// (ErrConflict). Erasing a signup erases its history.
//
// # What nobody learns
//
// A new signup and a repeated one are answered byte for byte alike and do
// the same work (both are sealed and written). The public statistics are
// the total and each federation's count and target, refreshed at most
// once an hour. Nothing personal is logged, and no line is logged per
// signup.
package join

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// ConsentVersion names the consent text the form shows. Change it when the
// text changes, so each signup records what the worker agreed to.
const ConsentVersion = "2026-12-id-1"

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
	// Private keeps the federation's count out of the public statistics,
	// the total included: a small federation whose count would show who
	// joined it.
	Private bool `json:"-"`
	// Deadline is the campaign's last day (YYYY-MM-DD, a campaign page's
	// tenggat); "" when unknown. Only organizers' charts draw it.
	Deadline string `json:"-"`
	// CountMembers makes the public statistics count the federation's
	// members (Counts.Members) instead of its signups (serikat.toml's
	// progress = "anggota").
	CountMembers bool `json:"-"`
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
		case strings.ContainsFunc(*v, unicode.IsControl):
			errs[field] = "Isian ini berisi karakter yang tidak diizinkan."
		case strings.ContainsFunc(*v, invisible):
			// invisible characters can make a planted "Budi" look like the
			// real one in an export, or reverse what a spreadsheet shows
			errs[field] = "Isian ini berisi karakter tak terlihat (misalnya dari salin-tempel). Ketik ulang tanpa menyalin."
		case mixesScripts(*v):
			errs[field] = "Ada huruf dari abjad lain (misalnya Kiril atau Yunani) di tengah kata. Ketik ulang dengan huruf biasa."
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

// invisible reports characters that show nothing, or nothing of their
// own: format characters (bidi overrides, zero-width spaces and joiners,
// soft hyphens, BOMs), variation selectors, fillers (U+3164, U+115F…), line
// and paragraph separators, and the blank Braille pattern.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) ||
		r == 0x2800
}

// mixesScripts reports a word with Latin letters and Cyrillic or Greek
// ones: "Santоso" with a Cyrillic о looks like "Santoso" and is not.
func mixesScripts(s string) bool {
	for _, word := range strings.Fields(s) {
		latin := strings.ContainsFunc(word, func(r rune) bool { return unicode.Is(unicode.Latin, r) })
		other := strings.ContainsFunc(word, func(r rune) bool { return unicode.In(r, unicode.Cyrillic, unicode.Greek) })
		if latin && other {
			return true
		}
	}
	return false
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
	// ID is random, not a count: ids in the order of signups would tell
	// someone with a copy of the database, who had posted signups of their
	// own at known times, when each of the others came.
	ID             int64
	Federation     string
	Day            string // YYYY-MM-DD in WIB; no time of day is kept
	ConsentVersion string
	// PhoneSalt and PhoneHash find a person's records for erasure: the
	// hash is HMAC-SHA256(key, salt‖phone) with a random salt per record,
	// so that no two records, even of one person, share a value that
	// someone with a copy of the database could match; nil once forgotten.
	PhoneSalt, PhoneHash []byte
	Sealed               []byte // the Signup, encrypted to the organizers
}

// PadTo is the size the sealed text of every signup is padded to: more
// than the longest signup Validate lets through (its text fields in
// four-byte characters, escaped), so that every sealed signup has one size.
const PadTo = 2560

// Pad is the signup as sealed: its JSON, with spaces after it (which JSON
// ignores) up to PadTo bytes.
func Pad(s Signup) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // < > & as themselves: one byte, not six
	enc.Encode(s)            // a struct of strings always encodes
	plain := buf.Bytes()
	if n := PadTo - len(plain); n > 0 {
		plain = append(plain, bytes.Repeat([]byte(" "), n)...)
	}
	return plain
}

// NewID returns a random record id.
func NewID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>2) + 1 // positive, below 2^62
}

// NewPhoneHash returns a fresh salt and the phone's hash under it.
func NewPhoneHash(key []byte, e164 string) (salt, hash []byte) {
	salt = make([]byte, 16)
	rand.Read(salt)
	return salt, saltedHash(key, salt, e164)
}

// HasPhone reports whether r is a signup of the phone (E.164), by its
// salted hash; false once the hash is forgotten.
func (r *Record) HasPhone(key []byte, e164 string) bool {
	return r.PhoneHash != nil && hmac.Equal(r.PhoneHash, saltedHash(key, r.PhoneSalt, e164))
}

func saltedHash(key, salt []byte, e164 string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(salt)
	m.Write([]byte(e164))
	return m.Sum(nil)
}

// WIB is the time zone of a signup's day.
var WIB = time.FixedZone("WIB", 7*60*60)

// DefaultChannels are the channels a site counts when it declares none: the
// share links', the share button's (bagikan) and posters' src= values, and video.
var DefaultChannels = []string{"whatsapp", "telegram", "facebook", "x", "bagikan", "poster", "video", "salin"}

// OtherChannel is where any undeclared source is counted.
const OtherChannel = "lainnya"

// ChannelOf maps a signup's source to what organizers' statistics count it
// under: the source when it is one of channels, OtherChannel for any
// other, "" for none.
func ChannelOf(source string, channels []string) string {
	switch {
	case source == "":
		return ""
	case slices.Contains(channels, source):
		return source
	}
	return OtherChannel
}
