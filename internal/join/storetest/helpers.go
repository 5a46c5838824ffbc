package storetest

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/serikat-id/serikat/internal/sealed"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func sealerFor(t *testing.T) *sealed.Sealer {
	t.Helper()
	pub, err := sealed.GenerateIdentity(filepath.Join(t.TempDir(), "organizer.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sealed.NewSealer([]string{pub})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Traces counts the secrets found, as raw bytes, in the files: a secret
// found in two files counts twice. A file that does not exist holds none.
func Traces(t testing.TB, files []string, secrets [][]byte) int {
	t.Helper()
	found := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(data, s) {
				found++
			}
		}
	}
	return found
}
