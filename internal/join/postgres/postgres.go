// Package postgres is the signup store for a federation that runs several
// endpoint replicas behind a load balancer: every replica writes to one
// PostgreSQL database (jackc/pgx). Each replica does group commit
// (join.Batcher), and a signup is acknowledged only after its transaction
// commits.
//
// # Erasure
//
// After a Delete the store runs VACUUM FULL on the signups and statuses
// tables, which writes them and their indexes anew without the deleted
// rows and removes the old files: nothing of them is left in the
// database's files. But VACUUM FULL copies a deleted row that a snapshot
// could still see, and any transaction begun before the deletion, in any
// database of the server, keeps every later snapshot that old. So the
// store first waits until all of them have ended (up to join.ScrubWait);
// if one is still open then, the rows are deleted but Delete returns
// join.ErrNotScrubbed with the pids to look for in pg_stat_activity, and
// a later Delete scrubs them. This needs PostgreSQL 13 or later.
//
// PostgreSQL's own WAL keeps the rows until its segments are recycled
// (after the next checkpoints), and backups and replicas keep them until
// they expire; say so to whoever asks for erasure.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/serikat-id/serikat/internal/join"
)

var _ join.Store = (*Store)(nil)

// MaxBatch is the most signups one transaction takes.
const MaxBatch = 256

// Store is a PostgreSQL database of signups.
type Store struct {
	pool  *pgxpool.Pool
	batch *join.Batcher
	// unscrubbed is set while a change that needs a scrub has not had one
	unscrubbed atomic.Bool
}

// Open connects to the database at url (postgres://…) and runs migrations.
func Open(ctx context.Context, url string) (*Store, error) { return open(ctx, url, false) }

// OpenExisting is Open for a database that already holds Serikat's tables:
// an empty or wrong database is join.ErrNoDatabase, and nothing is created
// in it.
func OpenExisting(ctx context.Context, url string) (*Store, error) { return open(ctx, url, true) }

func open(ctx context.Context, url string, existing bool) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
	}
	s := &Store{pool: pool}
	if existing {
		var found bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass('signups') IS NOT NULL`).Scan(&found); err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres: %w", err)
		}
		if !found {
			pool.Close()
			return nil, fmt.Errorf("postgres: this database has no signups table: %w (check --db)", join.ErrNoDatabase)
		}
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.batch = join.NewBatcher(MaxBatch, s.commit)
	return s, nil
}

var migrations = []string{
	`CREATE TABLE signups (
		id BIGSERIAL PRIMARY KEY,
		federation TEXT NOT NULL,
		source TEXT NOT NULL,
		day TEXT NOT NULL,
		consent_version TEXT NOT NULL,
		phone_hash BYTEA NOT NULL,
		sealed BYTEA NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		UNIQUE (federation, phone_hash)
	)`,
	`CREATE INDEX signups_phone ON signups (phone_hash)`,
	// Repeated signups are stored beside the first; the time of day, the
	// free-form source, the unique constraint and the unsalted phone
	// hashes go (see package sqlite).
	`ALTER TABLE signups DROP CONSTRAINT signups_federation_phone_hash_key;
	DROP INDEX signups_phone;
	ALTER TABLE signups ALTER COLUMN phone_hash DROP NOT NULL;
	UPDATE signups SET phone_hash = NULL;
	ALTER TABLE signups ADD COLUMN phone_salt BYTEA;
	ALTER TABLE signups DROP COLUMN source;
	ALTER TABLE signups ALTER COLUMN id DROP DEFAULT;
	DROP SEQUENCE IF EXISTS signups_id_seq;
	ALTER TABLE signups DROP COLUMN created_at;
	CREATE INDEX signups_day ON signups (day)`,
	// The follow-up history (see package sqlite). The foreign key makes a
	// change wait for, or fail after, a concurrent erasure of its signup.
	`CREATE TABLE statuses (
		record_id BIGINT NOT NULL REFERENCES signups (id) ON DELETE CASCADE,
		version INTEGER NOT NULL,
		status TEXT NOT NULL,
		day TEXT NOT NULL,
		note BYTEA,
		PRIMARY KEY (record_id, version)
	)`,
}

// migrationLock is the advisory lock that keeps replicas starting at the
// same time from migrating twice.
const migrationLock = 0x5e71ca7

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for i := version; i < len(migrations); i++ {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, migrations[i]); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, i+1)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %d: %w", i+1, err)
		}
	}
	if version > 0 && version < len(migrations) {
		return s.scrub(ctx) // the dropped column's bytes stay in the pages until then
	}
	return nil
}

// Add stores r in the next group commit.
func (s *Store) Add(ctx context.Context, r *join.Record) error { return s.batch.Add(ctx, r) }

func (s *Store) commit(records []*join.Record) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, r := range records {
			// a new and a repeated signup are the same insert
			if r.ID == 0 {
				r.ID = join.NewID()
			}
			b.Queue(`INSERT INTO signups (id, federation, day, consent_version, phone_salt, phone_hash, sealed)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				r.ID, r.Federation, r.Day, r.ConsentVersion, r.PhoneSalt, r.PhoneHash, r.Sealed)
		}
		results := tx.SendBatch(ctx, b)
		for range records {
			if _, err := results.Exec(); err != nil {
				results.Close()
				return err
			}
		}
		return results.Close()
	})
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// Counts counts records by federation and day, and members by federation.
func (s *Store) Counts(ctx context.Context) (join.Counts, error) {
	c := join.NewCounts()
	for query, m := range c.Queries() {
		rows, err := s.pool.Query(ctx, query)
		if err != nil {
			return c, fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return c, fmt.Errorf("postgres: %w", err)
			}
			m[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, fmt.Errorf("postgres: %w", err)
		}
	}
	return c, nil
}

// Each calls fn for every record matching f, oldest first.
func (s *Store) Each(ctx context.Context, f join.Filter, fn func(*join.Record) error) error {
	q := `SELECT id, federation, day, consent_version, phone_salt, phone_hash, sealed FROM signups WHERE TRUE`
	var args []any
	if f.Federation != "" {
		args = append(args, f.Federation)
		q += fmt.Sprintf(` AND federation = $%d`, len(args))
	}
	if f.SinceDay != "" {
		args = append(args, f.SinceDay)
		q += fmt.Sprintf(` AND day >= $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY day, id`, args...)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r join.Record
		if err := rows.Scan(&r.ID, &r.Federation, &r.Day, &r.ConsentVersion, &r.PhoneSalt, &r.PhoneHash, &r.Sealed); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Delete removes the records with the IDs and their histories (by the
// foreign key), then rewrites the tables without them.
func (s *Store) Delete(ctx context.Context, ids []int64) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM signups WHERE id = ANY($1)`, ids)
	if err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	return int(tag.RowsAffected()), s.scrub(ctx)
}

// SetStatus appends c to its record's history. Of two changes with the
// same version, the primary key lets one commit; the other waits for it
// and then fails, which is ErrConflict.
func (s *Store) SetStatus(ctx context.Context, c join.StatusChange) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO statuses (record_id, version, status, day, note)
		SELECT $1, $2, $3, $4, $5
		WHERE (SELECT COALESCE(MAX(version), 0) FROM statuses WHERE record_id = $1) = $2 - 1`,
		c.Record, c.Version, string(c.Status), c.Day, c.Note)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23505": // unique_violation
		return fmt.Errorf("postgres: signup %d: %w", c.Record, join.ErrConflict)
	case errors.As(err, &pgErr) && pgErr.Code == "23503": // foreign_key_violation
		return fmt.Errorf("postgres: signup %d: %w", c.Record, join.ErrNoRecord)
	case err != nil:
		return fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
	case tag.RowsAffected() == 0:
		return fmt.Errorf("postgres: signup %d is not at version %d: %w", c.Record, c.Version-1, join.ErrConflict)
	}
	return nil
}

// Histories reads every record's status history.
func (s *Store) Histories(ctx context.Context) (map[int64]join.History, error) {
	rows, err := s.pool.Query(ctx, join.HistoriesQuery)
	if err != nil {
		return nil, fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
	}
	defer rows.Close()
	all, err := join.ScanHistories(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return all, nil
}

// ForgetPhoneHashes erases the phone hashes of days before beforeDay.
func (s *Store) ForgetPhoneHashes(ctx context.Context, beforeDay string) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE signups SET phone_salt = NULL, phone_hash = NULL WHERE day < $1 AND phone_hash IS NOT NULL`, beforeDay)
	if err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	n := int(tag.RowsAffected())
	if n > 0 || s.unscrubbed.Load() { // the next call scrubs what a failed one left
		return n, s.scrub(ctx)
	}
	return 0, nil
}

// scrub rewrites the table and its indexes: the old row versions, which a
// plain VACUUM would only mark as free space, go with the old files. It is
// called after the change it scrubs has committed, so every error it
// returns is join.ErrNotScrubbed.
func (s *Store) scrub(ctx context.Context) (err error) {
	s.unscrubbed.Store(true)
	defer func() { s.unscrubbed.Store(err != nil) }()
	ctx, cancel := context.WithTimeout(ctx, join.ScrubWait)
	defer cancel()
	// Transactions with an id from here on began after the change.
	var after string
	if err := s.pool.QueryRow(ctx, `SELECT pg_snapshot_xmax(pg_current_snapshot())::text`).Scan(&after); err != nil {
		return fmt.Errorf("postgres: %w: %v", join.ErrNotScrubbed, err)
	}
wait:
	for pause := 10 * time.Millisecond; ; pause = min(2*pause, time.Second) {
		var sessions *string
		var elsewhere bool
		switch err := s.pool.QueryRow(ctx, olderTransactions, after).Scan(&sessions, &elsewhere); {
		case err != nil:
			return fmt.Errorf("postgres: %w: %v", join.ErrNotScrubbed, err)
		case sessions == nil && !elsewhere:
			break wait
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			held := "a prepared transaction (pg_prepared_xacts) or a replication slot (pg_replication_slots)"
			if sessions != nil {
				held = "the session(s) with pid " + *sessions + " in pg_stat_activity"
			}
			return fmt.Errorf("postgres: %w: %s began before it and is still open; run the deletion again once it has ended", join.ErrNotScrubbed, held)
		}
	}
	if _, err := s.pool.Exec(ctx, `VACUUM FULL signups, statuses`); err != nil {
		return fmt.Errorf("postgres: %w: vacuum: %v", join.ErrNotScrubbed, err)
	}
	return nil
}

// olderTransactions finds what would keep rows deleted before transaction
// id $1 in a VACUUM FULL's output: the pids of the sessions of this
// database whose snapshot, or of any database whose transaction, is older
// (NULL for none), and whether a transaction without a session (prepared)
// or a replication slot holds one back.
const olderTransactions = `SELECT
	(SELECT string_agg(pid::text, ', ' ORDER BY pid) FROM pg_stat_activity
		WHERE pid <> pg_backend_pid()
			AND (age(backend_xid) > age(xid($1::xid8))
				OR (datname = current_database() OR backend_type = 'walsender') AND age(backend_xmin) > age(xid($1::xid8)))),
	pg_snapshot_xmin(pg_current_snapshot()) < $1::xid8
		OR EXISTS (SELECT 1 FROM pg_replication_slots WHERE age(xmin) > age(xid($1::xid8)))`

// Ping runs a trivial query.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `SELECT 1`); err != nil {
		return fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
	}
	return nil
}

// Close answers queued signups and disconnects.
func (s *Store) Close() error {
	s.batch.Close()
	s.pool.Close()
	return nil
}
