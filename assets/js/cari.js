// Search for the page that has <form class="cari">. Without this script the
// form still sends ?q= and the page lists every module; with it, results
// appear as you type. The index (written by the build, see internal/search)
// is fetched only when someone searches, and only the parts a query needs.
// The word rules below must match internal/search's Stem exactly.
(function () {
  "use strict";
  var form = document.querySelector("form.cari");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[type=search]");
  var out = document.getElementById("hasil-cari");
  var all = document.getElementById("semua-modul");
  var base = form.getAttribute("data-index");
  var CHUNK = 100;
  var cache = {};

  function vowel(c) { return "aeiou".indexOf(c) >= 0; }
  function strip(w) {
    var ok = function (rest) { return rest.length >= 4; };
    var p4 = w.slice(0, 4), p3 = w.slice(0, 3), p2 = w.slice(0, 2);
    if ((p4 === "meny" || p4 === "peny") && w.length > 4 && vowel(w[4]) && ok(w.slice(3))) return "s" + w.slice(4);
    if (p4 === "meng" || p4 === "peng") return ok(w.slice(4)) ? w.slice(4) : w;
    if (p3 === "mem" || p3 === "pem" || p3 === "men" || p3 === "pen") {
      if (w.length > 3 && vowel(w[3]) && ok(w.slice(2))) return (p3[2] === "m" ? "p" : "t") + w.slice(3);
      return ok(w.slice(3)) ? w.slice(3) : w;
    }
    if (p3 === "ber" || p3 === "ter" || p3 === "per") return ok(w.slice(3)) ? w.slice(3) : w;
    if (["me", "pe", "be", "di", "ke", "se"].indexOf(p2) >= 0) return ok(w.slice(2)) ? w.slice(2) : w;
    return w;
  }
  function stem(w) {
    if (w.length <= 4) return w;
    var i, s;
    var groups = [["lah", "kah", "tah", "pun"], ["nya", "ku", "mu"]];
    for (var g = 0; g < groups.length; g++) {
      for (i = 0; i < groups[g].length; i++) {
        s = groups[g][i];
        if (w.slice(-s.length) === s && w.length - s.length >= 4) { w = w.slice(0, -s.length); break; }
      }
    }
    var suffixes = ["kan", "an", "i"];
    for (i = 0; i < suffixes.length; i++) {
      s = suffixes[i];
      if (s === "i" && w.length > 1 && (w[w.length - 2] === "s" || vowel(w[w.length - 2]))) continue;
      if (w.slice(-s.length) === s && w.length - s.length >= 5) { w = w.slice(0, -s.length); break; }
    }
    for (i = 0; i < 2; i++) {
      s = strip(w);
      if (s === w) break;
      w = s;
    }
    return w;
  }
  function words(text) {
    var norm = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return norm.split(/[^a-z0-9]+/).filter(function (w) {
      return w.length > 1 || /^[0-9]$/.test(w);
    }).map(stem);
  }
  window.serikatStem = words; // for the tests that hold this to the Go rules

  function get(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (r.status === 404) return {};
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return cache[name];
  }
  function shard(w) { return w.slice(0, 2); }

  function search(q) {
    var ws = words(q);
    if (!ws.length) return Promise.resolve(null);
    return Promise.all(ws.map(function (w) { return get("terms-" + shard(w) + ".json"); })).then(function (shards) {
      var total = null;
      ws.forEach(function (w, n) {
        var list = shards[n][w] || [], scores = {};
        // the last word may be half typed: take every root it begins
        if (n === ws.length - 1 && !list.length) {
          Object.keys(shards[n]).forEach(function (k) {
            if (k.indexOf(w) === 0) list = list.concat(shards[n][k]);
          });
        }
        for (var i = 0; i + 1 < list.length; i += 2) scores[list[i]] = (scores[list[i]] || 0) + list[i + 1];
        if (total === null) { total = scores; return; }
        Object.keys(total).forEach(function (p) {
          if (p in scores) total[p] += scores[p]; else delete total[p];
        });
      });
      var ids = Object.keys(total).map(Number).sort(function (a, b) { return total[b] - total[a] || a - b; }).slice(0, 10);
      var chunks = {};
      ids.forEach(function (id) { chunks[Math.floor(id / CHUNK)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return get("pages-" + c + ".json").then(function (rows) { chunks[c] = rows; });
      })).then(function () {
        return ids.map(function (id) { return chunks[Math.floor(id / CHUNK)][id % CHUNK]; });
      });
    });
  }

  function show(q, rows) {
    out.textContent = "";
    if (rows === null) { out.hidden = true; all.hidden = false; return; }
    out.hidden = false;
    all.hidden = true;
    var h = document.createElement("h2");
    h.textContent = rows.length ? out.getAttribute("data-found").replace("%d", rows.length) : out.getAttribute("data-none").replace("%s", q);
    out.appendChild(h);
    var ul = document.createElement("ul");
    rows.forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = r[0];
      a.textContent = r[1];
      li.appendChild(a);
      if (r[2]) { var s = document.createElement("span"); s.className = "meta"; s.textContent = " · " + r[2]; li.appendChild(s); }
      if (r[3]) { p.textContent = r[3]; li.appendChild(p); }
      ul.appendChild(li);
    });
    out.appendChild(ul);
  }

  var timer, last = "";
  function run() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    search(q).then(function (rows) { if (input.value.trim() === q) show(q, rows); }, function () {
      out.hidden = false;
      out.textContent = out.getAttribute("data-offline");
    });
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
