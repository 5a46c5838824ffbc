package layout

import (
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/serikat-id/serikat/internal/slug"
)

// Funcs returns the template functions that need nothing from the site.
// lang picks the month and day names of dateFormat ("id" or "en").
func Funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"safeHTML":     func(s any) template.HTML { return template.HTML(fmt.Sprint(s)) },
		"safeHTMLAttr": func(s any) template.HTMLAttr { return template.HTMLAttr(fmt.Sprint(s)) },
		"safeCSS":      func(s any) template.CSS { return template.CSS(fmt.Sprint(s)) },
		"safeJS":       func(s any) template.JS { return template.JS(fmt.Sprint(s)) },
		"safeURL":      func(s any) template.URL { return template.URL(fmt.Sprint(s)) },
		"urlize":       func(s any) string { return slug.Make(fmt.Sprint(s)) },
		"dateFormat":   func(layout string, t any) (string, error) { return DateFormat(lang, layout, t) },
		"lower":        func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
		"upper":        func(s any) string { return strings.ToUpper(fmt.Sprint(s)) },
		"title":        titleCase,
		"trim":         func(s any, cut string) string { return strings.Trim(fmt.Sprint(s), cut) },
		"replace":      func(s any, old, new string) string { return strings.ReplaceAll(fmt.Sprint(s), old, new) },
		"plainify":     plainify,
		"truncate":     truncate,
		"jsonify":      jsonify,
		"default":      defaultValue,
		"dict":         dict,
		"slice":        func(v ...any) []any { return v },
		"first":        first,
		"after":        after,
		"where":        where,
		"in":           in,
		"isset":        isset,
		"seq":          seq,
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"mul":          func(a, b int) int { return a * b },
		"div":          func(a, b int) (int, error) { return safeDiv(a, b) },
		"mod":          func(a, b int) (int, error) { return safeMod(a, b) },
		"foldSection":  foldSection,
		"int":          toInt,
		"merge":        merge,
		"isoDuration":  isoDuration,
	}
}

// merge returns a new map with the keys of a, then those of b over them.
func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// isoDuration turns a duration as trainers write it ("90 menit", "2 jam",
// "1 jam 30 menit", "2 hours") into ISO 8601 ("PT90M"), or "" when it
// cannot.
func isoDuration(s any) string {
	f := strings.Fields(strings.ToLower(fmt.Sprint(s)))
	var out strings.Builder
	for i := 0; i+1 < len(f); i += 2 {
		n, err := strconv.Atoi(f[i])
		if err != nil || n < 0 {
			return ""
		}
		switch strings.TrimSuffix(f[i+1], ",") {
		case "jam", "hour", "hours":
			fmt.Fprintf(&out, "%dH", n)
		case "menit", "minute", "minutes", "min":
			fmt.Fprintf(&out, "%dM", n)
		default:
			return ""
		}
	}
	if out.Len() == 0 || len(f)%2 != 0 {
		return ""
	}
	return "PT" + out.String()
}

// foldSection wraps the section of rendered Markdown that starts with the
// heading whose id is id, up to the next heading of the same or a higher
// level, in <details class="class"> with the heading as its summary. It is
// how a theme folds "## Catatan fasilitator" without trainers writing HTML.
// html is returned unchanged when it has no such heading.
func foldSection(id, class string, html template.HTML) template.HTML {
	s := string(html)
	for level := 1; level <= 6; level++ {
		open := fmt.Sprintf(`<h%d id="%s"`, level, template.HTMLEscapeString(id))
		start := strings.Index(s, open)
		if start < 0 {
			continue
		}
		closeTag := fmt.Sprintf("</h%d>", level)
		headEnd := strings.Index(s[start:], closeTag)
		if headEnd < 0 {
			return html
		}
		headEnd += start + len(closeTag)
		end := len(s)
		for l := 1; l <= level; l++ {
			if i := strings.Index(s[headEnd:], fmt.Sprintf("<h%d", l)); i >= 0 && headEnd+i < end {
				end = headEnd + i
			}
		}
		return template.HTML(s[:start] + `<details class="` + template.HTMLEscapeString(class) + `"><summary>` +
			s[start:headEnd] + "</summary>" + s[headEnd:end] + "</details>" + s[end:])
	}
	return html
}

var (
	monthsID = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	daysID   = []string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
)

// DateFormat formats t with a Go layout ("2 January 2006"), writing month and
// day names in the language lang. Month names are abbreviated to three
// letters for "Jan", day names for "Mon" ("Agu", "Sen").
func DateFormat(lang, layout string, v any) (string, error) {
	t, ok := v.(time.Time)
	if s, isText := v.(string); isText {
		// front matter dates that are not date keys stay text: "2025-07-28"
		parsed, err := time.Parse("2006-01-02", s)
		t, ok = parsed, err == nil
	}
	if !ok {
		return "", fmt.Errorf("dateFormat: want a date such as 2025-07-28, got %q", fmt.Sprint(v))
	}
	if lang != "id" {
		return t.Format(layout), nil
	}
	var b strings.Builder
	for layout != "" {
		token, name := "", ""
		i := len(layout)
		for _, tok := range []string{"January", "Monday", "Jan", "Mon"} {
			if j := strings.Index(layout, tok); j >= 0 && (j < i || j == i && len(tok) > len(token)) {
				i, token = j, tok
			}
		}
		b.WriteString(t.Format(layout[:i]))
		if token == "" {
			break
		}
		switch token {
		case "January":
			name = monthsID[t.Month()-1]
		case "Jan":
			name = monthsID[t.Month()-1][:3]
		case "Monday":
			name = daysID[t.Weekday()]
		case "Mon":
			name = daysID[t.Weekday()][:3]
		}
		b.WriteString(name)
		layout = layout[i+len(token):]
	}
	return b.String(), nil
}

func titleCase(s any) string {
	words := strings.Fields(fmt.Sprint(s))
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

func plainify(s any) string {
	in := fmt.Sprint(s)
	var b strings.Builder
	inTag := false
	for _, r := range in {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}

// truncate shortens text to at most n characters, at a word boundary, with
// an ellipsis.
func truncate(n int, s any) string {
	text := fmt.Sprint(s)
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)[:n]
	cut := strings.LastIndexFunc(string(runes), unicode.IsSpace)
	out := string(runes)
	if cut > 0 {
		out = out[:cut]
	}
	return strings.TrimRightFunc(out, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

func jsonify(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}

func truth(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return rv.Len() > 0
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int64, reflect.Int32:
		return rv.Int() != 0
	case reflect.Float64:
		return rv.Float() != 0
	case reflect.Pointer, reflect.Interface:
		return !rv.IsNil()
	}
	return true
}

// defaultValue is Hugo's default: {{ .Params.x | default "y" }}.
func defaultValue(def any, given ...any) any {
	if len(given) > 0 && truth(given[0]) {
		return given[0]
	}
	return def
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: want key and value pairs, got %d arguments", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not text", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func sliceOf(v any) (reflect.Value, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return reflect.Value{}, fmt.Errorf("want a list, got %T", v)
	}
	return rv, nil
}

func first(n int, list any) (any, error) {
	rv, err := sliceOf(list)
	if err != nil {
		return nil, fmt.Errorf("first: %w", err)
	}
	return rv.Slice(0, min(max(n, 0), rv.Len())).Interface(), nil
}

func after(n int, list any) (any, error) {
	rv, err := sliceOf(list)
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	return rv.Slice(min(max(n, 0), rv.Len()), rv.Len()).Interface(), nil
}

// where keeps the items of list whose field (a method or map key, such as
// "Section" or "Params.federasi") equals value.
func where(list any, field string, value any) (any, error) {
	rv, err := sliceOf(list)
	if err != nil {
		return nil, fmt.Errorf("where: %w", err)
	}
	out := reflect.MakeSlice(rv.Type(), 0, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		item := rv.Index(i)
		got, err := lookupPath(item, strings.Split(strings.TrimPrefix(field, "."), "."))
		if err != nil {
			return nil, fmt.Errorf("where: %w", err)
		}
		if fmt.Sprint(got) == fmt.Sprint(value) {
			out = reflect.Append(out, item)
		}
	}
	return out.Interface(), nil
}

func lookupPath(v reflect.Value, parts []string) (any, error) {
	for _, part := range parts {
		for v.Kind() == reflect.Interface {
			v = v.Elem()
		}
		if !v.IsValid() {
			return nil, nil
		}
		if m := v.MethodByName(part); m.IsValid() && m.Type().NumIn() == 0 {
			v = m.Call(nil)[0]
			continue
		}
		switch v.Kind() {
		case reflect.Map:
			v = v.MapIndex(reflect.ValueOf(part))
		case reflect.Pointer:
			if f := v.Elem().FieldByName(part); f.IsValid() {
				v = f
			} else {
				return nil, fmt.Errorf("no field %s in %s", part, v.Type())
			}
		case reflect.Struct:
			v = v.FieldByName(part)
		default:
			return nil, fmt.Errorf("no field %s in %s", part, v.Type())
		}
	}
	if !v.IsValid() {
		return nil, nil
	}
	return v.Interface(), nil
}

func in(list any, v any) bool {
	if s, ok := list.(string); ok {
		return strings.Contains(s, fmt.Sprint(v))
	}
	rv, err := sliceOf(list)
	if err != nil {
		return false
	}
	for i := 0; i < rv.Len(); i++ {
		if fmt.Sprint(rv.Index(i).Interface()) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

func isset(m any, key string) bool {
	rv := reflect.ValueOf(m)
	if rv.Kind() != reflect.Map {
		return false
	}
	return rv.MapIndex(reflect.ValueOf(key)).IsValid()
}

func seq(n int) []int {
	out := make([]int, 0, max(n, 0))
	for i := 1; i <= n; i++ {
		out = append(out, i)
	}
	return out
}

func safeDiv(a, b int) (int, error) {
	if b == 0 {
		return 0, fmt.Errorf("div: division by zero")
	}
	return a / b, nil
}

func safeMod(a, b int) (int, error) {
	if b == 0 {
		return 0, fmt.Errorf("mod: division by zero")
	}
	return a % b, nil
}

// toInt converts a number or numeric text to an int; anything else is 0,
// so {{ if gt (int .Params.target) 0 }} works when the key is missing.
func toInt(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	case string:
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		return n
	}
	return 0
}
