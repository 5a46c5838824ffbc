package main

import (
	"bytes"
	"strings"
	"testing"
)

// The photo progress bar redraws one line and ends it when done.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	bar := progressBar(&buf, "images")
	for i := 1; i <= 4; i++ {
		bar(i, 4)
	}
	out := buf.String()
	if strings.Count(out, "\r") != 4 || !strings.HasSuffix(out, "\rimages [==============================] 4/4\n") ||
		!strings.Contains(out, "\rimages [=======                       ] 1/4") {
		t.Errorf("progress bar wrote %q", out)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is not a terminal")
	}
}
