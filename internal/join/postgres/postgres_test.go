package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/serikat-id/serikat/internal/join"
	"github.com/serikat-id/serikat/internal/join/storetest"
)

// database creates an empty database on the test server (started by .ci/run
// with .ci/postgres) and returns its URL. Without a server the test is
// skipped, except under CI=true.
func database(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SERIKAT_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but SERIKAT_POSTGRES_URL is not set: .ci/run starts PostgreSQL")
		}
		t.Skip("no PostgreSQL: eval \"$(bash .ci/postgres)\" starts one")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("serikat_test_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) join.Store {
		s, err := Open(context.Background(), database(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// Two replicas on one database, receiving the same people at the same time:
// every signup is stored, and each phone's records are numbered.
func TestTwoReplicas(t *testing.T) {
	url := database(t)
	var stores []join.Store
	for range 2 {
		s, err := Open(context.Background(), url) // the second finds the migrations done
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	const phones = 1000
	if acked := storetest.AddConcurrently(t, stores, 32, phones); acked != 2*phones {
		t.Errorf("%d adds acknowledged across both replicas, want %d", acked, 2*phones)
	}
	if n := storetest.Total(t, stores[0]); n != 2*phones {
		t.Errorf("stored %d, want %d", n, 2*phones)
	}
}

func TestUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("opened a database that is not there")
	}
}

// A database that goes down: it refuses connections and drops the open
// ones, then comes back.
func TestDatabaseDown(t *testing.T) {
	dbURL := database(t)
	s, err := Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, _ := url.Parse(dbURL)
	name := u.Path[1:]
	admin := func(sql string) {
		c, err := pgx.Connect(context.Background(), os.Getenv("SERIKAT_POSTGRES_URL"))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	storetest.Outage(t, s,
		func() {
			admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false")
			admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'")
		},
		func() { admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true") })
}

// A database made before repeated signups were kept is migrated in place:
// free-form sources become "lainnya", the instants, the unique constraint
// and the unsalted hashes go, and a repeat of a migrated phone is stored.
func TestMigrationFromInstants(t *testing.T) {
	url := database(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, migrations[0], migrations[1],
		`INSERT INTO schema_version VALUES (1), (2)`,
		`INSERT INTO signups (federation, source, day, consent_version, phone_hash, sealed, created_at)
			VALUES ('f-hukatan', 'hrd-budi-santoso', '2026-11-29', 'v', '\x0102', '\x0304', now()),
			       ('f-hukatan', 'poster', '2026-11-29', 'v', '\x0506', '\x0708', now())`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("old schema, step %d: %v", i, err)
		}
	}
	conn.Close(ctx)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	again := &join.Record{Federation: "f-hukatan", Day: "2026-11-30", ConsentVersion: "v", PhoneHash: []byte{5, 6}, Sealed: []byte{9}}
	if err := s.Add(ctx, again); err != nil {
		t.Fatalf("a repeat after migrating: %v", err)
	}
	var days []string
	s.Each(ctx, join.Filter{}, func(r *join.Record) error {
		days = append(days, r.Day)
		if r.ID != again.ID && r.PhoneHash != nil {
			t.Errorf("record %d kept its unsalted hash", r.ID)
		}
		return nil
	})
	if fmt.Sprint(days) != "[2026-11-29 2026-11-29 2026-11-30]" {
		t.Errorf("records after migrating: %v", days)
	}
	var columns int
	s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'signups' AND column_name IN ('created_at', 'source')`).Scan(&columns)
	if columns != 0 {
		t.Errorf("%d old columns remain", columns)
	}
}

// OpenExisting on a database without Serikat's tables creates nothing.
func TestOpenExistingCreatesNothing(t *testing.T) {
	url := database(t)
	ctx := context.Background()
	if _, err := OpenExisting(ctx, url); !errors.Is(err, join.ErrNoDatabase) {
		t.Fatalf("OpenExisting on an empty database: %v", err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables int
	conn.QueryRow(ctx, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables)
	if tables != 0 {
		t.Errorf("OpenExisting created %d tables", tables)
	}
}

// Two organizers' inboxes on one database (see storetest.TwoInboxes).
func TestTwoInboxes(t *testing.T) {
	url := database(t)
	storetest.TwoInboxes(t, func(t *testing.T) join.Store {
		s, err := Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
