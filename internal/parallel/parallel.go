// Package parallel runs many small, independent pieces of work on a few
// goroutines.
//
// A build does the same thing for each of ten thousand pages: read it,
// render it, write it. For handles out the items by an atomic counter
// rather than a channel, because with items that small, waking a goroutine
// for each one costs more than the item.
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// For runs fn(i) for every i in [0, n) on at most workers goroutines and
// returns when all have returned. Once ctx is done no new item starts; the
// caller learns that from ctx.
func For(ctx context.Context, workers, n int, fn func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range max(min(workers, n), 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
