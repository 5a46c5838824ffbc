package search

// Examples are words and the root Stem gives them, families that must
// find each other; the tests hold both Stem and assets/js/cari.js to them.
var Examples = map[string]string{
	"pelatihan": "latih", "melatih": "latih", "dilatih": "latih", "latihan": "latih", "Pelatih": "latih",
	"pekerja": "kerja", "bekerja": "kerja", "pekerjaan": "kerja", "kerja": "kerja",
	"keanggotaan": "anggota", "anggota": "anggota", "anggotanya": "anggota",
	"pengorganisasian": "organisasi", "organisasi": "organisasi", "mengorganisasi": "organisasi",
	"merekrut": "rekrut", "direkrut": "rekrut", "perundingan": "unding", "berunding": "unding",
	"menulis": "tulis", "tulisan": "tulis", "memukul": "pukul", "menyusun": "susun", "disusun": "susun",
	"bergabunglah": "gabung", "bergabung": "gabung", "gabung": "gabung",
	"Pékerja": "kerja", "UU": "uu", "2024": "2024",
}
