package sqlite

import (
	"context"
	"path/filepath"
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
