// Package followup is what an organizer's key makes of the signups: the
// people behind them, each with their follow-up history, and the numbers
// that say which recruitment strategy brings members. It runs on the
// organizer's own computer (serikat join inbox, serikat join stats
// --identity); what it opens stays in memory.
//
// # People
//
// A person is one phone number in one federation: their repeated signups
// are one person, shown with the details they sent last, the day and
// channel of their first signup, and the follow-up that join.FollowUp
// picks among their records.
//
// # The numbers
//
// Summarize counts, per federation, strategy and channel: signups
// (people), contacted, met and members (see join.History.Reached: a
// person met was contacted too, one who stopped counts for the steps
// reached before), the conversion at each step, the median days from the
// first signup to becoming a member, and how many are stale: still new
// StaleAfter days or more after signing up.
package followup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/sealed"
)

// Person is one worker's signups to one federation.
type Person struct {
	Federation string
	Signup     join.Signup // their details as they last sent them
	Day        string      // of their first signup
	Channel    string      // join.ChannelOf their first signup's source; "" for none
	Records    []int64     // oldest first
	Record     int64       // the record that carries the follow-up
	History    join.History
}

// OpenSignup opens a record's sealed signup; sealed.ErrWrongIdentity when
// it was sealed to other keys.
func OpenSignup(opener *sealed.Opener, r *join.Record) (join.Signup, error) {
	var s join.Signup
	plain, err := opener.Open(r.Sealed)
	if errors.Is(err, sealed.ErrWrongIdentity) {
		return s, err
	}
	if err != nil {
		return s, fmt.Errorf("signup %d: %w", r.ID, err)
	}
	if err := json.Unmarshal(plain, &s); err != nil {
		return s, fmt.Errorf("signup %d: %w", r.ID, err)
	}
	return s, nil
}

// Note opens the latest note in h: "" when there is none, or when it was
// sealed to keys that do not include the opener's.
func Note(opener *sealed.Opener, h join.History) (string, error) {
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].Note == nil {
			continue
		}
		plain, err := opener.Open(h[i].Note)
		if errors.Is(err, sealed.ErrWrongIdentity) {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("signup %d, status %d: %w", h[i].Record, h[i].Version, err)
		}
		return join.UnpadNote(plain)
	}
	return "", nil
}

// Load reads every signup in store that opener can open, as people,
// newest first (by their first signup's day). channels are the site's
// declared channels (see join.ChannelOf). It reports how many records were
// sealed to other keys and skipped.
func Load(ctx context.Context, store join.Store, opener *sealed.Opener, channels []string) (people []*Person, skipped int, err error) {
	byKey := map[[2]string]*Person{}
	err = store.Each(ctx, join.Filter{}, func(r *join.Record) error {
		s, err := OpenSignup(opener, r)
		if errors.Is(err, sealed.ErrWrongIdentity) {
			skipped++
			return nil
		}
		if err != nil {
			return err
		}
		key := [2]string{r.Federation, s.Phone}
		p, ok := byKey[key]
		if !ok {
			p = &Person{Federation: r.Federation, Day: r.Day}
			byKey[key] = p
			people = append(people, p)
		}
		if p.Channel == "" {
			p.Channel = join.ChannelOf(s.Source, channels)
		}
		p.Signup = s
		p.Records = append(p.Records, r.ID)
		return nil
	})
	if err != nil {
		return nil, skipped, err
	}
	histories, err := store.Histories(ctx)
	if err != nil {
		return nil, skipped, err
	}
	for _, p := range people {
		p.Record, p.History = join.FollowUp(p.Records, histories)
	}
	// Each gives days oldest first: newest first, a day's people in the
	// order of their records
	slices.Reverse(people)
	sort.SliceStable(people, func(i, j int) bool { return people[i].Day > people[j].Day })
	return people, skipped, nil
}

// StaleAfter is how many days a new signup may wait for a first contact
// before it counts as stale.
const StaleAfter = 3

// Stale reports whether p is still new StaleAfter days or more after
// signing up, on today (YYYY-MM-DD).
func (p *Person) Stale(today string, after int) bool {
	if p.History.Current() == join.StatusStopped {
		return false
	}
	if _, ok := p.History.Reached(join.StatusContacted); ok {
		return false
	}
	return Days(p.Day, today) >= after
}

// Days is the number of days from a to b (YYYY-MM-DD); 0 when either is
// not a date.
func Days(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// Today is the day in WIB.
func Today(now time.Time) string { return now.In(join.WIB).Format(time.DateOnly) }
