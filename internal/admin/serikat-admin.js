// serikat-admin.js, written by serikat build: the site's own stylesheet in
// the editor's preview, and the editor's main words in Bahasa Indonesia
// (Decap CMS has no Indonesian locale; what is not here stays in English).
(function () {
  "use strict";
  var me = document.currentScript;
  (me && me.getAttribute("data-css") || "").split(" ").forEach(function (href) {
    if (href) CMS.registerPreviewStyle(href);
  });
  CMS.registerLocale("id", {
    app: {
      header: { content: "Isi situs", workflow: "Alur kerja", media: "Foto dan berkas", quickAdd: "Tambah" },
      app: {
        errorHeader: "Pengaturan penyunting tidak bisa dibaca",
        configErrors: "Kesalahan pengaturan",
        checkConfigYml: "Periksa serikat.toml ([admin]) lalu bangun ulang situs.",
        loadingConfig: "Memuat pengaturan…",
        waitingBackend: "Menunggu penyimpanan…"
      },
      notFoundPage: { header: "Tidak ditemukan" }
    },
    auth: {
      login: "Masuk",
      loggingIn: "Sedang masuk…",
      loginWithGitHub: "Masuk dengan GitHub"
    },
    collection: {
      sidebar: { collections: "Bagian", allCollections: "Semua bagian", searchAll: "Cari di semua", searchIn: "Cari di" },
      collectionTop: {
        sortBy: "Urutkan", viewAs: "Tampilan", viewAsList: "Daftar", viewAsGrid: "Kisi",
        newButton: "＋ %{collectionLabel} baru", newButtonAriaLabel: "Buat %{collectionLabel} baru",
        ascending: "Naik", descending: "Turun", filterBy: "Saring", groupBy: "Kelompokkan"
      },
      entries: { loadingEntries: "Memuat…", cachingEntries: "Memuat…", longerLoading: "Ini bisa makan waktu beberapa menit", noEntries: "Belum ada isi" }
    },
    editor: {
      editorControl: { field: { optional: "boleh kosong" } },
      editorControlPane: {
        widget: {
          required: "%{fieldLabel} wajib diisi.",
          regexPattern: "%{fieldLabel} tidak sesuai bentuknya: %{pattern}.",
          processing: "%{fieldLabel} sedang diproses.",
          range: "%{fieldLabel} harus antara %{minValue} dan %{maxValue}.",
          min: "%{fieldLabel} paling sedikit %{minValue}.",
          max: "%{fieldLabel} paling banyak %{maxValue}.",
          rangeCount: "%{fieldLabel} harus berisi %{minCount} sampai %{maxCount} butir.",
          rangeCountExact: "%{fieldLabel} harus berisi tepat %{count} butir.",
          rangeMin: "%{fieldLabel} harus berisi paling sedikit %{minCount} butir.",
          rangeMax: "%{fieldLabel} paling banyak %{maxCount} butir.",
          invalidPath: "'%{path}' bukan jalur yang sah.",
          pathExists: "'%{path}' sudah ada."
        }
      },
      editor: {
        onLeavePage: "Yakin meninggalkan halaman ini? Perubahan yang belum disimpan akan hilang.",
        onDeletePublishedEntry: "Yakin menghapus halaman ini dari situs?",
        onDeleteUnpublishedChanges: "Yakin membuang perubahan yang belum disimpan?",
        loadingEntry: "Memuat…"
      },
      editorToolbar: {
        publishing: "Menyimpan…", publish: "Simpan", published: "Tersimpan", publishNow: "Simpan sekarang",
        publishAndCreateNew: "Simpan lalu buat baru", publishAndDuplicate: "Simpan lalu salin",
        duplicate: "Salin", deleteEntry: "Hapus", deletePublishedEntry: "Hapus dari situs", deleting: "Menghapus…",
        saving: "Menyimpan…", save: "Simpan", updating: "Memperbarui…",
        backCollection: " Menulis di %{collectionLabel}", unsavedChanges: "Belum disimpan", changesSaved: "Perubahan tersimpan",
        deployButtonLabel: "Lihat di situs"
      },
      editorWidgets: {
        markdown: { bold: "Tebal", italic: "Miring", link: "Tautan", headings: "Judul", quote: "Kutipan", bulletedList: "Daftar berbutir", numberedList: "Daftar bernomor", addComponent: "Tambah", richText: "Teks", markdown: "Markdown" },
        image: { choose: "Pilih foto", chooseDifferent: "Pilih foto lain", remove: "Hapus foto" },
        file: { choose: "Pilih berkas", chooseDifferent: "Pilih berkas lain", remove: "Hapus berkas" },
        list: { add: "Tambah %{item}", addType: "Tambah %{item}" },
        datetime: { now: "Hari ini", clear: "Kosongkan" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { draft: "Draf" },
      mediaLibraryModal: {
        loading: "Memuat…", noResults: "Tidak ada hasil.", noAssetsFound: "Belum ada berkas.", noImagesFound: "Belum ada foto.",
        images: "Foto", mediaAssets: "Berkas", search: "Cari…", uploading: "Mengunggah…", upload: "Unggah",
        download: "Unduh", deleting: "Menghapus…", deleteSelected: "Hapus yang dipilih", chooseSelected: "Pakai yang dipilih"
      }
    },
    ui: {
      toast: {
        onFailToLoadEntries: "Gagal memuat isi: %{details}",
        onFailToPersist: "Gagal menyimpan: %{details}",
        onFailToDelete: "Gagal menghapus: %{details}",
        missingRequiredField: "Ada isian wajib yang masih kosong. Lengkapi dulu sebelum menyimpan.",
        entrySaved: "Tersimpan",
        entryPublished: "Tersimpan",
        entryDeleted: "Terhapus",
        onLoggedOut: "Anda sudah keluar. Simpan pekerjaan Anda lalu masuk lagi."
      }
    }
  });
})();
