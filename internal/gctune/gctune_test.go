package gctune

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
)

func TestUserSettingWins(t *testing.T) {
	t.Setenv("GOGC", "50")
	old := debug.SetGCPercent(77)
	defer debug.SetGCPercent(old)
	Start()
	if got := debug.SetGCPercent(old); got != 77 {
		t.Errorf("with GOGC set, Start changed the percent to %d", got)
	}
	started = sync.Once{} // the next test starts it for real
}

// The next collection comes when the heap reaches the floor or twice what
// is live, whichever is larger.
func TestPercent(t *testing.T) {
	const mb = 1 << 20
	const floor = 192 * mb
	for _, c := range []struct {
		live, roots uint64
		want        int
	}{
		{0, 0, 100 * floor},
		{32 * mb, 0, 499},       // 32 MB + 160 MB = the floor
		{32 * mb, 32 * mb, 249}, // stacks and globals count towards the goal
		{96*mb - 1, 0, 100},
		{96 * mb, 0, 100},
		{500 * mb, 0, 100},
	} {
		if got := percent(floor, c.live, c.roots); got != c.want {
			t.Errorf("percent(%d MB live, %d MB roots) = %d, want %d", c.live/mb, c.roots/mb, got, c.want)
		}
	}
}

// After a collection the tuner has set GOGC again from the live heap: far
// above 100 for this test's small heap.
func TestStartRetunesAfterEachCollection(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	oldPercent, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	Start()
	// the finalizer runs on its own goroutine after a collection: wait
	// until it has run
	for range 1000 {
		debug.SetGCPercent(100) // as if something reset it
		runtime.GC()
		runtime.Gosched()
		if got := debug.SetGCPercent(100); got > 1000 {
			if limit := debug.SetMemoryLimit(-1); limit != 2*Floor {
				t.Errorf("with GOGC raised to %d, the memory limit is %d, want twice the floor", got, limit)
			}
			return
		}
	}
	t.Fatal("GOGC stayed 100 after collections with a small heap")
}
