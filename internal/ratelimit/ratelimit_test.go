package ratelimit

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

var t0 = time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)

func TestLimitsPerKey(t *testing.T) {
	l := New(rate.Every(time.Minute), 2, 100)
	steps := []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", 0, true},
		{"a", 0, false}, // burst spent
		{"b", 0, true},  // another key has its own bucket
		{"b", 0, true},
		{"b", 0, false},
		{"a", 30 * time.Second, false}, // half a token
		{"a", time.Minute, true},       // one token back
		{"a", time.Minute, false},
		{"a", 10 * time.Minute, true}, // refilled to the burst, not beyond
		{"a", 10 * time.Minute, true},
		{"a", 10 * time.Minute, false},
	}
	for i, s := range steps {
		if got := l.AllowAt(s.key, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: AllowAt(%q, +%v) = %v, want %v", i, s.key, s.at, got, s.want)
		}
	}
}

// allower is what both the old and the new limiter offer.
type allower interface {
	AllowAt(key string, now time.Time) bool
}

// clearing is the limiter internal/join had before this package: it forgets
// every key when it has too many.
type clearing struct {
	m       map[string]*rate.Limiter
	every   rate.Limit
	burst   int
	maxKeys int
}

func (c *clearing) AllowAt(key string, now time.Time) bool {
	lim, ok := c.m[key]
	if !ok {
		if len(c.m) >= c.maxKeys {
			clear(c.m)
		}
		lim = rate.NewLimiter(c.every, c.burst)
		c.m[key] = lim
	}
	return lim.AllowN(now, 1)
}

// floodAllows plays an employer testing a phone list: its own key is spent,
// then it posts from maxKeys*3 made-up keys, retrying its own key after
// every ten of them. It returns how many retries were allowed.
func floodAllows(t *testing.T, l allower, burst, maxKeys int, check func()) int {
	t.Helper()
	const target = "203.0.113.9"
	for range burst {
		if !l.AllowAt(target, t0) {
			t.Fatal("target refused before its burst was spent")
		}
	}
	allowed := 0
	for i := range maxKeys * 3 {
		l.AllowAt("fake-"+strconv.Itoa(i), t0)
		if check != nil {
			check()
		}
		if i%10 == 0 && l.AllowAt(target, t0) {
			allowed++
		}
	}
	return allowed
}

func TestFloodDoesNotResetRecentlyUsedKey(t *testing.T) {
	const burst, maxKeys = 5, 1000
	every := rate.Limit(5.0 / 3600) // five an hour

	old := &clearing{m: map[string]*rate.Limiter{}, every: every, burst: burst, maxKeys: maxKeys}
	if n := floodAllows(t, old, burst, maxKeys, nil); n == 0 {
		t.Fatal("the clearing limiter held under a flood; this test proves nothing")
	} else {
		t.Logf("clearing limiter: flood won %d extra tries", n)
	}

	l := New(every, burst, maxKeys)
	check := func() {
		if n := l.Len(); n > maxKeys {
			t.Fatalf("Len = %d > maxKeys %d", n, maxKeys)
		}
	}
	if n := floodAllows(t, l, burst, maxKeys, check); n != 0 {
		t.Errorf("flood won %d extra tries for a limited key", n)
	}
}

// The bound is real: a key left alone while more than maxKeys others are
// used is forgotten.
func TestIdleKeyIsForgottenAfterMaxKeysOthers(t *testing.T) {
	const maxKeys = 64
	l := New(rate.Every(time.Hour), 1, maxKeys)
	l.AllowAt("idle", t0)
	for i := range maxKeys {
		l.AllowAt(strconv.Itoa(i), t0)
	}
	if !l.AllowAt("idle", t0) {
		t.Error("idle key still remembered after maxKeys others were used")
	}
}

func TestFullBucketsAreDroppedFirst(t *testing.T) {
	l := New(rate.Every(time.Minute), 2, 4)
	// c and d spend their bursts; they are full again after two minutes.
	for _, k := range []string{"c", "c", "d", "d"} {
		l.AllowAt(k, t0)
	}
	// a and b, used later, take one token each; full again after a minute.
	l.AllowAt("a", t0.Add(time.Second))
	l.AllowAt("b", t0.Add(time.Second))

	// At +62s a and b are full, c and d are not, and c is the least recently used.
	now := t0.Add(62 * time.Second)
	l.AllowAt("e", now)
	if n := l.Len(); n != 3 {
		t.Errorf("Len = %d, want 3 (c, d, e)", n)
	}
	for _, k := range []string{"c", "d"} {
		// remembered: one token refilled, so one more allowed; forgotten: two
		if !l.AllowAt(k, now) || l.AllowAt(k, now) {
			t.Errorf("%s was forgotten although a and b were full", k)
		}
	}
}

func TestEvictsABatch(t *testing.T) {
	const maxKeys = 160
	l := New(rate.Every(time.Hour), 1, maxKeys)
	for i := range maxKeys {
		l.AllowAt(strconv.Itoa(i), t0)
	}
	l.AllowAt("new", t0)
	if got, want := l.Len(), maxKeys-maxKeys/16+1; got != want {
		t.Errorf("Len = %d after one key past the bound, want %d", got, want)
	}
	// the oldest batch is gone, the newest kept
	if !l.AllowAt("0", t0) {
		t.Error("least recently used key kept")
	}
	if l.AllowAt(strconv.Itoa(maxKeys-1), t0) {
		t.Error("most recently used key forgotten")
	}
}

func TestSmallMaxKeys(t *testing.T) {
	for _, maxKeys := range []int{-1, 0, 1, 2} {
		l := New(rate.Every(time.Hour), 1, maxKeys)
		for i := range 10 {
			l.AllowAt(strconv.Itoa(i), t0)
			if n := l.Len(); n > max(maxKeys, 1) {
				t.Fatalf("maxKeys %d: Len = %d", maxKeys, n)
			}
		}
		if !l.AllowAt("x", t0) || l.AllowAt("x", t0) {
			t.Errorf("maxKeys %d: the last key is not limited", maxKeys)
		}
	}
}

// Many goroutines share keys whose buckets never refill: each key must be
// allowed exactly burst times in total.
func TestConcurrentAllow(t *testing.T) {
	const burst, keys, workers = 5, 50, 8
	l := New(0, burst, keys)
	var allowed [keys]atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range keys * burst * 2 {
				k := (i + w) % keys
				if l.Allow(fmt.Sprint(k)) {
					allowed[k].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for k := range allowed {
		if n := allowed[k].Load(); n != burst {
			t.Errorf("key %d allowed %d times, want %d", k, n, burst)
		}
	}
}

// Eviction under concurrent floods keeps the bound.
func TestConcurrentFlood(t *testing.T) {
	const maxKeys = 100
	l := New(rate.Every(time.Hour), 1, maxKeys)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				l.Allow(fmt.Sprintf("%d-%d", w, i))
				if n := l.Len(); n > maxKeys {
					t.Errorf("Len = %d > %d", n, maxKeys)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkAllow(b *testing.B) {
	every := rate.Limit(10.0 / 60)
	b.Run("one-key", func(b *testing.B) {
		l := New(every, 10, 100_000)
		for b.Loop() {
			l.Allow("198.51.100.7")
		}
	})
	keys := make([]string, 200_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("2001:db8:%x::/64", i)
	}
	b.Run("flood-at-bound", func(b *testing.B) {
		// every key is new and the limiter is full: this pays for the sweeps
		l := New(every, 10, 100_000)
		i := 0
		for b.Loop() {
			l.Allow(keys[i%len(keys)])
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		l := New(every, 10, 100_000)
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			i := int(n.Add(1)) * 7919
			for pb.Next() {
				l.Allow(keys[i%1000])
				i++
			}
		})
	})
}
