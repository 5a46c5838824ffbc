package site

import (
	"html/template"
	"sync"

	"github.com/serikat-id/serikat/internal/buildcache"
)

// fragments remembers, for one round of rendering, the output of each
// template fragment that reads only the site (see layout's "Fragments
// shared by every page") and what that output read. The first page to
// reach a fragment runs it; every page that shows it records one
// dependency on it (buildcache.DepFragment), whose value is the hash of
// everything the fragment read. The cache keeps each fragment's reads once
// (Cache.Fragment), so a later build checks a page's menu of 30 sections
// as one dependency instead of 60, and stores it once instead of on every
// page.
type fragments struct {
	mu   sync.Mutex
	done map[fragmentKey]*fragment
	// now is what each fragment recorded by the last build is worth in
	// this one, computed once (see fragmentValueNow)
	now sync.Map // id → depNow
}

// fragmentKey names one output of a fragment: a site-only fragment has one
// per build, a range's body one per element it lists.
type fragmentKey struct {
	id      string
	element *page
}

type fragment struct {
	once  sync.Once
	html  template.HTML
	err   error
	deps  []buildcache.Dep
	value [16]byte
	ran   bool
}

// depNow is what a dependency recorded by the last build is worth in this
// one; ok false when what it named is gone.
type depNow struct {
	value [16]byte
	ok    bool
}

// resetFragments starts a round of rendering: nothing run before counts.
func (b *builder) resetFragments() {
	b.fragments = &fragments{done: map[fragmentKey]*fragment{}}
}

func fragmentDep(id string) buildcache.DepKey {
	return buildcache.DepKey{Kind: buildcache.DepFragment, Name: id}
}

// fragment is layout.Options.Fragment.
func (b *builder) fragment(id string, shared bool, data any, render func(any) (template.HTML, error)) (template.HTML, error) {
	v, ok := data.(Page)
	m := b.fragments
	if !ok || m == nil {
		return render(data)
	}
	key := fragmentKey{id: id}
	if !shared {
		key.element = v.p
	}
	m.mu.Lock()
	f := m.done[key]
	if f == nil {
		f = &fragment{}
		m.done[key] = f
	}
	m.mu.Unlock()
	f.once.Do(func() {
		own := &run{b: b}
		f.html, f.err = render(Page{p: v.p, r: own})
		f.deps = own.sortedDeps()
		if shared {
			f.value = fragmentValue(f.deps)
		}
		f.ran = true
	})
	if shared {
		v.r.dep(fragmentDep(id), f.value)
	} else {
		// what one listed page shows of itself: its own few dependencies
		for _, d := range f.deps {
			v.r.dep(d.DepKey, d.Value)
		}
	}
	return f.html, f.err
}

// fragmentValue is a fragment dependency's value: the hash of what the
// fragment read, each with its value.
func fragmentValue(deps []buildcache.Dep) [16]byte {
	parts := make([]string, 0, 6*len(deps))
	for _, d := range deps {
		parts = append(parts, string(rune(d.Kind)), d.Page, d.Name, d.Lookup.Kind+"\x00"+d.Lookup.Type+"\x00"+d.Lookup.Layout, string(d.Value[:]))
	}
	return shortHash(parts...)
}

// fragmentValueNow is what the fragment id, as the last build recorded it,
// is worth now; false when something it read is gone.
func (b *builder) fragmentValueNow(id string) ([16]byte, bool) {
	m := b.fragments
	if m == nil {
		b.resetFragments()
		m = b.fragments
	}
	if now, ok := m.now.Load(id); ok {
		return now.(depNow).value, now.(depNow).ok
	}
	var now depNow
	if rec, ok := b.cache.Fragment(id); ok {
		deps := make([]buildcache.Dep, len(rec.Deps))
		now.ok = true
		for i, d := range rec.Deps {
			v, ok := b.depValue(d.DepKey)
			if !ok {
				now.ok = false
				break
			}
			deps[i] = buildcache.Dep{DepKey: d.DepKey, Value: v}
		}
		if now.ok {
			now.value = fragmentValue(deps)
		}
	}
	m.now.Store(id, now)
	return now.value, now.ok
}

// fragmentRecords are the fragments the outputs show, with what each read:
// as this build ran it, or else as the cache has it. A text edit (all
// false) keeps every record the cache has rather than look through every
// output for the ones still shown; the next full build drops the rest.
func (b *builder) fragmentRecords(outputs map[string]*buildcache.Output, all bool) map[string]*buildcache.Output {
	recs := map[string]*buildcache.Output{}
	keep := func(id string) {
		if recs[id] != nil {
			return
		}
		if f := b.ranFragment(id); f != nil {
			recs[id] = &buildcache.Output{Deps: f.deps}
		} else if rec, ok := b.cache.Fragment(id); ok {
			recs[id] = rec
		}
	}
	if !all {
		for _, id := range b.cache.FragmentIDs() {
			keep(id)
		}
		if b.fragments != nil {
			b.fragments.mu.Lock()
			var ids []string
			for k := range b.fragments.done {
				if k.element == nil {
					ids = append(ids, k.id)
				}
			}
			b.fragments.mu.Unlock()
			for _, id := range ids {
				keep(id)
			}
		}
		return recs
	}
	for _, o := range outputs {
		for _, d := range o.Deps {
			if d.Kind == buildcache.DepFragment {
				keep(d.Name)
			}
		}
	}
	return recs
}

// ranFragment is the fragment id as this build ran it, or nil.
func (b *builder) ranFragment(id string) *fragment {
	if b.fragments == nil {
		return nil
	}
	b.fragments.mu.Lock()
	f := b.fragments.done[fragmentKey{id: id}]
	b.fragments.mu.Unlock()
	if f == nil || !f.ran {
		return nil
	}
	return f
}
