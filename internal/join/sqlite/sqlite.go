// Package sqlite is the embedded signup store: one SQLite file
// (modernc.org/sqlite, pure Go) in WAL mode with synchronous=FULL, so an
// acknowledged signup survives a crash or a power cut.
//
// Concurrent signups are written in one transaction (group commit, see
// join.Batcher): durability costs one fsync per batch, not per signup.
//
// # Erasure
//
// Every connection runs with secure_delete, so SQLite overwrites deleted
// rows with zeros instead of leaving them in free space. After a Delete the
// store checkpoints the WAL and truncates it, runs VACUUM, and truncates the
// WAL again: no byte of an erased signup is left in the database, its WAL
// or its shared-memory file. What the store cannot reach: copies made
// before (backups, snapshots) and blocks the file system freed earlier.
//
// # Files
//
// The database, its -wal and its -shm are created with mode 0600 in a
// folder made with 0700 (the process's umask is not trusted for that: the
// -wal and -shm files take the database file's mode, so the file is
// created first, with 0600, before SQLite opens it).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
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
	// written is set by each commit and cleared by the checkpointer, which
	// empties the WAL every CheckpointEvery while there were signups: the
	// WAL holds commits in the order they came, which random ids hide
	// everywhere else
	written atomic.Bool
	stop    chan struct{}
	stopped chan struct{}
}

// CheckpointEvery is how often the WAL is copied into the database and
// emptied while signups come in, so that a copy of the files shows the
// order of at most the signups of that interval.
var CheckpointEvery = 30 * time.Second

// Open opens the database at path, creating it (mode 0600) when missing,
// and runs its migrations. The join endpoint uses it.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	return open(path, "")
}

// OpenExisting opens the database at path read-write and never creates
// it: a mistyped path is join.ErrNoDatabase. Commands that read, export or
// erase signups use it.
func OpenExisting(path string) (*Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("sqlite: %s: %w (check --db)", path, join.ErrNoDatabase)
	}
	return open(path, "&mode=rw")
}

func open(path, mode string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)" +
		"&_pragma=secure_delete(1)&_txlock=immediate" + mode
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	// a database made by an older version, or with another umask
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s.batch = join.NewBatcher(MaxBatch, s.commit)
	s.stop, s.stopped = make(chan struct{}), make(chan struct{})
	go s.checkpointer()
	return s, nil
}

func (s *Store) checkpointer() {
	defer close(s.stopped)
	tick := time.NewTicker(CheckpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			if s.written.Swap(false) && s.checkpoint(context.Background()) != nil {
				s.written.Store(true) // busy (a reader): next time
			}
		}
	}
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
	// Repeated signups are stored beside the first; the time of day, the
	// source in the clear (it is in the sealed signup) and the unique
	// constraint go, and so do the old unsalted phone hashes, which linked a
	// person's records (their signups are found for erasure by opening
	// them). New records get random ids.
	`CREATE TABLE signups_v3 (
		id INTEGER PRIMARY KEY,
		federation TEXT NOT NULL,
		day TEXT NOT NULL,
		consent_version TEXT NOT NULL,
		phone_salt BLOB,
		phone_hash BLOB,
		sealed BLOB NOT NULL
	);
	INSERT INTO signups_v3 (id, federation, day, consent_version, sealed)
		SELECT id, federation, day, consent_version, sealed FROM signups;
	DROP TABLE signups;
	ALTER TABLE signups_v3 RENAME TO signups;
	CREATE INDEX signups_day ON signups (day)`,
	// The follow-up history: append-only, one row per change, numbered per
	// record; the primary key refuses a version that is taken.
	`CREATE TABLE statuses (
		record_id INTEGER NOT NULL,
		version INTEGER NOT NULL,
		status TEXT NOT NULL,
		day TEXT NOT NULL,
		note BLOB,
		PRIMARY KEY (record_id, version)
	)`,
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
	if version > 0 && version < len(migrations) {
		// what the old tables held (instants, free-form sources) must not
		// linger in the WAL
		return s.scrub(ctx, true)
	}
	return nil
}

// Add stores r in the next group commit.
func (s *Store) Add(ctx context.Context, r *join.Record) error { return s.batch.Add(ctx, r) }

func (s *Store) commit(records []*join.Record) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer tx.Rollback()
	// a new and a repeated signup are the same insert: nothing is looked up
	stmt, err := tx.Prepare(`INSERT INTO signups (id, federation, day, consent_version, phone_salt, phone_hash, sealed)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer stmt.Close()
	for _, r := range records {
		if r.ID == 0 {
			r.ID = join.NewID()
		}
		if _, err := stmt.Exec(r.ID, r.Federation, r.Day, r.ConsentVersion, r.PhoneSalt, r.PhoneHash, r.Sealed); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	s.written.Store(true)
	return nil
}

// Counts counts records by federation and day, and members by federation.
func (s *Store) Counts(ctx context.Context) (join.Counts, error) {
	c := join.NewCounts()
	for query, m := range c.Queries() {
		rows, err := s.db.QueryContext(ctx, query)
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
	q := `SELECT id, federation, day, consent_version, phone_salt, phone_hash, sealed FROM signups WHERE 1=1`
	var args []any
	if f.Federation != "" {
		q += ` AND federation = ?`
		args = append(args, f.Federation)
	}
	if f.SinceDay != "" {
		q += ` AND day >= ?`
		args = append(args, f.SinceDay)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY day, id`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r join.Record
		if err := rows.Scan(&r.ID, &r.Federation, &r.Day, &r.ConsentVersion, &r.PhoneSalt, &r.PhoneHash, &r.Sealed); err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Delete removes the records with the IDs, then scrubs the files.
func (s *Store) Delete(ctx context.Context, ids []int64) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	defer tx.Rollback()
	n := int64(0)
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM statuses WHERE record_id = ?`, id); err != nil {
			return 0, fmt.Errorf("sqlite: %w", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM signups WHERE id = ?`, id)
		if err != nil {
			return 0, fmt.Errorf("sqlite: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return int(n), s.scrub(ctx, true)
}

// SetStatus appends c to its record's history. The transaction takes
// SQLite's write lock when it begins (_txlock=immediate), so the version
// read and the insert are one step, across processes too.
func (s *Store) SetStatus(ctx context.Context, c join.StatusChange) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %v: %w", err, join.ErrUnavailable)
	}
	defer tx.Rollback()
	var exists, latest int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM signups WHERE id = ?),
		(SELECT COALESCE(MAX(version), 0) FROM statuses WHERE record_id = ?)`, c.Record, c.Record).Scan(&exists, &latest); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	switch {
	case exists == 0:
		return fmt.Errorf("sqlite: signup %d: %w", c.Record, join.ErrNoRecord)
	case c.Version != latest+1:
		return fmt.Errorf("sqlite: signup %d is at version %d, not %d: %w", c.Record, latest, c.Version-1, join.ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO statuses (record_id, version, status, day, note) VALUES (?, ?, ?, ?, ?)`,
		c.Record, c.Version, string(c.Status), c.Day, c.Note); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	s.written.Store(true)
	return nil
}

// Histories reads every record's status history.
func (s *Store) Histories(ctx context.Context) (map[int64]join.History, error) {
	rows, err := s.db.QueryContext(ctx, join.HistoriesQuery)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %v: %w", err, join.ErrUnavailable)
	}
	defer rows.Close()
	all, err := join.ScanHistories(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return all, nil
}

// ForgetPhoneHashes erases the phone hashes of days before beforeDay.
func (s *Store) ForgetPhoneHashes(ctx context.Context, beforeDay string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE signups SET phone_salt = NULL, phone_hash = NULL WHERE day < ? AND phone_hash IS NOT NULL`, beforeDay)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		return int(n), s.scrub(ctx, false) // secure_delete zeroed them; no free pages to drop
	}
	return int(n), nil
}

// scrub leaves nothing deleted in the files: secure_delete has zeroed the
// rows in the pages the WAL holds; the checkpoint writes them into the
// database and empties the WAL, and VACUUM rebuilds the file without free
// pages. The WAL is emptied again after VACUUM, which wrote through it.
// Without vacuum only the checkpoints are made. A scrub that fails (a
// reader in another process kept the WAL busy) is join.ErrNotScrubbed, and
// the checkpointer empties the WAL later.
func (s *Store) scrub(ctx context.Context, vacuum bool) error {
	ctx, cancel := context.WithTimeout(ctx, join.ScrubWait)
	defer cancel()
	err := s.checkpoint(ctx)
	if err == nil && vacuum {
		if _, err = s.db.ExecContext(ctx, `VACUUM`); err != nil {
			err = fmt.Errorf("sqlite: vacuum: %w", err)
		}
		if err == nil {
			err = s.checkpoint(ctx)
		}
	}
	if err != nil {
		s.written.Store(true)
		return fmt.Errorf("%w: %v", join.ErrNotScrubbed, err)
	}
	return nil
}

// checkpoint copies the WAL into the database and truncates it to zero
// bytes. A reader holding an old snapshot (another process) makes it
// report busy; it is retried for a while.
func (s *Store) checkpoint(ctx context.Context) error {
	var busy, logFrames, checkpointed int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("sqlite: checkpoint: the database is busy (another process is reading it); try again")
	}
	return nil
}

// Ping runs a trivial query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlite: %v: %w", err, join.ErrUnavailable)
	}
	return nil
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

// Close stops the writer after answering every queued signup, then
// checkpoints the WAL into the database, so that a clean shutdown leaves
// one file.
func (s *Store) Close() error {
	s.batch.Close()
	if s.stop != nil {
		select {
		case <-s.stop:
		default:
			close(s.stop)
		}
		<-s.stopped
	}
	err := s.checkpoint(context.Background())
	if cerr := s.db.Close(); err == nil || strings.Contains(err.Error(), "closed") {
		err = cerr
	}
	return err
}
