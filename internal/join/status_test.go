package join

import (
	"strings"
	"testing"
)

func TestHistory(t *testing.T) {
	var none History
	if none.Current() != StatusNew || none.Version() != 0 {
		t.Errorf("an empty history: %s, %d", none.Current(), none.Version())
	}
	h := History{{Version: 1, Status: StatusMet, Day: "2026-12-02"}, {Version: 2, Status: StatusStopped, Day: "2026-12-05"}}
	if d, ok := h.Reached(StatusContacted); !ok || d != "2026-12-02" {
		t.Errorf("met without being marked contacted: contacted %q %v, want the meeting's day", d, ok)
	}
	if _, ok := h.Reached(StatusMember); ok {
		t.Error("stopped, yet a member")
	}
	corrected := History{{Status: StatusMember, Day: "2026-12-01"}, {Status: StatusMet, Day: "2026-12-02"}, {Status: StatusMember, Day: "2026-12-09"}}
	if d, ok := corrected.Reached(StatusMember); !ok || d != "2026-12-09" {
		t.Errorf("a member again after a correction: %q %v, want the day of the last change", d, ok)
	}
	if d, _ := corrected.Reached(StatusContacted); d != "2026-12-01" {
		t.Errorf("contacted %q, want the first day", d)
	}
	if h.Current() != StatusStopped || h.Version() != 2 {
		t.Errorf("current %s, version %d", h.Current(), h.Version())
	}
	if id, got := FollowUp([]int64{7, 8}, map[int64]History{8: h}); id != 8 || len(got) != 2 {
		t.Errorf("FollowUp = %d, %v; want the record with a history", id, got)
	}
	if id, got := FollowUp([]int64{7, 8}, nil); id != 7 || got != nil {
		t.Errorf("FollowUp = %d, %v; want the first record", id, got)
	}
}

func TestNotes(t *testing.T) {
	for _, note := range []string{"", "Sudah ditelepon, minta ketemu Sabtu", strings.Repeat("𝕏", MaxNote), strings.Repeat(`"<`, MaxNote/2)} {
		if msg := CheckNote(&note); msg != "" {
			t.Errorf("%q: %s", note, msg)
		}
		padded := PadNote(note)
		if len(padded) != NotePadTo {
			t.Errorf("%q padded to %d bytes, want %d", note, len(padded), NotePadTo)
		}
		if back, err := UnpadNote(padded); err != nil || back != note {
			t.Errorf("%q read back as %q, %v", note, back, err)
		}
	}
	for _, bad := range []string{strings.Repeat("a", MaxNote+1), "a\u202eb", "a\x00b"} {
		if CheckNote(&bad) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}
