// Package storetest is the conformance suite every join.Store passes:
// group commits under concurrency with every acknowledged record stored
// exactly once, duplicates per federation, filters, erasure, and refusal
// after Close. Each store's tests call Run with a function that opens a new,
// empty store.
package storetest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/join"
)

// Record makes a record for phone number i in a federation.
func Record(i int, federation string) *join.Record {
	return &join.Record{Federation: federation, Source: "poster", Day: "2026-11-29", ConsentVersion: join.ConsentVersion,
		PhoneHash: []byte(fmt.Sprintf("hash-%06d", i)), Sealed: []byte("sealed"), CreatedAt: time.Now().Truncate(time.Microsecond)}
}

// Total is the number of records in a store.
func Total(t testing.TB, s join.Store) int {
	t.Helper()
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range c.Federations {
		n += v
	}
	return n
}

// AddConcurrently adds every phone in [0, phones) twice, from workers
// goroutines over the given stores in turn, and returns how many adds were
// acknowledged as new.
func AddConcurrently(t testing.TB, stores []join.Store, workers, phones int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%len(stores)]
			for i := w; i < 2*phones; i += workers {
				ok, err := s.Add(context.Background(), Record(i%phones, "f-hukatan"))
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					added++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return added
}

// Run runs the suite. open returns a new, empty store; Run closes it.
func Run(t *testing.T, open func(t *testing.T) join.Store) {
	t.Run("group commit", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		const phones = 600
		if added := AddConcurrently(t, []join.Store{s}, 32, phones); added != phones {
			t.Errorf("%d adds acknowledged as new, want %d (each phone once)", added, phones)
		}
		if n := Total(t, s); n != phones {
			t.Errorf("stored %d, want %d", n, phones)
		}
	})
	t.Run("filters and erasure", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		s.Add(ctx, Record(1, "f-hukatan"))
		s.Add(ctx, Record(1, "fsb-nikeuba")) // the same person, another federation
		s.Add(ctx, Record(2, "fsb-nikeuba"))
		var got []string
		err := s.Each(ctx, join.Filter{Federation: "fsb-nikeuba", Since: time.Now().Add(-time.Hour)}, func(r *join.Record) error {
			got = append(got, string(r.PhoneHash))
			if r.Source != "poster" || r.ConsentVersion != join.ConsentVersion || string(r.Sealed) != "sealed" {
				t.Errorf("record read back as %+v", r)
			}
			return nil
		})
		if err != nil || len(got) != 2 || got[0] != "hash-000001" {
			t.Errorf("filtered: %v, %v", got, err)
		}
		got = nil
		s.Each(ctx, join.Filter{Since: time.Now().Add(time.Hour)}, func(r *join.Record) error {
			got = append(got, string(r.PhoneHash))
			return nil
		})
		if len(got) != 0 {
			t.Errorf("records from the future: %v", got)
		}
		n, err := s.Delete(ctx, []byte("hash-000001"))
		if err != nil || n != 2 {
			t.Errorf("Delete = %d, %v; want both federations' records", n, err)
		}
		c, _ := s.Counts(ctx)
		if c.Federations["f-hukatan"] != 0 || c.Federations["fsb-nikeuba"] != 1 || c.Sources["poster"] != 1 || c.Days["2026-11-29"] != 1 {
			t.Errorf("after delete: %+v", c)
		}
	})
	t.Run("closed", func(t *testing.T) {
		s := open(t)
		s.Close()
		if _, err := s.Add(context.Background(), Record(1, "f")); err == nil {
			t.Error("a closed store accepted a signup")
		}
	})
}

// Outage posts a signup through the real handler while the store fails
// (break), then after it recovers (mend): a 503 that keeps what was typed,
// nothing acknowledged lost, and signups accepted again afterwards.
func Outage(t *testing.T, s join.Store, breakStore, mend func()) {
	t.Helper()
	sealer := sealerFor(t)
	h := join.NewHandler(join.Config{Store: s, Sealer: sealer, HMACKey: []byte("k"),
		Federations: []join.Federation{{ID: "f-hukatan", Name: "F HUKATAN"}}, Logger: discard})
	post := func(phone string) *httptest.ResponseRecorder {
		form := url.Values{"name": {"Siti Aminah"}, "phone": {phone}, "workplace": {"PT Kayu"}, "city": {"Metro"},
			"federation": {"f-hukatan"}, "consent": {"on"}}
		req := httptest.NewRequest(http.MethodPost, "/api/join", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("0812-0000-0001"); rec.Code != http.StatusSeeOther {
		t.Fatalf("before the outage: %d", rec.Code)
	}
	breakStore()
	rec := post("0812-0000-0002")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `value="Siti Aminah"`) {
		t.Errorf("during the outage: %d, want 503 with the input kept", rec.Code)
	}
	mend()
	if rec := post("0812-0000-0003"); rec.Code != http.StatusSeeOther {
		t.Errorf("after the outage: %d", rec.Code)
	}
	if n := Total(t, s); n != 2 {
		t.Errorf("stored %d, want the two signups acknowledged before and after", n)
	}
}
