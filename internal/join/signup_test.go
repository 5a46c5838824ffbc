package join

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	for raw, want := range map[string]string{
		"0812-3456-7890":    "+6281234567890",
		"+62 812 3456 7890": "+6281234567890",
		"6281234567890":     "+6281234567890",
		"(0812) 3456.7890":  "+6281234567890",
		" 081234567890 ":    "+6281234567890",
	} {
		got, msg := NormalizePhone(raw)
		if got != want || msg != "" {
			t.Errorf("NormalizePhone(%q) = %q, %q; want %q", raw, got, msg, want)
		}
	}
	for raw, want := range map[string]string{
		"":                "Wajib diisi.",
		"021-5551234":     "Gunakan nomor ponsel, bukan telepon rumah atau kantor.",
		"+1 415 555 0100": "Gunakan nomor ponsel Indonesia (+62).",
		"12345":           "Nomor ini tidak valid. Tulis seperti 0812-3456-7890.",
		"bukan nomor":     "Nomor ini tidak valid. Tulis seperti 0812-3456-7890.",
		"'; DROP TABLE--": "Nomor ini tidak valid. Tulis seperti 0812-3456-7890.",
	} {
		if got, msg := NormalizePhone(raw); msg != want {
			t.Errorf("NormalizePhone(%q) = %q, %q; want message %q", raw, got, msg, want)
		}
	}
}

var feds = map[string]Federation{"f-hukatan": {ID: "f-hukatan", Name: "F HUKATAN", Target: 200}}

func TestValidate(t *testing.T) {
	s := Signup{Name: "  Siti <b>Aminah</b> ", Phone: "0812 3456 7890", Workplace: "PT Kayu", City: "Bandar Lampung",
		Federation: "f-hukatan", Consent: true, Source: "Poster"}
	if errs := s.Validate(feds); errs != nil {
		t.Fatal(errs)
	}
	if s.Name != "Siti <b>Aminah</b>" || s.Phone != "+6281234567890" || s.Source != "poster" {
		t.Errorf("normalized %+v", s)
	}
	bad := Signup{Name: "", Phone: "021-5551234", Workplace: string(make([]byte, 0)), City: "x\x00y", Federation: "tidak-ada", Source: "<script>"}
	errs := bad.Validate(feds)
	for _, field := range []string{"name", "phone", "workplace", "city", "federation", "consent"} {
		if errs[field] == "" {
			t.Errorf("no error for %s: %v", field, errs)
		}
	}
	if bad.Source != "" {
		t.Errorf("a malformed source must be dropped, got %q", bad.Source)
	}
	if _, ok := errs["source"]; ok {
		t.Error("a malformed source is not the worker's mistake")
	}
	long := Signup{Name: strings.Repeat("a", 101), Phone: "081234567890", Workplace: "a", City: "b", Federation: "f-hukatan", Consent: true}
	if errs := long.Validate(feds); errs["name"] != "Terlalu panjang: paling banyak 100 huruf." {
		t.Errorf("long name: %v", errs)
	}
}

// Every signup Validate accepts pads to PadTo exactly: the longest, in
// four-byte characters and quotes, as well as the shortest.
func TestPadCoversTheLongestSignup(t *testing.T) {
	wide := func(n int) string { return strings.Repeat("𝔸", n) }
	long := Signup{Name: wide(maxName), Phone: "+6281234567890", Workplace: wide(maxWorkplace), City: wide(maxCity),
		Federation: strings.Repeat("f", 64), Sector: wide(maxSector), Source: strings.Repeat("s", 32), Consent: true}
	quotes := long
	quotes.Name = strings.Repeat(`"\<`, maxName/3)
	for _, s := range []Signup{{Name: "A", Phone: "+6281234567890", Workplace: "B", City: "C", Federation: "f"}, long, quotes} {
		if n := len(Pad(s)); n != PadTo {
			t.Errorf("a signup padded to %d bytes, want %d", n, PadTo)
		}
		var back Signup
		if err := json.Unmarshal(Pad(s), &back); err != nil || back != s {
			t.Errorf("padded signup reads back as %+v, %v", back, err)
		}
	}
}

// A planted name must not read exactly like a worker's: characters that
// show nothing, and words that mix Latin with Cyrillic or Greek letters,
// are refused; Indonesian and other scripts on their own are not.
func TestLookAlikeNamesAreRefused(t *testing.T) {
	for _, name := range []string{"Budi\u034f Santoso", "Budi\ufe0f Santoso", "Budi\u3164 Santoso", "Budi\u2800 Santoso",
		"Budi\u115f Santoso", "Budi\u2028Santoso", "Sant\u043eso", "B\u03bfdi"} {
		s := Signup{Name: name, Phone: "0812-3456-7890", Workplace: "PT Kayu", City: "Metro", Federation: "f", Consent: true}
		if errs := s.Validate(map[string]Federation{"f": {ID: "f"}}); errs["name"] == "" {
			t.Errorf("%q was accepted", name)
		}
	}
	for _, name := range []string{"Siti Nurhaliza", "Dewi Ayu Lestari", "Ñoño José", "ꦱꦶꦠꦶ", "Иван Петров", "Nguyễn Văn A"} {
		s := Signup{Name: name, Phone: "0812-3456-7890", Workplace: "PT Kayu", City: "Metro", Federation: "f", Consent: true}
		if errs := s.Validate(map[string]Federation{"f": {ID: "f"}}); errs != nil {
			t.Errorf("%q was refused: %v", name, errs)
		}
	}
}
