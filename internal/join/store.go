package join

import (
	"context"
	"errors"
	"time"
)

// Store keeps signup records. Implementations: package sqlite (embedded,
// the default) and, for several endpoint replicas, PostgreSQL. Package
// storetest is the suite every Store passes.
type Store interface {
	// Add stores r, also when the same person signed up before: a repeated
	// signup is kept beside the first (a worker's correction must not be
	// lost) and does exactly the same work, so neither its answer nor its
	// timing tells anyone that the phone was known. Add sets r.ID. It
	// returns only once the record is durable (its transaction committed).
	Add(ctx context.Context, r *Record) error
	// Counts returns the number of records by federation and day, and of
	// members by federation.
	Counts(ctx context.Context) (Counts, error)
	// Each calls fn for every record matching f, by day; within a day in
	// no particular order.
	Each(ctx context.Context, f Filter, fn func(*Record) error) error
	// Delete removes the records with the given IDs and then scrubs the
	// storage, so that nothing of them can be read back from the
	// database's files (see each store's doc for what that covers). It
	// reports how many records it removed. When the records are removed
	// but the scrub could not be done within ScrubWait, the error is
	// ErrNotScrubbed; Delete again (with no IDs) to scrub.
	Delete(ctx context.Context, ids []int64) (int, error)
	// SetStatus appends c to its record's follow-up history (see
	// StatusChange). c.Version must be one more than the record's latest:
	// else ErrConflict, and nothing is stored. A record that does not exist
	// is ErrNoRecord. Delete erases a record's history with it.
	SetStatus(ctx context.Context, c StatusChange) error
	// Histories returns the follow-up history of every record that has
	// one, oldest change first.
	Histories(ctx context.Context) (map[int64]History, error)
	// ForgetPhoneHashes erases the phone hash and salt of every record of a
	// day before the given one (YYYY-MM-DD): past that, only an organizer
	// with a key can find a person's records. It reports how many it erased.
	ForgetPhoneHashes(ctx context.Context, beforeDay string) (int, error)
	// Ping reports whether the store answers, doing the same small work
	// however many records it holds.
	Ping(ctx context.Context) error
	Close() error
}

// Counts are the numbers a Store keeps without reading anyone's data. They
// are for organizers; the public gets only what StatsOf lets through.
type Counts struct {
	Federations map[string]int // every stored submission, by federation
	Days        map[string]int
	// Members are, by federation, the records whose follow-up stands at
	// StatusMember now (their latest status: a correction back to an
	// earlier step undoes it). The inbox keeps a person's follow-up on one
	// of their records (see FollowUp), so a member counts once.
	Members map[string]int
}

// NewCounts returns empty Counts.
func NewCounts() Counts {
	return Counts{Federations: map[string]int{}, Days: map[string]int{}, Members: map[string]int{}}
}

// Queries are the SQL queries, the same on every SQL store, that fill each
// of c's maps from the signups table: each yields a key and a count.
func (c Counts) Queries() map[string]map[string]int {
	return map[string]map[string]int{
		`SELECT federation, COUNT(*) FROM signups GROUP BY federation`: c.Federations,
		`SELECT day, COUNT(*) FROM signups GROUP BY day`:               c.Days,
		`SELECT s.federation, COUNT(*) FROM signups s JOIN statuses t ON t.record_id = s.id
			WHERE t.status = 'anggota' AND t.version = (SELECT MAX(version) FROM statuses u WHERE u.record_id = t.record_id)
			GROUP BY s.federation`: c.Members,
	}
}

// Filter selects records for export.
type Filter struct {
	Federation string // "" for all
	SinceDay   string // YYYY-MM-DD; "" for all
}

// ErrUnavailable wraps a store failure that may pass (a full disk, a
// database that is down); the handler answers 503 and the browser keeps
// what the worker typed.
var ErrUnavailable = errors.New("storage unavailable")

// ScrubWait is how long a store's scrub waits for what keeps copies of
// deleted records in its files (a reader of an older state, a transaction
// begun before the deletion) before it gives up with ErrNotScrubbed.
var ScrubWait = time.Minute

// ErrNotScrubbed means records were deleted, and no longer read back by
// anyone, but copies of them are still in the database's files: something
// the store must wait for (a transaction begun before the deletion) did
// not end in time. Delete again, with no IDs, to scrub.
var ErrNotScrubbed = errors.New("deleted, but not yet scrubbed from the database's files")

// ErrNoDatabase means a database that should exist does not: commands that
// read or erase signups never create one (a mistyped path must not look
// like an empty, successful export).
var ErrNoDatabase = errors.New("no signup database there")
