package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join"
)

func record(i int, federation string) *join.Record {
	return &join.Record{Federation: federation, Source: "poster", Day: "2026-11-29", ConsentVersion: join.ConsentVersion,
		PhoneHash: []byte(fmt.Sprintf("hash-%06d", i)), Sealed: []byte("sealed"), CreatedAt: time.Now()}
}

// Many signups at once are committed in shared transactions, and every one
// that was acknowledged is there exactly once.
func TestGroupCommitUnderConcurrency(t *testing.T) {
	path := filepath.Join(t.TempDir(), "join.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 32, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := w*each + i
				added, err := s.Add(context.Background(), record(n%(workers*each/2), "f-hukatan")) // every phone twice
				if err != nil {
					t.Error(err)
					return
				}
				if added {
					mu.Lock()
					acked++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := workers * each / 2; acked != want || c.Federations["f-hukatan"] != want {
		t.Errorf("added %d, stored %d; want %d each (every phone once)", acked, c.Federations["f-hukatan"], want)
	}
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	s.Close()
	// opening again runs no migration twice and keeps the data
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c, _ := s.Counts(context.Background()); c.Federations["f-hukatan"] != workers*each/2 {
		t.Errorf("after reopening: %v", c)
	}
}

func TestEachFilterAndDelete(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	s.Add(ctx, record(1, "f-hukatan"))
	s.Add(ctx, record(1, "fsb-nikeuba")) // the same person, another federation
	s.Add(ctx, record(2, "fsb-nikeuba"))
	var got []string
	s.Each(ctx, join.Filter{Federation: "fsb-nikeuba"}, func(r *join.Record) error {
		got = append(got, string(r.PhoneHash))
		return nil
	})
	if len(got) != 2 {
		t.Errorf("filtered: %v", got)
	}
	n, err := s.Delete(ctx, []byte("hash-000001"))
	if err != nil || n != 2 {
		t.Errorf("Delete = %d, %v; want both federations' records", n, err)
	}
	if c, _ := s.Counts(ctx); c.Federations["f-hukatan"] != 0 || c.Federations["fsb-nikeuba"] != 1 {
		t.Errorf("after delete: %v", c)
	}
}

func TestClosedStoreRefuses(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "join.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.Add(context.Background(), record(1, "f")); err == nil {
		t.Error("a closed store accepted a signup")
	}
}
