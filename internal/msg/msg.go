// Package msg is the catalogue of messages a site's writers can cause, each
// in English and in Bahasa Indonesia.
//
// A message is made where the problem is found, as a Text: a Key into the
// catalogue and the values to put in it. It is worded only when it is
// shown, in the language of whoever reads it, so the packages that find
// problems need not know who that is:
//
//	t := msg.New(msg.UnknownKey, "wieght", "weight")
//	t.In(msg.English)    // "wieght is not a key this theme uses: did you mean weight?"
//	t.In(msg.Indonesian) // "kunci wieght tidak dipakai tema ini: maksud Anda weight?"
//
// # Which language
//
// Choose picks Indonesian for a site whose languageCode is "id" (or
// "id-ID"), and English otherwise; LC_ALL, LC_MESSAGES or LANG set to an
// English locale (en, en_US.UTF-8) choose English whatever the site.
//
// # Adding a message
//
// Add a Key and its two texts to the catalogue below. The texts are fmt
// formats with the same verbs in the same order (use %[2]s to reorder); the
// package's test checks both languages are there and agree. Write the
// Indonesian as a trainer would say it, not word for word from the English.
package msg

import (
	"fmt"
	"strings"
)

// Lang is a language messages are worded in.
type Lang uint8

const (
	English Lang = iota
	Indonesian
)

// Choose returns the language of messages about a site whose languageCode
// is code. getenv reads the environment (os.Getenv); nil reads nothing.
func Choose(code string, getenv func(string) string) Lang {
	if getenv != nil {
		for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if v := getenv(name); v != "" {
				if v == "en" || strings.HasPrefix(v, "en_") || strings.HasPrefix(v, "en-") || strings.HasPrefix(v, "en.") {
					return English
				}
				break // the first one set is the one in force
			}
		}
	}
	if code = strings.ToLower(code); code == "id" || strings.HasPrefix(code, "id-") || strings.HasPrefix(code, "id_") {
		return Indonesian
	}
	return English
}

// Key names a message of the catalogue.
type Key string

// Text is a message to word: a Key and the values its texts format. It is
// an error whose Error is the English text.
type Text struct {
	Key  Key
	Args []any
}

// New returns the message key with args.
func New(key Key, args ...any) Text { return Text{Key: key, Args: args} }

// In words t in lang.
func (t Text) In(lang Lang) string {
	texts, ok := catalogue[t.Key]
	if !ok {
		return fmt.Sprint(append([]any{string(t.Key), ": "}, t.Args...)...)
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		if inner, ok := a.(Text); ok {
			a = inner.In(lang) // a message inside another
		}
		args[i] = a
	}
	format := texts[lang]
	if one, other, ok := strings.Cut(format, "|"); ok {
		format = other
		if n, _ := t.Args[0].(int); n == 1 {
			format = one
		}
	}
	return fmt.Sprintf(format, args...)
}

// Count returns the phrase for n of a noun key, such as NounPage: "1 page",
// "3 pages", "3 halaman".
func Count(key Key, n int) Text { return New(key, n) }

func (t Text) Error() string { return t.In(English) }

// Word returns the text of key in lang, for words such as "warning" that
// stand beside a message.
func Word(key Key, lang Lang) string { return New(key).In(lang) }
