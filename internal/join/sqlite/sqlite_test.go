package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

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
	if n := storetest.Total(t, s); n != 100 {
		t.Errorf("after reopening: %d records", n)
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
				_, err := s.db.Exec(`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
					VALUES ('pengisi', '', '', '', randomblob(16), randomblob(512), 0)`)
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
