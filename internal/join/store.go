package join

import (
	"context"
	"errors"
)

// Store keeps signup records. Implementations: package sqlite (embedded,
// the default) and, for several endpoint replicas, PostgreSQL. Package
// storetest is the suite every Store passes.
type Store interface {
	// Add stores r, also when the same person signed up before: a repeated
	// signup is kept beside the first (a worker's correction must not be
	// lost) and does exactly the same work, so neither its answer nor its
	// timing tells anyone that the phone was known. Add sets r.Previous to
	// the number of earlier records of the same federation and phone hash.
	// It returns only once the record is durable (its transaction committed).
	Add(ctx context.Context, r *Record) error
	// Counts returns the number of records by federation, channel and day.
	Counts(ctx context.Context) (Counts, error)
	// Each calls fn for every record matching f, oldest first.
	Each(ctx context.Context, f Filter, fn func(*Record) error) error
	// Delete removes the records e names and then scrubs the storage, so
	// that nothing of them can be read back from the database's files (see
	// each store's doc for what that covers). It reports how many records
	// it removed.
	Delete(ctx context.Context, e Erasure) (int, error)
	// ForgetPhoneHashes erases the phone hash of every record of a day
	// before the given one (YYYY-MM-DD): past the window in which repeated
	// signups matter, the hash would only help someone who stole the
	// database together with the key. It reports how many it erased.
	ForgetPhoneHashes(ctx context.Context, beforeDay string) (int, error)
	Close() error
}

// Counts are the numbers a Store keeps without reading anyone's data. They
// are for organizers; the public gets only what StatsOf lets through.
type Counts struct {
	Federations map[string]int // every stored submission, by federation
	People      map[string]int // first submissions (Previous == 0), by federation
	Channels    map[string]int // "" for signups without a channel
	Days        map[string]int
}

// NewCounts returns empty Counts.
func NewCounts() Counts {
	return Counts{Federations: map[string]int{}, People: map[string]int{}, Channels: map[string]int{}, Days: map[string]int{}}
}

// Queries are the SQL queries, the same on every SQL store, that fill each
// of c's maps from the signups table: each yields a key and a count.
func (c Counts) Queries() map[string]map[string]int {
	return map[string]map[string]int{
		`SELECT federation, COUNT(*) FROM signups GROUP BY federation`:                    c.Federations,
		`SELECT federation, COUNT(*) FROM signups WHERE previous = 0 GROUP BY federation`: c.People,
		`SELECT channel, COUNT(*) FROM signups GROUP BY channel`:                          c.Channels,
		`SELECT day, COUNT(*) FROM signups GROUP BY day`:                                  c.Days,
	}
}

// Filter selects records for export.
type Filter struct {
	Federation string // "" for all
	SinceDay   string // YYYY-MM-DD; "" for all
}

// Erasure names the records to delete: every record with the phone hash
// (when not nil) and every record with one of the IDs.
type Erasure struct {
	PhoneHash []byte
	IDs       []int64
}

// ErrUnavailable wraps a store failure that may pass (a full disk, a
// database that is down); the handler answers 503 and the browser keeps
// what the worker typed.
var ErrUnavailable = errors.New("storage unavailable")

// ErrNoDatabase means a database that should exist does not: commands that
// read or erase signups never create one (a mistyped path must not look
// like an empty, successful export).
var ErrNoDatabase = errors.New("no signup database there")
