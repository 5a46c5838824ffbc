package followup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/join"
)

func history(changes ...string) join.History {
	var h join.History
	for i := 0; i < len(changes); i += 2 {
		h = append(h, join.StatusChange{Version: len(h) + 1, Status: join.Status(changes[i]), Day: changes[i+1]})
	}
	return h
}

// fixture is six people, counted by hand in TestSummarize.
func fixture() []*Person {
	return []*Person{
		{Federation: "a", Channel: "whatsapp", Day: "2026-12-01", History: history("dihubungi", "2026-12-02", "bertemu", "2026-12-04", "anggota", "2026-12-08")},
		{Federation: "a", Channel: "poster", Day: "2026-12-01", History: history("anggota", "2026-12-03")},
		{Federation: "a", Channel: "", Day: "2026-12-05"},
		{Federation: "b", Channel: "advokasi", Day: "2026-12-02", History: history("dihubungi", "2026-12-03", "tidak melanjutkan", "2026-12-04")},
		{Federation: "b", Channel: "video", Day: "2026-12-09"},
		{Federation: "b", Channel: "whatsapp", Day: "2026-12-01", History: history("bertemu", "2026-12-02", "anggota", "2026-12-05", "bertemu", "2026-12-06")},
	}
}

func show(rows ...*Row) string {
	var b strings.Builder
	for _, r := range rows {
		median := "-"
		if r.MedianDays != nil {
			median = fmt.Sprint(*r.MedianDays)
		}
		fmt.Fprintf(&b, "%s: %d %d %d %d stale %d; %v%% %v%% %v%% %v%%; median %s\n", r.Key, r.Signups, r.Contacted, r.Met, r.Members,
			r.Stale, r.ContactedRate, r.MetRate, r.MemberRate, r.OverallRate, median)
	}
	return b.String()
}

func TestSummarize(t *testing.T) {
	rep := Summarize(fixture(), "2026-12-10", nil)
	// by hand: contacted are 1, 2 (a member at once), 4 (then stopped) and 6
	// (met at once); met 1, 2, 6; members 1 (7 days) and 2 (2 days), not 6,
	// whose membership was corrected back to a meeting; stale only 3 (5
	// days new), not 5 (1 day)
	want := `total: 6 4 3 2 stale 1; 66.7% 75% 66.7% 33.3%; median 4.5
a: 3 2 2 2 stale 1; 66.7% 100% 100% 66.7%; median 4.5
b: 3 2 1 0 stale 0; 66.7% 50% 0% 0%; median -
(langsung): 1 0 0 0 stale 1; 0% 0% 0% 0%; median -
Advokasi dari bawah: 1 1 0 0 stale 0; 100% 0% 0% 0%; median -
Poster dan tulisan: 1 1 1 1 stale 0; 100% 100% 100% 100%; median 2
Video media sosial: 3 2 2 1 stale 0; 66.7% 100% 50% 33.3%; median 7
(langsung): 1 0 0 0 stale 1; 0% 0% 0% 0%; median -
advokasi: 1 1 0 0 stale 0; 100% 0% 0% 0%; median -
poster: 1 1 1 1 stale 0; 100% 100% 100% 100%; median 2
video: 1 0 0 0 stale 0; 0% 0% 0% 0%; median -
whatsapp: 2 2 2 1 stale 0; 100% 100% 50% 50%; median 7
`
	rows := append(append(append([]*Row{rep.Total}, rep.Federations...), rep.Strategies...), rep.Channels...)
	if got := show(rows...); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	custom := Summarize(fixture(), "2026-12-10", map[string]string{"whatsapp": "WA"})
	if got := show(custom.Strategies...); !strings.Contains(got, "WA: 2 2 2 1") || !strings.Contains(got, "lainnya: 3 2 1 1") {
		t.Errorf("with the site's own strategies:\n%s", got)
	}
}

func TestWeekly(t *testing.T) {
	// 2026-11-30 is a Monday. By hand: signups 3 in its week (people 1, 2,
	// 6 on 12-01; 4 on 12-02), so 4; person 3 (12-05) too: 5; person 5
	// (12-09) in the week of 12-07. Members: person 2 on 12-03 (week of
	// 11-30), person 1 on 12-08 (week of 12-07); person 6 is no member now.
	got := fmt.Sprint(Weekly(fixture(), "", "2026-12-15"))
	want := "[{2026-11-30 5 1} {2026-12-07 1 1} {2026-12-14 0 0}]"
	if got != want {
		t.Errorf("Weekly = %s, want %s", got, want)
	}
	got = fmt.Sprint(Weekly(fixture(), "b", "2026-12-10"))
	if want := "[{2026-11-30 2 0} {2026-12-07 1 0}]"; got != want {
		t.Errorf("Weekly(b) = %s, want %s", got, want)
	}
	if w := Weekly(nil, "", "2026-12-10"); w != nil {
		t.Errorf("Weekly(nobody) = %v, want nil", w)
	}
	if w := WeekOf("2026-11-30"); w != "2026-11-30" {
		t.Errorf("WeekOf(a Monday) = %s", w)
	}
	if w := WeekOf("2026-12-06"); w != "2026-11-30" {
		t.Errorf("WeekOf(a Sunday) = %s", w)
	}
}
