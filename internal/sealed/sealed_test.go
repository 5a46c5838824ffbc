package sealed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealAndOpen(t *testing.T) {
	dir := t.TempDir()
	a, b, other := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.key"), filepath.Join(dir, "other.key")
	pubA, err := GenerateIdentity(a)
	if err != nil {
		t.Fatal(err)
	}
	pubB, _ := GenerateIdentity(b)
	GenerateIdentity(other)
	if info, _ := os.Stat(a); info.Mode().Perm() != 0o600 {
		t.Errorf("identity file mode %v, want 0600", info.Mode().Perm())
	}
	if data, _ := os.ReadFile(a); !strings.Contains(string(data), "# public key: "+pubA) {
		t.Error("identity file lacks the public key comment age-keygen writes")
	}
	if got, err := PublicKey(a); err != nil || got != pubA {
		t.Errorf("PublicKey = %q, %v; want %q", got, err, pubA)
	}
	if _, err := GenerateIdentity(a); err == nil {
		t.Error("an existing identity must never be replaced")
	}
	s, err := NewSealer([]string{pubA, pubB})
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"name":"Siti","phone":"+6281234567890"}`)
	box, err := s.Seal(secret)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(box), "Siti") || strings.Contains(string(box), "6281234567890") {
		t.Fatal("sealed data shows the plaintext")
	}
	for _, id := range []string{a, b} {
		o, err := ReadIdentities(id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.Open(box)
		if err != nil || string(got) != string(secret) {
			t.Errorf("%s: Open = %q, %v", id, got, err)
		}
	}
	o, _ := ReadIdentities(other)
	if _, err := o.Open(box); !errors.Is(err, ErrWrongIdentity) {
		t.Errorf("another organizer's identity: err = %v, want ErrWrongIdentity", err)
	}
	if _, err := NewSealer([]string{"age1bukankunci"}); err == nil {
		t.Error("a malformed recipient must be refused")
	}
}
