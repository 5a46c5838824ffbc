// Serikat's default theme script. Everything works without it; it only
// makes things better on a phone:
//  - the join form fills "source" from ?src= and notes when it was shown
//    (the endpoint's bot check);
//  - with a connection, the form is sent in the background and errors appear
//    beside their fields; without one, the signup is kept on the phone and
//    sent when the connection returns, so nothing typed is lost; it is wiped
//    once sent, or unsent after 72 hours (the privacy page says so);
//  - campaign pages show progress toward the target from /api/stats;
//  - facilitator notes open for printing and with ?peran=fasilitator;
//  - the service worker (sw.js) keeps read pages for reading offline, and
//    "Simpan untuk dibaca offline" keeps a module with its pictures now;
//  - "Bagikan" opens the phone's share sheet, "Salin tautan" copies, and a
//    poster page gets a print button.
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var src = (q.get("src") || "").toLowerCase();
  var KEY = "serikat-gabung-tertunda", TTL = 72 * 3600 * 1000;

  // the signups kept on this phone, each [{action, data, at}] with the time
  // it was kept; reading them forgets those older than TTL, and gives one
  // kept by an older script (no time, or a time ahead of the clock) now
  function pending() {
    var list, now = Date.now();
    try { list = JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { list = []; }
    if (!Array.isArray(list)) list = [];
    list = list.filter(function (s) {
      if (!s || typeof s !== "object") return false;
      if (!(s.at > 0 && s.at <= now)) s.at = now;
      return now - s.at < TTL;
    });
    keep(list);
    return list;
  }
  function keep(list) {
    try { list.length ? localStorage.setItem(KEY, JSON.stringify(list)) : localStorage.removeItem(KEY); } catch (e) {}
  }
  function send(action, data) {
    return fetch(action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(data)
    });
  }
  // send what an offline phone kept; drop only what the endpoint answered
  function flush() {
    var list = pending();
    if (!list.length || !navigator.onLine) return;
    var left = [];
    var next = function (i) {
      if (i >= list.length) { keep(left); return; }
      send(list[i].action, list[i].data).then(function (r) {
        if (r.status >= 500 || r.status === 429) left.push(list[i]);
        next(i + 1);
      }, function () { left.push(list[i]); next(i + 1); });
    };
    next(0);
  }

  document.querySelectorAll("form.join").forEach(function (f) {
    if (/^[a-z0-9-]{1,32}$/.test(src) && f.source && !f.source.value) f.source.value = src;
    if (f.shown_at) f.shown_at.value = String(Date.now());
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "note";
    f.appendChild(status);
    f.addEventListener("submit", function (ev) {
      // how long the form took, by this phone's clock alone: its clock may
      // differ from the server's, and must not make a worker look like a bot
      if (f.fill_ms && f.shown_at) f.fill_ms.value = String(Date.now() - Number(f.shown_at.value));
      // the browser posts the form itself without fetch, and to Netlify Forms
      if (!window.fetch || !window.JSON || f.dataset.backend === "netlify") return;
      ev.preventDefault();
      var data = {};
      new FormData(f).forEach(function (v, k) { data[k] = v; });
      data.consent = f.consent && f.consent.checked;
      f.querySelectorAll(".error").forEach(function (e) { e.remove(); });
      f.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
      // kept on the phone: without a connection, or when the server did
      // not take it (busy, down, or unreachable though the phone is online)
      var offline = function () {
        var list = pending(); list.push({ action: f.action, data: data, at: Date.now() }); keep(list);
        status.textContent = (navigator.onLine ? "Pendaftaran belum bisa dikirim sekarang. Pendaftaran disimpan di ponsel ini dan dicoba lagi otomatis." : "Ponsel Anda sedang tidak tersambung ke internet. Pendaftaran disimpan di ponsel ini dan dikirim otomatis saat tersambung lagi.") + " Bila 72 jam belum terkirim, pendaftaran ini dihapus dan Anda perlu mengisinya lagi.";
      };
      if (!navigator.onLine) { offline(); return; }
      status.textContent = "Mengirim…";
      send(f.action, data).then(function (r) {
        return r.json().then(function (body) { return { r: r, body: body }; }, function () { return { r: r, body: {} }; });
      }).then(function (res) {
        if (res.r.status === 201) {
          // nothing typed stays in the form, and the form page is not one
          // step back in the history with it
          f.reset();
          location.replace(f.dataset.thanks || "/gabung/terima-kasih/");
          return;
        }
        var errs = res.body.errors || {};
        var first = null;
        Object.keys(errs).forEach(function (name) {
          var field = f.elements[name];
          if (!field || !field.id) return;
          var p = document.createElement("p");
          p.className = "error"; p.id = "e-" + name; p.textContent = errs[name];
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-describedby", p.id);
          (field.type === "checkbox" ? field.parentNode : field).insertAdjacentElement("afterend", p);
          first = first || field;
        });
        status.textContent = res.body.message || "Periksa isian yang ditandai.";
        // a busy network (many signups from one address) or a server down:
        // kept on the phone, sent again in a minute or when it reconnects
        if (res.r.status >= 500 || res.r.status === 429) { offline(); setTimeout(flush, 60000); }
        if (first) first.focus();
      }, function () { offline(); setTimeout(flush, 60000); });
    });
  });
  flush();
  window.addEventListener("online", flush);

  var target = document.querySelector(".target[data-target]");
  if (target && Number(target.dataset.target) > 0 && window.fetch) {
    fetch(target.dataset.stats || "/api/stats", { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (st) {
      if (!st) return;
      var id = target.dataset.federasi, n = st.total, counts = st.progress;
      (st.federations || []).forEach(function (x) { if (x.id === id) { n = x.count; counts = x.progress; } });
      var bar = target.querySelector(".progress");
      // signups, members (progress = "anggota") or, in a total, both
      var text = bar.getAttribute("data-" + counts) || bar.getAttribute("data-pendaftaran");
      bar.querySelector("progress").value = n;
      bar.querySelector("span").textContent = text.replace("{n}", n);
      bar.hidden = false;
    }, function () {});
  }

  var sw = document.documentElement.getAttribute("data-sw");
  if (sw && "serviceWorker" in navigator) {
    // after the page has loaded, so the first visit's download is the page's
    window.addEventListener("load", function () { navigator.serviceWorker.register(sw).catch(function () {}); });
    var save = document.querySelector("button.simpan-offline");
    if (save && window.caches) {
      save.parentNode.hidden = false;
      save.addEventListener("click", function () {
        var urls = [location.pathname];
        document.querySelectorAll("main img").forEach(function (i) { urls.push(i.currentSrc || i.src); });
        navigator.serviceWorker.ready.then(function (reg) { reg.active.postMessage({ type: "simpan", urls: urls }); });
      });
      navigator.serviceWorker.addEventListener("message", function (e) {
        var t = e.data && e.data.type;
        if (t === "tersimpan" || t === "gagal") save.textContent = save.getAttribute(t === "tersimpan" ? "data-done" : "data-failed");
        if (t === "tersimpan") save.disabled = true;
      });
    }
  }

  var share = document.querySelector("[data-share-url]");
  if (share && navigator.share) {
    share.parentNode.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: share.getAttribute("data-share-title"), url: share.getAttribute("data-share-url") }).catch(function () {});
    });
  }
  var copy = document.querySelector("a.copy-link");
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", function (e) {
      e.preventDefault();
      navigator.clipboard.writeText(copy.href).then(function () { copy.textContent = copy.getAttribute("data-copied"); }, function () {});
    });
  }
  var print = document.querySelector("button.print-poster");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  var notes = document.querySelectorAll("details.fasilitator");
  function openNotes() { notes.forEach(function (d) { d.open = true; }); }
  if (q.get("peran") === "fasilitator") openNotes();
  window.addEventListener("beforeprint", openNotes);
})();
