// Package diag carries build problems that point at a place in a site: a file,
// and where known a line and column. Serikat reports every problem of a run,
// not only the first, so packages collect them in a List and the command line
// prints one per line as
//
//	content/modul/02-rekrutmen.md:7: front matter: weight must be a number, got "dua"
//
// An Error is an ordinary error; errors.As finds it inside wrapped or joined
// errors, which is how callers recover positions without reading error text.
//
// A problem a site's writers can cause is made with New or Warn from a
// message of the catalogue (package msg), and printed with In, in the
// language of whoever reads it; Error always gives the English.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/serikat-id/serikat/internal/msg"
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
	// Text is Msg as a message of the catalogue, when it is one.
	Text *msg.Text
	// Warning marks a problem that does not stop the site being published.
	Warning bool
}

// Errorf returns an *Error at path:line with a formatted message.
func Errorf(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// New returns an *Error at path:line with the catalogue's message key.
func New(path string, line int, key msg.Key, args ...any) *Error {
	return At(path, line, msg.New(key, args...))
}

// Warn is New for a warning.
func Warn(path string, line int, key msg.Key, args ...any) *Error {
	e := New(path, line, key, args...)
	e.Warning = true
	return e
}

// At returns an *Error at path:line for err; when err is a msg.Text, or
// wraps one, the Error can be worded in other languages.
func At(path string, line int, err error) *Error {
	e := &Error{Path: path, Line: line, Msg: err.Error(), Err: err}
	var t msg.Text
	if errors.As(err, &t) && t.Error() == e.Msg {
		e.Text = &t
	}
	return e
}

func (e *Error) Error() string { return e.In(msg.English) }

// In returns the problem as path:line: message, the message in lang when
// it is one of the catalogue's.
func (e *Error) In(lang msg.Lang) string {
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
	if e.Text != nil {
		b.WriteString(e.Text.In(lang))
	} else {
		b.WriteString(e.Msg)
	}
	return b.String()
}

// In words any error in lang: problems as *Error.In, anything else as it is.
func In(err error, lang msg.Lang) string {
	var e *Error
	if errors.As(err, &e) && e.Error() == err.Error() {
		return e.In(lang)
	}
	return err.Error()
}

// IsWarning reports whether err is a warning (*Error with Warning set).
func IsWarning(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Warning
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

// AddSplit records the problems of err that are not warnings in l, and
// its warnings in warnings.
func (l *List) AddSplit(err error, warnings *List) {
	for _, e := range Flatten(err) {
		if IsWarning(e) {
			warnings.Add(e)
		} else {
			l.Add(e)
		}
	}
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
