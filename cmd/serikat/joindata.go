package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/config"
	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/followup"
	"github.com/serikat-id/serikat/internal/sealed"
	"github.com/serikat-id/serikat/internal/sitefs"
)

// exportRow is one signup as exported.
type exportRow struct {
	join.Signup
	ConsentVersion string `json:"consent_version"`
	Day            string `json:"day"`
	// Submissions counts this person's signups to the federation (that
	// this identity can read) and Versions how many of them differ: above
	// 1, someone corrected their details, or someone else sent a signup
	// with their number; call before trusting either.
	Submissions int `json:"submissions"`
	Versions    int `json:"versions"`
	// Record is the id of the signup the row shows: join delete --record
	// erases a version planted by someone else without the worker's own.
	Record int64 `json:"record"`
	// Status is where the person's follow-up stands, since StatusDay ("" for
	// none yet), and Note the latest note an organizer left.
	Status    join.Status `json:"status"`
	StatusDay string      `json:"status_day"`
	Note      string      `json:"note,omitempty"`
}

// eachSignup calls fn with every record matching filter that the identity
// can open, and its signup; it reports how many were sealed to other keys
// (another federation's) and skipped.
func eachSignup(cmd *cobra.Command, store join.Store, filter join.Filter, opener *sealed.Opener, fn func(*join.Record, join.Signup)) (skipped int, err error) {
	err = store.Each(cmd.Context(), filter, func(r *join.Record) error {
		s, err := followup.OpenSignup(opener, r)
		if errors.Is(err, sealed.ErrWrongIdentity) {
			skipped++
			return nil
		}
		if err != nil {
			return err
		}
		fn(r, s)
		return nil
	})
	return skipped, err
}

// readSignups opens every record the identity can read and groups them by
// person and federation. Without all, it keeps each different version of
// a person's details once (its latest): a later signup never hides an
// earlier one that said something else. It reports how many records were
// sealed to other keys (another federation's) and skipped.
func readSignups(cmd *cobra.Command, store join.Store, filter join.Filter, opener *sealed.Opener, all bool) (rows []*exportRow, skipped int, err error) {
	type person struct {
		rows        []*exportRow
		versions    map[[4]string]*exportRow
		submissions int
		records     []int64
	}
	people := map[[2]string]*person{}
	var order []*person
	skipped, err = eachSignup(cmd, store, filter, opener, func(r *join.Record, s join.Signup) {
		key := [2]string{r.Federation, s.Phone}
		p, ok := people[key]
		if !ok {
			p = &person{versions: map[[4]string]*exportRow{}}
			people[key] = p
			order = append(order, p)
		}
		p.submissions++
		p.records = append(p.records, r.ID)
		row := &exportRow{Signup: s, ConsentVersion: r.ConsentVersion, Day: r.Day, Record: r.ID}
		version := [4]string{s.Name, s.Workplace, s.City, s.Sector}
		switch earlier, seen := p.versions[version]; {
		case all || !seen:
			p.rows = append(p.rows, row)
			p.versions[version] = row
		case s.Source != "" && !slices.Contains(strings.Split(earlier.Source, "+"), s.Source):
			// the same details again: the first day stays (a copy sent
			// later must not move it), and every source shows
			earlier.Source = strings.TrimPrefix(earlier.Source+"+"+s.Source, "+")
		}
	})
	if err != nil {
		return nil, skipped, err
	}
	histories, err := store.Histories(cmd.Context())
	if err != nil {
		return nil, skipped, err
	}
	for _, p := range order {
		_, h := join.FollowUp(p.records, histories)
		note, err := followup.Note(opener, h)
		if err != nil {
			return nil, skipped, err
		}
		for _, row := range p.rows {
			row.Submissions, row.Versions = p.submissions, len(p.versions)
			row.Status, row.Note = h.Current(), note
			if len(h) > 0 {
				row.StatusDay = h[len(h)-1].Day
			}
			rows = append(rows, row)
		}
	}
	return rows, skipped, nil
}

func newJoinExportCmd() *cobra.Command {
	var db, identity, format, federation, since, output string
	var all bool
	cmd := &cobra.Command{
		Use:   "export --db URL --identity FILE",
		Short: "Decrypt and write every signup (CSV or JSON)",
		Long: `Export decrypts the signups your identity can read and writes them by
person and federation: each different version of a person's details once,
with how many signups and versions there were. Anyone who knows a number
can send a signup for it, so when there are several versions, call before
trusting one. --all writes every signup. Signups
sealed to another federation's keys are skipped and counted on standard
error. CSV cells that a spreadsheet would run as a formula are prefixed
with an apostrophe.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format %q: want csv or json", format)
			}
			opener, err := sealed.ReadIdentities(identity)
			if err != nil {
				return err
			}
			filter := join.Filter{Federation: federation}
			if since != "" {
				day, err := time.ParseInLocation(time.DateOnly, since, join.WIB)
				if err != nil {
					return fmt.Errorf("--since %q: want a date such as 2025-01-31", since)
				}
				filter.SinceDay = day.Format(time.DateOnly)
			}
			store, err := openStore(db, "", true)
			if err != nil {
				return err
			}
			defer store.Close()
			// everything is decrypted before anything is written: a damaged
			// record gives an error, never a partial export
			rows, skipped, err := readSignups(cmd, store, filter, opener, all)
			if err != nil {
				return err
			}
			if skipped > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "Skipped %d signup(s) sealed to other organizers' keys (another federation's).\n", skipped)
			}
			if output == "" {
				return writeSignups(cmd.OutOrStdout(), format, rows)
			}
			// the member list, readable by its owner alone
			f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			if err := f.Chmod(0o600); err != nil {
				f.Close()
				return err
			}
			if err := writeSignups(f, format, rows); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&identity, "identity", "", "an organizer's age identity file")
	fl.StringVar(&format, "format", "csv", "csv or json")
	fl.StringVar(&federation, "federation", "", "only this federation's signups")
	fl.StringVar(&since, "since", "", "only signups on or after this day (2025-01-31)")
	fl.BoolVar(&all, "all", false, "every signup, not each version of a person's details once")
	fl.StringVarP(&output, "output", "o", "", "write to this file, mode 0600, instead of standard output")
	return cmd
}

func writeSignups(out io.Writer, format string, rows []*exportRow) error {
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []*exportRow{}
		}
		return enc.Encode(rows)
	}
	w := bufio.NewWriter(out)
	writeCSVLine(w, "name", "phone", "workplace", "city", "federation", "sector", "source", "consent_version", "day", "submissions", "versions", "record",
		"status", "status_day", "note")
	for _, r := range rows {
		writeCSVLine(w, safeCells(r.Name, r.Phone, r.Workplace, r.City, r.Federation, r.Sector, r.Source, r.ConsentVersion, r.Day,
			strconv.Itoa(r.Submissions), strconv.Itoa(r.Versions), strconv.FormatInt(r.Record, 10),
			string(r.Status), r.StatusDay, r.Note)...)
	}
	return w.Flush()
}

// writeCSVLine writes one line with every cell quoted: a spreadsheet set
// to split on ";" (as in locales that write decimals with a comma) would
// otherwise cut a name such as Andi;=WEBSERVICE(…) in two, and run the
// second half.
func writeCSVLine(w *bufio.Writer, cells ...string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		w.WriteString(strings.ReplaceAll(c, `"`, `""`))
		w.WriteByte('"')
	}
	w.WriteString("\n")
}

// safeCells keeps a spreadsheet from running a cell as a formula (CSV
// injection: a name such as =HYPERLINK("http://…") would run when an
// organizer opens the export): a cell that starts with = + - @, a tab or a
// carriage return gets a leading apostrophe, which spreadsheets read as
// "this is text".
func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// reportDeleted says what a Delete did. Records deleted but not yet
// scrubbed are said to be deleted, and the command still fails: the
// erasure is not finished until a second run scrubs them.
func reportDeleted(w io.Writer, n int, err error) error {
	switch {
	case errors.Is(err, join.ErrNotScrubbed):
		fmt.Fprintf(w, "Deleted %d signup(s); nobody can read them back through Serikat, but the database's files still hold copies.\n", n)
		return err
	case err != nil:
		return err
	}
	fmt.Fprintf(w, "Deleted %d signup(s) and scrubbed the database. Backups made earlier still hold them until they expire.\n", n)
	return nil
}

func newJoinDeleteCmd() *cobra.Command {
	var db, keyFile, phone, identity, site string
	var records []int64
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "delete --db URL --phone NUMBER [--hmac-key-file FILE] [--identity FILE]",
		Short: "Erase every signup of a phone number (UU PDP right to erasure)",
		Long: `Delete erases every signup of a phone number, in every federation, then
scrubs the database so that nothing of them can be read back from its files.

Signups are found by the phone's keyed hash. Hashes older than the
endpoint's dedupDays are erased on purpose; to find those signups too, give
--identity: every signup that identity can open is checked for the number.
Backups made before the deletion keep the signups until they expire.

A transaction begun before the deletion and still open on the PostgreSQL
server (a long report, a forgotten session), or a process still reading
the SQLite file, keeps copies of the signups in the database's files: the
command waits for it (--wait), and if it does not end in time, says so
(on PostgreSQL, which sessions) and fails; run it again then.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			join.ScrubWait = wait
			deleteRecords := func(store join.Store, ids []int64) error {
				n, err := store.Delete(cmd.Context(), ids)
				return reportDeleted(cmd.OutOrStdout(), n, err)
			}
			if phone == "" && len(records) > 0 {
				// single signups, by the record ids export shows
				store, err := openStore(db, "", true)
				if err != nil {
					return err
				}
				defer store.Close()
				return deleteRecords(store, records)
			}
			e164, msg := join.NormalizePhone(phone)
			if msg != "" {
				return fmt.Errorf("--phone: %s (or give --record IDs)", msg)
			}
			if keyFile == "" {
				keyFile = defaultHMACKeyFile(site, cmd.ErrOrStderr())
			}
			key, err := hmacKey(keyFile, false)
			if err != nil {
				return fmt.Errorf("%w (give the endpoint's key with --hmac-key-file)", err)
			}
			store, err := openStore(db, "", true)
			if err != nil {
				return err
			}
			defer store.Close()
			var opener *sealed.Opener
			if identity != "" {
				if opener, err = sealed.ReadIdentities(identity); err != nil {
					return err
				}
			}
			// each record's hash has its own salt: every record is checked
			var ids []int64
			unchecked := 0
			err = store.Each(cmd.Context(), join.Filter{}, func(r *join.Record) error {
				if r.HasPhone(key, e164) {
					ids = append(ids, r.ID)
					return nil
				}
				if opener == nil {
					if r.PhoneHash == nil {
						unchecked++
					}
					return nil
				}
				// another federation's, or unreadable: its hash was checked
				if s, err := followup.OpenSignup(opener, r); err == nil && s.Phone == e164 {
					ids = append(ids, r.ID)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if err := deleteRecords(store, ids); err != nil {
				return err
			}
			if unchecked > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%d older signup(s) have no phone hash any more and were not checked: run again with --identity to find this number among them.\n", unchecked)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&keyFile, "hmac-key-file", "", "the endpoint's phone hash key (default as for join serve)")
	fl.StringVar(&phone, "phone", "", "the phone number, written any common way")
	fl.Int64SliceVar(&records, "record", nil, "instead of --phone: erase these signups, by the record ids export shows")
	fl.StringVar(&identity, "identity", "", "also find signups whose hash was already forgotten, by opening them with this identity")
	fl.StringVarP(&site, "source", "s", ".", "the site (for the default key location)")
	fl.DurationVar(&wait, "wait", join.ScrubWait, "how long to wait for readers and transactions begun before the deletion, which keep copies of it, to end")
	return cmd
}

func newJoinStatsCmd() *cobra.Command {
	var db, site, identity, format, stale, chartFile, federation string
	cmd := &cobra.Command{
		Use:   "stats --db URL [--identity FILE] [--format text|json|csv] [--stale 3d] [--chart FILE.svg [--federation ID]]",
		Short: "Print the organizers' counts: by federation, day and, with a key, channel",
		Long: `Stats prints what the database counts without opening a signup: signups
per federation and per day (a person who signed up twice counts twice:
telling them apart needs their sealed details, which export opens). With
--identity it also opens the signups that key can read and counts them by
channel: the site's [join] channels by name, any other source as lainnya,
none as (langsung). Which channel brought a worker is sealed with the rest
of the signup. It is for organizers: /api/stats gives the public only the
total and each federation's count, refreshed hourly.

With --identity it also sums up the follow-up (serikat join inbox) of the
people that key reads, by federation, strategy ([join.strategies]) and
channel: signups, contacted, met, members, still new after 3 days, the
conversion at each step and the median days from signup to member.
--format json or csv writes that report alone.

--stale 3d prints only how many signups per federation are still new 3
days or more after signing up, naming no one and opening nothing: for a
cron job that reminds organizers. (Without a key, a person who signed up
twice counts twice.)

--chart FILE.svg (with --identity) also writes the weekly chart of the
people that key reads: signups and members by week, counted from the
start, against the target and, where the campaign page has a tenggat, the
pace to that deadline. --federation draws one federation's alone; else
everyone's together, against their targets added up.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" && format != "csv" {
				return fmt.Errorf("--format %q: want text, json or csv", format)
			}
			if format != "text" && identity == "" {
				return fmt.Errorf("--format %s writes the follow-up report, which needs --identity", format)
			}
			if chartFile != "" && identity == "" {
				return fmt.Errorf("--chart draws the follow-up, which needs --identity")
			}
			if federation != "" && chartFile == "" {
				return fmt.Errorf("--federation chooses the chart's federation: give --chart FILE.svg too")
			}
			store, err := openStore(db, "", true)
			if err != nil {
				return err
			}
			defer store.Close()
			out := cmd.OutOrStdout()
			if chartFile != "" {
				if err := writeChart(cmd.Context(), store, identity, site, federation, chartFile); err != nil {
					return err
				}
			}
			if stale != "" {
				days, err := parseDays(stale)
				if err != nil {
					return err
				}
				counts, err := staleCounts(cmd.Context(), store, days, followup.Today(time.Now()))
				if err != nil {
					return err
				}
				writeStale(out, counts, days)
				return nil
			}
			if format != "text" {
				rep, _, err := followupReport(cmd.Context(), store, identity, site)
				if err != nil {
					return err
				}
				return writeReport(out, format, rep)
			}
			c, err := store.Counts(cmd.Context())
			if err != nil {
				return err
			}
			feds, _, _ := siteFederations(site)
			total := 0
			for _, n := range c.Federations {
				total += n
			}
			fmt.Fprintf(out, "Total: %d signups\n\nFederation                signups  target\n", total)
			listed := map[string]bool{}
			for _, f := range feds {
				listed[f.ID] = true
				fmt.Fprintf(out, "%-24s %8d %7d\n", f.Name, c.Federations[f.ID], f.Target)
			}
			for _, id := range slices.Sorted(maps.Keys(c.Federations)) {
				if !listed[id] {
					fmt.Fprintf(out, "%-24s %8d       -\n", id, c.Federations[id])
				}
			}
			if identity != "" {
				channels, skipped, err := countChannels(cmd, store, identity, site)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "\nChannel                   signups\n")
				for _, k := range slices.Sorted(maps.Keys(channels)) {
					name := k
					if name == "" {
						name = "(langsung)"
					}
					fmt.Fprintf(out, "%-24s %8d\n", name, channels[k])
				}
				if skipped > 0 {
					fmt.Fprintf(out, "%-24s %8d\n", "(another key's)", skipped)
				}
				rep, _, err := followupReport(cmd.Context(), store, identity, site)
				if err != nil {
					return err
				}
				if err := writeReport(out, "text", rep); err != nil {
					return err
				}
			}
			fmt.Fprintf(out, "\nDay                       signups\n")
			for _, k := range slices.Sorted(maps.Keys(c.Days)) {
				fmt.Fprintf(out, "%-24s %8d\n", k, c.Days[k])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "sqlite:data/join.db", "the database")
	cmd.Flags().StringVarP(&site, "source", "s", ".", "the site, for federation names, targets and channels")
	cmd.Flags().StringVar(&identity, "identity", "", "an organizer's identity file, to count by channel and sum up the follow-up")
	cmd.Flags().StringVar(&format, "format", "text", "text, or json or csv for the follow-up report alone (needs --identity)")
	cmd.Flags().StringVar(&stale, "stale", "", "print only how many signups per federation are still new after this many days (3d)")
	cmd.Flags().StringVar(&chartFile, "chart", "", "also write the weekly chart of signups and members against the target to this SVG file (needs --identity)")
	cmd.Flags().StringVar(&federation, "federation", "", "with --chart: draw this federation's chart alone")
	return cmd
}

// countChannels opens every signup the identity can read and counts them
// by channel.
func countChannels(cmd *cobra.Command, store join.Store, identity, site string) (map[string]int, int, error) {
	opener, err := sealed.ReadIdentities(identity)
	if err != nil {
		return nil, 0, err
	}
	declared := join.DefaultChannels
	if cfg, err := config.Load(sitefs.New(site)); err == nil && cfg.Join.Channels != nil {
		declared = cfg.Join.Channels
	}
	counts := map[string]int{}
	skipped, err := eachSignup(cmd, store, join.Filter{}, opener, func(_ *join.Record, s join.Signup) {
		counts[join.ChannelOf(s.Source, declared)]++
	})
	return counts, skipped, err
}
