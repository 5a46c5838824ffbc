package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// Every file of the editor is the one recorded in SHA256SUMS, and every
// recorded file is there: the embedded editor is the pinned release.
func TestEditorMatchesChecksums(t *testing.T) {
	sums := Sums()
	if len(sums) < 90 {
		t.Fatalf("SHA256SUMS lists %d files", len(sums))
	}
	seen := 0
	err := fs.WalkDir(Editor(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(Editor(), name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if want, ok := sums[name]; !ok {
			t.Errorf("%s is not in SHA256SUMS", name)
		} else if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: SHA-256 %s, recorded %s", name, got, want)
		}
		seen++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(sums) {
		t.Errorf("%d files embedded, %d recorded", seen, len(sums))
	}
	licence, err := fs.ReadFile(Editor(), "LICENSE")
	if err != nil || !strings.Contains(string(licence), "MIT License") || !strings.Contains(string(licence), Version) {
		t.Errorf("LICENSE: %v\n%s", err, licence)
	}
}

// The configuration holds the site's collections with the fields serikat
// check asks for, required where it requires them, and a site's own
// collections replace or join them.
func TestConfig(t *testing.T) {
	data, err := Config(Site{Title: "S", BaseURL: "https://s.example.org/", Repo: "o/r",
		Federations: []Federation{{ID: "f-hukatan", Name: "F HUKATAN"}},
		Pages:       []Page{{File: "content/tentang.md", Title: "Tentang"}},
		Collections: []map[string]any{{"name": "berita", "label": "Kabar"}, {"name": "agenda", "folder": "content/agenda"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var conf struct {
		Backend     map[string]string
		Locale      string
		Collections []struct {
			Name, Label, Folder, Path string
			MediaFolder               *string `json:"media_folder"`
			Fields                    []map[string]any
			Files                     []map[string]any
		}
	}
	if err := json.Unmarshal(data, &conf); err != nil {
		t.Fatal(err)
	}
	if conf.Backend["name"] != "github" || conf.Backend["repo"] != "o/r" || conf.Backend["branch"] != "main" || conf.Locale != "id" {
		t.Errorf("backend %v, locale %q", conf.Backend, conf.Locale)
	}
	var names []string
	fields := map[string]map[string]map[string]any{}
	for _, c := range conf.Collections {
		names = append(names, c.Name)
		fields[c.Name] = map[string]map[string]any{}
		for _, f := range c.Fields {
			fields[c.Name][f["name"].(string)] = f
		}
		if c.Folder != "" && c.Name != "agenda" && (c.Path != "{{slug}}/index" || c.MediaFolder == nil || *c.MediaFolder != "") {
			t.Errorf("%s: new pages are not bundles holding their photos: path %q, media_folder %v", c.Name, c.Path, c.MediaFolder)
		}
		if c.Name == "berita" && c.Label != "Kabar" {
			t.Errorf("the site's berita did not replace the label: %q", c.Label)
		}
		if c.Name == "halaman" && (len(c.Files) != 1 || c.Files[0]["file"] != "content/tentang.md") {
			t.Errorf("halaman: %v", c.Files)
		}
	}
	if got := strings.Join(names, " "); got != "modul kampanye berita halaman agenda" {
		t.Errorf("collections %s", got)
	}
	for _, want := range []struct {
		coll, field, widget string
		required            bool
	}{
		{"modul", "title", "string", true}, {"modul", "durasi", "string", true}, {"modul", "tujuan", "list", true},
		{"modul", "nomor", "number", false}, {"modul", "bahan", "list", false}, {"modul", "peserta", "string", false},
		{"modul", "description", "text", false}, {"modul", "body", "markdown", false}, {"modul", "gambar", "image", false},
		{"kampanye", "federasi", "select", false}, {"kampanye", "target", "number", false}, {"kampanye", "tenggat", "datetime", false},
		{"kampanye", "bagianDari", "relation", false}, {"kampanye", "warna", "color", false}, {"kampanye", "kontak", "string", false},
		{"kampanye", "namaFederasi", "string", false}, {"berita", "date", "datetime", true},
	} {
		f := fields[want.coll][want.field]
		if f == nil || f["widget"] != want.widget || f["required"] != want.required {
			t.Errorf("%s.%s = %v, want widget %s, required %v", want.coll, want.field, f, want.widget, want.required)
		}
	}
	if f := fields["modul"]["tujuan"]; f["min"] != 1.0 {
		t.Errorf("tujuan may be empty: %v", f)
	}
	if f := fields["kampanye"]["target"]; f["value_type"] != "int" || f["min"] != 0.0 {
		t.Errorf("target takes more than whole numbers of 0 or more: %v", f)
	}
	if f := fields["kampanye"]["tenggat"]; f["format"] != "YYYY-MM-DD" {
		t.Errorf("tenggat is not written year-month-day: %v", f)
	}
	if opts := fields["kampanye"]["federasi"]["options"].([]any); len(opts) != 1 {
		t.Errorf("federasi options %v", opts)
	}

	serve, err := ServeConfig(data, "http://127.0.0.1:1313", "127.0.0.1")
	if err != nil || !strings.Contains(string(serve), `"url": "http://127.0.0.1:1313/api/v1"`) {
		t.Errorf("ServeConfig: %v\n%s", err, serve)
	}
}

// The page loads only scripts of its own folder, nothing inline.
func TestFiles(t *testing.T) {
	files, err := Files(Site{Title: `A "B" <C>`, Stylesheets: []string{"/css/main.0123456789.css"}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data()
	}
	index := string(byName["admin/index.html"])
	for _, want := range []string{`<title>Penyunting · A &#34;B&#34; &lt;C&gt;</title>`, `<script src="decap-cms.js"></script>`,
		`data-css="/css/main.0123456789.css"`, `rel="cms-config-url"`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s:\n%s", want, index)
		}
	}
	for _, name := range []string{"admin/decap-cms.js", "admin/config.yml", "admin/serikat-admin.js", "admin/LICENSE", "admin/decap-cms.js.LICENSE.txt"} {
		if len(byName[name]) == 0 {
			t.Errorf("%s is missing", name)
		}
	}
}
