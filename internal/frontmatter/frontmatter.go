// Package frontmatter splits a Markdown file into its front matter and body,
// keeping line numbers so that a problem with a key can be reported at the
// line in the file where the key is written.
//
// Two formats are read, as Hugo reads them:
//
//	---                          +++
//	title: Dasar-dasar Serikat   title = "Dasar-dasar Serikat"
//	weight: 1                    weight = 1
//	---                          +++
//
// Blank lines before the opening delimiter are allowed. A file with no front
// matter has an empty Fields and its whole text as the body. A front matter
// that is opened but never closed is an error, not a body.
//
// # Text from Word and Notepad
//
// A byte order mark at the start of the file, which Notepad writes, is
// skipped. In the front matter, non-breaking spaces (which Word puts in
// indents and after bullets) count as spaces, and a value wrapped in curly
// quotes, “…” or ‘…’, is read as if wrapped in straight ones.
//
// Values are decoded into plain Go values, always of these types: nil,
// string, bool, int64, float64, time.Time (TOML date-times with an offset),
// []any and map[string]any. YAML dates and TOML local dates and times
// become strings such as "2024-07-27". Interpreting them is the caller's job.
//
// YAML as most pages write it (plain key: value lines, lists of tags) is
// read by a small reader of its own (plain.go), held by tests and a fuzz
// target to read exactly as the YAML library does; everything else, and
// every mistake, goes to the library.
package frontmatter

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/adrg/frontmatter"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/serikat-id/serikat/internal/msg"
)

// Field is one top-level key of the front matter.
type Field struct {
	Key   string
	Value any
	Line  int // line of the key in the whole file, 1-based
}

// Document is a parsed file.
type Document struct {
	Format   string  // "yaml", "toml", or "" when there is no front matter
	Fields   []Field // in the order written
	Body     []byte
	BodyLine int // line of the file on which Body starts, 1-based
}

// Lookup returns the field named key.
func (d *Document) Lookup(key string) (Field, bool) {
	for _, f := range d.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Error is a problem in the front matter at a line of the whole file.
type Error struct {
	Line int
	Msg  string
	// Text is the whole message, "front matter:" included, when it is one
	// of the catalogue's (package msg); YAML's and TOML's own are not.
	Text *msg.Text
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: front matter: %s", e.Line, e.Msg) }

// collector is what the format callbacks fill; it knows where the front
// matter starts so it can turn positions into lines of the whole file.
type collector struct {
	format    string
	firstLine int // line of the file holding the first byte of front matter data
	fields    []Field
}

// Parse splits data. Problems are returned as *Error. The body is a slice
// of data, not a copy.
func Parse(data []byte) (*Document, error) {
	data = bytes.TrimPrefix(data, bom)
	open, openLine, after := openingDelimiter(data)
	if open == "" {
		return &Document{Body: data, BodyLine: 1}, nil
	}
	// The library is handed the front matter only: given the whole file it
	// copies the body through a growing buffer, a real share of the time
	// spent reading a large site.
	closing, end := closingLine(data, after, open)
	if end < 0 {
		t := msg.New(msg.FMUnclosed, open, open)
		return nil, &Error{Line: openLine, Msg: fmt.Sprintf("opened with %q but never closed: add a line with %s after the last key", open, open), Text: &t}
	}
	bodyLine := 1 + bytes.Count(data[:end], []byte("\n"))
	if open == "---" && plainReader {
		// most front matter: no need to hand it to the library to have
		// it handed back
		if fields, ok := plainYAML(fromWord(data[after:closing]), openLine+1); ok {
			return &Document{Format: "yaml", Fields: fields, Body: data[end:], BodyLine: bodyLine}, nil
		}
	}
	c := &collector{firstLine: openLine + 1}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", c.unmarshalYAML),
		frontmatter.NewFormat("+++", "+++", c.unmarshalTOML),
	}
	r := readers.Get().(*bufio.Reader)
	r.Reset(bytes.NewReader(fromWord(data[:end])))
	_, err := frontmatter.Parse(r, c, formats...)
	r.Reset(nil)
	readers.Put(r)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, &Error{Line: openLine, Msg: err.Error()}
	}
	return &Document{
		Format:   c.format,
		Fields:   c.fields,
		Body:     data[end:],
		BodyLine: bodyLine,
	}, nil
}

// plainReader is whether plain YAML is read without the library; tests
// turn it off to compare.
var plainReader = true

// bom is the UTF-8 byte order mark.
var bom = []byte("\ufeff")

// fromWord returns fm with non-breaking spaces made spaces and curly quotes
// around values made straight; fm itself when it has neither, as nearly
// every file does.
func fromWord(fm []byte) []byte {
	if !bytes.Contains(fm, []byte("\u00a0")) && !bytes.Contains(fm, []byte("\u201c")) && !bytes.Contains(fm, []byte("\u2018")) {
		return fm
	}
	out := make([]byte, 0, len(fm))
	for len(fm) > 0 {
		line, rest, found := bytes.Cut(fm, []byte("\n"))
		fm = rest
		out = append(out, straightenQuotes(bytes.ReplaceAll(line, []byte("\u00a0"), []byte(" ")))...)
		if found {
			out = append(out, '\n')
		}
	}
	return out
}

// straightenQuotes replaces the curly quotes around the value of a line
// "key: “value”", "key = “value”" or "- “value”", unless the value holds
// the straight quote they would become.
func straightenQuotes(line []byte) []byte {
	start := -1
	if i := bytes.IndexAny(line, ":="); i >= 0 {
		start = i + 1
	} else if t := bytes.TrimLeft(line, " "); bytes.HasPrefix(t, []byte("- ")) {
		start = len(line) - len(t) + 1
	}
	if start < 0 {
		return line
	}
	value := bytes.TrimSpace(line[start:])
	at := start + bytes.Index(line[start:], value)
	for _, q := range []struct{ open, close, straight string }{{"\u201c", "\u201d", `"`}, {"\u2018", "\u2019", "'"}} {
		inner, ok := bytes.CutPrefix(value, []byte(q.open))
		if !ok {
			continue
		}
		inner, ok = bytes.CutSuffix(inner, []byte(q.close))
		if !ok || bytes.Contains(inner, []byte(q.straight)) {
			return line
		}
		out := append([]byte{}, line[:at]...)
		out = append(out, q.straight...)
		out = append(out, inner...)
		out = append(out, q.straight...)
		return append(out, line[at+len(value):]...)
	}
	return line
}

// readers are reused across files; the library takes a *bufio.Reader of
// its default size as it is instead of allocating its own.
var readers = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// closingLine finds the line that closes the front matter opened by
// delim, looking from offset from on: it returns where that line starts
// and the offset just past it, or -1, -1 when no line closes it. A closing
// line is, as for the library, one that is the delimiter once trimmed.
func closingLine(data []byte, from int, delim string) (start, end int) {
	for off := from; off < len(data); {
		l, _, found := bytes.Cut(data[off:], []byte("\n"))
		next := off + len(l)
		if found {
			next++
		}
		if string(bytes.TrimSpace(l)) == delim {
			return off, next
		}
		off = next
	}
	return -1, -1
}

// openingDelimiter finds the first non-blank line and reports it, with its
// line number and the offset just past it, when it opens a front matter.
func openingDelimiter(data []byte) (delim string, line, after int) {
	for off := 0; off < len(data); {
		line++
		l, _, found := bytes.Cut(data[off:], []byte("\n"))
		off += len(l)
		if found {
			off++
		}
		switch t := strings.TrimSpace(string(l)); t {
		case "":
			continue
		case "---", "+++":
			return t, line, off
		default:
			return "", line, off
		}
	}
	return "", 0, 0
}

// unmarshalYAML reads YAML front matter that plainYAML left (Parse tried
// it first) with the YAML library.
func (c *collector) unmarshalYAML(data []byte, _ any) error {
	c.format = "yaml"
	return c.libraryYAML(data)
}

// libraryYAML reads any YAML front matter with the YAML library.
func (c *collector) libraryYAML(data []byte) error {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return yamlError(c.firstLine+tokenLine(err)-1, err)
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil
	}
	var values []*ast.MappingValueNode
	switch body := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		values = body.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{body}
	case *ast.CommentGroupNode:
		return nil
	default:
		return &Error{Line: c.firstLine + body.GetToken().Position.Line - 1, Msg: "must be a list of key: value lines"}
	}
	// One decode of the whole mapping is much cheaper than one per key;
	// the tree gives each key's line.
	var all map[string]any
	if err := yaml.NodeToValue(file.Docs[0].Body, &all); err != nil {
		return yamlError(c.firstLine+tokenLine(err)-1, err)
	}
	for _, mv := range values {
		key := mv.Key.String()
		c.fields = append(c.fields, Field{Key: key, Value: Normalize(all[key]), Line: c.firstLine + mv.Key.GetToken().Position.Line - 1})
	}
	return nil
}

func tokenLine(err error) int {
	var te interface{ GetToken() *token.Token }
	if errors.As(err, &te) && te.GetToken() != nil {
		return te.GetToken().Position.Line
	}
	return 1
}

func yamlMessage(err error) string {
	var te interface{ GetMessage() string }
	if errors.As(err, &te) {
		return "YAML: " + te.GetMessage()
	}
	return "YAML: " + err.Error()
}

// yamlMistakes turn what the YAML parser says about the mistakes people
// make most into what to do about them, in the reader's language; the
// parser's own words stay for the rest.
var yamlMistakes = []struct {
	says string
	key  msg.Key
}{
	{"mapping value is not allowed in this context", msg.YAMLColonInValue},
	{"could not find end character of double-quoted text", msg.YAMLUnclosedQuote},
	{"could not find end character of single-quoted text", msg.YAMLUnclosedQuote},
	{"that cannot start any token", msg.YAMLTab},
	{"unexpected key name", msg.YAMLNoColon},
	{"already defined", msg.YAMLDuplicateKey},
	{"sequence end token ']' not found", msg.YAMLUnclosedList},
	{"value is not allowed in this context", msg.YAMLIndent},
}

func yamlError(line int, err error) *Error {
	m := yamlMessage(err)
	for _, y := range yamlMistakes {
		if strings.Contains(m, y.says) {
			t := msg.New(msg.FrontMatter, msg.New(y.key))
			return &Error{Line: line, Msg: m, Text: &t}
		}
	}
	return &Error{Line: line, Msg: m}
}

func (c *collector) unmarshalTOML(data []byte, _ any) error {
	c.format = "toml"
	var values map[string]any
	if err := toml.Unmarshal(data, &values); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return &Error{Line: c.firstLine + row - 1, Msg: "TOML: " + de.Error()}
		}
		return &Error{Line: c.firstLine, Msg: "TOML: " + err.Error()}
	}
	lines := tomlKeyLines(data)
	for key, v := range values {
		c.fields = append(c.fields, Field{Key: key, Value: Normalize(v), Line: c.firstLine + lines[key] - 1})
	}
	sortByLine(c.fields)
	return nil
}

// tomlKeyLines maps each top-level key (or table name) to the line where it
// is first written.
func tomlKeyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	inTable := false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			inTable = true
		case unstable.KeyValue:
			if inTable {
				continue
			}
		default:
			continue
		}
		it := e.Key()
		if !it.Next() {
			continue
		}
		k := it.Node()
		if _, seen := lines[string(k.Data)]; !seen {
			lines[string(k.Data)] = p.Shape(k.Raw).Start.Line
		}
	}
	return lines
}

func sortByLine(fields []Field) {
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && (fields[j].Line < fields[j-1].Line ||
			fields[j].Line == fields[j-1].Line && fields[j].Key < fields[j-1].Key); j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
}

// Normalize converts a decoded value to the types listed in the package
// documentation.
func Normalize(v any) any {
	switch v := v.(type) {
	case nil, string, bool, int64, float64, time.Time:
		return v
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint:
		return normalizeUint(uint64(v))
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		return normalizeUint(v)
	case float32:
		return float64(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = Normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = Normalize(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[fmt.Sprint(k)] = Normalize(e)
		}
		return out
	case fmt.Stringer: // TOML local dates and times
		return v.String()
	}
	return fmt.Sprint(v)
}

func normalizeUint(u uint64) any {
	if u > 1<<63-1 {
		return float64(u)
	}
	return int64(u)
}
