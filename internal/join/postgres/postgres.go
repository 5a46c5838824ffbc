// Package postgres is the signup store for a federation that runs several
// endpoint replicas behind a load balancer: every replica writes to one
// PostgreSQL database (jackc/pgx). Duplicates are settled by the database's
// unique constraint, so two replicas receiving the same person at once
// still store one row. Each replica does group commit (join.Batcher), and a
// signup is acknowledged only after its transaction commits.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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
}

// Open connects to the database at url (postgres://…) and runs migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %v: %w", err, join.ErrUnavailable)
	}
	s := &Store{pool: pool}
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
	return nil
}

// Add stores r in the next group commit.
func (s *Store) Add(ctx context.Context, r *join.Record) (bool, error) { return s.batch.Add(ctx, r) }

func (s *Store) commit(records []*join.Record) ([]bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	added := make([]bool, len(records))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, r := range records {
			b.Queue(`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (federation, phone_hash) DO NOTHING`,
				r.Federation, r.Source, r.Day, r.ConsentVersion, r.PhoneHash, r.Sealed, r.CreatedAt)
		}
		results := tx.SendBatch(ctx, b)
		for i := range records {
			tag, err := results.Exec()
			if err != nil {
				results.Close()
				return err
			}
			added[i] = tag.RowsAffected() == 1
		}
		return results.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return added, nil
}

// Counts counts records by federation, source and day.
func (s *Store) Counts(ctx context.Context) (join.Counts, error) {
	c := join.Counts{Federations: map[string]int{}, Sources: map[string]int{}, Days: map[string]int{}}
	for column, m := range map[string]map[string]int{"federation": c.Federations, "source": c.Sources, "day": c.Days} {
		rows, err := s.pool.Query(ctx, `SELECT `+column+`, COUNT(*) FROM signups GROUP BY `+column)
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
	q := `SELECT id, federation, source, day, consent_version, phone_hash, sealed, created_at FROM signups WHERE TRUE`
	var args []any
	if f.Federation != "" {
		args = append(args, f.Federation)
		q += fmt.Sprintf(` AND federation = $%d`, len(args))
	}
	if !f.Since.IsZero() {
		args = append(args, f.Since)
		q += fmt.Sprintf(` AND created_at >= $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r join.Record
		if err := rows.Scan(&r.ID, &r.Federation, &r.Source, &r.Day, &r.ConsentVersion, &r.PhoneHash, &r.Sealed, &r.CreatedAt); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		r.CreatedAt = r.CreatedAt.In(join.WIB)
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Delete removes every record of a phone hash.
func (s *Store) Delete(ctx context.Context, phoneHash []byte) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM signups WHERE phone_hash = $1`, phoneHash)
	if err != nil {
		return 0, fmt.Errorf("postgres: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Close answers queued signups and disconnects.
func (s *Store) Close() error {
	s.batch.Close()
	s.pool.Close()
	return nil
}
