package frontmatter

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Most front matter is a few lines of `key: value` with plain words,
// quoted text without escapes, whole numbers, dates and lists of tags in
// brackets. plainYAML reads exactly that, several times faster than the
// YAML library builds and walks its syntax tree (on a 10,000-page site the
// library was a tenth of a cold build), and gives up on anything else,
// which the library then reads. It must never read a file differently
// from the library: TestPlainYAMLReadsAsTheLibraryDoes and
// FuzzPlainYAML hold it to that.
//
// Accepted, one key per line, the key at the start of the line:
//
//	key: plain words        → string
//	key: "text"             → string (no backslash, no inner quote)
//	key: 42 | -3            → int64 (no leading zero, at most 18 digits)
//	key: true | false       → bool
//	key: 2024-07-27         → string, also with a time: 2024-07-27T10:59:00+07:00
//	key: [a, "b c", d]      → []any of strings, each as above
//	key:                    → the same, one item a line, each line
//	  - a                     indented alike (by no spaces or some)
//	  - "b c"
//
// Plain words start with an ASCII letter and are made of letters, digits, single
// spaces, and - . / ( ) + ;, without a trailing space, and are not one of
// YAML's special words.
func plainYAML(data []byte, firstLine int) ([]Field, bool) {
	var fields []Field
	line := firstLine
	next := func() []byte {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		return bytes.TrimSuffix(l, []byte("\r"))
	}
	for len(data) > 0 {
		l := next()
		if len(l) == 0 {
			line++
			continue
		}
		var key []byte
		var v any
		keyLine := line
		if k, ok := bytes.CutSuffix(l, []byte(":")); ok && plainKey(k) {
			// a list written one item a line: "  - item", the same indent each
			key = k
			var items []any
			indent := -1
			for len(data) > 0 {
				rest := data
				item := next()
				n := len(item) - len(bytes.TrimLeft(item, " "))
				if indent >= 0 && n != indent || !bytes.HasPrefix(item[n:], []byte("- ")) {
					data = rest
					break
				}
				indent = n
				s, ok := plainString(item[n+2:])
				if !ok {
					return nil, false
				}
				items = append(items, s)
			}
			if items == nil {
				return nil, false // a key with nothing: null, or something else
			}
			v = items
			line += len(items) // the item lines
		} else {
			colon := bytes.Index(l, []byte(": "))
			if colon <= 0 || !plainKey(l[:colon]) {
				return nil, false
			}
			key = l[:colon]
			if v, ok = plainValue(l[colon+2:]); !ok {
				return nil, false
			}
		}
		for _, f := range fields {
			if f.Key == string(key) {
				return nil, false // the library says which line repeats it
			}
		}
		fields = append(fields, Field{Key: string(key), Value: v, Line: keyLine})
		line++
	}
	return fields, true
}

func plainKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	switch string(bytes.ToLower(k)) {
	case "null", "true", "false", "y", "n", "yes", "no", "on", "off":
		return false // the library may read these keys as null or true and false
	}
	for i, c := range k {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}

func plainValue(v []byte) (any, bool) {
	if len(v) == 0 {
		return nil, false
	}
	if v[0] == '[' {
		if v[len(v)-1] != ']' {
			return nil, false
		}
		inner := v[1 : len(v)-1]
		if len(bytes.TrimSpace(inner)) == 0 {
			return nil, false
		}
		var items []any
		for item := range bytes.SplitSeq(inner, []byte(",")) {
			item = bytes.TrimPrefix(item, []byte(" "))
			s, ok := plainString(item)
			if !ok {
				return nil, false
			}
			items = append(items, s)
		}
		return items, true
	}
	switch string(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	if n, ok := plainInt(v); ok {
		return n, true
	}
	if isDate(v) {
		return string(v), true
	}
	return plainString(v)
}

// plainString reads a quoted text or plain words as a string.
func plainString(v []byte) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		inner := v[1 : len(v)-1]
		if bytes.ContainsAny(inner, "\"\\") || !printable(inner) {
			return "", false
		}
		return string(inner), true
	}
	if !plainWords(v) {
		return "", false
	}
	return string(v), true
}

func plainWords(v []byte) bool {
	// a letter first: YAML reads "+0", ".5" and "-1" as numbers
	if len(v) == 0 || !(v[0] >= 'a' && v[0] <= 'z' || v[0] >= 'A' && v[0] <= 'Z') || v[len(v)-1] == ' ' {
		return false
	}
	switch string(bytes.ToLower(v)) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf":
		return false
	}
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(v[i:])
			if !unicode.IsLetter(r) {
				return false
			}
			i += n
			continue
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == ' ' && v[i+1] != ' ': // one space between words
		case c == '-', c == '.', c == '/', c == '(', c == ')', c == '+', c == ';':
		default:
			return false
		}
		i++
	}
	return true
}

// printable is true for text of printable characters (ASCII, or letters,
// marks, numbers, punctuation and symbols beyond it) and spaces: anything
// else, such as the line and paragraph separators YAML treats as line
// breaks, goes to the library.
func printable(v []byte) bool {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c > '~' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' || r == '\ufeff' || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S) {
			return false
		}
		i += n
	}
	return true
}

func plainInt(v []byte) (int64, bool) {
	digits := v
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 || digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	return n, err == nil && !(n == 0 && v[0] == '-')
}

// isDate is true for 2024-07-27, optionally followed by a time:
// T10:59, T10:59:00, T10:59:00.5, each optionally with Z or +07:00, and
// with a space instead of the T.
func isDate(v []byte) bool {
	digits := func(b []byte) bool {
		for _, c := range b {
			if c < '0' || c > '9' {
				return false
			}
		}
		return len(b) > 0
	}
	if len(v) < 10 || v[4] != '-' || v[7] != '-' || !digits(v[:4]) || !digits(v[5:7]) || !digits(v[8:10]) {
		return false
	}
	t := v[10:]
	if len(t) == 0 {
		return true
	}
	if len(t) < 6 || t[0] != 'T' && t[0] != ' ' || !digits(t[1:3]) || t[3] != ':' || !digits(t[4:6]) {
		return false
	}
	t = t[6:]
	if len(t) >= 3 && t[0] == ':' && digits(t[1:3]) {
		t = t[3:]
		if len(t) >= 2 && t[0] == '.' {
			n := 1
			for n < len(t) && t[n] >= '0' && t[n] <= '9' {
				n++
			}
			if n == 1 {
				return false
			}
			t = t[n:]
		}
	}
	switch {
	case len(t) == 0, string(t) == "Z":
		return true
	case len(t) == 6 && (t[0] == '+' || t[0] == '-') && digits(t[1:3]) && t[3] == ':' && digits(t[4:6]):
		return true
	}
	return false
}
