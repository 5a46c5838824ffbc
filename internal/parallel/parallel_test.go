package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestForRunsEachItemOnce(t *testing.T) {
	for _, tc := range []struct{ workers, n int }{{1, 0}, {4, 1}, {2, 1000}, {0, 10}, {16, 3}} {
		counts := make([]atomic.Int32, tc.n)
		For(context.Background(), tc.workers, tc.n, func(i int) { counts[i].Add(1) })
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Errorf("workers %d, n %d: item %d ran %d times", tc.workers, tc.n, i, c)
			}
		}
	}
}

func TestForStopsStartingItemsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	For(ctx, 1, 100, func(i int) {
		ran.Add(1)
		if i == 9 {
			cancel()
		}
	})
	if got := ran.Load(); got != 10 {
		t.Errorf("ran %d items, want the 10 up to the cancel", got)
	}
}
