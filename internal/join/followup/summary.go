package followup

import (
	"math"
	"slices"
	"sort"

	"github.com/serikat-id/serikat/internal/join"
)

// DefaultStrategies maps the default channels, and the two that talks and
// advocacy name, to the training's four recruitment strategies. A site
// replaces it with [join.strategies] in serikat.toml.
var DefaultStrategies = map[string]string{
	"whatsapp":    StrategyVideo,
	"telegram":    StrategyVideo,
	"facebook":    StrategyVideo,
	"x":           StrategyVideo,
	"bagikan":     StrategyVideo, // the phone's own share sheet
	"video":       StrategyVideo,
	"salin":       StrategyVideo,
	"poster":      "Poster dan tulisan",
	"advokasi":    "Advokasi dari bawah",
	"perundingan": "Perundingan dari atas",
}

// StrategyVideo is the strategy of short videos shared on social media.
const StrategyVideo = "Video media sosial"

// Direct is the channel and strategy of signups that came with no source.
const Direct = "(langsung)"

// Row is the follow-up of one group of people: a federation, a strategy,
// a channel, or all of them.
type Row struct {
	Key       string `json:"key"`
	Signups   int    `json:"signups"`
	Contacted int    `json:"contacted"`
	Met       int    `json:"met"`
	Members   int    `json:"members"`
	Stale     int    `json:"stale"`
	// the conversions, in percent: contacted of signups, met of contacted,
	// members of met, and members of signups
	ContactedRate float64 `json:"contacted_rate"`
	MetRate       float64 `json:"met_rate"`
	MemberRate    float64 `json:"member_rate"`
	OverallRate   float64 `json:"overall_rate"`
	// MedianDays from the first signup to becoming a member; nil with no
	// member
	MedianDays *float64 `json:"median_days_to_member"`
	toMember   []int
}

// Report is Summarize's answer.
type Report struct {
	Today       string `json:"today"`
	Total       *Row   `json:"total"`
	Federations []*Row `json:"federations"`
	Strategies  []*Row `json:"strategies"`
	Channels    []*Row `json:"channels"`
}

// Summarize counts people's follow-up on today (YYYY-MM-DD). strategies
// maps a channel to its strategy (DefaultStrategies when nil); a channel
// it does not name counts under join.OtherChannel.
func Summarize(people []*Person, today string, strategies map[string]string) *Report {
	if strategies == nil {
		strategies = DefaultStrategies
	}
	total := &Row{Key: "total"}
	feds, strats, chans := map[string]*Row{}, map[string]*Row{}, map[string]*Row{}
	for _, p := range people {
		channel, strategy := p.Channel, Direct
		if channel == "" {
			channel = Direct
		} else if s, ok := strategies[channel]; ok {
			strategy = s
		} else {
			strategy = join.OtherChannel
		}
		for _, r := range []*Row{total, row(feds, p.Federation), row(strats, strategy), row(chans, channel)} {
			r.add(p, today)
		}
	}
	rep := &Report{Today: today, Total: total.finish()}
	for _, m := range []struct {
		rows map[string]*Row
		to   *[]*Row
	}{{feds, &rep.Federations}, {strats, &rep.Strategies}, {chans, &rep.Channels}} {
		*m.to = []*Row{}
		for _, k := range sortedKeys(m.rows) {
			*m.to = append(*m.to, m.rows[k].finish())
		}
	}
	return rep
}

func row(m map[string]*Row, key string) *Row {
	r, ok := m[key]
	if !ok {
		r = &Row{Key: key}
		m[key] = r
	}
	return r
}

func sortedKeys(m map[string]*Row) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (r *Row) add(p *Person, today string) {
	r.Signups++
	h := p.History
	if _, ok := h.Reached(join.StatusContacted); ok {
		r.Contacted++
	}
	if _, ok := h.Reached(join.StatusMet); ok {
		r.Met++
	}
	if day, ok := h.Reached(join.StatusMember); ok && h.Current() == join.StatusMember {
		r.Members++
		r.toMember = append(r.toMember, Days(p.Day, day))
	}
	if p.Stale(today, StaleAfter) {
		r.Stale++
	}
}

func (r *Row) finish() *Row {
	r.ContactedRate = percent(r.Contacted, r.Signups)
	r.MetRate = percent(r.Met, r.Contacted)
	r.MemberRate = percent(r.Members, r.Met)
	r.OverallRate = percent(r.Members, r.Signups)
	if n := len(r.toMember); n > 0 {
		slices.Sort(r.toMember)
		m := float64(r.toMember[n/2])
		if n%2 == 0 {
			m = float64(r.toMember[n/2-1]+r.toMember[n/2]) / 2
		}
		r.MedianDays = &m
	}
	return r
}

// percent is part of whole in percent, to one decimal; 0 of nothing.
func percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(1000*float64(part)/float64(whole)) / 10
}
