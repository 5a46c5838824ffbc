// Package sealed encrypts member data to the organizers with age
// (filippo.io/age), so that the endpoint that stores a signup cannot read it
// back: only someone holding an organizer's identity file can.
//
// Identities are age X25519 identity files, the same format age-keygen
// writes: a "# public key: age1…" comment and an AGE-SECRET-KEY-1… line.
// Recipients are their public keys, one per organizer.
package sealed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filippo.io/age"
)

// ErrWrongIdentity means none of the identities can open the data.
var ErrWrongIdentity = errors.New("this identity cannot open the data: it was sealed to other organizers")

// Sealer encrypts to a fixed set of recipients. It is safe for concurrent use.
type Sealer struct {
	recipients []age.Recipient
}

// NewSealer parses age1… public keys.
func NewSealer(publicKeys []string) (*Sealer, error) {
	if len(publicKeys) == 0 {
		return nil, errors.New("no recipients: give at least one organizer's public key (age1…)")
	}
	s := &Sealer{}
	for _, k := range publicKeys {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("recipient %q: %w", k, err)
		}
		s.recipients = append(s.recipients, r)
	}
	return s, nil
}

// ReadRecipients reads public keys from a file, one per line; blank lines
// and # comments are skipped.
func ReadRecipients(name string) ([]string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			keys = append(keys, line)
		}
	}
	return keys, nil
}

// Seal encrypts plaintext to every recipient.
func (s *Sealer) Seal(plaintext []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, s.recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Opener decrypts with an organizer's identities.
type Opener struct{ identities []age.Identity }

// ReadIdentities reads an identity file.
func ReadIdentities(name string) (*Opener, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Opener{identities: ids}, nil
}

// Open decrypts data sealed by a Sealer.
func (o *Opener) Open(data []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(data), o.identities...)
	var noMatch *age.NoIdentityMatchError
	if errors.As(err, &noMatch) {
		return nil, ErrWrongIdentity
	}
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// PublicKey returns the public key (age1…) of the first identity in an
// identity file.
func PublicKey(name string) (string, error) {
	o, err := ReadIdentities(name)
	if err != nil {
		return "", err
	}
	for _, id := range o.identities {
		if x, ok := id.(*age.X25519Identity); ok {
			return x.Recipient().String(), nil
		}
	}
	return "", fmt.Errorf("%s holds no X25519 identity", name)
}

// GenerateIdentity writes a new identity file at name (refusing to replace
// one) with mode 0600 and returns its public key.
func GenerateIdentity(name string) (string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	pub := id.Recipient().String()
	_, err = fmt.Fprintf(f, "# created: %s\n# public key: %s\n%s\n", time.Now().Format(time.RFC3339), pub, id.String())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return pub, err
}
