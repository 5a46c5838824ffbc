package join

import (
	"context"
	"errors"
	"time"
)

// Store keeps signup records. Implementations: package sqlite (embedded,
// the default) and, for several endpoint replicas, PostgreSQL.
type Store interface {
	// Add stores r unless a record with the same federation and phone hash
	// exists, and reports whether it did. It returns only once the record
	// is durable (its transaction committed).
	Add(ctx context.Context, r *Record) (added bool, err error)
	// Counts returns the number of records by federation, source and day.
	Counts(ctx context.Context) (Counts, error)
	// Each calls fn for every record matching f, oldest first.
	Each(ctx context.Context, f Filter, fn func(*Record) error) error
	// Delete removes every record with the phone hash and reports how many.
	Delete(ctx context.Context, phoneHash []byte) (int, error)
	Close() error
}

// Counts are the numbers a Store keeps without reading anyone's data.
type Counts struct {
	Federations map[string]int
	Sources     map[string]int // "" for signups without a source
	Days        map[string]int
}

// Filter selects records for export.
type Filter struct {
	Federation string    // "" for all
	Since      time.Time // zero for all
}

// ErrUnavailable wraps a store failure that may pass (a full disk, a
// database that is down); the handler answers 503 and the browser keeps
// what the worker typed.
var ErrUnavailable = errors.New("storage unavailable")
