package followup

import (
	"time"

	"github.com/serikat-id/serikat/internal/join"
)

// Week is one week's new signups (people, by their first signup) and new
// members (by the day they became one, counted as Summarize counts them:
// only those who are members now).
type Week struct {
	Start   string // its Monday, YYYY-MM-DD
	Signups int
	Members int
}

// WeekOf returns the Monday of day's week (YYYY-MM-DD); "" when day is not
// a date.
func WeekOf(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -(int(t.Weekday())+6)%7).Format(time.DateOnly)
}

// Weekly counts people's signups and members by week, from the week of the
// first signup to today's (YYYY-MM-DD), every week listed, those with
// nothing too; nil for no people. federation "" counts everyone.
func Weekly(people []*Person, federation, today string) []Week {
	signups, members := map[string]int{}, map[string]int{}
	first := ""
	for _, p := range people {
		if federation != "" && p.Federation != federation {
			continue
		}
		w := WeekOf(p.Day)
		if w == "" {
			continue
		}
		signups[w]++
		if first == "" || w < first {
			first = w
		}
		if day, ok := p.History.Reached(join.StatusMember); ok && p.History.Current() == join.StatusMember {
			if mw := WeekOf(day); mw != "" {
				members[mw]++
			}
		}
	}
	if first == "" {
		return nil
	}
	last := WeekOf(today)
	for w := range members {
		if w > last {
			last = w
		}
	}
	var weeks []Week
	for w := first; w <= last; w = nextWeek(w) {
		weeks = append(weeks, Week{Start: w, Signups: signups[w], Members: members[w]})
	}
	return weeks
}

func nextWeek(w string) string {
	t, _ := time.Parse(time.DateOnly, w)
	return t.AddDate(0, 0, 7).Format(time.DateOnly)
}
