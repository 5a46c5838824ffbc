package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) join.Store {
		s, err := Open(filepath.Join(t.TempDir(), "join.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// Reopening runs no migration twice, keeps the data and passes SQLite's
// integrity check.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "join.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.AddConcurrently(t, []join.Store{s}, 8, 100)
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := storetest.Total(t, s); n != 200 {
		t.Errorf("after reopening: %d records, want 200", n)
	}
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
}

// A full disk: SQLite's page limit makes inserts fail just as a full disk
// does (SQLITE_FULL).
func TestFullDisk(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.SetMaxOpenConns(1) // the page limit is a setting of each connection
	storetest.Outage(t, s,
		func() {
			// no room beyond the pages the file has, and those pages filled
			if _, err := s.db.Exec(`PRAGMA max_page_count = 1`); err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ {
				_, err := s.db.Exec(`INSERT INTO signups (id, federation, day, consent_version, phone_salt, phone_hash, sealed)
					VALUES (abs(random() >> 2) + 1, 'pengisi', '', '', randomblob(16), randomblob(32), randomblob(512))`)
				if err != nil {
					if !strings.Contains(err.Error(), "full") {
						t.Fatalf("filling the database: %v", err)
					}
					break
				}
				if i > 10000 {
					t.Fatal("the database never filled up")
				}
			}
		},
		func() {
			if _, err := s.db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.Exec(`DELETE FROM signups WHERE federation = 'pengisi'`); err != nil {
				t.Fatal(err)
			}
		})
}

// A read-only database: query_only makes writes fail as a read-only file
// does (SQLITE_READONLY); permissions cannot, since tests run as root.
func TestReadOnlyDatabase(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.SetMaxOpenConns(1)
	set := func(v int) func() {
		return func() {
			if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA query_only = %d`, v)); err != nil {
				t.Fatal(err)
			}
		}
	}
	storetest.Outage(t, s, set(1), set(0))
}

// A database made before repeated signups were kept: migrated in place,
// and the free-form sources, the instants and the unsalted hashes are gone
// from every byte of the files.
func TestMigrationFromInstants(t *testing.T) {
	path := filepath.Join(t.TempDir(), "join.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, migrations[0], migrations[1],
		`INSERT INTO schema_version VALUES (1), (2)`,
		`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
			VALUES ('f-hukatan', 'hrd-budi-santoso', '2026-11-29', 'v', x'0102', x'0304', 1764384000123456789),
			       ('f-hukatan', 'poster', '2026-11-29', 'v', x'0506', x'0708', 1764384000987654321)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("old schema, step %d: %v", i, err)
		}
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	var id int64
	s.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		kept = append(kept, fmt.Sprintf("%s %s %x %v", r.Federation, r.Day, r.Sealed, r.PhoneHash == nil))
		id = r.ID
		return nil
	})
	if fmt.Sprint(kept) != "[f-hukatan 2026-11-29 0304 true f-hukatan 2026-11-29 0708 true]" {
		t.Errorf("records after migrating: %v", kept)
	}
	// an old signup can be followed up
	if err := s.SetStatus(context.Background(), join.StatusChange{Record: id, Version: 1, Status: join.StatusContacted, Day: "2026-12-01"}); err != nil {
		t.Errorf("a status for a migrated signup: %v", err)
	}
	s.Close()
	raw, _ := os.ReadFile(path)
	wal, _ := os.ReadFile(path + "-wal")
	for _, secret := range []string{"hrd-budi-santoso"} {
		if bytes.Contains(append(raw, wal...), []byte(secret)) {
			t.Errorf("%q is still in the files", secret)
		}
	}
	for _, instant := range []int64{1764384000123456789, 1764384000987654321} {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, uint64(instant))
		if bytes.Contains(append(raw, wal...), b) {
			t.Errorf("the instant %d is still in the files", instant)
		}
	}
}

// OpenExisting never creates: a mistyped path is ErrNoDatabase and leaves
// nothing behind. Open creates the file, its WAL and shared memory 0600.
func TestOpenExistingAndModes(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "salah", "join.db")
	if _, err := OpenExisting(missing); !errors.Is(err, join.ErrNoDatabase) {
		t.Errorf("OpenExisting on a missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("OpenExisting created %s", filepath.Dir(missing))
	}
	path := filepath.Join(dir, "data", "join.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Add(context.Background(), storetest.Record(1, "f-hukatan")); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
		fi, err := os.Stat(name)
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, %v; want %v", name, fi.Mode().Perm(), err, want)
		}
	}
	again, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

// The WAL, which holds commits in the order signups came, is emptied soon
// after they stop coming, not only at a delete or a shutdown.
func TestWALIsEmptiedWhileRunning(t *testing.T) {
	defer func(d time.Duration) { CheckpointEvery = d }(CheckpointEvery)
	CheckpointEvery = 50 * time.Millisecond
	path := filepath.Join(t.TempDir(), "join.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 20 {
		if err := s.Add(context.Background(), storetest.Record(i, "f-hukatan")); err != nil {
			t.Fatal(err)
		}
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the WAL holds nothing right after the signups (%v): the test proves nothing", err)
	}
	waitForEmptyWAL(t, path)
}

// waitForEmptyWAL waits for the checkpointer to empty the WAL of the
// database at path, or fails after ten seconds.
func waitForEmptyWAL(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the WAL still holds the signups")
		}
	}
}

// Two organizers' inboxes on one database (see storetest.TwoInboxes).
func TestTwoInboxes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "join.db")
	storetest.TwoInboxes(t, func(t *testing.T) join.Store {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// A reader in another process that holds an old snapshot keeps the WAL,
// and the deleted rows in it: Delete says ErrNotScrubbed instead of done,
// and the checkpointer empties the WAL once the reader has gone.
func TestScrubAfterABusyReader(t *testing.T) {
	defer func(d time.Duration) { CheckpointEvery = d }(CheckpointEvery)
	CheckpointEvery = 50 * time.Millisecond
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "join.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := storetest.Record(1, "f-hukatan")
	r.Sealed = []byte(strings.Repeat("rahasia-anggota ", 100))
	if err := s.Add(ctx, r); err != nil {
		t.Fatal(err)
	}
	waitForEmptyWAL(t, path) // the checkpointer is done with the signup
	reader, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	snapshot, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := snapshot.QueryRow(`SELECT COUNT(*) FROM signups`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the reader sees %d records, %v", n, err)
	}
	defer func(d time.Duration) { join.ScrubWait = d }(join.ScrubWait)
	join.ScrubWait = 500 * time.Millisecond
	if n, err := s.Delete(ctx, []int64{r.ID}); n != 1 || !errors.Is(err, join.ErrNotScrubbed) {
		t.Fatalf("Delete with a reader holding the WAL = %d, %v; want 1, ErrNotScrubbed", n, err)
	}
	snapshot.Rollback()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if storetest.Traces(t, []string{path, path + "-wal"}, [][]byte{[]byte("rahasia-anggota")}) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the deleted signup is still in the database's files after the reader has gone")
		}
	}
}
