// Package gctune sets Go's garbage collector for a program that builds a
// site and exits, or keeps one build's worth of data while it serves.
//
// Go collects by default each time the heap doubles from what was live
// after the last collection. A build's heap is mostly data it keeps to the
// end (the build cache's index, the pages, their rendered text), so the
// collections while that heap grows from a few megabytes free almost
// nothing: on a 10,000-page site they were a fifth of a warm build's time.
//
// Start sets a floor instead: the next collection comes when the heap
// reaches the floor or twice what is live, whichever is larger. Below the
// floor that is GOGC chosen again after each collection from what is
// live; above it, Go's default. A small site's build then collects rarely
// or never, and a large one peaks where it did before: the floor only
// moves collections, it never lets the heap grow past max(floor, twice
// what is live). (A soft memory limit with GOGC off does the same, but
// makes the runtime hand memory back to the system near the limit and
// fault it in again, which cost a cold build more than it saved.)
//
// A GOGC or GOMEMLIMIT in the environment is the user's choice: Start then
// does nothing.
package gctune

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Floor is the heap size below which Start's collector does not collect.
const Floor = 128 << 20

// Start sets the collector, with Floor, for the rest of the process; calls
// after the first do nothing.
func Start() {
	started.Do(func() {
		if userSet() {
			return
		}
		t := &tuner{floor: Floor, sample: []metrics.Sample{
			{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
		t.watch() // the first collection, at Go's 4 MB, is cheap and measures what is live
	})
}

var started sync.Once

// userSet reports whether the environment sets the collector, which then
// wins over the tuner.
func userSet() bool { return os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" }

type tuner struct {
	floor  uint64
	sample []metrics.Sample
}

// percent is the GOGC that makes the next collection come when the heap
// reaches max(floor, 2×live). The runtime's goal is live + (live + stacks
// + globals) × GOGC/100, hence roots.
func percent(floor, live, roots uint64) int {
	if floor <= 2*live {
		return 100
	}
	return int(100 * (floor - live) / (live + roots + 1))
}

func (t *tuner) tune() {
	metrics.Read(t.sample)
	var v [3]uint64
	for i, s := range t.sample {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = s.Value.Uint64()
		}
	}
	p := percent(t.floor, v[0], v[1]+v[2])
	// A finalizer may run while the next collection is marking: its GOGC,
	// from the last collection's live heap, then sets the goal after a
	// heap that grew meanwhile, a single 24 MB file read making the goal a
	// gigabyte. While GOGC is raised, a soft limit at twice the floor
	// bounds that; it is far above what the heap reaches otherwise, so the
	// runtime does not work to keep under it.
	limit := int64(math.MaxInt64)
	if p > 100 {
		limit = int64(2 * t.floor)
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(p)
}

// watch calls tune after every collection: a finalizer runs once its
// object has been found unreachable, that is after a collection, and sets
// itself again on a new object.
func (t *tuner) watch() {
	sentinel := new([16]byte) // big enough not to share an allocation with anything
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		t.tune()
		t.watch()
	})
}
