// Package pgtest gives tests a database of their own on the PostgreSQL
// server that .ci/postgres starts (its URL in SERIKAT_POSTGRES_URL, its
// data folder in SERIKAT_POSTGRES_DIR), and the files that hold it, to
// read as someone who copied them would.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Available reports whether a test server is set. Without one, under
// CI=true, the test fails: CI must not pass by skipping.
func Available(t testing.TB) bool {
	t.Helper()
	if os.Getenv("SERIKAT_POSTGRES_URL") != "" {
		return true
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but SERIKAT_POSTGRES_URL is not set: .ci/run starts PostgreSQL")
	}
	return false
}

// Database creates an empty database on the test server, dropped when the
// test ends, and returns its URL. Without a server the test is skipped
// (see Available).
func Database(t testing.TB) string {
	t.Helper()
	if !Available(t) {
		t.Skip("no PostgreSQL: eval \"$(bash .ci/postgres)\" starts one")
	}
	base := os.Getenv("SERIKAT_POSTGRES_URL")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// unique across the test processes that share the server
	name := fmt.Sprintf("serikat_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), made.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
			c.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

var made atomic.Int64

// Files returns a function that checkpoints the database at dbURL, so that
// its pages reach its files and the files a VACUUM FULL left behind go,
// and lists those files.
func Files(t testing.TB, dbURL string) func() []string {
	t.Helper()
	dir := os.Getenv("SERIKAT_POSTGRES_DIR")
	if dir == "" {
		t.Fatal("SERIKAT_POSTGRES_DIR is not set: .ci/postgres sets it with the server's data folder")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	var oid uint32
	if err := conn.QueryRow(ctx, `SELECT oid FROM pg_database WHERE datname = current_database()`).Scan(&oid); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		if _, err := conn.Exec(ctx, `CHECKPOINT`); err != nil {
			t.Fatal(err)
		}
		files, err := filepath.Glob(filepath.Join(dir, "data", "base", fmt.Sprint(oid), "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no files for database %d: %v", oid, err)
		}
		return files
	}
}

// OpenTransaction begins a transaction on the database at dbURL and gives
// it a transaction id, as any transaction that writes has; it ends with
// the test if not before.
func OpenTransaction(t testing.TB, dbURL string) pgx.Tx {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil {
		t.Fatal(err)
	}
	return tx
}

// NamesSession checks that message, a store's ErrNotScrubbed, names the
// session of tx among the pids to look for in pg_stat_activity (sessions
// of other tests' databases may be named too).
func NamesSession(t testing.TB, message string, tx pgx.Tx) {
	t.Helper()
	pid := strconv.Itoa(int(tx.Conn().PgConn().PID()))
	_, list, ok := strings.Cut(message, "pid ")
	list, _, _ = strings.Cut(list, " in pg_stat_activity")
	if !ok || !slices.Contains(strings.Split(list, ", "), pid) {
		t.Errorf("the message does not name session %s: %s", pid, message)
	}
}
