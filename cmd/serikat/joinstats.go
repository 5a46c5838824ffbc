package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/chart"
	"github.com/serikat-id/serikat/internal/join/followup"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/sitefs"
)

// parseDays reads a number of days written as 3d (or 3).
func parseDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("--stale %q: want a number of days such as 3d", s)
	}
	return n, nil
}

// staleCounts counts, per federation, the signups still new after days
// (no status yet, signed up that many days ago or more), opening nothing:
// a person who signed up again counts once for each signup.
func staleCounts(ctx context.Context, store join.Store, days int, today string) (map[string]int, error) {
	histories, err := store.Histories(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	err = store.Each(ctx, join.Filter{}, func(r *join.Record) error {
		p := followup.Person{Day: r.Day, History: histories[r.ID]}
		if p.Stale(today, days) {
			counts[r.Federation]++
		}
		return nil
	})
	return counts, err
}

// writeStale prints how many signups per federation wait for a first
// contact, naming no one: for a cron job's alert.
func writeStale(out io.Writer, counts map[string]int, days int) {
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Fprintf(out, "Not contacted after %d days: %d\n", days, total)
	for _, id := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(out, "%-24s %8d\n", id, counts[id])
	}
}

// loadPeople opens the signups the identity can read, as people by the
// site's channels; it returns the site's strategies too.
func loadPeople(ctx context.Context, store join.Store, identity, site string) (people []*followup.Person, strategies map[string]string, skipped int, err error) {
	opener, err := sealed.ReadIdentities(identity)
	if err != nil {
		return nil, nil, 0, err
	}
	channels := join.DefaultChannels
	if cfg, err := config.Load(sitefs.New(site)); err == nil {
		if cfg.Join.Channels != nil {
			channels = cfg.Join.Channels
		}
		strategies = cfg.Join.Strategies
	}
	people, skipped, err = followup.Load(ctx, store, opener, channels)
	return people, strategies, skipped, err
}

// followupReport opens the signups the identity can read and sums up
// their follow-up, by the site's channels and strategies.
func followupReport(ctx context.Context, store join.Store, identity, site string) (*followup.Report, int, error) {
	people, strategies, skipped, err := loadPeople(ctx, store, identity, site)
	if err != nil {
		return nil, skipped, err
	}
	return followup.Summarize(people, followup.Today(time.Now()), strategies), skipped, nil
}

// writeChart writes the weekly chart (see package chart) of the people the
// identity can read, in federation or, for "", all together, to file.
func writeChart(ctx context.Context, store join.Store, identity, site, federation, file string) error {
	people, _, _, err := loadPeople(ctx, store, identity, site)
	if err != nil {
		return err
	}
	feds, _, err := siteFederations(site)
	if err != nil {
		return err
	}
	if federation != "" && !slices.ContainsFunc(feds, func(f join.Federation) bool { return f.ID == federation }) &&
		!slices.ContainsFunc(people, func(p *followup.Person) bool { return p.Federation == federation }) {
		return fmt.Errorf("--federation %q: the site names no such federation and the key opens no signup to it", federation)
	}
	c := chart.For(people, feds, federation, followup.Today(time.Now()))
	if err := os.WriteFile(file, chart.SVG(c), 0o644); err != nil {
		return fmt.Errorf("--chart: %w", err)
	}
	return nil
}

// writeReport writes a follow-up report as text, JSON or CSV.
func writeReport(out io.Writer, format string, rep *followup.Report) error {
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	groups := []struct {
		name string
		rows []*followup.Row
	}{{"total", []*followup.Row{rep.Total}}, {"federation", rep.Federations}, {"strategy", rep.Strategies}, {"channel", rep.Channels}}
	w := bufio.NewWriter(out)
	if format == "csv" {
		writeCSVLine(w, "group", "key", "signups", "contacted", "met", "members", "stale", "contacted_rate", "met_rate", "member_rate", "overall_rate", "median_days_to_member")
	} else {
		fmt.Fprintf(w, "\nFollow-up                 signups contacted      met  members  stale  median days\n")
	}
	for _, g := range groups {
		for _, r := range g.rows {
			median := ""
			if r.MedianDays != nil {
				median = strconv.FormatFloat(*r.MedianDays, 'f', -1, 64)
			}
			if format == "csv" {
				writeCSVLine(w, safeCells(g.name, r.Key, strconv.Itoa(r.Signups), strconv.Itoa(r.Contacted), strconv.Itoa(r.Met), strconv.Itoa(r.Members),
					strconv.Itoa(r.Stale), fmt.Sprint(r.ContactedRate), fmt.Sprint(r.MetRate), fmt.Sprint(r.MemberRate), fmt.Sprint(r.OverallRate), median)...)
				continue
			}
			fmt.Fprintf(w, "%-24s %8d %9d %8d %8d %6d  %s\n", g.name+" "+r.Key, r.Signups, r.Contacted, r.Met, r.Members, r.Stale, median)
		}
	}
	return w.Flush()
}
