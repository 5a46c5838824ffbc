// Package chart draws a federation's progress as SVG, by hand: no
// library, no script, no font or style sheet from anywhere, so that it
// shows the same inline in the inbox page (under its strict
// Content-Security-Policy: presentation attributes only, no style
// attribute) and as a file attached to a report.
//
// # What it shows
//
// One bar pair a week, from the week of the first signup: how many people
// have signed up by the end of that week (blue), and how many of them are
// members (red), both counted from the start, against the target: a
// dashed line at the target and, when the deadline is known, a line of
// the pace that reaches it (from none in the first week to the target in
// the deadline's week), with the deadline marked. Without a deadline the
// target line is drawn alone. Weeks up to the deadline that have not come
// yet are left empty, so the chart shows how far there is to go.
//
// # Reading it without seeing it
//
// The SVG has role="img", a title and a description (aria-labelledby
// both) that say the same in words: the target, the deadline and where
// the counts stand. Each bar carries a title that a screen reader or a
// long press reads (its week and both counts), and its numbers in
// data-week and data-value. Text is in Bahasa Indonesia, dark on white;
// the blue (#1f4e9a) and red (#a4161a) have more than 7:1 against white.
package chart

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"time"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/followup"
)

// Chart is what to draw.
type Chart struct {
	// ID makes the ids inside unique where several charts share a page:
	// letters, digits and dashes.
	ID       string
	Title    string // e.g. the federation's name
	Weeks    []followup.Week
	Target   int    // 0 for none
	Deadline string // YYYY-MM-DD; "" when unknown
}

// The drawing's size, in its own units: it scales to the width it is
// given (width="100%"), and 400 units make 13-unit text about 12 pixels
// tall on a phone 360 pixels wide.
const (
	width, height = 400, 270
	left, right   = 44, 12
	top, bottom   = 52, 40
	plotW         = width - left - right
	plotH         = height - top - bottom
	fontSize      = 13
)

// Colours, each with more than 4.5:1 against white.
const (
	ink          = "#1b1b1b"
	muted        = "#595959"
	signupColour = "#1f4e9a"
	memberColour = "#a4161a"
	gridColour   = "#d0d0d0"
)

// SVG draws c.
func SVG(c Chart) []byte {
	var b bytes.Buffer
	id := c.ID
	if id == "" {
		id = "grafik"
	}
	slots := len(c.Weeks)
	deadlineSlot := -1
	if c.Deadline != "" && len(c.Weeks) > 0 {
		if n := weeksBetween(c.Weeks[0].Start, followup.WeekOf(c.Deadline)); n >= 0 {
			deadlineSlot = n
			slots = max(slots, n+1)
		}
	}
	signups, members := cumulative(c.Weeks)
	scale := c.Target
	if n := len(signups); n > 0 {
		scale = max(scale, signups[n-1], members[n-1])
	}
	scale = max(scale, 1) // nothing yet: an axis from 0 to 1, never a division by 0
	yOf := func(v int) float64 { return height - bottom - float64(v)*plotH/float64(scale) }
	slot := float64(plotW)
	if slots > 0 {
		slot = float64(plotW) / float64(slots)
	}
	xOf := func(i int) float64 { return left + float64(i)*slot }

	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart" font-family="system-ui, sans-serif" font-size="%d">`+"\n",
		width, height, id, id, fontSize)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title>`+"\n", id, esc(title(c)))
	fmt.Fprintf(&b, `<desc id="%s-d">%s</desc>`+"\n", id, esc(describe(c, signups, members)))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="18" font-weight="bold" fill="%s">%s</text>`+"\n", left-36, ink, esc(title(c)))
	// the legend
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="12" fill="%s"/><text x="%d" y="39" fill="%s">Pendaftar</text>`+"\n", left-36, signupColour, left-20, ink)
	fmt.Fprintf(&b, `<rect x="%d" y="28" width="12" height="12" fill="%s"/><text x="%d" y="39" fill="%s">Anggota</text>`+"\n", left+60, memberColour, left+76, ink)
	if c.Target > 0 {
		fmt.Fprintf(&b, `<line x1="%d" y1="34" x2="%d" y2="34" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/><text x="%d" y="39" fill="%s">Target</text>`+"\n",
			left+148, left+172, ink, left+178, ink)
	}
	// the grid: 0, half and the top
	for _, v := range []int{0, scale / 2, scale} {
		if v == scale/2 && (scale < 4 || v == 0) {
			continue
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="1"/>`, left, num(yOf(v)), width-right, num(yOf(v)), gridColour)
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="%s">%d</text>`+"\n", left-4, num(yOf(v)+4), muted, v)
	}
	if len(c.Weeks) == 0 {
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">Belum ada pendaftaran</text>`+"\n", num(left+plotW/2.0), num(top+plotH/2.0), muted)
	}
	// the bars
	barW := slot * 0.4
	for i, w := range c.Weeks {
		for k, bar := range []struct {
			kind, colour string
			v            int
		}{{"pendaftar", signupColour, signups[i]}, {"anggota", memberColour, members[i]}} {
			x := xOf(i) + slot*0.1 + float64(k)*barW
			fmt.Fprintf(&b, `<rect class="%s" data-week="%s" data-value="%d" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`+"\n",
				bar.kind, w.Start, bar.v, num(x), num(yOf(bar.v)), num(barW), num(float64(bar.v)*plotH/float64(scale)), bar.colour,
				esc(fmt.Sprintf("Minggu %s: %d pendaftar (%d baru), %d anggota (%d baru)", day(w.Start), signups[i], w.Signups, members[i], w.Members)))
		}
	}
	// the target and the pace to the deadline
	if c.Target > 0 {
		fmt.Fprintf(&b, `<line class="target" data-value="%d" x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`+"\n",
			c.Target, left, num(yOf(c.Target)), width-right, num(yOf(c.Target)), ink)
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="%s">Target %d</text>`+"\n", width-right, num(yOf(c.Target)-5), ink, c.Target)
		if deadlineSlot >= 0 {
			xd := xOf(deadlineSlot + 1)
			fmt.Fprintf(&b, `<line class="pace" x1="%d" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5"/>`+"\n",
				left, num(yOf(0)), num(xd), num(yOf(c.Target)), muted)
		}
	}
	if deadlineSlot >= 0 {
		xd := xOf(deadlineSlot + 1)
		fmt.Fprintf(&b, `<line class="deadline" data-day="%s" x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s" stroke-width="1.5"/>`+"\n",
			c.Deadline, num(xd), top, num(xd), height-bottom, ink)
	}
	// the weeks' axis: the first week and the last, or the deadline
	if len(c.Weeks) > 0 {
		ly := height - bottom + 18
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", left, ly, muted, esc(day(c.Weeks[0].Start)))
		if deadlineSlot >= 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="%s">Tenggat %s</text>`+"\n", width-right, ly+16, ink, esc(day(c.Deadline)))
		} else if n := len(c.Weeks); n > 1 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>`+"\n", width-right, ly, muted, esc(day(c.Weeks[n-1].Start)))
		}
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// title is the chart's title.
func title(c Chart) string {
	if c.Title == "" {
		return "Pendaftar dan anggota per minggu"
	}
	return c.Title + ": pendaftar dan anggota per minggu"
}

// describe says in words what the chart shows.
func describe(c Chart, signups, members []int) string {
	s := "Jumlah pendaftar dan anggota sejak awal, per minggu."
	if n := len(signups); n > 0 {
		s += fmt.Sprintf(" Sampai minggu %s: %d pendaftar, %d anggota.", day(c.Weeks[n-1].Start), signups[n-1], members[n-1])
	} else {
		s += " Belum ada pendaftaran."
	}
	if c.Target > 0 {
		s += fmt.Sprintf(" Target %d", c.Target)
		if c.Deadline != "" {
			s += " sampai " + day(c.Deadline)
		}
		s += "."
	}
	return s
}

func cumulative(weeks []followup.Week) (signups, members []int) {
	s, m := 0, 0
	for _, w := range weeks {
		s += w.Signups
		m += w.Members
		signups = append(signups, s)
		members = append(members, m)
	}
	return signups, members
}

// weeksBetween is how many weeks from Monday a to Monday b; -1 when b is
// before a or either is not a date.
func weeksBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil || tb.Before(ta) {
		return -1
	}
	return int(tb.Sub(ta).Hours()/24) / 7
}

// months are the months' names in Bahasa Indonesia, shortened.
var months = [...]string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}

// day writes YYYY-MM-DD as 2 Des 2026.
func day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// num writes a coordinate with at most two decimals.
func num(f float64) string { return strconv.FormatFloat(float64(int64(f*100+0.5))/100, 'f', -1, 64) }

func esc(s string) string { return html.EscapeString(s) }

// For is the chart of people (see followup.Load) in one federation, or
// in all of them together when federation is "", up to today
// (YYYY-MM-DD). feds give the targets and deadlines: together, the
// targets of the federations among people add up, and the deadline is
// the latest of theirs (none when none has one).
func For(people []*followup.Person, feds []join.Federation, federation, today string) Chart {
	c := Chart{ID: "grafik-" + federation, Weeks: followup.Weekly(people, federation, today)}
	if federation == "" {
		c.ID = "grafik"
	}
	among := map[string]bool{}
	for _, p := range people {
		among[p.Federation] = true
	}
	for _, f := range feds {
		if federation != "" && f.ID != federation || federation == "" && !among[f.ID] {
			continue
		}
		if federation != "" {
			c.Title = f.Name
		}
		c.Target += f.Target
		if f.Deadline > c.Deadline {
			c.Deadline = f.Deadline
		}
	}
	if federation != "" && c.Title == "" {
		c.Title = federation
	}
	return c
}
