package content

import (
	"bytes"

	"github.com/serikat-id/serikat/internal/diag"
	"github.com/serikat-id/serikat/internal/msg"
)

// pastedBullets are what Word puts before a list item it pastes as text,
// each followed by a tab.
var pastedBullets = []string{"•", "◦", "–"}

// pastedText warns about text pasted from Word that Markdown reads
// otherwise than it looks: items starting with "•" and a tab, which run
// together into one paragraph, and lists indented with a tab, which become
// a block of code. One warning per run of such lines, at its first line.
// Both need a tab, so a body without one is not read further.
func (d *decoder) pastedText(body []byte, bodyLine int) {
	if bytes.IndexByte(body, '\t') < 0 {
		return
	}
	fenced := false
	prevBlank, prevList := true, false // the line before, and the last non-blank one
	inRun := false
	line := bodyLine - 1
	for len(body) > 0 {
		var l []byte
		l, body, _ = bytes.Cut(body, []byte("\n"))
		line++
		trimmed := bytes.TrimSpace(l)
		if bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~")) {
			fenced = !fenced
		}
		if fenced || len(trimmed) == 0 {
			prevBlank, inRun = len(trimmed) == 0, inRun && len(trimmed) == 0
			continue
		}
		var warning *diag.Error
		if b := pastedBullet(l); b != "" {
			warning = diag.Warn(d.file, line, msg.PastedBullet, b)
		} else if l[0] == '\t' && isListItem(l[1:]) && (prevBlank && !prevList || inRun) {
			warning = diag.Warn(d.file, line, msg.TabList)
		}
		if warning != nil && !inRun {
			d.problems = append(d.problems, warning)
		}
		inRun = warning != nil
		prevBlank, prevList = false, isListItem(bytes.TrimLeft(l, " \t")) && warning == nil
	}
}

func pastedBullet(l []byte) string {
	for _, b := range pastedBullets {
		if rest, ok := bytes.CutPrefix(l, []byte(b)); ok && len(rest) > 0 && rest[0] == '\t' {
			return b
		}
	}
	return ""
}

// isListItem reports whether l starts with a Markdown list marker: "- ",
// "* ", "+ " or a number and ". " or ") ".
func isListItem(l []byte) bool {
	if len(l) >= 2 && (l[0] == '-' || l[0] == '*' || l[0] == '+') && (l[1] == ' ' || l[1] == '\t') {
		return true
	}
	i := 0
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(l) && (l[i] == '.' || l[i] == ')') && (l[i+1] == ' ' || l[i+1] == '\t')
}
