package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// GOGC or GOMEMLIMIT in the environment keeps the tuner off. (Tested
// without Start, which runs once a process and, once started, keeps
// retuning whatever a later test sets.)
func TestUserSettingWins(t *testing.T) {
	for _, env := range [][2]string{{"GOGC", "50"}, {"GOGC", "off"}, {"GOMEMLIMIT", "1GiB"}} {
		t.Setenv("GOGC", "")
		t.Setenv("GOMEMLIMIT", "")
		t.Setenv(env[0], env[1])
		if !userSet() {
			t.Errorf("%s=%s does not keep the tuner off", env[0], env[1])
		}
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if userSet() {
		t.Error("without GOGC or GOMEMLIMIT the tuner is kept off")
	}
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
