package storetest

import (
	"io"
	"log/slog"
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
