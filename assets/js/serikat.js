// Serikat's default theme script. Everything works without it; it only
// makes things nicer:
//  - fills the join form's "source" from ?src= (poster, whatsapp, video...)
//    and records when the form was shown, which the endpoint's abuse check uses;
//  - opens facilitator notes for printing, and for trainers who open a
//    module with ?peran=fasilitator.
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var src = (q.get("src") || "").toLowerCase();
  document.querySelectorAll("form.join").forEach(function (f) {
    if (/^[a-z0-9-]{1,32}$/.test(src) && f.source && !f.source.value) f.source.value = src;
    if (f.shown_at) f.shown_at.value = String(Date.now());
  });
  var notes = document.querySelectorAll("details.fasilitator");
  function openNotes() { notes.forEach(function (d) { d.open = true; }); }
  if (q.get("peran") === "fasilitator") openNotes();
  window.addEventListener("beforeprint", openNotes);
})();
