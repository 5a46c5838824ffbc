package admin

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"path"
	"slices"
	"strings"
)

// Site is what the editor's configuration is made from.
type Site struct {
	Title   string // serikat.toml's title
	BaseURL string // the site's address
	// Repo and Branch are where the published editor commits ([admin]).
	Repo, Branch string
	// Stylesheets are the site paths of the site's built stylesheets, for
	// the editor's preview.
	Stylesheets []string
	// Federations are the federations the join endpoint knows, for a
	// campaign's federasi.
	Federations []Federation
	// Pages are the site's single pages and section pages ("content/tentang.md"),
	// each with its title, edited in the collection "halaman".
	Pages []Page
	// Collections are [admin] collections from serikat.toml: each replaces
	// the collection of the same name or is added.
	Collections []map[string]any
}

// Federation is a federation a campaign can be for.
type Federation struct{ ID, Name string }

// Page is one page of the "halaman" collection.
type Page struct{ File, Title string }

// field is a Decap CMS field; collection a collection.
type field map[string]any

type collection map[string]any

// Config returns config.yml for s: Decap CMS's configuration, written as
// JSON (which is YAML).
func Config(s Site) ([]byte, error) {
	branch := s.Branch
	if branch == "" {
		branch = "main"
	}
	conf := map[string]any{
		"backend":       map[string]any{"name": "github", "repo": s.Repo, "branch": branch},
		"locale":        "id",
		"media_folder":  "content",
		"public_folder": "",
		"publish_mode":  "simple",
		"site_url":      s.BaseURL,
		"display_url":   s.BaseURL,
		"slug":          map[string]any{"encoding": "ascii", "clean_accents": true},
		"collections":   collections(s),
	}
	return json.MarshalIndent(conf, "", "  ")
}

// ServeConfig returns conf with the local backend at origin
// ("http://127.0.0.1:1313") turned on, for "serikat serve".
func ServeConfig(conf []byte, origin string, host string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(conf, &m); err != nil {
		return nil, fmt.Errorf("admin/config.yml: %w", err)
	}
	m["local_backend"] = map[string]any{"url": origin + "/api/v1", "allowed_hosts": []string{host}}
	return json.MarshalIndent(m, "", "  ")
}

func collections(s Site) []collection {
	out := []collection{modules(), campaigns(s), news()}
	if len(s.Pages) > 0 {
		var files []collection
		for _, p := range s.Pages {
			files = append(files, collection{
				"name":  strings.NewReplacer("/", "-", ".", "-", "_", "").Replace(strings.TrimPrefix(p.File, "content/")),
				"label": p.Title, "file": p.File,
				"media_folder": "", "public_folder": "",
				"fields": []field{title(), description(), body()},
			})
		}
		out = append(out, collection{"name": "halaman", "label": "Halaman lain", "label_singular": "Halaman",
			"description": "Halaman tunggal situs ini (Tentang, Gabung, Privasi …) dan halaman pembuka tiap bagian.",
			"files":       files})
	}
	for _, extra := range s.Collections {
		name, _ := extra["name"].(string)
		i := slices.IndexFunc(out, func(c collection) bool { return c["name"] == name })
		if i < 0 {
			out = append(out, collection(extra))
			continue
		}
		for k, v := range extra {
			out[i][k] = v
		}
	}
	return out
}

// folder is a collection of pages under content/<dir>, each new page a
// bundle (content/<dir>/<slug>/index.md) holding its photos.
func folder(name, label, singular, desc string, fields ...field) collection {
	return collection{
		"name": name, "label": label, "label_singular": singular, "description": desc,
		"folder": path.Join("content", name), "create": true, "extension": "md", "format": "frontmatter",
		"path": "{{slug}}/index", "media_folder": "", "public_folder": "",
		"summary": "{{title}}", "sortable_fields": []string{"title"},
		"fields": fields,
	}
}

func modules() collection {
	return folder("modul", "Modul pelatihan", "Modul", "Bahan pelatihan, satu modul per sesi.",
		title(),
		description(),
		field{"name": "nomor", "label": "Nomor modul", "widget": "number", "value_type": "int", "min": 1, "required": false,
			"hint": "Urutan modul dalam pelatihan: 1, 2, 3 …"},
		field{"name": "weight", "label": "Urutan di daftar", "widget": "number", "value_type": "int", "min": 0, "required": false,
			"hint": "Biasanya sama dengan nomor modul."},
		field{"name": "durasi", "label": "Durasi", "widget": "string", "required": true,
			"hint": "Berapa lama sesi ini, misalnya \"90 menit\"."},
		field{"name": "peserta", "label": "Peserta", "widget": "string", "required": false,
			"hint": "Untuk siapa, misalnya \"Pengurus cabang dan komisariat\"."},
		textList("tujuan", "Tujuan", "Tujuan", true, "Apa yang bisa dilakukan peserta setelah sesi ini. Paling sedikit satu."),
		textList("bahan", "Bahan", "Bahan", false, "Yang perlu disiapkan: papan tulis, kertas plano …"),
		image(),
		imageAlt(),
		body(),
	)
}

func campaigns(s Site) collection {
	federasi := field{"name": "federasi", "label": "Federasi", "widget": "string", "required": false,
		"pattern": []string{`^([a-z0-9][a-z0-9-]{0,47})?$`, "Huruf kecil, angka dan tanda minus saja, misalnya f-hukatan"},
		"hint":    "ID federasi yang menerima pendaftaran. Kosongkan untuk kampanye bersama."}
	if len(s.Federations) > 0 {
		var options []map[string]string
		for _, f := range s.Federations {
			options = append(options, map[string]string{"label": f.Name, "value": f.ID})
		}
		federasi = field{"name": "federasi", "label": "Federasi", "widget": "select", "options": options, "required": false,
			"hint": "Federasi yang menerima pendaftaran. Kosongkan untuk kampanye bersama. Federasi baru ditambahkan di serikat.toml ([[join.federations]])."}
	}
	c := folder("kampanye", "Kampanye", "Kampanye", "Kampanye keanggotaan: ajakan bergabung dan target anggota baru.",
		title(),
		description(),
		federasi,
		field{"name": "namaFederasi", "label": "Nama federasi", "widget": "string", "required": false,
			"hint": "Nama seperti orang menulisnya, misalnya \"F HUKATAN\"."},
		field{"name": "konfederasi", "label": "Konfederasi", "widget": "string", "required": false},
		field{"name": "bersama", "label": "Kampanye bersama", "widget": "boolean", "required": false, "default": false,
			"hint": "Pendaftar memilih federasinya di formulir."},
		field{"name": "target", "label": "Target anggota baru", "widget": "number", "value_type": "int", "min": 0, "required": false,
			"hint": "Angka saja tanpa titik, misalnya 1000. Kosongkan bila kampanye ini berbagi target kampanye bersama."},
		field{"name": "tenggat", "label": "Tenggat", "widget": "datetime", "required": false,
			"format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": false, "picker_utc": true,
			"hint": "Tanggal target tercapai."},
		field{"name": "bagianDari", "label": "Bagian dari kampanye", "widget": "relation", "required": false,
			"collection": "kampanye", "search_fields": []string{"title"}, "display_fields": []string{"title"},
			"value_field": "kampanye/{{slug}}.md",
			"hint":        "Kampanye bersama yang targetnya dibagi dengan kampanye ini."},
		field{"name": "warna", "label": "Warna", "widget": "color", "required": false,
			"pattern": []string{`^(#[0-9a-fA-F]{6})?$`, "Warna ditulis #rrggbb, misalnya #a4161a"},
			"hint":    "Warna kartu berbagi dan poster."},
		image(),
		imageAlt(),
		field{"name": "sektor", "label": "Sektor", "widget": "string", "required": false,
			"hint": "Sektor yang diorganisir federasi, untuk poster."},
		field{"name": "alamat", "label": "Alamat", "widget": "text", "required": false,
			"hint": "Di mana pengurus bisa ditemui, untuk poster."},
		field{"name": "kontak", "label": "Kontak", "widget": "string", "required": false,
			"hint": "Cara menghubungi pengurus, untuk poster."},
		body(),
	)
	return c
}

func news() collection {
	return folder("berita", "Berita", "Berita", "Kabar kegiatan.",
		title(),
		description(),
		field{"name": "date", "label": "Tanggal", "widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
			"time_format": false, "picker_utc": true, "required": true},
		textList("tags", "Label", "Label", false, "Kata kunci, misalnya lampung."),
		image(),
		imageAlt(),
		body(),
	)
}

func title() field {
	return field{"name": "title", "label": "Judul", "widget": "string", "required": true}
}

func description() field {
	return field{"name": "description", "label": "Ringkasan", "widget": "text", "required": false,
		"hint": "Satu atau dua kalimat: yang tampil di daftar, di hasil pencarian dan saat tautan dibagikan."}
}

func body() field {
	return field{"name": "body", "label": "Isi", "widget": "markdown", "required": false}
}

// image and imageAlt are the picture a shared link shows, kept in the
// page's folder.
func image() field {
	return field{"name": "gambar", "label": "Foto", "widget": "image", "required": false, "choose_url": false,
		"hint": "Foto yang tampil saat tautan halaman ini dibagikan. Disimpan di folder halaman ini."}
}

func imageAlt() field {
	return field{"name": "gambarAlt", "label": "Keterangan foto", "widget": "string", "required": false,
		"hint": "Apa yang terlihat di foto, untuk pembaca yang tidak bisa melihatnya."}
}

func textList(name, label, singular string, required bool, hint string) field {
	f := field{"name": name, "label": label, "label_singular": singular, "widget": "list", "required": required,
		"field": field{"name": "isi", "label": singular, "widget": "string"}, "hint": hint}
	if required {
		f["min"] = 1
	}
	return f
}

// indexHTML is admin/index.html: the editor's page.
func indexHTML(s Site) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="id"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,">`)
	fmt.Fprintf(&b, `<title>Penyunting · %s</title>`, html.EscapeString(s.Title))
	b.WriteString(`<link href="config.yml" type="text/yaml" rel="cms-config-url"></head><body>`)
	b.WriteString(`<script src="decap-cms.js"></script>`)
	fmt.Fprintf(&b, `<script src="serikat-admin.js" data-css="%s"></script>`, html.EscapeString(strings.Join(s.Stylesheets, " ")))
	b.WriteString(`</body></html>`)
	return []byte(b.String())
}

//go:embed serikat-admin.js
var adminJS string
