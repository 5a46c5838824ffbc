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
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ChunkSize is how many pages one pages file holds.
const ChunkSize = 100

// Doc is one page to index.
type Doc struct {
	URL, Title, Section, Summary string
	Headings                     []string
	Text                         string
	// Terms, when not nil, stands for Headings and Text: their terms as
	// TextTerms found them, kept from an earlier build.
	Terms []Term
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

// AppendTerms appends terms to dst in a compact form ParseTerms reads.
func AppendTerms(dst []byte, terms []Term) []byte {
	for _, t := range terms {
		dst = binary.AppendUvarint(dst, uint64(len(t.Stem)))
		dst = append(dst, t.Stem...)
		dst = binary.AppendUvarint(dst, uint64(t.Score))
	}
	return dst
}

// ParseTerms reads what AppendTerms wrote.
func ParseTerms(data []byte) ([]Term, error) {
	// the stems are pieces of one string, not one allocation each
	all := string(data)
	terms := make([]Term, 0, len(data)/8)
	for len(data) > 0 {
		n, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < n {
			return nil, errors.New("search: damaged terms")
		}
		at := len(all) - len(data) + k
		stem := all[at : at+int(n)]
		data = data[k+int(n):]
		score, k := binary.Uvarint(data)
		if k <= 0 || score > 1<<30 {
			return nil, errors.New("search: damaged terms")
		}
		data = data[k:]
		terms = append(terms, Term{stem, int(score)})
	}
	return terms, nil
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
	// each stem's postings, found through one map lookup per term: a
	// site's pages hold millions of terms over tens of thousands of stems
	index := map[string]int{}
	var stems []string
	var lists [][]int
	post := func(stem string, doc, score int) {
		k, ok := index[stem]
		if !ok {
			k = len(lists)
			index[stem] = k
			stems = append(stems, stem)
			lists = append(lists, nil)
		}
		lists[k] = append(lists[k], doc, score)
	}
	for i, d := range docs {
		terms := d.Terms
		if terms == nil {
			terms = TextTerms(d.Headings, d.Text)
		}
		// the title's few words are merged into the page's other terms,
		// which are unique and sorted: no map per page
		title := map[string]int{}
		for _, w := range Words(d.Title) {
			title[w] += titleWeight
		}
		for _, t := range terms {
			post(t.Stem, i, t.Score+title[t.Stem])
			delete(title, t.Stem)
		}
		for stem, score := range title {
			post(stem, i, score)
		}
	}
	shards := map[string]map[string][]int{}
	for k, stem := range stems {
		list := lists[k]
		key := Shard(stem)
		if shards[key] == nil {
			shards[key] = map[string][]int{}
		}
		shards[key][stem] = list
	}
	for key, terms := range shards {
		// json.Marshal sorts map keys, so the same site gives the same bytes
		data, _ := json.Marshal(terms)
		files["terms-"+key+".json"] = data
	}
	return files
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
