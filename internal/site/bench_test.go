package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/serikat-id/serikat/internal/benchsite"
)

// BenchmarkBuild measures a cold build (no cache, empty destination) of
// synthetic sites. Run: go test ./internal/site -run '^$' -bench Build
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("cold/pages=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := benchsite.Write(dir, n); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dest := filepath.Join(dir, fmt.Sprintf("public-%d", i))
				if _, err := Build(context.Background(), Options{Source: dir, Dest: dest, CacheDir: "-", Now: time.Unix(2e9, 0)}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				os.RemoveAll(dest)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1e3, "µs/page")
		})
		b.Run(fmt.Sprintf("warm-one-edit/pages=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := benchsite.Write(dir, n); err != nil {
				b.Fatal(err)
			}
			opts := Options{Source: dir, Now: time.Unix(2e9, 0)}
			if _, err := Build(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
			page := filepath.Join(dir, benchsite.PagePath(n, n/2))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(f, "\nSuntingan %d.\n", i)
				f.Close()
				b.StartTimer()
				if _, err := Build(context.Background(), opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
