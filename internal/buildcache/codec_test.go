package buildcache

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/content"
)

// fill sets every field of the struct v points to, recursively, to a value
// no other field has, so that a field the codec forgets comes back zero
// (or another field's value) and the round trip below fails. skip names
// fields left zero, by name.
func fill(t *testing.T, v reflect.Value, skip []string, n *int) {
	t.Helper()
	next := func() int { *n++; return *n }
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2024, 7, 27, 9, next(), 0, next(), time.UTC)))
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && !slices.Contains(skip, f.Name) {
				fill(t, v.Field(i), skip, n)
			}
		}
	case reflect.String:
		v.SetString("teks-" + string(rune('a'+next()%26)) + reflect.ValueOf(next()).String())
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(next()))
	case reflect.Uint32, reflect.Uint8, reflect.Uint64:
		v.SetUint(uint64(next()))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Array:
		for i := range v.Len() {
			fill(t, v.Index(i), skip, n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), skip, n)
		}
		v.Set(s)
	case reflect.Map:
		if v.Type() != reflect.TypeOf(map[string]any{}) {
			t.Fatalf("fill: no values for a %s", v.Type())
		}
		v.Set(reflect.ValueOf(map[string]any{"teks": "nilai", "angka": int64(next()), "pecahan": 1.5, "ya": true,
			"tanggal": time.Date(2025, 7, 28, 0, 0, 0, 0, time.UTC), "daftar": []any{"a", int64(next())},
			"tabel": map[string]any{"dalam": "x"}}))
	default:
		t.Fatalf("fill: no values for a %s: teach this test, and the codec, about it", v.Type())
	}
}

// Every field of what the cache keeps comes back as it went in. A field
// added to a page, a render or an output and forgotten in the codec fails
// here; fields the cache deliberately does not keep are named below, with
// why.
func TestCodecKeepsEveryField(t *testing.T) {
	// a page record keeps the page's metadata; its text, its place in the
	// tree and its files are read again (see site.recordOf), and the file's
	// size, time and body hash are the record's own fields; a page with
	// Problems is never kept (site.rememberPages), and Refused is worked
	// out again by every build's check against the theme's schema
	pageNotKept := []string{"Body", "Parent", "Pages", "Prev", "Next", "Resources", "BodyHash", "FileSize", "FileModTime", "Problems", "Refused"}
	n := 0
	var page content.Page
	fill(t, reflect.ValueOf(&page).Elem(), pageNotKept, &n)
	var rec PageRecord
	fill(t, reflect.ValueOf(&rec).Elem(), []string{"Page"}, &n)
	rec.Page = &page
	e := &encoder{}
	if err := encodePageRecord(e, "content/a.md", rec); err != nil {
		t.Fatal(err)
	}
	var gotPage content.Page
	file, gotRec := decodePageRecord(newDecoder(e.b), &gotPage)
	if file != "content/a.md" || gotRec.Size != rec.Size || gotRec.MTime != rec.MTime || gotRec.BodyHash != rec.BodyHash {
		t.Errorf("page record came back as %q %+v", file, gotRec)
	}
	compare(t, "content.Page", page, gotPage)

	var m Markdown
	fill(t, reflect.ValueOf(&m).Elem(), nil, &n)
	e = &encoder{}
	encodeMarkdown(e, Hash{7}, &m)
	key, gotM := decodeMarkdown(newDecoder(e.b), &Markdown{})
	if key != (Hash{7}) {
		t.Errorf("render key %x", key)
	}
	compare(t, "Markdown", m, *gotM)

	var o Output
	fill(t, reflect.ValueOf(&o).Elem(), nil, &n)
	e = &encoder{}
	encodeOutput(e, "a/index.html", &o)
	name, gotO := decodeOutput(newDecoder(e.b), &Output{})
	if name != "a/index.html" {
		t.Errorf("output name %q", name)
	}
	compare(t, "Output", o, *gotO)
}

// compare reports each field of want that differs in got.
func compare(t *testing.T, what string, want, got any) {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := range wv.NumField() {
		f := wv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !same(wv.Field(i).Interface(), gv.Field(i).Interface()) {
			t.Errorf("%s.%s does not survive the cache: wrote %v, read %v", what, f.Name, wv.Field(i).Interface(), gv.Field(i).Interface())
		}
	}
}

// same is reflect.DeepEqual, but times are the same instant in the same
// zone (their *Location may be another value for the same zone).
func same(a, b any) bool {
	switch a := a.(type) {
	case time.Time:
		b, ok := b.(time.Time)
		an, ao := a.Zone()
		bn, bo := b.Zone()
		return ok && a.Equal(b) && an == bn && ao == bo
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if !same(v, b[k]) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !same(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// A front matter value nested deeper than the decoder accepts is refused
// by the encoder (the page is then not stored), and one just within is
// read back.
func TestDeepValuesAreRefusedWhenWritten(t *testing.T) {
	nest := func(n int) any {
		var v any = "dasar"
		for range n {
			v = []any{v}
		}
		return v
	}
	e := &encoder{}
	if err := e.value(nest(maxDepth + 1)); err == nil {
		t.Error("a value nested past the limit was written")
	}
	e = &encoder{}
	if err := e.value(nest(maxDepth)); err != nil {
		t.Fatal(err)
	}
	d := newDecoder(e.b)
	if d.value(0); d.err != nil {
		t.Errorf("a value at the limit does not read back: %v", d.err)
	}
}
