package buildcache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
	"unsafe"
)

// The cache files are written with a small binary encoding of varints and
// length-prefixed strings. It is several times faster to read than gob,
// and a warm build of a large site spends a real share of its time reading
// the cache.

var errCorrupt = errors.New("build cache: corrupt file")

type encoder struct{ b []byte }

func (e *encoder) uvarint(u uint64) { e.b = binary.AppendUvarint(e.b, u) }
func (e *encoder) varint(i int64)   { e.b = binary.AppendVarint(e.b, i) }
func (e *encoder) int(i int)        { e.varint(int64(i)) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) raw(b []byte)     { e.b = append(e.b, b...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.bool(false)
		return
	}
	e.bool(true)
	_, offset := t.Zone()
	e.varint(t.UnixNano())
	e.varint(int64(offset))
	name, _ := t.Zone()
	e.str(name)
}

// Value tags for front matter values.
const (
	tagNil byte = iota
	tagString
	tagBool
	tagInt
	tagFloat
	tagTime
	tagList
	tagMap
)

// maxDepth is how deeply front matter values may nest in the cache; a
// page with deeper ones is not stored (and parsed again each build), so
// that the decoder, which refuses deeper ones as damage, never meets one.
const maxDepth = 64

func (e *encoder) value(v any) error { return e.valueAt(v, 0) }

func (e *encoder) valueAt(v any, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("build cache: a value nested more than %d deep", maxDepth)
	}
	switch v := v.(type) {
	case nil:
		e.b = append(e.b, tagNil)
	case string:
		e.b = append(e.b, tagString)
		e.str(v)
	case bool:
		e.b = append(e.b, tagBool)
		e.bool(v)
	case int64:
		e.b = append(e.b, tagInt)
		e.varint(v)
	case float64:
		e.b = append(e.b, tagFloat)
		e.uvarint(math.Float64bits(v))
	case time.Time:
		e.b = append(e.b, tagTime)
		e.time(v)
	case []any:
		e.b = append(e.b, tagList)
		e.uvarint(uint64(len(v)))
		for _, x := range v {
			if err := e.valueAt(x, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		e.b = append(e.b, tagMap)
		e.uvarint(uint64(len(v)))
		for k, x := range v {
			e.str(k)
			if err := e.valueAt(x, depth+1); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("build cache: cannot store a value of type %T", v)
	}
	return nil
}

type decoder struct {
	b   []byte
	s   string // the same bytes as one string, so str can return substrings
	err error
	// zones holds the locations decoded so far: ten thousand pages' dates
	// share a handful of zones, and each FixedZone is an allocation
	zones map[zone]*time.Location
}

type zone struct {
	name   string
	offset int64
}

// newDecoder decodes data, which it takes ownership of: nothing may change
// data afterwards. Strings it returns are pieces of data itself, not
// copies; ten thousand pages' worth of small string allocations, or one
// copy of a file of many megabytes, cost more than the decoding.
func newDecoder(data []byte) *decoder {
	if len(data) == 0 {
		return &decoder{}
	}
	return &decoder{b: data, s: unsafe.String(&data[0], len(data))}
}

func (d *decoder) fail() { d.err, d.b = errCorrupt, nil }

func (d *decoder) uvarint() uint64 {
	u, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return u
}

func (d *decoder) varint() int64 {
	i, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return i
}

func (d *decoder) int() int { return int(d.varint()) }

// count reads a length and checks it against what is left, so a damaged
// file cannot make the reader allocate gigabytes.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) rawN(n int) []byte {
	if n > len(d.b) {
		d.fail()
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) str() string {
	n := d.count()
	start := len(d.s) - len(d.b)
	if d.rawN(n) == nil && n > 0 {
		return ""
	}
	return d.s[start : start+n]
}

func (d *decoder) bool() bool {
	b := d.rawN(1)
	return len(b) == 1 && b[0] == 1
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	if !d.bool() {
		return time.Time{}
	}
	nanos, offset, name := d.varint(), d.varint(), d.str()
	z := zone{name, offset}
	loc, ok := d.zones[z]
	if !ok {
		if d.zones == nil {
			d.zones = map[zone]*time.Location{}
		}
		loc = time.FixedZone(name, int(offset))
		d.zones[z] = loc
	}
	return time.Unix(0, nanos).In(loc)
}

func (d *decoder) value(depth int) any {
	if depth > maxDepth {
		d.fail()
		return nil
	}
	tag := d.rawN(1)
	if len(tag) == 0 {
		return nil
	}
	switch tag[0] {
	case tagNil:
		return nil
	case tagString:
		return d.str()
	case tagBool:
		return d.bool()
	case tagInt:
		return d.varint()
	case tagFloat:
		return math.Float64frombits(d.uvarint())
	case tagTime:
		return d.time()
	case tagList:
		n := d.count()
		out := make([]any, n)
		for i := range out {
			out[i] = d.value(depth + 1)
		}
		return out
	case tagMap:
		n := d.count()
		out := make(map[string]any, n)
		for range n {
			k := d.str()
			out[k] = d.value(depth + 1)
		}
		return out
	}
	d.fail()
	return nil
}

func (d *decoder) hash(dst []byte) { copy(dst, d.rawN(len(dst))) }
