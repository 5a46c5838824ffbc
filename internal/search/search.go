// Package search writes a site's search index at build time, split so a
// phone downloads only what one query needs.
//
// # Matching
//
// Words are matched the way an Indonesian reader expects: without regard
// to case or diacritics, and by their root, so "pelatihan", "melatih" and
// "dilatih" find each other, as do "pekerja", "bekerja" and "pekerjaan".
// Stem strips, by simple rules, the particles -lah, -kah, -tah and -pun, the
// possessives -nya, -ku and -mu, the suffixes -kan, -an and -i (not after s or a vowel: organisasi), and up to
// two prefixes (me-, di-, ke-, se-, ber-, ter-, per-, pe-, be- with their
// sound changes: meny-/peny- to s-, mem-/pem- to p- before a vowel,
// men-/pen- to t- before a vowel). It is not a dictionary stemmer and makes
// mistakes a dictionary would not; it makes the same ones for the index and
// the query, which is what matching needs. assets/js/cari.js repeats these
// rules exactly; a browser test holds the two to the same answers.
//
// # Files
//
// Build returns, by file name under search/:
//
//   - pages-N.json: pages N·ChunkSize to (N+1)·ChunkSize−1, each as
//     [url, title, section, summary];
//   - terms-XX.json: for every stem starting with XX (its first two
//     letters), the pages it occurs in with a score, as
//     {"stem": [page, score, page, score, …]}.
//
// A query loads the terms file of each word, ranks the pages that have all
// the words (a title counts 8 times, a heading 3 times, the text once),
// then loads the pages files of the best ten. For a site of a thousand
// modules that is a few tens of kilobytes, not the whole index.
package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/serikat-id/serikat/internal/parallel"
)

// ChunkSize is how many pages one pages file holds.
const ChunkSize = 100

// Doc is one page to index.
type Doc struct {
	URL, Title, Section, Summary string
	Headings                     []string
	Text                         string
	// Kept, when not nil, stands for Headings and Text: their terms as
	// TextTerms found them in an earlier build, as AppendTerms wrote them
	// (see CheckTerms). Read in place, a large site's millions of terms are
	// not held as strings for the collector to scan.
	Kept []byte
}

// Term is a stem with its score in one page.
type Term struct {
	Stem  string
	Score int
}

// TextTerms returns the terms of a page's headings and text, sorted by
// stem: all of its terms but those of its title, which Build adds. A site
// generator keeps them with the page's rendered text, so that the index of
// a large site is made again without reading every page again.
func TextTerms(headings []string, text string) []Term {
	scores := map[string]int{}
	for _, h := range headings {
		for _, w := range Words(h) {
			scores[w] += headingWeight
		}
	}
	for _, w := range Words(text) {
		scores[w] += textWeight
	}
	terms := make([]Term, 0, len(scores))
	for stem, score := range scores {
		terms = append(terms, Term{stem, score})
	}
	sort.Slice(terms, func(i, j int) bool { return terms[i].Stem < terms[j].Stem })
	return terms
}

// AppendTerms appends terms to dst in a compact form Doc.Kept holds.
func AppendTerms(dst []byte, terms []Term) []byte {
	for _, t := range terms {
		dst = binary.AppendUvarint(dst, uint64(len(t.Stem)))
		dst = append(dst, t.Stem...)
		dst = binary.AppendUvarint(dst, uint64(t.Score))
	}
	return dst
}

// eachTerm calls fn with each stem and score AppendTerms wrote in data,
// which CheckTerms accepted; stem is only valid during the call.
func eachTerm(data []byte, fn func(stem []byte, score int)) {
	for len(data) > 0 {
		n, k := binary.Uvarint(data)
		stem := data[k : k+int(n)]
		data = data[k+int(n):]
		score, k := binary.Uvarint(data)
		data = data[k:]
		fn(stem, int(score))
	}
}

// CheckTerms reports whether data reads as AppendTerms writes, without
// keeping anything.
func CheckTerms(data []byte) error {
	for len(data) > 0 {
		n, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < n {
			return errors.New("search: damaged terms")
		}
		data = data[k+int(n):]
		score, k := binary.Uvarint(data)
		if k <= 0 || score > 1<<30 {
			return errors.New("search: damaged terms")
		}
		data = data[k:]
	}
	return nil
}

// Weights of where a word occurs.
const (
	titleWeight   = 8
	headingWeight = 3
	textWeight    = 1
)

// Build indexes docs and returns the index files by name.
func Build(docs []Doc) map[string][]byte {
	files := map[string][]byte{}
	for start := 0; start < len(docs); start += ChunkSize {
		var rows [][4]string
		for _, d := range docs[start:min(start+ChunkSize, len(docs))] {
			rows = append(rows, [4]string{d.URL, d.Title, d.Section, d.Summary})
		}
		data, _ := json.Marshal(rows)
		files[fmt.Sprintf("pages-%d.json", start/ChunkSize)] = data
	}
	// Each stem's postings, in two passes over the pages' terms: the first
	// gives every posting its stem's number (one map lookup per term, over
	// millions of terms and tens of thousands of stems) and counts them,
	// the second places them in one array, each stem's together in page
	// order, without a slice growing per stem.
	index := make(map[string]int32, 1<<12)
	var stems []string
	var counts []int32
	stemOf := func(stem []byte) int32 {
		k, ok := index[string(stem)] // no string is made to look it up
		if !ok {
			k = int32(len(stems))
			s := string(stem)
			index[s] = k
			stems = append(stems, s)
			counts = append(counts, 0)
		}
		counts[k]++
		return k
	}
	type posting struct{ stem, doc, score int32 }
	total := 0
	for _, d := range docs {
		total += len(d.Kept)/6 + 8 // about six bytes a kept term
	}
	all := make([]posting, 0, total) // every page's postings, page after page
	for i, d := range docs {
		// the title's few words are merged into the page's other terms,
		// which are unique and sorted
		title := Words(d.Title)
		titleScore := func(stem []byte) int {
			n := 0
			for j, w := range title {
				if w == string(stem) {
					n += titleWeight
					title[j] = "" // counted
				}
			}
			return n
		}
		add := func(stem []byte, score int) {
			all = append(all, posting{stemOf(stem), int32(i), int32(score + titleScore(stem))})
		}
		if d.Kept != nil {
			eachTerm(d.Kept, add)
		} else {
			for _, t := range TextTerms(d.Headings, d.Text) {
				add([]byte(t.Stem), t.Score)
			}
		}
		for _, w := range title {
			if w != "" {
				add([]byte(w), 0)
			}
		}
	}
	starts := make([]int, len(stems)+1) // stem k's pairs are flat[2*starts[k]:2*starts[k+1]]
	for k, n := range counts {
		starts[k+1] = starts[k] + int(n)
	}
	flat := make([]int32, 2*len(all))
	next := slices.Clone(starts[:len(stems)])
	for _, p := range all {
		at := 2 * next[p.stem]
		flat[at], flat[at+1] = p.doc, p.score
		next[p.stem]++
	}
	// each shard's stems in order, as json.Marshal sorts a map's keys
	byShard := map[string][]int32{}
	for k, stem := range stems {
		key := Shard(stem)
		byShard[key] = append(byShard[key], int32(k))
	}
	// the shards are written side by side: each its own bytes, sized for
	// its numbers (up to five digits and a comma each)
	keys := slices.Sorted(maps.Keys(byShard))
	data := make([][]byte, len(keys))
	parallel.For(context.Background(), runtime.GOMAXPROCS(0), len(keys), func(i int) {
		ks := byShard[keys[i]]
		slices.SortFunc(ks, func(a, b int32) int { return strings.Compare(stems[a], stems[b]) })
		size := 2
		for _, k := range ks {
			size += len(stems[k]) + 5 + 12*int(counts[k])
		}
		b := make([]byte, 0, size)
		b = append(b, '{')
		for i, k := range ks {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, stems[k])
			b = append(b, ':', '[')
			for j, n := range flat[2*starts[k] : 2*starts[k+1]] {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(n), 10)
			}
			b = append(b, ']')
		}
		data[i] = append(b, '}')
	})
	for i, key := range keys {
		files["terms-"+key+".json"] = data[i]
	}
	return files
}

// appendJSONString quotes s as package json does; stems are letters and
// digits, which need no escaping, and anything else (a damaged cache)
// goes through package json.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			quoted, _ := json.Marshal(s)
			return append(dst, quoted...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// Shard is the name of the terms file that holds stem.
func Shard(stem string) string {
	r := []rune(stem)
	if len(r) > 2 {
		r = r[:2]
	}
	return string(r)
}

// Words returns the stems of the words of s, in order.
func Words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(Normalize(s), func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if len(w) > 1 || w >= "0" && w <= "9" {
			out = append(out, Stem(w))
		}
	}
	return out
}

// Normalize lowercases s and drops diacritics ("Pékerja" → "pekerja").
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// Stem reduces a normalized word to its root by the rules in the package
// documentation.
func Stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, p := range []string{"lah", "kah", "tah", "pun"} {
		if strings.HasSuffix(w, p) && len(w)-len(p) >= 4 {
			w = w[:len(w)-len(p)]
			break
		}
	}
	for _, p := range []string{"nya", "ku", "mu"} {
		if strings.HasSuffix(w, p) && len(w)-len(p) >= 4 {
			w = w[:len(w)-len(p)]
			break
		}
	}
	for _, p := range []string{"kan", "an", "i"} {
		// not the -i of loanwords such as organisasi, informasi, pegawai
		if p == "i" && len(w) > 1 && (w[len(w)-2] == 's' || isVowel(w[len(w)-2])) {
			continue
		}
		if strings.HasSuffix(w, p) && len(w)-len(p) >= 5 {
			w = w[:len(w)-len(p)]
			break
		}
	}
	for range 2 {
		next := stripPrefix(w)
		if next == w {
			break
		}
		w = next
	}
	return w
}

// stripPrefix removes one prefix, leaving at least four letters.
func stripPrefix(w string) string {
	ok := func(rest string) bool { return len(rest) >= 4 }
	switch {
	case (strings.HasPrefix(w, "meny") || strings.HasPrefix(w, "peny")) && len(w) > 4 && isVowel(w[4]) && ok(w[3:]):
		return "s" + w[4:]
	case strings.HasPrefix(w, "meng") || strings.HasPrefix(w, "peng"):
		if ok(w[4:]) {
			return w[4:]
		}
	case strings.HasPrefix(w, "mem") || strings.HasPrefix(w, "pem"):
		if len(w) > 3 && isVowel(w[3]) && ok(w[2:]) {
			return "p" + w[3:]
		}
		if ok(w[3:]) {
			return w[3:]
		}
	case strings.HasPrefix(w, "men") || strings.HasPrefix(w, "pen"):
		if len(w) > 3 && isVowel(w[3]) && ok(w[2:]) {
			return "t" + w[3:]
		}
		if ok(w[3:]) {
			return w[3:]
		}
	case strings.HasPrefix(w, "ber") || strings.HasPrefix(w, "ter") || strings.HasPrefix(w, "per"):
		if ok(w[3:]) {
			return w[3:]
		}
	case strings.HasPrefix(w, "me") || strings.HasPrefix(w, "pe") || strings.HasPrefix(w, "be") ||
		strings.HasPrefix(w, "di") || strings.HasPrefix(w, "ke") || strings.HasPrefix(w, "se"):
		if ok(w[2:]) {
			return w[2:]
		}
	}
	return w
}

// Query is what the browser does with the index, in Go, for tests: the
// URLs of the pages that have every word of q, best first.
func Query(files map[string][]byte, q string) ([]string, error) {
	words := Words(q)
	if len(words) == 0 {
		return nil, nil
	}
	var total map[int]int
	for _, w := range words {
		var terms map[string][]int
		if data, ok := files["terms-"+Shard(w)+".json"]; ok {
			if err := json.Unmarshal(data, &terms); err != nil {
				return nil, err
			}
		}
		scores := map[int]int{}
		for i := 0; i+1 < len(terms[w]); i += 2 {
			scores[terms[w][i]] += terms[w][i+1]
		}
		if total == nil {
			total = scores
			continue
		}
		for p := range total {
			if s, ok := scores[p]; ok {
				total[p] += s
			} else {
				delete(total, p)
			}
		}
	}
	ids := make([]int, 0, len(total))
	for p := range total {
		ids = append(ids, p)
	}
	sort.Slice(ids, func(i, j int) bool {
		if total[ids[i]] != total[ids[j]] {
			return total[ids[i]] > total[ids[j]]
		}
		return ids[i] < ids[j]
	})
	var urls []string
	for _, id := range ids {
		var rows [][4]string
		if err := json.Unmarshal(files[fmt.Sprintf("pages-%d.json", id/ChunkSize)], &rows); err != nil {
			return nil, err
		}
		urls = append(urls, rows[id%ChunkSize][0])
	}
	return urls, nil
}
