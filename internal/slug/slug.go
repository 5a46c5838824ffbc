// Package slug turns titles and headings into readable URL parts:
// "Pengorganisasian Pasca UU Cipta Kerja" becomes
// "pengorganisasian-pasca-uu-cipta-kerja". Letters are lower-cased,
// accents are dropped (é becomes e), every run of anything other than a
// letter or digit becomes one hyphen, and hyphens at either end are trimmed.
// Letters outside the Latin alphabet are kept as they are.
package slug

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Make returns the slug of s; it may be empty when s has no letter or digit.
func Make(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingHyphen := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent left over from decomposition: drop it
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			pendingHyphen = true
		}
	}
	return b.String()
}

// Unique hands out slugs that are unique within one scope, such as the
// heading IDs of one page: the second "tujuan" becomes "tujuan-1".
type Unique struct {
	seen map[string]bool
}

// Reserve marks s as taken without changing it (for IDs written by hand).
func (u *Unique) Reserve(s string) {
	if u.seen == nil {
		u.seen = map[string]bool{}
	}
	u.seen[s] = true
}

// Make returns Make(s), or fallback when that is empty, made unique by a
// numeric suffix.
func (u *Unique) Make(s, fallback string) string {
	base := Make(s)
	if base == "" {
		base = fallback
	}
	id := base
	for i := 1; u.seen[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	u.Reserve(id)
	return id
}
