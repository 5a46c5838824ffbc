package msg

// The keys of the catalogue, grouped by where the problem is written.
const (
	// words that stand beside messages
	Warning       Key = "warning"
	ProblemsFound Key = "problems-found"
	NounProblem   Key = "noun-problem"
	NounWarning   Key = "noun-warning"
	NounPage      Key = "noun-page"
	NounFile      Key = "noun-file"
	Plain         Key = "plain"

	// what a value is, inside other messages
	Nothing Key = "nothing"
	AList   Key = "a-list"
	ATable  Key = "a-table"

	// the file itself
	NotUTF8 Key = "not-utf8"

	// front matter, read by the content package
	FrontMatter      Key = "front-matter"
	FMUnclosed       Key = "fm-unclosed"
	FMWrongType      Key = "fm-wrong-type"
	FMKey            Key = "fm-key"
	WordText         Key = "word-text"
	WordTrueFalse    Key = "word-true-false"
	WordWholeNumber  Key = "word-whole-number"
	WordTextList     Key = "word-text-list"
	NoTitle          Key = "no-title"
	EmptyTitle       Key = "empty-title"
	URLTaken         Key = "url-taken"
	PageRefMissing   Key = "page-ref-missing"
	PageRefNear      Key = "page-ref-near"
	UnknownKey       Key = "unknown-key"
	UnknownKeyNear   Key = "unknown-key-near"
	KeyProblem       Key = "key-problem"
	WantText         Key = "want-text"
	WantTable        Key = "want-table"
	WantList         Key = "want-list"
	WantBoolean      Key = "want-boolean"
	NumberDots       Key = "number-dots"
	NumberQuoted     Key = "number-quoted"
	NumberSeparators Key = "number-separators"
	NumberNotWhole   Key = "number-not-whole"
	NumberNegative   Key = "number-negative"
	NumberTooLarge   Key = "number-too-large"
	DateNotText      Key = "date-not-text"
	DateDayFirst     Key = "date-day-first"
	DateForm         Key = "date-form"
	IDNotText        Key = "id-not-text"
	IDForm           Key = "id-form"
	IDFormName       Key = "id-form-name"

	// the text of a page
	PastedBullet Key = "pasted-bullet"
	TabList      Key = "tab-list"

	// links and images
	LinkNoPage       Key = "link-no-page"
	LinkNoPageCase   Key = "link-no-page-case"
	LinkLeaves       Key = "link-leaves"
	LinkNoHeading    Key = "link-no-heading"
	LinkNoHeadingAt  Key = "link-no-heading-at"
	HeadingsAre      Key = "headings-are"
	HeadingsNone     Key = "headings-none"
	HeadingNearest   Key = "heading-nearest"
	ImageNoFile      Key = "image-no-file"
	ImageNoFileCase  Key = "image-no-file-case"
	ImageNoAlt       Key = "image-no-alt"
	SharedNoFile     Key = "shared-no-file"
	SharedNoFileCase Key = "shared-no-file-case"

	// modules and campaigns, and what serikat check finds
	ModuleNoObjectives   Key = "module-no-objectives"
	ModuleNoDuration     Key = "module-no-duration"
	CampaignNoFederation Key = "campaign-no-federation"
	CampaignNoTarget     Key = "campaign-no-target"
	CampaignNoContact    Key = "campaign-no-contact"
	CampaignNoSector     Key = "campaign-no-sector"
	CampaignEnded        Key = "campaign-ended"
	URLNotRooted         Key = "url-not-rooted"
	URLBadChars          Key = "url-bad-chars"
	URLLeaves            Key = "url-leaves"
	SlugLeaves           Key = "slug-leaves"
	SlugSlash            Key = "slug-slash"
	SlugBadChars         Key = "slug-bad-chars"
	PageTooBig           Key = "page-too-big"
	ShareImageFormat     Key = "share-image-format"
	NoHostForPosters     Key = "no-host-for-posters"
	ImageHEIC            Key = "image-heic"
	ImageNoBrowser       Key = "image-no-browser"
	ImageWrongExt        Key = "image-wrong-ext"
	ImageTooBig          Key = "image-too-big"
	ImageNotImage        Key = "image-not-image"
	ImageCutShort        Key = "image-cut-short"
	ImageDamaged         Key = "image-damaged"
	ImageProblem         Key = "image-problem"
	NotPublished         Key = "not-published"
	Built                Key = "built"
	BuiltServe           Key = "built-serve"
	ImagesDone           Key = "images-done"
	YAMLColonInValue     Key = "yaml-colon-in-value"
	UnknownSetting       Key = "unknown-setting"
	BaseURLForm          Key = "base-url-form"
	YAMLUnclosedQuote    Key = "yaml-unclosed-quote"
	YAMLTab              Key = "yaml-tab"
	YAMLNoColon          Key = "yaml-no-colon"
	YAMLDuplicateKey     Key = "yaml-duplicate-key"
	YAMLUnclosedList     Key = "yaml-unclosed-list"
	YAMLIndent           Key = "yaml-indent"
	NounSection          Key = "noun-section"
	NounImage            Key = "noun-image"
	PartOfNoTarget       Key = "part-of-no-target"
	HeadingSkips         Key = "heading-skips"
	TitleTaken           Key = "title-taken"
	LinkNowhere          Key = "link-nowhere"
	LinkNoID             Key = "link-no-id"
	LinkNowhereShown     Key = "link-nowhere-shown"
	LinkNowhereTemplate  Key = "link-nowhere-template"
	LinkExternal         Key = "link-external"
	PageTooHeavy         Key = "page-too-heavy"
	ImageTooHeavy        Key = "image-too-heavy"
	SectionPageMissing   Key = "section-page-missing"
	ThanksMissing        Key = "thanks-missing"
	JoinNotPassed        Key = "join-not-passed"
	JoinExampleAddress   Key = "join-example-address"
	JoinEndpointExample  Key = "join-endpoint-example"
	JoinPagesForms       Key = "join-pages-forms"
	JoinPagesSameOrigin  Key = "join-pages-same-origin"
	Placeholder          Key = "placeholder"
	CheckNone            Key = "check-none"
	CheckNoneWarnings    Key = "check-none-warnings"
	CheckSummary         Key = "check-summary"
	CheckSummaryWarnings Key = "check-summary-warnings"
)

// catalogue holds each message in English and in Indonesian, in the order
// of the Lang constants.
var catalogue = map[Key][2]string{
	Warning:       {"warning", "peringatan"},
	ProblemsFound: {"serikat: %s found; nothing was written", "serikat: ada %s; tidak ada yang ditulis"},
	NounProblem:   {"%d problem|%d problems", "%d masalah"},
	NounWarning:   {"%d warning|%d warnings", "%d peringatan"},
	NounPage:      {"%d page|%d pages", "%d halaman"},
	NounFile:      {"%d file|%d files", "%d berkas"},
	Plain:         {"%s", "%s"},

	Nothing: {"nothing", "kosong"},
	AList:   {"a list", "sebuah daftar"},
	ATable:  {"a table of keys", "tabel kunci"},

	NotUTF8: {"not UTF-8 text (byte %#x at offset %d): save the file as UTF-8",
		"bukan teks UTF-8 (bita %#x di posisi %d): simpan berkas ini sebagai UTF-8"},

	FrontMatter: {"front matter: %s", "front matter: %s"},
	FMUnclosed: {"front matter: opened with %q but never closed: add a line with %s after the last key",
		"front matter: dibuka dengan %q tetapi tidak ditutup: tambahkan baris %s setelah kunci terakhir"},
	FMWrongType:     {"front matter: %s must be %s, got %s", "front matter: %s harus berisi %s, bukan %s"},
	FMKey:           {"front matter: %s: %s", "front matter: %s: %s"},
	WordText:        {"text", "teks"},
	WordTrueFalse:   {"true or false", "true atau false"},
	WordWholeNumber: {"a whole number", "angka bulat"},
	WordTextList:    {"a list of text", "daftar teks"},
	NoTitle: {"page has no title: add a title to the front matter",
		"halaman ini tidak punya judul: tambahkan `title:` di bagian depan (front matter)"},
	EmptyTitle: {"title is empty", "judul (title) masih kosong"},
	URLTaken: {"URL %s is also the URL of %s: change the slug, url or file name of one",
		"alamat %s juga dipakai %s: ubah slug, url atau nama berkas salah satunya"},
	PageRefMissing: {"%s: %s: no such page (looked for %s)",
		"%s: %s: halaman itu tidak ada (dicari di %s)"},
	PageRefNear: {"%s: %s: no such page (looked for %s); did you mean %s?",
		"%s: %s: halaman itu tidak ada (dicari di %s); maksud Anda %s?"},
	UnknownKey: {"`%s` is not a key this theme uses for pages of type %q: it is ignored",
		"kunci `%s` tidak dipakai tema ini untuk halaman jenis %q: kunci ini diabaikan"},
	UnknownKeyNear: {"`%s` is not a key this theme uses: did you mean `%s`?",
		"kunci `%s` tidak dikenal tema ini: maksud Anda `%s`?"},
	KeyProblem: {"%s: %s", "%s: %s"},
	WantText:   {"write text here, not a list or a table", "tulis teks di sini, bukan daftar atau tabel"},
	WantTable: {"write the keys under it, indented, such as\n  %s:\n    judul: …",
		"tulis kunci-kuncinya di bawahnya, menjorok ke dalam, misalnya\n  %s:\n    judul: …"},
	WantList: {"write a list, one item per line starting with \"- \"",
		"tulis sebuah daftar, satu butir per baris yang diawali \"- \""},
	WantBoolean: {"write true or false, got %s", "tulis true atau false, bukan %s"},
	NumberDots: {"write a whole number without dots or commas, such as 1000 (1.000 is read as 1)",
		"tulis angka bulat tanpa titik atau koma, misalnya 1000 (1.000 terbaca sebagai 1)"},
	NumberQuoted: {"write the number without quotes: %d", "tulis angkanya tanpa tanda kutip: %d"},
	NumberSeparators: {"%q: write the number without dots or commas: %d",
		"%q: tulis angkanya tanpa titik atau koma: %d"},
	NumberNotWhole: {"%s is not a whole number: write digits only, such as 1000",
		"%s bukan angka bulat: tulis angka saja, misalnya 1000"},
	NumberNegative: {"must be 0 or more, got %d", "harus 0 atau lebih, bukan %d"},
	NumberTooLarge: {"%d is too large", "%d terlalu besar"},
	DateNotText: {"write a date such as 2027-06-30, got %s",
		"tulis tanggal seperti 2027-06-30, bukan %s"},
	DateDayFirst: {"%q is not a date: write year-month-day, %s (a time may follow: 2027-06-30 09:00)",
		"%q bukan tanggal: tulis tahun-bulan-tanggal, %s (boleh diikuti jam: 2027-06-30 09:00)"},
	DateForm: {"%q is not a date: write year-month-day, such as 2027-06-30, or with a time, 2027-06-30 09:00",
		"%q bukan tanggal: tulis tahun-bulan-tanggal, misalnya 2027-06-30, atau dengan jam, 2027-06-30 09:00"},
	IDNotText: {"write a short id such as fsb-garteks, got %s",
		"tulis ID singkat seperti fsb-garteks, bukan %s"},
	IDForm: {"%q is not an id: use lower-case letters, digits and dashes, such as %q",
		"%q bukan ID: pakai huruf kecil, angka dan tanda hubung, misalnya %q"},
	IDFormName: {"%q is not an id: use lower-case letters, digits and dashes, such as %q, and put the name in namaFederasi",
		"%q bukan ID: pakai huruf kecil, angka dan tanda hubung, misalnya %q, dan tulis namanya di namaFederasi"},

	PastedBullet: {"the line starts with %q and a tab, as a list pasted from Word does: write \"- \" (a dash and a space) at the start of each item instead",
		"baris ini diawali %q dan tab, seperti daftar yang ditempel dari Word: ganti dengan \"- \" (tanda hubung dan spasi) di awal setiap butir"},
	TabList: {"this list is indented with a tab, so it shows as a grey block of code: remove the tab at the start of its lines",
		"daftar ini menjorok dengan tab, sehingga tampil sebagai kotak kode abu-abu: hapus tab di awal baris-barisnya"},

	LinkNoPage:     {"link to %s: no such page (looked for %s)", "tautan ke %s: halaman itu tidak ada (dicari di %s)"},
	LinkNoPageCase: {"link to %s: no such page (looked for %s); there is %s, which differs only in capital letters: write it the same way", "tautan ke %s: halaman itu tidak ada (dicari di %s); yang ada %s, bedanya hanya huruf besar-kecil: tulis persis sama"},
	LinkLeaves:     {"link to %s: leaves the content folder", "tautan ke %s: keluar dari folder content"},
	LinkNoHeading: {"link to %s#%s: %s has no heading with that ID; %s",
		"tautan ke %s#%s: %s tidak punya judul bagian dengan ID itu; %s"},
	LinkNoHeadingAt: {"link to %s: this page has no heading with that ID; %s",
		"tautan ke %s: halaman ini tidak punya judul bagian dengan ID itu; %s"},
	HeadingsAre:    {"its headings are %s", "judul bagiannya: %s"},
	HeadingsNone:   {"it has no headings", "halaman itu tidak punya judul bagian"},
	HeadingNearest: {"did you mean #%s? (its headings are %s)", "maksud Anda #%s? (judul bagiannya: %s)"},
	ImageNoFile:    {"image %s: no such file (looked for %s)", "gambar %s: berkas itu tidak ada (dicari di %s)"},
	ImageNoFileCase: {"image %s: no such file (looked for %s); there is %s, which differs only in capital letters: write the name the same way",
		"gambar %s: berkas itu tidak ada (dicari di %s); yang ada %s, bedanya hanya huruf besar-kecil: tulis namanya persis sama"},
	ImageNoAlt: {"image %s has no alt text: describe it for readers who cannot see it, ![Peserta pelatihan di Lampung](%s)",
		"gambar %s belum punya teks alt: gambarkan isinya untuk pembaca yang tidak bisa melihat, ![Peserta pelatihan di Lampung](%s)"},
	SharedNoFile: {"gambar: %s: no such file (looked for %s)", "gambar: %s: berkas itu tidak ada (dicari di %s)"},
	SharedNoFileCase: {"gambar: %s: no such file (looked for %s); there is %s, which differs only in capital letters: write the name the same way",
		"gambar: %s: berkas itu tidak ada (dicari di %s); yang ada %s, bedanya hanya huruf besar-kecil: tulis namanya persis sama"},

	ModuleNoObjectives: {"module has no objectives: add tujuan: with what participants will be able to do afterwards",
		"modul ini belum punya tujuan: tambahkan tujuan: berisi apa yang bisa dilakukan peserta sesudahnya"},
	ModuleNoDuration: {"module has no duration: add durasi: such as \"90 menit\"",
		"modul ini belum punya durasi: tambahkan durasi:, misalnya \"90 menit\""},
	CampaignNoFederation: {"campaign has no federation: add federasi: with the federation's short name, which attributes its signups (or bersama: true for a joint campaign)",
		"kampanye ini belum punya federasi: tambahkan federasi: berisi ID singkat federasi, agar pendaftar tercatat padanya (atau bersama: true untuk kampanye bersama)"},
	CampaignNoTarget: {"campaign has no target: add target: with the number of members it aims for, or bagianDari: with the joint campaign whose target it shares",
		"kampanye ini belum punya target: tambahkan target: berisi jumlah anggota yang ingin dicapai, atau bagianDari: berisi kampanye bersama yang targetnya dipakai"},
	PartOfNoTarget: {"bagianDari: %s has no target either", "bagianDari: %s juga belum punya target"},
	URLNotRooted: {"%q must be a path from the site root, starting with one /",
		"%q harus berupa jalur dari akar situs, diawali satu tanda /"},
	URLBadChars: {"%q contains characters that cannot be in a page path",
		"%q memuat karakter yang tidak boleh ada di jalur halaman"},
	URLLeaves: {"%q would leave the site: remove the %q segments",
		"%q akan keluar dari situs: hapus bagian %q"},
	SlugLeaves: {"%q would leave the page's section", "%q akan keluar dari bagian (section) halaman ini"},
	SlugSlash: {"%q must be one URL segment, without / (use url for a whole path)",
		"%q harus satu bagian alamat, tanpa / (pakai url untuk alamat lengkap)"},
	SlugBadChars: {"%q contains characters that cannot be in a URL segment",
		"%q memuat karakter yang tidak boleh ada di alamat"},
	PageTooBig: {"file is %.1f MB; a page may be at most %d MB: split it into several pages",
		"berkas ini %.1f MB; satu halaman paling besar %d MB: pecah menjadi beberapa halaman"},
	ShareImageFormat: {"gambar: %s: a shared picture must be a JPEG or PNG",
		"gambar: %s: gambar untuk dibagikan harus berformat JPEG atau PNG"},
	ImageHEIC: {"HEIC photos (the iPhone's default) do not open in most browsers: save it as JPEG (on the iPhone: Settings › Camera › Formats › Most Compatible)",
		"foto HEIC (bawaan iPhone) tidak terbuka di kebanyakan peramban: simpan sebagai JPEG (di iPhone: Pengaturan › Kamera › Format › Paling Kompatibel)"},
	ImageNoBrowser: {"%s images do not open in browsers: save it as JPEG (a photo) or PNG (a drawing or screenshot)",
		"gambar %s tidak terbuka di peramban: simpan sebagai JPEG (untuk foto) atau PNG (untuk gambar atau tangkapan layar)"},
	ImageWrongExt: {"the file is a %s image, not %s: give it the right extension or save it as JPEG",
		"berkas ini gambar %s, bukan %s: beri akhiran nama yang benar atau simpan sebagai JPEG"},
	ImageTooBig: {"the image is %d×%d pixels (%.0f megapixels); the limit is %d megapixels: make it smaller first",
		"gambar ini %d×%d piksel (%.0f megapiksel); batasnya %d megapiksel: perkecil dulu"},
	ImageNotImage: {"not a %s image (the file's contents are not an image Serikat can read): save it again as JPEG or PNG",
		"bukan gambar %s (isi berkasnya bukan gambar yang bisa dibaca Serikat): simpan ulang sebagai JPEG atau PNG"},
	ImageCutShort: {"the image is cut short (%s): copy it again from the phone or camera",
		"gambar ini terpotong (%s): salin lagi dari ponsel atau kamera"},
	ImageDamaged: {"the image is damaged (%s): copy it again from the phone or camera, or save it again",
		"gambar ini rusak (%s): salin lagi dari ponsel atau kamera, atau simpan ulang"},
	ImageProblem: {"image %s: %s", "gambar %s: %s"},
	NotPublished: {"not published: %s", "tidak diterbitkan: %s"},
	Built: {"Built %s in %s: %s in %s (%d rendered, %d reused, %d written) in %d ms",
		"Selesai: %s di %s; %s di %s (%d dirender, %d dipakai ulang, %d ditulis) dalam %d ms"},
	UnknownSetting: {"unknown setting %q", "pengaturan %q tidak dikenal"},
	BaseURLForm: {"baseURL must be an http(s) URL or a path starting with /, got %q",
		"baseURL harus berupa alamat http(s) atau jalur yang diawali /, bukan %q"},
	YAMLColonInValue: {"a value holds a colon (:): put the whole value in quotes, such as title: \"Organisasi: langkah pertama\"",
		"nilainya memuat titik dua (:): apit seluruh nilai dengan tanda kutip, misalnya title: \"Organisasi: langkah pertama\""},
	YAMLUnclosedQuote: {"a quote opened on this line is never closed: end the value with the same quote mark",
		"tanda kutip yang dibuka di baris ini tidak ditutup: akhiri nilainya dengan tanda kutip yang sama"},
	YAMLTab: {"the line is indented with a tab: indent with spaces", "baris ini menjorok dengan tab: pakai spasi"},
	YAMLNoColon: {"a key without a colon: write key: value, such as title: Judul",
		"ada kunci tanpa titik dua: tulis kunci: nilai, misalnya title: Judul"},
	YAMLDuplicateKey: {"this key is written twice: keep one", "kunci ini ditulis dua kali: sisakan satu"},
	YAMLUnclosedList: {"a list in [ ] is not closed: end it with ]", "daftar dalam [ ] belum ditutup: akhiri dengan ]"},
	YAMLIndent: {"this line does not fit the lines around it: check the spaces at its start and its quote marks (a ' inside a value in ' ' is written '')",
		"baris ini tidak cocok dengan baris di sekitarnya: periksa spasi di awal baris dan tanda kutipnya (tanda ' di dalam nilai berkutip ' ' ditulis '')"},
	ImagesDone:  {"%s: %d processed, %d from the cache", "%s: %d diolah, %d dari cache"},
	NounSection: {"%d section|%d sections", "%d bagian"},
	NounImage:   {"%d image|%d images", "%d gambar"},
	BuiltServe:  {"Built %s in %d ms (%d files written)", "Selesai: %s dalam %d ms (%d berkas ditulis)"},
	NoHostForPosters: {"baseURL has no host, so posters' QR codes and short links hold only a path (/kampanye/…): set baseURL to the site's address, or build with --base-url, before printing posters",
		"baseURL belum berisi alamat situs, sehingga kode QR dan tautan pendek di poster hanya memuat jalur (/kampanye/…): isi baseURL dengan alamat situs, atau build dengan --base-url, sebelum mencetak poster"},
	CampaignNoContact: {"campaign has no contact: add kontak: with how a worker reaches the officers (a WhatsApp number or an e-mail address, and when they answer)",
		"kampanye ini belum punya kontak: tambahkan kontak: berisi cara buruh menghubungi pengurus (nomor WhatsApp atau surel, dan jam bisa dihubungi)"},
	CampaignNoSector: {"campaign has no sector: add sektor: with the sector the federation organizes, so a worker can tell it is theirs",
		"kampanye ini belum menyebut sektor: tambahkan sektor: berisi sektor yang diorganisir federasi, agar buruh tahu kampanye ini untuknya"},
	CampaignEnded: {"the campaign ended on %s: give tenggat a new last day, or mark the page draft: true to take it down",
		"kampanye ini sudah berakhir pada %s: isi tenggat dengan hari terakhir yang baru, atau tulis draft: true untuk menurunkannya"},
	HeadingSkips: {"heading %q is level %d right after level %d: use %s so no level is skipped",
		"judul bagian %q bertingkat %d tepat sesudah tingkat %d: pakai %s agar tidak ada tingkat yang terlewat"},
	TitleTaken: {"title %q is also the title of %s: give each page its own, so readers and search results can tell them apart",
		"judul %q juga dipakai %s: beri tiap halaman judulnya sendiri, agar pembaca dan hasil pencarian bisa membedakannya"},
	LinkNowhere: {"link to %s: the site has no page or file at %s", "tautan ke %s: situs tidak punya halaman atau berkas di %s"},
	LinkNoID: {"link to %s: %s has no heading or element with id %q",
		"tautan ke %s: %s tidak punya judul bagian atau elemen dengan id %q"},
	LinkNowhereShown: {"link to %s: the site has no page or file there (it shows on public/%s)",
		"tautan ke %s: situs tidak punya halaman atau berkas di sana (tautan ini tampil di public/%s)"},
	LinkNowhereTemplate: {"link to %s: the site has no page or file there (the link comes from a template or a menu)",
		"tautan ke %s: situs tidak punya halaman atau berkas di sana (tautan ini berasal dari templat atau menu)"},
	LinkExternal: {"link to %s: %s", "tautan ke %s: %s"},
	PageTooHeavy: {"the page weighs %.1f KB compressed, over the budget of %d KB (check.pageKB): split it, or move long tables and lists to pages of their own",
		"halaman ini berbobot %.1f KB setelah dikompres, melebihi batas %d KB (check.pageKB): pecah halamannya, atau pindahkan tabel dan daftar panjang ke halaman tersendiri"},
	ImageTooHeavy: {"the image weighs %.0f KB, over the budget of %d KB (check.imageKB): make it smaller, or save a photo as JPEG",
		"gambar ini berbobot %.0f KB, melebihi batas %d KB (check.imageKB): perkecil, atau simpan foto sebagai JPEG"},
	SectionPageMissing: {"the template shows %s, which does not exist, so it leaves out the %s of %s/: add %s with a title and a description",
		"templat menampilkan %s, yang tidak ada, sehingga %s untuk %s/ tidak tampil: tambahkan %s dengan title dan description"},
	ThanksMissing: {"the join form sends a worker who has signed up to %s ([join] thanks), but the site has no page there, so every signup ends on \"not found\": add a page with url: %s (serikat init makes content/terima-kasih.md)",
		"formulir gabung mengantar pekerja yang sudah mendaftar ke %s ([join] thanks), tetapi halaman itu tidak ada, sehingga setiap pendaftaran berakhir di \"tidak ditemukan\": tambahkan halaman dengan url: %s (serikat init membuat content/terima-kasih.md)"},
	JoinNotPassed: {"the join form posts to %s, but netlify.toml passes nothing under it on to a join endpoint, so on Netlify every signup fails: run serikat join serve on a server and add the /api/* rule to netlify.toml, or set backend = \"netlify\" in [join] to collect signups with Netlify Forms",
		"formulir gabung mengirim ke %s, tetapi netlify.toml tidak meneruskannya ke layanan pendaftaran, sehingga di Netlify setiap pendaftaran gagal: jalankan serikat join serve di sebuah server dan tambahkan aturan /api/* ke netlify.toml, atau tulis backend = \"netlify\" di [join] untuk mengumpulkan pendaftaran dengan Netlify Forms"},
	JoinExampleAddress: {"signups posted to %s are passed on to %s, an example address: set it to where serikat join serve runs, or set backend = \"netlify\" in serikat.toml's [join] to collect signups with Netlify Forms",
		"pendaftaran yang dikirim ke %s diteruskan ke %s, sebuah alamat contoh: ganti dengan alamat tempat serikat join serve berjalan, atau tulis backend = \"netlify\" di [join] pada serikat.toml untuk mengumpulkan pendaftaran dengan Netlify Forms"},
	JoinEndpointExample: {"the join form posts to %s, an example address, so every signup fails: set endpoint in [join] to the full address where serikat join serve runs",
		"formulir gabung mengirim ke %s, sebuah alamat contoh, sehingga setiap pendaftaran gagal: ganti endpoint di [join] dengan alamat lengkap tempat serikat join serve berjalan"},
	JoinPagesForms: {"the site is published on GitHub Pages (%s), which does not collect Netlify Forms, so every signup is lost: run serikat join serve on a server and set backend = \"endpoint\" and its full address as endpoint in [join]",
		"situs ini diterbitkan di GitHub Pages (%s), yang tidak mengumpulkan Netlify Forms, sehingga setiap pendaftaran hilang: jalankan serikat join serve di sebuah server, lalu tulis backend = \"endpoint\" dan alamat lengkapnya sebagai endpoint di [join]"},
	JoinPagesSameOrigin: {"the join form posts to %s on the site's own address, but GitHub Pages (%s) only serves files and cannot receive it, so every signup fails: set endpoint in [join] to the full address where serikat join serve runs",
		"formulir gabung mengirim ke %s di alamat situs sendiri, tetapi GitHub Pages (%s) hanya menyajikan berkas dan tidak bisa menerimanya, sehingga setiap pendaftaran gagal: ganti endpoint di [join] dengan alamat lengkap tempat serikat join serve berjalan"},
	Placeholder: {"%s is still to be written: replace it with your own words before publishing",
		"%s masih harus diisi: ganti dengan kata-kata Anda sendiri sebelum diterbitkan"},
	CheckNone:            {"No problems in %s.", "Tidak ada masalah di %s."},
	CheckNoneWarnings:    {"No problems in %s, %s in %s.", "Tidak ada masalah di %s, %s di %s."},
	CheckSummary:         {"%s in %s.", "%s di %s."},
	CheckSummaryWarnings: {"%s (and %s) in %s.", "%s (dan %s) di %s."},
}
