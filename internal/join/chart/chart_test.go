package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/serikat-id/serikat/internal/join/followup"
)

// node is any SVG element, parsed back.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) float(t *testing.T, name string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return f
}

// all returns the elements named name with the given class ("" for any).
func (n node) all(name, class string) []node {
	var out []node
	if n.XMLName.Local == name && (class == "" || n.attr("class") == class) {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(name, class)...)
	}
	return out
}

func parse(t *testing.T, svg []byte) node {
	t.Helper()
	var root node
	if err := xml.Unmarshal(svg, &root); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, svg)
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is %v", root.XMLName)
	}
	return root
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func TestSVG(t *testing.T) {
	// followup's fixture, by week: 5 signups and 1 member, then 1 and 1,
	// then nothing; a target of 20 by Thursday 31 December, in the fifth
	// week from the first
	c := Chart{ID: "f-a", Title: "F Contoh", Target: 20, Deadline: "2026-12-31", Weeks: []followup.Week{
		{Start: "2026-11-30", Signups: 5, Members: 1}, {Start: "2026-12-07", Signups: 1, Members: 1}, {Start: "2026-12-14"}}}
	root := parse(t, SVG(c))

	if got := root.attr("aria-labelledby"); got != "f-a-t f-a-d" {
		t.Errorf("aria-labelledby = %q", got)
	}
	if root.attr("role") != "img" {
		t.Errorf("role = %q, want img", root.attr("role"))
	}
	titles := root.all("title", "")
	if len(titles) == 0 || titles[0].Text != "F Contoh: pendaftar dan anggota per minggu" {
		t.Errorf("title = %+v", titles)
	}
	desc := root.all("desc", "")
	if len(desc) != 1 || !strings.Contains(desc[0].Text, "Sampai minggu 14 Des 2026: 6 pendaftar, 2 anggota. Target 20 sampai 31 Des 2026.") {
		t.Errorf("desc = %+v", desc)
	}

	// the scale is the target, 20, over 178 units; five weeks of 68.8 units
	// across 344, each bar 0.4 of a week wide, after a tenth of it
	const plotH, slot, bottomY = 178.0, 68.8, 230.0
	for _, k := range []struct {
		class  string
		values []int
		offset float64
	}{{"pendaftar", []int{5, 6, 6}, 0.1}, {"anggota", []int{1, 2, 2}, 0.5}} {
		bars := root.all("rect", k.class)
		if len(bars) != 3 {
			t.Fatalf("%d %s bars, want 3", len(bars), k.class)
		}
		for i, bar := range bars {
			v := k.values[i]
			if got := bar.attr("data-value"); got != strconv.Itoa(v) {
				t.Errorf("%s week %d: data-value %s, want %d", k.class, i, got, v)
			}
			h := float64(v) * plotH / 20
			if got := bar.float(t, "height"); !near(got, h) {
				t.Errorf("%s week %d: height %v, want %v", k.class, i, got, h)
			}
			if got := bar.float(t, "y"); !near(got, bottomY-h) {
				t.Errorf("%s week %d: y %v, want %v", k.class, i, got, bottomY-h)
			}
			if got, want := bar.float(t, "x"), 44+float64(i)*slot+k.offset*slot; !near(got, want) {
				t.Errorf("%s week %d: x %v, want %v", k.class, i, got, want)
			}
		}
	}
	if got := root.all("rect", "pendaftar")[1].attr("data-week"); got != "2026-12-07" {
		t.Errorf("second week = %s", got)
	}
	if got := root.all("rect", "anggota")[1].Nodes[0].Text; got != "Minggu 7 Des 2026: 6 pendaftar (1 baru), 2 anggota (1 baru)" {
		t.Errorf("bar title = %q", got)
	}

	target := root.all("line", "target")
	if len(target) != 1 || target[0].float(t, "y1") != bottomY-plotH {
		t.Errorf("target line = %+v, want one at y %v", target, bottomY-plotH)
	}
	// the deadline's week is the fifth: its end is the plot's right edge
	deadline := root.all("line", "deadline")
	if len(deadline) != 1 || deadline[0].float(t, "x1") != 388 {
		t.Errorf("deadline line = %+v, want one at x 388", deadline)
	}
	pace := root.all("line", "pace")
	if len(pace) != 1 || pace[0].float(t, "x2") != 388 || pace[0].float(t, "y2") != bottomY-plotH || pace[0].float(t, "y1") != bottomY {
		t.Errorf("pace line = %+v", pace)
	}
}

func TestSVGWithoutDeadline(t *testing.T) {
	c := Chart{Target: 10, Weeks: []followup.Week{{Start: "2026-11-30", Signups: 12, Members: 3}}}
	root := parse(t, SVG(c))
	if n := len(root.all("line", "deadline")) + len(root.all("line", "pace")); n != 0 {
		t.Errorf("%d deadline or pace lines without a deadline", n)
	}
	// more signups than the target: the scale is 12
	target := root.all("line", "target")
	if len(target) != 1 || !near(target[0].float(t, "y1"), 230-10*178/12.0) {
		t.Errorf("target line = %+v", target)
	}
	if h := root.all("rect", "pendaftar")[0].float(t, "height"); h != 178 {
		t.Errorf("the tallest bar is %v high, want the plot's 178", h)
	}
}

func TestSVGEmpty(t *testing.T) {
	for _, c := range []Chart{{}, {Target: 651, Deadline: "2027-06-30"}} {
		svg := SVG(c)
		root := parse(t, svg)
		if n := len(root.all("rect", "pendaftar")); n != 0 {
			t.Errorf("%d bars for no weeks", n)
		}
		if s := string(svg); strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
			t.Errorf("a division by zero:\n%s", s)
		}
		if !strings.Contains(string(svg), "Belum ada pendaftaran") {
			t.Errorf("the empty chart does not say so:\n%s", svg)
		}
	}
}

func TestSVGEscapes(t *testing.T) {
	svg := SVG(Chart{Title: `F <Serikat> & "Kawan"`})
	parse(t, svg)
	if strings.Contains(string(svg), "<Serikat>") {
		t.Errorf("the title is not escaped:\n%s", svg)
	}
}
