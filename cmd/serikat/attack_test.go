package main

// Tests that attack the real endpoint as an employer would: with a list of
// its workers' phone numbers, forged proxy headers, and a copy of the
// database's files after an erasure.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/postgres/pgtest"
	"github.com/serikat-id/serikat/internal/join/sqlite"
	"github.com/serikat-id/serikat/internal/join/storetest"
)

// stores are the databases the attacks run against: a SQLite file, and
// PostgreSQL when .ci/run started one.
func stores(t *testing.T, lab *endpointLab) map[string]string {
	dbs := map[string]string{"sqlite": "sqlite:" + filepath.Join(lab.site, "data/join.db")}
	if pgtest.Available(t) {
		dbs["postgres"] = pgtest.Database(t)
	}
	return dbs
}

func noRedirects() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signup posts one signup, as JSON or as a form, and returns what the
// client sees (status, headers but the date, body) and how long it took.
func signup(t *testing.T, addr, phone string, asJSON bool, header ...string) (string, time.Duration) {
	t.Helper()
	form := url.Values{"name": {"Uji Coba"}, "phone": {phone}, "workplace": {"PT Uji"}, "city": {"Metro"},
		"federation": {"f-hukatan"}, "consent": {"on"}}
	var req *http.Request
	if asJSON {
		body := fmt.Sprintf(`{"name":"Uji Coba","phone":%q,"workplace":"PT Uji","city":"Metro","federation":"f-hukatan","consent":true}`, phone)
		req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/api/join", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
	} else {
		req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/api/join", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := noRedirects().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	resp.Header.Del("Date")
	var out strings.Builder
	fmt.Fprintf(&out, "%d\n", resp.StatusCode)
	resp.Header.Write(&out)
	out.Write(b)
	return out.String(), took
}

// TestNoMembershipOracle: an employer posts each number of a phone list
// once. Numbers that signed up before and numbers that did not get
// byte-identical answers, both are stored, and neither is slower: over
// many interleaved pairs, the known number is the slower of the two about
// half the time (a sign test; the old endpoint, which skipped the write
// for a known number, was faster for it in nearly every pair).
func TestNoMembershipOracle(t *testing.T) {
	lab := newEndpointLab(t)
	for name, db := range stores(t, lab) {
		t.Run(name, func(t *testing.T) {
			_, addr := lab.start(db)
			const pairs = 120
			known := func(i int) string { return fmt.Sprintf("+62812%08d", 10000000+i) }
			fresh := func(i int) string { return fmt.Sprintf("+62813%08d", 20000000+i) }
			for i := range pairs {
				signup(t, addr, known(i), i%2 == 0) // the workers sign up first
			}
			knownSlower := 0
			var knownTimes, freshTimes []time.Duration
			var want string
			for i := range pairs {
				asJSON := i%4 < 2
				var a, b string
				var ta, tb time.Duration
				if i%2 == 0 { // alternate the order, so drift favours neither
					a, ta = signup(t, addr, known(i), asJSON)
					b, tb = signup(t, addr, fresh(i), asJSON)
				} else {
					b, tb = signup(t, addr, fresh(i), asJSON)
					a, ta = signup(t, addr, known(i), asJSON)
				}
				if a != b {
					t.Fatalf("pair %d: a known number is answered\n%s\nand a new one\n%s", i, a, b)
				}
				if i < 2 {
					if want = "303\n"; asJSON {
						want = "201\n"
					}
					if !strings.HasPrefix(a, want) {
						t.Fatalf("answer %q", a)
					}
				}
				if ta > tb {
					knownSlower++
				}
				knownTimes, freshTimes = append(knownTimes, ta), append(freshTimes, tb)
			}
			median := func(d []time.Duration) time.Duration {
				sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
				return d[len(d)/2]
			}
			t.Logf("%d pairs: the known number was slower in %d; medians %v known, %v new", pairs, knownSlower, median(knownTimes), median(freshTimes))
			if knownSlower < pairs/4 || knownSlower > pairs*3/4 {
				t.Errorf("the known number was slower in %d of %d pairs: its timing tells it apart", knownSlower, pairs)
			}
			records := lab.records(db)
			if len(records) != 3*pairs {
				t.Errorf("%d records, want %d: the workers' signups and every one of the employer's posts, all written", len(records), 3*pairs)
			}
			// With a copy of the database the employer looks for its own
			// posts' twins: no salt, hash or sealed size repeats or differs
			// in a way that links a worker's signup to the employer's post.
			seen := map[string]bool{}
			for _, r := range records {
				for _, v := range []string{string(r.PhoneSalt), string(r.PhoneHash)} {
					if seen[v] {
						t.Fatalf("two records share a salt or hash: a stolen database links them")
					}
					seen[v] = true
				}
				if len(r.Sealed) != len(records[0].Sealed) {
					t.Fatalf("sealed sizes differ (%d, %d): they tell signups apart", len(r.Sealed), len(records[0].Sealed))
				}
			}
		})
	}
}

// records reads the stored records straight from the store, as someone
// with a copy of the database would.
func (l *endpointLab) records(db string) []*join.Record {
	store, err := openStore(db, "", true)
	if err != nil {
		l.t.Fatal(err)
	}
	defer store.Close()
	var all []*join.Record
	err = store.Each(context.Background(), join.Filter{}, func(r *join.Record) error {
		all = append(all, r)
		return nil
	})
	if err != nil {
		l.t.Fatal(err)
	}
	return all
}

// TestErasureLeavesNoTrace: after serikat join delete, no 16-byte piece of
// the deleted signup's sealed data, nor its phone hash, is left in the
// SQLite file, its WAL or its shared memory (read as raw bytes, as someone
// who copied the files would), or in PostgreSQL's table files; the other
// signups are still there.
func TestErasureLeavesNoTrace(t *testing.T) {
	lab := newEndpointLab(t)
	for name, db := range stores(t, lab) {
		t.Run(name, func(t *testing.T) {
			_, addr := lab.start(db)
			const victim = "+6281277770000"
			for i := range 30 {
				signup(t, addr, fmt.Sprintf("+62812%08d", 30000000+i), true)
				if i == 10 {
					signup(t, addr, victim, true)
					signup(t, addr, victim, false) // and again, corrected
				}
			}
			key, err := hmacKey(lab.hmacKeyFile(), false)
			if err != nil {
				t.Fatal(err)
			}
			var secrets [][]byte
			for _, r := range lab.records(db) {
				if r.HasPhone(key, victim) {
					// past age's fixed header line, every piece is this signup's own
					for off := 32; off+16 <= len(r.Sealed); off += 16 {
						secrets = append(secrets, r.Sealed[off:off+16])
					}
					secrets = append(secrets, r.PhoneSalt, r.PhoneHash)
				}
			}
			if len(secrets) < 20 {
				t.Fatalf("found %d pieces of the victim's records", len(secrets))
			}
			files := databaseFiles(t, db)
			if found := storetest.Traces(t, files(), secrets); found == 0 {
				t.Fatal("before the erasure no trace is found either: the test proves nothing")
			}
			deleteVictim := []string{"join", "delete", "--db", db, "--hmac-key-file", lab.hmacKeyFile(), "--phone", "0812-7777-0000"}
			if name == "postgres" {
				// a transaction begun before the erasure, in another database
				// of the server, would keep copies: the deletion says so,
				// fails, and is run again once it has ended
				older := pgtest.OpenTransaction(t, pgtest.Database(t))
				out, err := exec.Command(lab.bin, append(deleteVictim, "--wait", "300ms")...).CombinedOutput()
				if err == nil || !bytes.Contains(out, []byte("Deleted 2 signup(s); nobody can read them back")) {
					t.Fatalf("delete with an older transaction open: %v, %s", err, out)
				}
				pgtest.NamesSession(t, string(out), older)
				if err := older.Commit(context.Background()); err != nil {
					t.Fatal(err)
				}
				if out := lab.run(deleteVictim...); !bytes.Contains(out, []byte("Deleted 0 signup(s) and scrubbed")) {
					t.Fatalf("delete again said %s", out)
				}
			} else if out := lab.run(deleteVictim...); !bytes.Contains(out, []byte("Deleted 2 signup(s) and scrubbed")) {
				t.Fatalf("delete said %s", out)
			}
			if found := storetest.Traces(t, files(), secrets); found != 0 {
				t.Errorf("%d pieces of the deleted signups are still in the database's files", found)
			}
			if n := len(lab.exported(db)); n != 30 {
				t.Errorf("%d people left, want the other 30", n)
			}
		})
	}
}

// databaseFiles returns a function listing the files that hold db: the
// SQLite file and its WAL and shared memory, or every file of the
// PostgreSQL database's folder after a checkpoint has written them.
func databaseFiles(t *testing.T, db string) func() []string {
	if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
		return func() []string { return []string{path, path + "-wal", path + "-shm"} }
	}
	return pgtest.Files(t, db)
}

// TestForgedProxyHeaders: a client cannot pick its own address for the
// rate limit by sending X-Forwarded-For or Netlify's headers; a proxy named
// with --trusted-proxy, and Netlify with a valid X-Nf-Sign, can.
func TestForgedProxyHeaders(t *testing.T) {
	lab := newEndpointLab(t)
	secret := []byte("rahasia-proksi-netlify-32-byte!!")
	secretFile := filepath.Join(t.TempDir(), "netlify.secret")
	os.WriteFile(secretFile, append(secret, '\n'), 0o600)
	sign := func(key []byte, exp time.Time) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "netlify", "exp": exp.Unix(),
			"site_url": "https://serikat.example.org", "deploy_context": "production"}).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	db := func(name string) string { return "sqlite:" + filepath.Join(lab.site, "data", name+".db") }
	// three posts from "three addresses" with a limit of two a minute
	limited := func(addr string, headers func(i int) []string) bool {
		for i := range 3 {
			got, _ := signup(t, addr, fmt.Sprintf("+62812%08d", 40000000+i), true, headers(i)...)
			if strings.HasPrefix(got, "429\n") {
				return true
			}
		}
		return false
	}
	_, plain := lab.start(db("a"), "--rate-limit", "2")
	if !limited(plain, func(i int) []string { return []string{"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i)} }) {
		t.Error("an untrusted client escaped the limit with X-Forwarded-For")
	}
	_, plain2 := lab.start(db("b"), "--rate-limit", "2")
	if !limited(plain2, func(i int) []string { return []string{"X-Nf-Client-Connection-Ip", fmt.Sprintf("203.0.113.%d", i)} }) {
		t.Error("an untrusted client escaped the limit with X-Nf-Client-Connection-Ip")
	}

	_, proxied := lab.start(db("c"), "--rate-limit", "2", "--trusted-proxy", "127.0.0.1/32")
	if limited(proxied, func(i int) []string { return []string{"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i)} }) {
		t.Error("three workers behind a trusted proxy were limited as one")
	}
	// the client forges the left of the chain; the proxy appends the truth
	if !limited(proxied, func(i int) []string {
		return []string{"X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.113.200", i)}
	}) {
		t.Error("a forged left-most X-Forwarded-For hop escaped the limit")
	}

	_, netlify := lab.start(db("d"), "--rate-limit", "2", "--netlify-signing-secret-file", secretFile)
	if limited(netlify, func(i int) []string {
		return []string{"X-Nf-Sign", sign(secret, time.Now().Add(time.Minute)), "X-Nf-Client-Connection-Ip", fmt.Sprintf("203.0.113.%d", i)}
	}) {
		t.Error("three workers through Netlify's signed proxy were limited as one")
	}
	for name, forged := range map[string]string{
		"wrong secret": sign([]byte("bukan-rahasia-yang-benar-32-byte"), time.Now().Add(time.Minute)),
		"expired":      sign(secret, time.Now().Add(-time.Hour)),
		"unsigned":     "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJuZXRsaWZ5IiwiZXhwIjo0MTAyNDQ0ODAwfQ.",
	} {
		_, netlify := lab.start(db("e-"+strings.ReplaceAll(name, " ", "-")), "--rate-limit", "2", "--netlify-signing-secret-file", secretFile)
		if !limited(netlify, func(i int) []string {
			return []string{"X-Nf-Sign", forged, "X-Nf-Client-Connection-Ip", fmt.Sprintf("192.0.2.%d", i)}
		}) {
			t.Errorf("a forged X-Nf-Sign (%s) escaped the limit", name)
		}
	}
}

// TestSIGTERMDrains: SIGTERM, as systemd sends it, under load: the
// endpoint finishes the signups in flight, exits 0, and leaves the
// database checkpointed (no WAL left to replay), with every acknowledged
// signup stored once.
func TestSIGTERMDrains(t *testing.T) {
	lab := newEndpointLab(t)
	path := filepath.Join(lab.site, "data/join.db")
	server, addr := lab.start("sqlite:" + path)
	acked, err := signalUnderLoad(t, server, addr, syscall.SIGTERM)
	if err != nil {
		t.Errorf("after SIGTERM the endpoint exited with %v, want 0", err)
	}
	if len(acked) < 50 {
		t.Fatalf("only %d signups acknowledged before SIGTERM", len(acked))
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("a %d-byte WAL is left: the database was not checkpointed", fi.Size())
	}
	exactlyOnce(t, acked, lab.exported("sqlite:"+path))
	store, err := sqlite.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.IntegrityCheck(context.Background()); err != nil {
		t.Error(err)
	}
	t.Logf("%d acknowledged before SIGTERM, all stored", len(acked))
}
