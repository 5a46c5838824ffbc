package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/serikat-id/serikat/internal/join"
)

// TestSiteFederations: a federation's deadline is its campaign page's
// tenggat, also when serikat.toml names the federation (and wins on its
// name and target); progress = "anggota" makes it count members.
func TestSiteFederations(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"serikat.toml":          "title = \"Uji\"\nbaseURL = \"/\"\n[join]\n[[join.federations]]\nid = \"f-a\"\nname = \"F A\"\ntarget = 100\nprogress = \"anggota\"\n",
		"content/kampanye/a.md": "---\ntitle: A\nfederasi: f-a\nnamaFederasi: Lain\ntarget: 5\ntenggat: 2099-06-30\n---\n",
		"content/kampanye/b.md": "---\ntitle: B\nfederasi: f-b\nnamaFederasi: F B\ntarget: 40\ntenggat: 2099-12-31\n---\n",
		"content/kampanye/c.md": "---\ntitle: C\nfederasi: f-c\ntarget: 7\n---\n",
	}
	for name, text := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	feds, _, err := siteFederations(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []join.Federation{
		{ID: "f-a", Name: "F A", Target: 100, Deadline: "2099-06-30", CountMembers: true},
		{ID: "f-b", Name: "F B", Target: 40, Deadline: "2099-12-31"},
		{ID: "f-c", Name: "f-c", Target: 7},
	}
	if len(feds) != len(want) {
		t.Fatalf("federations = %+v, want %+v", feds, want)
	}
	for i := range want {
		if feds[i] != want[i] {
			t.Errorf("federation %d = %+v, want %+v", i, feds[i], want[i])
		}
	}
}
