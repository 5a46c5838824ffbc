// Package sqlite is the embedded signup store: one SQLite file
// (modernc.org/sqlite, pure Go) in WAL mode with synchronous=FULL, so an
// acknowledged signup survives a crash or a power cut.
//
// Concurrent signups are written in one transaction (group commit, see
// join.Batcher): durability costs one fsync per batch, not per signup.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"

	"github.com/serikat-id/serikat/internal/join"
)

var _ join.Store = (*Store)(nil)

// MaxBatch is the most signups one transaction takes.
const MaxBatch = 256

// Store is a SQLite file of signups.
type Store struct {
	db    *sql.DB
	batch *join.Batcher
}

// Open opens or creates the database at path and runs its migrations.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s.batch = join.NewBatcher(MaxBatch, s.commit)
	return s, nil
}

var migrations = []string{
	`CREATE TABLE signups (
		id INTEGER PRIMARY KEY,
		federation TEXT NOT NULL,
		source TEXT NOT NULL,
		day TEXT NOT NULL,
		consent_version TEXT NOT NULL,
		phone_hash BLOB NOT NULL,
		sealed BLOB NOT NULL,
		created_at INTEGER NOT NULL,
		UNIQUE (federation, phone_hash)
	)`,
	`CREATE INDEX signups_phone ON signups (phone_hash)`,
}

func (s *Store) migrate() error {
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	var version int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for i := version; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if _, err := tx.Exec(migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", i+1, err)
		}
		if _, err := tx.Exec(`INSERT INTO schema_version (version) VALUES (?)`, i+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: migration %d: %w", i+1, err)
		}
	}
	return nil
}

// Add stores r in the next group commit.
func (s *Store) Add(ctx context.Context, r *join.Record) (bool, error) { return s.batch.Add(ctx, r) }

func (s *Store) commit(records []*join.Record) ([]bool, error) {
	added := make([]bool, len(records))
	tx, err := s.db.Begin()
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (federation, phone_hash) DO NOTHING`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	defer stmt.Close()
	for i, r := range records {
		res, err := stmt.Exec(r.Federation, r.Source, r.Day, r.ConsentVersion, r.PhoneHash, r.Sealed, r.CreatedAt.UnixNano())
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		added[i] = n == 1
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return added, nil
}

// Counts counts records by federation, source and day.
func (s *Store) Counts(ctx context.Context) (join.Counts, error) {
	c := join.Counts{Federations: map[string]int{}, Sources: map[string]int{}, Days: map[string]int{}}
	for column, m := range map[string]map[string]int{"federation": c.Federations, "source": c.Sources, "day": c.Days} {
		rows, err := s.db.QueryContext(ctx, `SELECT `+column+`, COUNT(*) FROM signups GROUP BY `+column)
		if err != nil {
			return c, fmt.Errorf("sqlite: %v: %w", err, join.ErrUnavailable)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return c, fmt.Errorf("sqlite: %w", err)
			}
			m[k] = n
		}
		if err := rows.Close(); err != nil {
			return c, fmt.Errorf("sqlite: %w", err)
		}
	}
	return c, nil
}

// Each calls fn for every record matching f, oldest first.
func (s *Store) Each(ctx context.Context, f join.Filter, fn func(*join.Record) error) error {
	q := `SELECT id, federation, source, day, consent_version, phone_hash, sealed, created_at FROM signups WHERE 1=1`
	var args []any
	if f.Federation != "" {
		q += ` AND federation = ?`
		args = append(args, f.Federation)
	}
	if !f.Since.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, f.Since.UnixNano())
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r join.Record
		var created int64
		if err := rows.Scan(&r.ID, &r.Federation, &r.Source, &r.Day, &r.ConsentVersion, &r.PhoneHash, &r.Sealed, &created); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		r.CreatedAt = time.Unix(0, created).In(join.WIB)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Delete removes every record of a phone hash.
func (s *Store) Delete(ctx context.Context, phoneHash []byte) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM signups WHERE phone_hash = ?`, phoneHash)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// IntegrityCheck runs SQLite's integrity check.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var result string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return errors.New("sqlite: integrity check: " + result)
	}
	return nil
}

// Close stops the writer after answering every queued signup.
func (s *Store) Close() error {
	s.batch.Close()
	return s.db.Close()
}
