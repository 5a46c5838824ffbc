package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/postgres/pgtest"
	"github.com/serikat-id/serikat/internal/join/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) join.Store {
		s, err := Open(context.Background(), pgtest.Database(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// Two replicas on one database, receiving the same people at the same time:
// every signup is stored, and each phone's records are numbered.
func TestTwoReplicas(t *testing.T) {
	url := pgtest.Database(t)
	var stores []join.Store
	for range 2 {
		s, err := Open(context.Background(), url) // the second finds the migrations done
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	const phones = 1000
	if acked := storetest.AddConcurrently(t, stores, 32, phones); acked != 2*phones {
		t.Errorf("%d adds acknowledged across both replicas, want %d", acked, 2*phones)
	}
	if n := storetest.Total(t, stores[0]); n != 2*phones {
		t.Errorf("stored %d, want %d", n, 2*phones)
	}
}

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("opened a database that is not there")
	}
}

// A database that goes down: it refuses connections and drops the open
// ones, then comes back.
func TestDatabaseDown(t *testing.T) {
	dbURL := pgtest.Database(t)
	s, err := Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, _ := url.Parse(dbURL)
	name := u.Path[1:]
	admin := func(sql string) {
		c, err := pgx.Connect(context.Background(), os.Getenv("SERIKAT_POSTGRES_URL"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Outage(t, s,
		func() {
			admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false")
			admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'")
		},
		func() { admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true") })
}

// A database made before repeated signups were kept is migrated in place:
// free-form sources become "lainnya", the instants, the unique constraint
// and the unsalted hashes go, and a repeat of a migrated phone is stored.
func TestMigrationFromInstants(t *testing.T) {
	url := pgtest.Database(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, migrations[0], migrations[1],
		`INSERT INTO schema_version VALUES (1), (2)`,
		`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
			VALUES ('f-hukatan', 'hrd-budi-santoso', '2026-11-29', 'v', '\x0102', '\x0304', now()),
			       ('f-hukatan', 'poster', '2026-11-29', 'v', '\x0506', '\x0708', now())`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("old schema, step %d: %v", i, err)
		}
	}
	conn.Close(ctx)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again := &join.Record{Federation: "f-hukatan", Day: "2026-11-30", ConsentVersion: "v", PhoneHash: []byte{5, 6}, Sealed: []byte{9}}
	if err := s.Add(ctx, again); err != nil {
		t.Fatalf("a repeat after migrating: %v", err)
	}
	var days []string
	s.Each(ctx, join.Filter{}, func(r *join.Record) error {
		days = append(days, r.Day)
		if r.ID != again.ID && r.PhoneHash != nil {
			t.Errorf("record %d kept its unsalted hash", r.ID)
		}
		return nil
	})
	if fmt.Sprint(days) != "[2026-11-29 2026-11-29 2026-11-30]" {
		t.Errorf("records after migrating: %v", days)
	}
	var columns int
	s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'signups' AND column_name IN ('created_at', 'source')`).Scan(&columns)
	if columns != 0 {
		t.Errorf("%d old columns remain", columns)
	}
}

// OpenExisting on a database without Serikat's tables creates nothing.
func TestOpenExistingCreatesNothing(t *testing.T) {
	url := pgtest.Database(t)
	ctx := context.Background()
	if _, err := OpenExisting(ctx, url); !errors.Is(err, join.ErrNoDatabase) {
		t.Fatalf("OpenExisting on an empty database: %v", err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	conn.QueryRow(ctx, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables)
	if tables != 0 {
		t.Errorf("OpenExisting created %d tables", tables)
	}
}

// Two organizers' inboxes on one database (see storetest.TwoInboxes).
func TestTwoInboxes(t *testing.T) {
	url := pgtest.Database(t)
	storetest.TwoInboxes(t, func(t *testing.T) join.Store {
		s, err := Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// A transaction that began before an erasure and is still open, in any
// database of the server, would make VACUUM FULL copy the deleted rows
// into the new files. Delete waits for it; given up on, it says the rows
// are deleted but not yet scrubbed, and a later Delete scrubs them.
func TestErasureOutlastsOlderTransactions(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.Database(t)
	s, err := Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files := pgtest.Files(t, dbURL)
	secrets := map[int64][][]byte{} // pieces of each record's sealed signup
	add := func(i int) int64 {
		r := storetest.Record(i, "f-hukatan")
		r.Sealed = make([]byte, join.PadTo)
		rand.Read(r.Sealed)
		if err := s.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
		for off := 0; off+16 <= 1024; off += 256 { // within the first TOAST chunk
			secrets[r.ID] = append(secrets[r.ID], r.Sealed[off:off+16])
		}
		return r.ID
	}
	var kept [][]byte
	for i := range 5 {
		kept = append(kept, secrets[add(i)]...)
	}
	victim := add(99)
	if found := storetest.Traces(t, files(), secrets[victim]); found == 0 {
		t.Fatal("no trace before the erasure either: the test proves nothing")
	}

	// another database's open transaction, as another test or another
	// application on the same server would have
	older := pgtest.OpenTransaction(t, pgtest.Database(t))
	deleted := make(chan error, 1)
	go func() {
		_, err := s.Delete(ctx, []int64{victim})
		deleted <- err
	}()
	time.Sleep(300 * time.Millisecond) // time enough for a Delete that does not wait to scrub too early
	if err := older.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if found := storetest.Traces(t, files(), secrets[victim]); found != 0 {
		t.Errorf("%d pieces of the deleted signup are still in the database's files", found)
	}

	// one that does not end in time
	victim = add(100)
	older = pgtest.OpenTransaction(t, pgtest.Database(t))
	defer func(d time.Duration) { join.ScrubWait = d }(join.ScrubWait)
	join.ScrubWait = 500 * time.Millisecond
	n, err := s.Delete(ctx, []int64{victim})
	if n != 1 || !errors.Is(err, join.ErrNotScrubbed) {
		t.Fatalf("Delete with an older transaction open = %d, %v; want 1, ErrNotScrubbed", n, err)
	}
	pgtest.NamesSession(t, err.Error(), older)
	if total := storetest.Total(t, s); total != 5 {
		t.Errorf("%d records after the erasure, want 5", total)
	}
	older.Rollback(ctx)
	join.ScrubWait = time.Minute
	if _, err := s.Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if found := storetest.Traces(t, files(), secrets[victim]); found != 0 {
		t.Errorf("%d pieces of the signup deleted before are still in the database's files after a second Delete", found)
	}
	if found := storetest.Traces(t, files(), kept); found < len(kept) {
		t.Errorf("%d pieces of the five records kept found, want all %d", found, len(kept))
	}

	// the endpoint's hourly forgetting of phone hashes: one that could not
	// scrub is scrubbed by the next, which finds no hash left to forget
	var hashes [][]byte
	for i := range 5 {
		hashes = append(hashes, storetest.Record(i, "").PhoneHash)
	}
	if storetest.Traces(t, files(), hashes) == 0 {
		t.Fatal("no phone hash found before they are forgotten: the test proves nothing")
	}
	older = pgtest.OpenTransaction(t, pgtest.Database(t))
	join.ScrubWait = 500 * time.Millisecond
	if n, err := s.ForgetPhoneHashes(ctx, "2026-11-30"); n != 5 || !errors.Is(err, join.ErrNotScrubbed) {
		t.Fatalf("ForgetPhoneHashes with an older transaction open = %d, %v; want 5, ErrNotScrubbed", n, err)
	}
	older.Rollback(ctx)
	join.ScrubWait = time.Minute
	if n, err := s.ForgetPhoneHashes(ctx, "2026-11-30"); n != 0 || err != nil {
		t.Fatalf("ForgetPhoneHashes again = %d, %v; want 0, nil", n, err)
	}
	if found := storetest.Traces(t, files(), hashes); found != 0 {
		t.Errorf("%d forgotten phone hashes are still in the database's files", found)
	}
}
