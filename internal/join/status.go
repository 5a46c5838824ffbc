package join

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Status is where the follow-up of a signup stands. A signup starts as
// StatusNew; organizers move it on as they call, meet and enrol the worker.
type Status string

// The follow-up statuses, in the order a signup usually moves through
// them. StatusStopped ends a follow-up that did not lead to a member.
const (
	StatusNew       Status = "baru"
	StatusContacted Status = "dihubungi"
	StatusMet       Status = "bertemu"
	StatusMember    Status = "anggota"
	StatusStopped   Status = "tidak melanjutkan"
)

// Statuses are the statuses in their order.
var Statuses = []Status{StatusNew, StatusContacted, StatusMet, StatusMember, StatusStopped}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// rank orders the steps of a follow-up: 0 for none (new or stopped).
func (s Status) rank() int {
	switch s {
	case StatusContacted:
		return 1
	case StatusMet:
		return 2
	case StatusMember:
		return 3
	}
	return 0
}

// StatusChange is one entry in a signup's follow-up history. The history
// is append-only: each change has the next Version of its record (1 for
// the first), and the store refuses a version that is already taken, so
// that of two organizers changing one signup at once, the second learns
// of the first instead of overwriting it (ErrConflict).
type StatusChange struct {
	Record  int64
	Version int
	Status  Status
	Day     string // YYYY-MM-DD in WIB, as a signup's; no time of day
	// Note is an organizer's note, sealed to the same keys as the signup
	// (see PadNote); nil for none.
	Note []byte
}

// ErrConflict means another change to the signup's status was stored
// first: read the history again and decide anew.
var ErrConflict = errors.New("the status was changed by someone else first")

// ErrNoRecord means a status was set for a record that does not exist
// (any more: it may have been erased).
var ErrNoRecord = errors.New("no such signup")

// History is a record's status changes, oldest first.
type History []StatusChange

// Current is the latest status, StatusNew when there is none.
func (h History) Current() Status {
	if len(h) == 0 {
		return StatusNew
	}
	return h[len(h)-1].Status
}

// Version is the latest version, 0 when there is none: the next change
// has Version+1.
func (h History) Version() int {
	if len(h) == 0 {
		return 0
	}
	return h[len(h)-1].Version
}

// Reached returns the day the follow-up reached step (StatusContacted,
// StatusMet or StatusMember) or a later one, and whether it stands there
// now: a worker first marked as met was contacted that day too; one who
// stopped after a meeting was contacted and met; a change back to an
// earlier step (a correction) undoes a later one.
func (h History) Reached(step Status) (string, bool) {
	day := ""
	for _, c := range h {
		switch {
		case c.Status == StatusStopped:
		case c.Status.rank() >= step.rank() && c.Status.rank() > 0:
			if day == "" {
				day = c.Day
			}
		default:
			day = ""
		}
	}
	return day, day != ""
}

// MaxNote is the longest note, in characters.
const MaxNote = 280

// NotePadTo is the size a note is padded to before sealing: more than the
// longest note CheckNote lets through as JSON (four bytes a character at
// most: quotes and newlines escape to two, and what JSON escapes to six
// CheckNote refuses), and its quotes.
const NotePadTo = 4*MaxNote + 16

// CheckNote trims a note and returns what is wrong with it, in Bahasa
// Indonesia, or "".
func CheckNote(note *string) string {
	*note = strings.TrimSpace(*note)
	switch {
	case !utf8.ValidString(*note):
		return "Catatan berisi karakter yang tidak terbaca."
	case utf8.RuneCountInString(*note) > MaxNote:
		return fmt.Sprintf("Catatan terlalu panjang: paling banyak %d huruf.", MaxNote)
	case strings.ContainsFunc(*note, func(r rune) bool { return unicode.IsControl(r) && r != '\n' || invisible(r) }):
		return "Catatan berisi karakter yang tidak diizinkan."
	}
	return ""
}

// PadNote is a note as sealed: its JSON string padded with spaces to
// NotePadTo bytes, so that a sealed note's size tells nothing of its length.
func PadNote(note string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(note)
	if n := NotePadTo - buf.Len(); n > 0 {
		buf.Write(bytes.Repeat([]byte(" "), n))
	}
	return buf.Bytes()
}

// UnpadNote reads a note from what PadNote made.
func UnpadNote(plain []byte) (string, error) {
	var note string
	err := json.Unmarshal(plain, &note)
	return note, err
}

// FollowUp returns which of a person's records (by federation and phone,
// oldest first) carries their follow-up, and its history: the first that
// has a history, else the first. A person who signs up again keeps the
// status they had.
func FollowUp(records []int64, all map[int64]History) (int64, History) {
	for _, id := range records {
		if h, ok := all[id]; ok {
			return id, h
		}
	}
	return records[0], nil
}

// HistoriesQuery is the SQL query, the same on every SQL store, whose rows
// ScanHistories reads.
const HistoriesQuery = `SELECT record_id, version, status, day, note FROM statuses ORDER BY record_id, version`

// Rows is what ScanHistories needs of a query's result (database/sql's and
// pgx's both have it).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanHistories reads the rows of HistoriesQuery.
func ScanHistories(rows Rows) (map[int64]History, error) {
	all := map[int64]History{}
	for rows.Next() {
		var c StatusChange
		if err := rows.Scan(&c.Record, &c.Version, &c.Status, &c.Day, &c.Note); err != nil {
			return nil, err
		}
		all[c.Record] = append(all[c.Record], c)
	}
	return all, rows.Err()
}
