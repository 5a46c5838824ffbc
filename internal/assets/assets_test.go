package assets

import (
	"strings"
	"testing"
)

// Inline styles and scripts repeated on every page are minified once, and
// come out as a fresh minification would: per input and per context.
func TestRepeatedInlineStylesMinifyAlike(t *testing.T) {
	m := NewMinifier()
	page := `<html><head><style>body { color : black ; }  p { margin : 0 0 1rem 0 }</style></head><body><p style="color : red ; margin : 0px">Serikat</p><script>var  jumlah = 651 ;</script></body></html>`
	first, err := m.Bytes(HTML, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := m.Bytes(HTML, []byte(page))
		if err != nil || string(again) != string(first) {
			t.Fatalf("minified again: %s, %v; first: %s", again, err, first)
		}
	}
	for _, want := range []string{"<style>body{color:#000}p{margin:0 0 1rem}</style>", `style=color:red;margin:0`, "<script>var jumlah=651</script>"} {
		if !strings.Contains(string(first), want) {
			t.Errorf("%s lacks %s", first, want)
		}
	}
	// the same text in a style element and in a style attribute is
	// minified in its own context, whichever came first
	decls := "color : red ; margin : 0px"
	element := []byte("<style>" + decls + "</style>")
	attribute := []byte(`<p style="` + decls + `">x</p>`)
	fresh, err := NewMinifier().Bytes(HTML, attribute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Bytes(HTML, element); err != nil {
		t.Fatal(err)
	}
	if after, err := m.Bytes(HTML, attribute); err != nil || string(after) != string(fresh) {
		t.Errorf("attribute after an element: %s, %v; want %s", after, err, fresh)
	}
}
