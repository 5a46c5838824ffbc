// Package ratelimit limits how often something may happen per key (a client
// address, a phone number's hash) with a token bucket per key, in bounded
// memory.
//
// # Buckets
//
// Each key has a bucket of burst tokens that refills at a steady rate; an
// event takes a token and is refused when the bucket is empty. The buckets
// are golang.org/x/time/rate limiters.
//
// # Bounded memory without forgetting the wrong keys
//
// Anyone can invent keys (every forged address, every phone number), so the
// number of buckets must be bounded. The obvious bound, forgetting every
// bucket when there are too many, is a gift to the attacker we design
// against: an employer testing a phone list whose own key is limited posts
// from maxKeys made-up keys and has a fresh bucket again. This package never
// forgets all buckets at once. When a new key arrives and there are already
// maxKeys buckets, it makes room in two steps:
//
//  1. It drops every bucket that has refilled completely. A full bucket
//     allows exactly what a new one would, so dropping it changes nobody's
//     limit.
//  2. Only if that freed fewer than a batch of places (maxKeys/16) does it
//     drop the least recently used buckets until a batch is free.
//
// Making room for a whole batch at once means the sweep over all buckets
// runs at most once every maxKeys/16 new keys, so its cost per event stays
// constant. A bucket is used whenever its key is asked about, allowed or
// not. A key that is still limited is dropped only after at least
// maxKeys - maxKeys/16 other keys, none of them refilled, were used since it
// was last used. To get a fresh bucket for a limited key, an attacker must
// leave that key alone while keeping that many others busy; retrying it
// more often than that only keeps it limited.
//
// A Limiter is safe for concurrent use.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a set of token buckets by key, at most maxKeys of them.
type Limiter struct {
	every   rate.Limit
	burst   int
	maxKeys int
	batch   int

	mu      sync.Mutex
	buckets map[string]*bucket
	lru     bucket // sentinel of the recency list: lru.next is the most recently used
}

// bucket is one key's token bucket and its place in the recency list.
type bucket struct {
	key        string
	lim        *rate.Limiter
	prev, next *bucket
}

// New returns a Limiter whose buckets hold burst tokens and refill at every
// tokens per second, keeping at most maxKeys buckets (at least 1).
func New(every rate.Limit, burst int, maxKeys int) *Limiter {
	maxKeys = max(maxKeys, 1)
	l := &Limiter{
		every:   every,
		burst:   burst,
		maxKeys: maxKeys,
		batch:   max(maxKeys/16, 1),
		buckets: make(map[string]*bucket),
	}
	l.lru.next, l.lru.prev = &l.lru, &l.lru
	return l
}

// Allow reports whether an event for key may happen now, and if so takes a
// token from key's bucket.
func (l *Limiter) Allow(key string) bool { return l.AllowAt(key, time.Now()) }

// AllowAt is Allow at time now.
func (l *Limiter) AllowAt(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if ok {
		l.unlink(b)
	} else {
		if len(l.buckets) >= l.maxKeys {
			l.makeRoom(now)
		}
		b = &bucket{key: key, lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	l.pushFront(b)
	return b.lim.AllowN(now, 1)
}

// Len returns the number of buckets kept.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// makeRoom drops the full buckets, then the least recently used ones until
// at least a batch of places is free.
func (l *Limiter) makeRoom(now time.Time) {
	full := float64(l.burst)
	for b := l.lru.next; b != &l.lru; {
		next := b.next
		if b.lim.TokensAt(now) >= full {
			l.drop(b)
		}
		b = next
	}
	for len(l.buckets) > l.maxKeys-l.batch {
		l.drop(l.lru.prev)
	}
}

func (l *Limiter) drop(b *bucket) {
	l.unlink(b)
	delete(l.buckets, b.key)
}

func (l *Limiter) unlink(b *bucket) {
	b.prev.next, b.next.prev = b.next, b.prev
	b.prev, b.next = nil, nil
}

func (l *Limiter) pushFront(b *bucket) {
	b.prev, b.next = &l.lru, l.lru.next
	l.lru.next.prev = b
	l.lru.next = b
}
