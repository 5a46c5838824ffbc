package main

import (
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/sealed"
)

// exportRow is one person's latest signup to a federation, as exported.
type exportRow struct {
	join.Signup
	ConsentVersion string `json:"consent_version"`
	Day            string `json:"day"`
	// Submissions counts this person's signups to the federation; above 1,
	// the row shows the latest and the earlier ones were corrections or
	// repeats.
	Submissions int   `json:"submissions"`
	id          int64 // the latest record's
}

// readSignups opens every record the identity can read and keeps, for each
// person and federation, the latest. It reports how many records were
// sealed to other keys (another federation's) and skipped.
// With all, every record is a row of its own.
func readSignups(cmd *cobra.Command, store join.Store, filter join.Filter, opener *sealed.Opener, all bool) (rows []*exportRow, skipped int, err error) {
	byPerson := map[string]*exportRow{}
	err = store.Each(cmd.Context(), filter, func(r *join.Record) error {
		plain, err := opener.Open(r.Sealed)
		if errors.Is(err, sealed.ErrWrongIdentity) {
			skipped++
			return nil
		}
		if err != nil {
			return fmt.Errorf("signup %d: %w", r.ID, err)
		}
		var s join.Signup
		if err := json.Unmarshal(plain, &s); err != nil {
			return fmt.Errorf("signup %d: %w", r.ID, err)
		}
		row := &exportRow{Signup: s, ConsentVersion: r.ConsentVersion, Day: r.Day, Submissions: r.Previous + 1, id: r.ID}
		key := strconv.FormatInt(r.ID, 10) // a forgotten hash links to nothing
		if r.PhoneHash != nil && !all {
			key = r.Federation + "\x00" + hex.EncodeToString(r.PhoneHash)
		}
		if earlier, ok := byPerson[key]; ok {
			row.Submissions = max(row.Submissions, earlier.Submissions+1)
			*earlier = *row // records come oldest first: the latest wins, in the first one's place
			return nil
		}
		byPerson[key] = row
		rows = append(rows, row)
		return nil
	})
	return rows, skipped, err
}

func newJoinExportCmd() *cobra.Command {
	var db, identity, format, federation, since string
	var all bool
	cmd := &cobra.Command{
		Use:   "export --db URL --identity FILE",
		Short: "Decrypt and write every signup (CSV or JSON)",
		Long: `Export decrypts the signups your identity can read and writes one row per
person and federation: the latest signup, with how many there were (--all
writes every signup: anyone who knows a number can send a signup for it, so
look at the earlier ones when a row says there were several). Signups
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
			return writeSignups(cmd.OutOrStdout(), format, rows)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&identity, "identity", "", "an organizer's age identity file")
	fl.StringVar(&format, "format", "csv", "csv or json")
	fl.StringVar(&federation, "federation", "", "only this federation's signups")
	fl.StringVar(&since, "since", "", "only signups on or after this day (2025-01-31)")
	fl.BoolVar(&all, "all", false, "every signup, not only each person's latest")
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
	w := csv.NewWriter(out)
	w.Write([]string{"name", "phone", "workplace", "city", "federation", "sector", "source", "consent_version", "day", "submissions"})
	for _, r := range rows {
		w.Write(safeCells(r.Name, r.Phone, r.Workplace, r.City, r.Federation, r.Sector, r.Source, r.ConsentVersion, r.Day, strconv.Itoa(r.Submissions)))
	}
	w.Flush()
	return w.Error()
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

func newJoinDeleteCmd() *cobra.Command {
	var db, keyFile, phone, identity, site string
	cmd := &cobra.Command{
		Use:   "delete --db URL --phone NUMBER [--hmac-key-file FILE] [--identity FILE]",
		Short: "Erase every signup of a phone number (UU PDP right to erasure)",
		Long: `Delete erases every signup of a phone number, in every federation, then
scrubs the database so that nothing of them can be read back from its files.

Signups are found by the phone's keyed hash. Hashes older than the
endpoint's dedupDays are erased on purpose; to find those signups too, give
--identity: every signup that identity can open is checked for the number.
Backups made before the deletion keep the signups until they expire.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e164, msg := join.NormalizePhone(phone)
			if msg != "" {
				return fmt.Errorf("--phone: %s", msg)
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
			erase := join.Erasure{PhoneHash: join.PhoneHash(key, e164)}
			if identity != "" {
				opener, err := sealed.ReadIdentities(identity)
				if err != nil {
					return err
				}
				err = store.Each(cmd.Context(), join.Filter{}, func(r *join.Record) error {
					plain, err := opener.Open(r.Sealed)
					if err != nil {
						return nil // another federation's, or unreadable: the hash covers it
					}
					var s join.Signup
					if json.Unmarshal(plain, &s) == nil && s.Phone == e164 {
						erase.IDs = append(erase.IDs, r.ID)
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			n, err := store.Delete(cmd.Context(), erase)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Deleted %d signup(s) and scrubbed the database. Backups made earlier still hold them until they expire.\n", n)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", "sqlite:data/join.db", "the database")
	fl.StringVar(&keyFile, "hmac-key-file", "", "the endpoint's phone hash key (default as for join serve)")
	fl.StringVar(&phone, "phone", "", "the phone number, written any common way")
	fl.StringVar(&identity, "identity", "", "also find signups whose hash was already forgotten, by opening them with this identity")
	fl.StringVarP(&site, "source", "s", ".", "the site (for the default key location)")
	return cmd
}

func newJoinStatsCmd() *cobra.Command {
	var db, site string
	cmd := &cobra.Command{
		Use:   "stats --db URL",
		Short: "Print the organizers' counts: by federation, channel and day",
		Long: `Stats prints everything the database counts without opening a signup:
submissions and people per federation, every channel, and every day. It is
for organizers: /api/stats gives the public only totals, per-federation
counts and the channels that have reached 5.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := openStore(db, "", true)
			if err != nil {
				return err
			}
			defer store.Close()
			c, err := store.Counts(cmd.Context())
			if err != nil {
				return err
			}
			feds, _, _ := siteFederations(site)
			out := cmd.OutOrStdout()
			total, people := 0, 0
			for id, n := range c.Federations {
				total += n
				people += c.People[id]
			}
			fmt.Fprintf(out, "Total: %d signups from %d people\n\nFederation                signups  people  target\n", total, people)
			listed := map[string]bool{}
			for _, f := range feds {
				listed[f.ID] = true
				fmt.Fprintf(out, "%-24s %8d %7d %7d\n", f.Name, c.Federations[f.ID], c.People[f.ID], f.Target)
			}
			for _, id := range slices.Sorted(maps.Keys(c.Federations)) {
				if !listed[id] {
					fmt.Fprintf(out, "%-24s %8d %7d       -\n", id, c.Federations[id], c.People[id])
				}
			}
			fmt.Fprintf(out, "\nChannel                   signups\n")
			for _, k := range slices.Sorted(maps.Keys(c.Channels)) {
				name := k
				if name == "" {
					name = "(langsung)"
				}
				fmt.Fprintf(out, "%-24s %8d\n", name, c.Channels[k])
			}
			fmt.Fprintf(out, "\nDay                       signups\n")
			for _, k := range slices.Sorted(maps.Keys(c.Days)) {
				fmt.Fprintf(out, "%-24s %8d\n", k, c.Days[k])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "sqlite:data/join.db", "the database")
	cmd.Flags().StringVarP(&site, "source", "s", ".", "the site, for federation names and targets")
	return cmd
}
