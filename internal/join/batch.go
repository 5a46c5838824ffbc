package join

import (
	"context"
	"fmt"
	"sync"
)

// CommitFunc writes records in one transaction. It returns only after the
// transaction is durable.
type CommitFunc func(records []*Record) error

// Batcher does group commit for a Store: one writer takes every record
// waiting when it starts a transaction, commits once, and answers each.
// Durability then costs one sync per batch, not per signup.
type Batcher struct {
	commit  CommitFunc
	max     int
	queue   chan batchRequest
	done    chan struct{}
	closing chan struct{}
	// mu orders Add against Close: once Close holds it nothing more is
	// queued, so the writer's last drain answers everything.
	mu     sync.RWMutex
	closed bool
}

type batchRequest struct {
	r     *Record
	reply chan error
}

// NewBatcher starts a writer that commits at most max records at a time.
func NewBatcher(max int, commit CommitFunc) *Batcher {
	b := &Batcher{commit: commit, max: max, queue: make(chan batchRequest, 4*max),
		done: make(chan struct{}), closing: make(chan struct{})}
	go b.write()
	return b
}

// Add queues r for the next transaction and waits for its commit. Once
// queued, the answer is awaited even if ctx ends: the record may already be
// committed, and its outcome must be known.
func (b *Batcher) Add(ctx context.Context, r *Record) error {
	req := batchRequest{r: r, reply: make(chan error, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return fmt.Errorf("store closed: %w", ErrUnavailable)
	}
	select {
	case b.queue <- req:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	return <-req.reply
}

func (b *Batcher) write() {
	defer close(b.done)
	for {
		var batch []batchRequest
		select {
		case req := <-b.queue:
			batch = append(batch, req)
		case <-b.closing:
			for {
				select {
				case req := <-b.queue:
					b.run([]batchRequest{req})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < b.max {
			select {
			case req := <-b.queue:
				batch = append(batch, req)
			default:
				break fill
			}
		}
		b.run(batch)
	}
}

func (b *Batcher) run(batch []batchRequest) {
	records := make([]*Record, len(batch))
	for i, req := range batch {
		records[i] = req.r
	}
	err := b.commit(records)
	if err != nil {
		err = fmt.Errorf("%v: %w", err, ErrUnavailable)
	}
	for _, req := range batch {
		req.reply <- err
	}
}

// Close answers everything queued and stops the writer.
func (b *Batcher) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.closing)
	}
	b.mu.Unlock()
	<-b.done
}
