package site

import (
	"path/filepath"
	"sync"

	"github.com/serikat-id/serikat/internal/buildcache"
	"github.com/serikat-id/serikat/internal/publish"
)

// newWriter opens the destination for this build (package publish):
// incremental when the destination is as the last build left it.
func (b *builder) newWriter() (*publish.Writer, error) {
	dest, err := filepath.Abs(b.opts.Dest)
	if err != nil {
		return nil, err
	}
	if b.opts.inMemory {
		return publish.InMemory(), nil
	}
	var prev map[string]buildcache.Written
	if b.session {
		prev, _ = b.cache.Written(dest)
	} else if b.destChecked != nil {
		prev, _ = b.destChecked()
	}
	return publish.Open(dest, prev)
}

// commit commits the build's files and records what the destination now
// holds for the next build.
func (b *builder) commit(w *publish.Writer) (publish.Result, error) {
	res, err := w.Commit()
	if err != nil || w.Memory() != nil {
		return res, err
	}
	if b.session {
		b.cache.SetWritten(w.Dest(), res.Files) // the session's folder goes with it
	} else if err := b.cache.SaveWritten(w.Dest(), res.Files); err != nil {
		b.warnings.Add(err) // costs the next build speed, not correctness
	}
	return res, nil
}

// checkDest starts checking the destination against what the cache says
// the last build wrote there.
func (b *builder) checkDest() {
	b.destChecked = nil
	if b.opts.inMemory || b.session {
		return
	}
	dest, err := filepath.Abs(b.opts.Dest)
	if err != nil {
		return
	}
	done := make(chan map[string]buildcache.Written, 1)
	go func() {
		b.waitCache()
		if b.cache == nil {
			done <- nil
			return
		}
		prev, ok := b.cache.Written(dest)
		if !ok || !publish.Unchanged(dest, prev) {
			prev = nil
		}
		done <- prev
	}()
	b.destChecked = sync.OnceValues(func() (map[string]buildcache.Written, bool) {
		prev := <-done
		return prev, prev != nil
	})
}
