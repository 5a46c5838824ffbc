// Package storetest is the conformance suite every join.Store passes:
// group commits under concurrency with every acknowledged record stored
// exactly once, repeated signups stored beside the first, salts and hashes
// read back as written, filters, erasure, forgetting old phone hashes, and
// refusal after Close. Each store's tests call Run with a function that opens a new,
// empty store.
package storetest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/serikat-id/serikat/internal/join"
)

// Record makes a record for phone number i in a federation.
func Record(i int, federation string) *join.Record {
	return &join.Record{Federation: federation, Day: "2026-11-29", ConsentVersion: join.ConsentVersion,
		PhoneSalt: []byte(fmt.Sprintf("salt-%06d", i)), PhoneHash: []byte(fmt.Sprintf("hash-%06d", i)), Sealed: []byte("sealed")}
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
// acknowledged.
func AddConcurrently(t testing.TB, stores []join.Store, workers, phones int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%len(stores)]
			for i := w; i < 2*phones; i += workers {
				r := Record(i%phones, "f-hukatan")
				if err := s.Add(context.Background(), r); err != nil {
					t.Error(err)
					return
				}
				if r.ID == 0 {
					t.Error("Add did not set the record's ID")
				}
				mu.Lock()
				acked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return acked
}

// Run runs the suite. open returns a new, empty store; Run closes it.
func Run(t *testing.T, open func(t *testing.T) join.Store) {
	t.Run("group commit", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		const phones = 600
		if acked := AddConcurrently(t, []join.Store{s}, 32, phones); acked != 2*phones {
			t.Errorf("%d adds acknowledged, want %d", acked, 2*phones)
		}
		if n := Total(t, s); n != 2*phones {
			t.Errorf("stored %d, want %d: every acknowledged add, repeats included", n, 2*phones)
		}
	})
	t.Run("records read back as written", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		want := Record(7, "f-hukatan")
		if err := s.Add(ctx, want); err != nil {
			t.Fatal(err)
		}
		var got *join.Record
		s.Each(ctx, join.Filter{}, func(r *join.Record) error { got = r; return nil })
		if got == nil || got.ID != want.ID || got.Federation != want.Federation || got.Day != want.Day ||
			got.ConsentVersion != want.ConsentVersion || string(got.PhoneSalt) != string(want.PhoneSalt) ||
			string(got.PhoneHash) != string(want.PhoneHash) || string(got.Sealed) != string(want.Sealed) {
			t.Errorf("read back %+v, want %+v", got, want)
		}
	})
	t.Run("filters and erasure", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		a, b := Record(1, "f-hukatan"), Record(1, "fsb-nikeuba") // the same person, another federation
		s.Add(ctx, a)
		s.Add(ctx, b)
		s.Add(ctx, Record(2, "fsb-nikeuba"))
		old := Record(3, "fsb-nikeuba")
		old.Day = "2026-01-05"
		s.Add(ctx, old)
		var got []string
		err := s.Each(ctx, join.Filter{Federation: "fsb-nikeuba", SinceDay: "2026-11-01"}, func(r *join.Record) error {
			got = append(got, string(r.PhoneHash))
			if r.ConsentVersion != join.ConsentVersion || string(r.Sealed) != "sealed" || r.Day != "2026-11-29" {
				t.Errorf("record read back as %+v", r)
			}
			return nil
		})
		slices.Sort(got) // within a day, records come in no particular order
		if err != nil || len(got) != 2 || got[0] != "hash-000001" || got[1] != "hash-000002" {
			t.Errorf("filtered: %v, %v", got, err)
		}
		got = nil
		s.Each(ctx, join.Filter{SinceDay: "2026-11-30"}, func(r *join.Record) error {
			got = append(got, string(r.PhoneHash))
			return nil
		})
		if len(got) != 0 {
			t.Errorf("records from the future: %v", got)
		}
		n, err := s.Delete(ctx, []int64{a.ID, b.ID, 999999})
		if err != nil || n != 2 {
			t.Errorf("Delete = %d, %v; want both federations' records", n, err)
		}
		c, _ := s.Counts(ctx)
		if c.Federations["f-hukatan"] != 0 || c.Federations["fsb-nikeuba"] != 2 || c.Days["2026-11-29"] != 1 || c.Days["2026-01-05"] != 1 {
			t.Errorf("after delete: %+v", c)
		}
	})
	t.Run("old phone hashes are forgotten", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		old, recent := Record(1, "f-hukatan"), Record(2, "f-hukatan")
		old.Day = "2026-08-01"
		s.Add(ctx, old)
		s.Add(ctx, recent)
		n, err := s.ForgetPhoneHashes(ctx, "2026-09-01")
		if err != nil || n != 1 {
			t.Fatalf("ForgetPhoneHashes = %d, %v; want 1", n, err)
		}
		if n, _ := s.ForgetPhoneHashes(ctx, "2026-09-01"); n != 0 {
			t.Errorf("forgotten twice: %d", n)
		}
		hashes := map[int64]string{}
		s.Each(ctx, join.Filter{}, func(r *join.Record) error {
			hashes[r.ID] = string(r.PhoneSalt) + string(r.PhoneHash)
			return nil
		})
		if hashes[old.ID] != "" || hashes[recent.ID] != "salt-000002hash-000002" {
			t.Errorf("salts and hashes after forgetting: %v", hashes)
		}
	})
	t.Run("closed", func(t *testing.T) {
		s := open(t)
		s.Close()
		if err := s.Add(context.Background(), Record(1, "f")); err == nil {
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
