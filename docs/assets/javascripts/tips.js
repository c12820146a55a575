// In place, on hover and keyboard focus: a glossary term's definition (a.gl-term; the text of
// the element its aria-describedby names) and a citation's reference (a.footnote-ref; a copy
// of its entry in the list). A first tap on a term shows its definition, the next follows the
// link; a tap on a citation opens levels.js's sheet instead. One set of listeners per page.
// README.md, "Citations in place"; CONTRIBUTING.md, "Glossary".
(function () {
  "use strict";
  var TERM = {
    selector: "a.gl-term",
    make: function (tip) {
      tip.className = "gl-tip";
      // Screen readers get the definition from the term's own aria-describedby.
      tip.setAttribute("aria-hidden", "true");
      var text = document.createElement("p");
      text.className = "gl-tip__text";
      var more = document.createElement("a");
      more.className = "gl-tip__more";
      more.tabIndex = -1;
      more.textContent = "Open in the glossary";
      tip.appendChild(text);
      tip.appendChild(more);
    },
    fill: function (tip, term) {
      var def = document.getElementById(term.getAttribute("aria-describedby") || "");
      if (!def) return false;
      tip.firstChild.textContent = def.textContent;
      tip.lastChild.href = term.href;
      term.setAttribute("data-gl-open", "");
      return true;
    },
    leave: function (term) { term.removeAttribute("data-gl-open"); }
  };
  var CITATION = {
    selector: "a.footnote-ref",
    make: function (tip) {
      tip.id = "mb-cite-tip";
      tip.className = "mb-cite-tip";
      tip.setAttribute("role", "tooltip");
    },
    fill: function (tip, marker) {
      var entry = document.getElementById((marker.getAttribute("href") || "").slice(1));
      if (!entry) return false;
      tip.innerHTML = "";
      Array.prototype.forEach.call(entry.childNodes, function (n) { tip.appendChild(n.cloneNode(true)); });
      Array.prototype.forEach.call(tip.querySelectorAll(".footnote-backref"), function (b) { b.remove(); });
      Array.prototype.forEach.call(tip.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
      Array.prototype.forEach.call(tip.querySelectorAll("a"), function (a) { a.tabIndex = -1; });
      marker.setAttribute("aria-describedby", tip.id);
      return true;
    },
    leave: function (marker) { marker.removeAttribute("aria-describedby"); }
  };
  var KINDS = [TERM, CITATION];

  var kind = null;     // the kind whose tip (kind.tip, made on first use) is shown
  var current = null;  // the term or citation whose tip is shown
  var tapped = null;   // the term opened by a tap (the next tap on it follows the link)
  var lastPointer = "mouse";
  var timer = 0;

  function find(node) {
    if (!node || !node.closest) return null;
    for (var i = 0; i < KINDS.length; i++) {
      var host = node.closest(KINDS[i].selector);
      if (host) return { kind: KINDS[i], host: host };
    }
    return null;
  }

  function show(found) {
    var k = found.kind, host = found.host;
    clearTimeout(timer);
    if (current && current !== host) hide();
    if (!k.tip) {
      k.tip = document.createElement("div");
      k.tip.hidden = true;
      k.make(k.tip);
      k.tip.addEventListener("pointerenter", function () { clearTimeout(timer); });
      k.tip.addEventListener("pointerleave", function (e) {
        if (e.pointerType === "mouse") later();
      });
      document.body.appendChild(k.tip);
    }
    if (!k.fill(k.tip, host)) return;
    if (tapped !== host) tapped = null;
    kind = k;
    current = host;
    k.tip.hidden = false;
    place(k.tip, host);
  }

  function hide() {
    clearTimeout(timer);
    if (kind) {
      kind.tip.hidden = true;
      kind.leave(current);
    }
    kind = current = tapped = null;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(hide, 300);
  }

  // Below the host (its first line when it wraps), or above when there is no room.
  function place(tip, host) {
    var r = host.getClientRects()[0] || host.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, width - tip.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight && r.top - tip.offsetHeight - 6 > 0) {
      top = r.top - tip.offsetHeight - 6;
    }
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function touchy() { return lastPointer === "touch" || lastPointer === "pen"; }

  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType; }, true);
  document.addEventListener("keydown", function () { lastPointer = "keyboard"; }, true);
  document.addEventListener("pointerover", function (e) {
    var found = find(e.target);
    if (found && e.pointerType === "mouse") show(found);
  });
  document.addEventListener("pointerout", function (e) {
    var found = find(e.target);
    if (found && found.host === current && e.pointerType === "mouse"
        && !current.contains(e.relatedTarget) && document.activeElement !== current) later();
  });
  document.addEventListener("focusin", function (e) {
    var found = find(e.target);
    // A tapped citation gets the sheet, not the tip as well.
    if (found && !(found.kind === CITATION && touchy())) show(found);
  });
  document.addEventListener("focusout", function (e) {
    var found = find(e.target);
    if (found && found.host === current && tapped !== current) hide();
  });
  document.addEventListener("click", function (e) {
    var found = find(e.target);
    var pointer = e.pointerType || (e.detail === 0 ? "" : lastPointer);
    if (found && found.kind === TERM && (pointer === "touch" || pointer === "pen")
        && tapped !== found.host) {
      e.preventDefault();  // first tap: show the definition; a second tap follows the link
      show(found);
      tapped = found.host;
    } else if (!found && kind && !kind.tip.contains(e.target)) {
      hide();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && current) hide();
  });
  document.addEventListener("mb:depth", hide);  // the depth changed: its text may be hidden
})();
