// Package diag carries build problems that point at a place in a site: a file,
// and where known a line and column. Serikat reports every problem of a run,
// not only the first, so packages collect them in a List and the command line
// prints one per line as
//
//	content/modul/02-rekrutmen.md:7: front matter: weight must be a number, got "dua"
//
// An Error is an ordinary error; errors.As finds it inside wrapped or joined
// errors, which is how callers recover positions without reading error text.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Error is one problem at a position. Path is slash-separated and relative to
// the site root (for example "content/modul/01-dasar.md"). Line and Column
// are 1-based; zero means unknown.
type Error struct {
	Path   string
	Line   int
	Column int
	Msg    string
	Err    error // the underlying cause, if any; not printed beyond Msg
}

// Errorf returns an *Error at path:line with a formatted message.
func Errorf(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// List collects problems from many goroutines. The zero value is ready to use.
type List struct {
	mu   sync.Mutex
	errs []error
}

// Add records err; a nil err is ignored. Errors that are themselves joined
// (errors.Join) are flattened so each is reported on its own line.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, Flatten(err)...)
}

// Addf records a new *Error.
func (l *List) Addf(path string, line int, format string, args ...any) {
	l.Add(Errorf(path, line, format, args...))
}

// Len reports how many problems were recorded.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

// Err returns nil when nothing was recorded, and otherwise every problem,
// sorted by path and line and without exact duplicates, joined into one error
// whose message has one problem per line.
func (l *List) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) == 0 {
		return nil
	}
	errs := slices.Clone(l.errs)
	slices.SortStableFunc(errs, compare)
	errs = slices.CompactFunc(errs, func(a, b error) bool { return a.Error() == b.Error() })
	return errors.Join(errs...)
}

// Flatten returns the leaves of err: joined errors are split, anything else
// is returned as it is.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func compare(a, b error) int {
	var pa, pb *Error
	okA, okB := errors.As(a, &pa), errors.As(b, &pb)
	switch {
	case okA && okB:
		return cmp.Or(strings.Compare(pa.Path, pb.Path), cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column))
	case okA:
		return -1
	case okB:
		return 1
	}
	return 0
}

// LineAt returns the 1-based line number of byte offset off in src.
func LineAt(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	n := 1
	for _, c := range src[:off] {
		if c == '\n' {
			n++
		}
	}
	return n
}
