package inbox

import (
	_ "embed"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/chart"
	"github.com/serikat-id/serikat/internal/join/followup"
)

//go:embed inbox.html
var pageHTML string

var pageTemplate = template.Must(template.New("inbox.html").Funcs(template.FuncMap{
	"label": statusLabel,
}).Parse(pageHTML))

// view is what the page shows.
type view struct {
	Report      *followup.Report
	FedNames    map[string]string
	Federations []fedView
	Channels    []string // every channel among the people, for the filter
	Channel     string   // the filter; "" for all
	Statuses    []join.Status
	Skipped     int
	Conflict    int64 // a signup whose change came second
	BadNote     int64 // a signup whose note was refused
	Gone        bool  // a change to a signup erased meanwhile
	Stale       int
	StaleAfter  int
	// Charts are the weekly charts: everyone's, when there are several
	// federations, then each federation's
	Charts []template.HTML
}

// FedName names a federation.
func (v *view) FedName(id string) string {
	if n := v.FedNames[id]; n != "" {
		return n
	}
	return id
}

type fedView struct {
	ID, Name string
	People   []personView
}

type personView struct {
	*followup.Person
	Note      string
	WhatsApp  template.URL
	Tel       template.URL
	Waiting   int // days since signing up, when stale
	StatusDay string
	Notes     bool // whether a note can be sealed
}

// statusLabel is a status as the page shows it.
func statusLabel(s join.Status) string {
	switch s {
	case join.StatusNew:
		return "Baru"
	case join.StatusContacted:
		return "Dihubungi"
	case join.StatusMet:
		return "Bertemu"
	case join.StatusMember:
		return "Anggota"
	case join.StatusStopped:
		return "Tidak melanjutkan"
	}
	return string(s)
}

// Greeting is the WhatsApp message an organizer starts with.
func Greeting(name, federation string) string {
	return "Halo " + name + ", salam kenal. Saya pengurus " + federation +
		". Terima kasih sudah mendaftar untuk bergabung dengan serikat. Kapan ada waktu untuk ngobrol sebentar, lewat telepon atau bertemu langsung?"
}

func (h *Handler) view(people []*followup.Person, skipped int, q url.Values) (*view, error) {
	today := followup.Today(h.cfg.Now())
	v := &view{Report: followup.Summarize(people, today, h.cfg.Strategies), FedNames: h.cfg.Federations,
		Statuses: join.Statuses, Skipped: skipped, StaleAfter: followup.StaleAfter, Channel: q.Get("kanal"), Gone: q.Get("hilang") != ""}
	v.Conflict, _ = strconv.ParseInt(q.Get("bentrok"), 10, 64)
	v.BadNote, _ = strconv.ParseInt(q.Get("salah"), 10, 64)
	byFed := map[string]int{}
	for _, p := range people {
		channel := p.Channel
		if channel == "" {
			channel = followup.Direct
		}
		if !slices.Contains(v.Channels, channel) {
			v.Channels = append(v.Channels, channel)
		}
		if v.Channel != "" && v.Channel != channel {
			continue
		}
		note, err := followup.Note(h.cfg.Opener, p.History)
		if err != nil {
			return nil, err
		}
		name := v.FedName(p.Federation)
		pv := personView{Person: p, Note: note, Notes: h.sealer(p.Federation) != nil,
			WhatsApp: template.URL("https://wa.me/" + strings.TrimPrefix(p.Signup.Phone, "+") + "?text=" + url.QueryEscape(Greeting(p.Signup.Name, name))),
			Tel:      template.URL("tel:" + p.Signup.Phone)}
		if len(p.History) > 0 {
			pv.StatusDay = p.History[len(p.History)-1].Day
		}
		if p.Stale(today, followup.StaleAfter) {
			pv.Waiting = followup.Days(p.Day, today)
			v.Stale++
		}
		i, ok := byFed[p.Federation]
		if !ok {
			i = len(v.Federations)
			byFed[p.Federation] = i
			v.Federations = append(v.Federations, fedView{ID: p.Federation, Name: name})
		}
		v.Federations[i].People = append(v.Federations[i].People, pv)
	}
	slices.Sort(v.Channels)
	slices.SortFunc(v.Federations, func(a, b fedView) int { return strings.Compare(a.Name, b.Name) })
	v.Charts = charts(people, h.cfg.Targets, today)
	return v, nil
}

// charts draws the weekly charts of people, whatever the channel filter:
// everyone's when they are in several federations, then each federation's,
// by name.
func charts(people []*followup.Person, targets []join.Federation, today string) []template.HTML {
	var ids []string
	for _, p := range people {
		if !slices.Contains(ids, p.Federation) {
			ids = append(ids, p.Federation)
		}
	}
	var cs []chart.Chart
	for _, id := range ids {
		cs = append(cs, chart.For(people, targets, id, today))
	}
	slices.SortFunc(cs, func(a, b chart.Chart) int { return strings.Compare(a.Title, b.Title) })
	if len(ids) > 1 {
		cs = append([]chart.Chart{chart.For(people, targets, "", today)}, cs...)
	}
	var out []template.HTML
	for _, c := range cs {
		// drawn here from numbers and escaped names (package chart escapes
		// every text)
		out = append(out, template.HTML(chart.SVG(c)))
	}
	return out
}
