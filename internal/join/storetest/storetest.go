// Package storetest is the conformance suite every join.Store passes:
// group commits under concurrency with every acknowledged record stored
// exactly once, repeated signups stored beside the first, salts and hashes
// read back as written, filters, erasure, forgetting old phone hashes,
// follow-up histories (versions, conflicts, concurrent organizers, erasure
// with the signup), and refusal after Close. Each store's tests call Run with a function that opens a new,
// empty store.
package storetest

import (
	"context"
	"errors"
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
	return concurrently(stores, workers, func(w int, s join.Store, ack func()) {
		for i := w; i < 2*phones; i += workers {
			r := Record(i%phones, "f-hukatan")
			if err := s.Add(context.Background(), r); err != nil {
				t.Error(err)
				return
			}
			if r.ID == 0 {
				t.Error("Add did not set the record's ID")
			}
			ack()
		}
	})
}

// concurrently runs work in workers goroutines, each given its number and
// one of stores in turn, and returns how many times they called ack.
func concurrently(stores []join.Store, workers int, work func(w int, s join.Store, ack func())) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	ack := func() {
		mu.Lock()
		acked++
		mu.Unlock()
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w, stores[w%len(stores)], ack)
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
	runStatuses(t, open)
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

// SetStatusConcurrently has workers goroutines, over the given stores in
// turn, each move every one of records through changes status changes,
// reading the latest version and retrying on join.ErrConflict as an
// organizer's inbox does. It returns how many changes were acknowledged.
func SetStatusConcurrently(t testing.TB, stores []join.Store, records []int64, workers, changes int) int {
	return concurrently(stores, workers, func(w int, s join.Store, ack func()) {
		ctx := context.Background()
		for i := range changes {
			id := records[(w+i)%len(records)]
			for {
				h, err := s.Histories(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				st := join.Statuses[1+(w+i)%(len(join.Statuses)-1)]
				err = s.SetStatus(ctx, join.StatusChange{Record: id, Version: h[id].Version() + 1, Status: st,
					Day: "2026-12-01", Note: []byte(fmt.Sprintf("worker %d change %d", w, i))})
				if errors.Is(err, join.ErrConflict) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				ack()
				break
			}
		}
	})
}

// TwoInboxes has two organizers' inboxes, each with its own store on one
// database (open opens it), change the same signups' statuses at once:
// every acknowledged change must be kept, numbered without a gap.
func TwoInboxes(t *testing.T, open func(t *testing.T) join.Store) {
	var stores []join.Store
	var ids []int64
	for i := range 2 {
		s := open(t)
		defer s.Close()
		stores = append(stores, s)
		r := Record(i, "f-hukatan")
		s.Add(context.Background(), r)
		ids = append(ids, r.ID)
	}
	acked := SetStatusConcurrently(t, stores, ids, 8, 10)
	if acked != 80 {
		t.Errorf("%d changes acknowledged, want 80", acked)
	}
	CheckHistories(t, stores[1], acked)
}

// CheckHistories fails t unless the stores' histories hold exactly acked
// changes, each record's numbered 1, 2, 3… without a gap, and every
// worker's note of SetStatusConcurrently once.
func CheckHistories(t testing.TB, s join.Store, acked int) {
	t.Helper()
	all, err := s.Histories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	notes := map[string]bool{}
	for id, h := range all {
		for i, c := range h {
			if c.Record != id || c.Version != i+1 || !c.Status.Valid() || c.Day != "2026-12-01" {
				t.Errorf("record %d change %d: %+v", id, i, c)
			}
			if notes[string(c.Note)] {
				t.Errorf("note %q stored twice", c.Note)
			}
			notes[string(c.Note)] = true
		}
		n += len(h)
	}
	if n != acked {
		t.Errorf("%d changes stored, %d acknowledged: every acknowledged change must be kept, and nothing else", n, acked)
	}
}

func runStatuses(t *testing.T, open func(t *testing.T) join.Store) {
	t.Run("status history", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		a, b := Record(1, "f-hukatan"), Record(2, "f-hukatan")
		s.Add(ctx, a)
		s.Add(ctx, b)
		first := join.StatusChange{Record: a.ID, Version: 1, Status: join.StatusContacted, Day: "2026-12-01", Note: []byte("sealed note")}
		if err := s.SetStatus(ctx, first); err != nil {
			t.Fatal(err)
		}
		stale := join.StatusChange{Record: a.ID, Version: 1, Status: join.StatusStopped, Day: "2026-12-01"}
		if err := s.SetStatus(ctx, stale); !errors.Is(err, join.ErrConflict) {
			t.Errorf("a second version 1: %v, want ErrConflict", err)
		}
		if err := s.SetStatus(ctx, join.StatusChange{Record: a.ID, Version: 3, Status: join.StatusMet, Day: "2026-12-02"}); !errors.Is(err, join.ErrConflict) {
			t.Errorf("version 3 after 1: %v, want ErrConflict", err)
		}
		if err := s.SetStatus(ctx, join.StatusChange{Record: a.ID, Version: 2, Status: join.StatusMember, Day: "2026-12-03"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, join.StatusChange{Record: 424242, Version: 1, Status: join.StatusMet, Day: "2026-12-03"}); !errors.Is(err, join.ErrNoRecord) {
			t.Errorf("a status for no signup: %v, want ErrNoRecord", err)
		}
		all, err := s.Histories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		h := all[a.ID]
		if len(all) != 1 || len(h) != 2 || h.Current() != join.StatusMember || h.Version() != 2 ||
			string(h[0].Note) != "sealed note" || h[1].Note != nil || h[0].Day != "2026-12-01" {
			t.Errorf("histories read back as %+v", all)
		}
		if n, err := s.Delete(ctx, []int64{a.ID}); err != nil || n != 1 {
			t.Fatalf("Delete = %d, %v", n, err)
		}
		if all, _ := s.Histories(ctx); len(all) != 0 {
			t.Errorf("the erased signup's history is left: %+v", all)
		}
	})
	t.Run("members counted", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		ctx := context.Background()
		var ids []int64
		for i, fed := range []string{"f-hukatan", "f-hukatan", "f-hukatan", "f-hukatan", "fsb-nikeuba"} {
			r := Record(i, fed)
			if err := s.Add(ctx, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		set := func(id int64, statuses ...join.Status) {
			for v, st := range statuses {
				if err := s.SetStatus(ctx, join.StatusChange{Record: id, Version: v + 1, Status: st, Day: "2026-12-01"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// by hand: f-hukatan's members are 0 (a member at once) and 1 (after
		// a meeting); not 2, corrected back to a meeting, nor 3, who stopped
		// after joining; fsb-nikeuba's is 4
		set(ids[0], join.StatusMember)
		set(ids[1], join.StatusContacted, join.StatusMet, join.StatusMember)
		set(ids[2], join.StatusMember, join.StatusMet)
		set(ids[3], join.StatusMember, join.StatusStopped)
		set(ids[4], join.StatusMember)
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Members) != 2 || c.Members["f-hukatan"] != 2 || c.Members["fsb-nikeuba"] != 1 || c.Federations["f-hukatan"] != 4 {
			t.Errorf("Counts = %+v, want members f-hukatan 2, fsb-nikeuba 1, of 4 and 1 signups", c)
		}
		if _, err := s.Delete(ctx, []int64{ids[0]}); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Counts(ctx); c.Members["f-hukatan"] != 1 {
			t.Errorf("after erasing a member: %+v, want 1 member in f-hukatan", c.Members)
		}
	})
	t.Run("concurrent status changes", func(t *testing.T) {
		s := open(t)
		defer s.Close()
		var ids []int64
		for i := range 3 {
			r := Record(i, "f-hukatan")
			s.Add(context.Background(), r)
			ids = append(ids, r.ID)
		}
		acked := SetStatusConcurrently(t, []join.Store{s}, ids, 6, 10)
		if acked != 60 {
			t.Errorf("%d changes acknowledged, want 60", acked)
		}
		CheckHistories(t, s, acked)
	})
}
