// Site-wide behaviour: tables read row by row on phones, and a citation tapped on a touch
// screen shows its reference in place. The depth tabs are levels.js, glossary terms
// glossary.js. Runs at the end of <body>.
(function () {
  "use strict";

  // Tables: every cell is labelled with its column's heading, so that on a phone (site.css,
  // table.mb-stack) a row can be read as a short list instead of scrolling sideways.
  Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table:not([class])"), function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (heads.length < 3) return;
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (heads[i]) td.setAttribute("data-label", heads[i]);
      });
    });
    table.classList.add("mb-stack");
  });

  // Citations on touch: a tap on a marker opens a sheet with the reference (and a link to
  // the list at the foot) instead of jumping there, so the page stays where it was. Mouse
  // and keyboard keep Material's tooltip (content.footnote.tooltips) and the link.
  var pointer = "mouse";
  document.addEventListener("pointerdown", function (ev) { pointer = ev.pointerType; }, true);

  var sheet = null, opener = null;
  function build() {
    sheet = document.createElement("div");
    sheet.className = "mb-cite-sheet";
    sheet.setAttribute("role", "dialog");
    sheet.setAttribute("aria-labelledby", "mb-cite-sheet-title");
    sheet.tabIndex = -1;
    sheet.hidden = true;
    sheet.innerHTML =
      '<div class="mb-cite-sheet__head"><span id="mb-cite-sheet-title"></span>' +
      '<button type="button" class="mb-cite-sheet__close" aria-label="Close">\u00d7</button></div>' +
      '<div class="mb-cite-sheet__ref"></div>' +
      '<a class="mb-cite-sheet__more" href="#">All references of this chapter</a>';
    sheet.querySelector("button").addEventListener("click", close);
    sheet.querySelector(".mb-cite-sheet__more").addEventListener("click", function () { close(false); });
    document.body.appendChild(sheet);
  }
  function close(refocus) {
    if (!sheet || sheet.hidden) return;
    sheet.hidden = true;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      if (refocus !== false) opener.focus({ preventScroll: true });
    }
    opener = null;
  }
  function open(marker) {
    var id = (marker.getAttribute("href") || "").slice(1);
    var entry = document.getElementById(id);
    if (!entry) return false;
    if (!sheet) build();
    if (opener) opener.setAttribute("aria-expanded", "false");
    opener = marker;
    var ref = sheet.querySelector(".mb-cite-sheet__ref");
    ref.innerHTML = "";
    Array.prototype.forEach.call(entry.childNodes, function (n) { ref.appendChild(n.cloneNode(true)); });
    Array.prototype.forEach.call(ref.querySelectorAll(".footnote-backref"), function (b) { b.remove(); });
    sheet.querySelector("#mb-cite-sheet-title").textContent = "Reference " + marker.textContent.trim();
    sheet.querySelector(".mb-cite-sheet__more").setAttribute("href", "#" + id);
    sheet.hidden = false;
    marker.setAttribute("aria-expanded", "true");
    sheet.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (ev) {
    var marker = ev.target.closest && ev.target.closest("a.footnote-ref");
    if (marker && (pointer === "touch" || pointer === "pen")) {
      if (open(marker)) ev.preventDefault();
      return;
    }
    if (sheet && !sheet.hidden && !sheet.contains(ev.target)) close(false);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") close();
  });
  document.addEventListener("mb:depth", function () { close(false); });
})();
