// Glossary tooltips (CONTRIBUTING.md, "Glossary"): a.gl-term links; the definition is the
// element its aria-describedby names, shown on hover, focus and a first tap, as text.
(function () {
  "use strict";
  var tip = null;      // the one tooltip element, made on first use
  var current = null;  // the term whose definition is shown
  var tapped = null;   // the term opened by a tap (the next tap on it follows the link)
  var lastPointer = "mouse";
  var timer = 0;

  function termOf(node) {
    return node && node.closest ? node.closest("a.gl-term") : null;
  }

  function make() {
    tip = document.createElement("div");
    tip.className = "gl-tip";
    tip.hidden = true;
    // Screen readers get the definition from the term's aria-describedby.
    tip.setAttribute("aria-hidden", "true");
    var text = document.createElement("p");
    text.className = "gl-tip__text";
    var more = document.createElement("a");
    more.className = "gl-tip__more";
    more.tabIndex = -1;
    more.textContent = "Open in the glossary";
    tip.appendChild(text);
    tip.appendChild(more);
    tip.addEventListener("pointerenter", function () { clearTimeout(timer); });
    tip.addEventListener("pointerleave", function (e) {
      if (e.pointerType === "mouse") later();
    });
    document.body.appendChild(tip);
  }

  function show(term) {
    var def = document.getElementById(term.getAttribute("aria-describedby") || "");
    if (!def) return;
    clearTimeout(timer);
    if (!tip) make();
    if (current && current !== term) current.removeAttribute("data-gl-open");
    if (tapped !== term) tapped = null;
    current = term;
    term.setAttribute("data-gl-open", "");
    tip.firstChild.textContent = def.textContent;
    tip.lastChild.href = term.href;
    tip.hidden = false;
    place(term);
  }

  function hide() {
    clearTimeout(timer);
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("data-gl-open");
    current = tapped = null;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(hide, 300);
  }

  // Below the term (its first line when it wraps), or above when there is no room.
  function place(term) {
    var r = term.getClientRects()[0] || term.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(r.left, width - tip.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight && r.top - tip.offsetHeight - 6 > 0) {
      top = r.top - tip.offsetHeight - 6;
    }
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  document.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType; }, true);
  document.addEventListener("pointerover", function (e) {
    var term = termOf(e.target);
    if (term && e.pointerType === "mouse") show(term);
  });
  document.addEventListener("pointerout", function (e) {
    var term = termOf(e.target);
    if (term && term === current && e.pointerType === "mouse" && !term.contains(e.relatedTarget)
        && document.activeElement !== term) later();
  });
  document.addEventListener("focusin", function (e) {
    var term = termOf(e.target);
    if (term) show(term);
  });
  document.addEventListener("focusout", function (e) {
    var term = termOf(e.target);
    if (term && term === current && tapped !== term) hide();
  });
  document.addEventListener("click", function (e) {
    var term = termOf(e.target);
    var kind = e.pointerType || (e.detail === 0 ? "" : lastPointer);
    if (term && (kind === "touch" || kind === "pen") && tapped !== term) {
      e.preventDefault();  // first tap: show the definition; a second tap follows the link
      show(term);
      tapped = term;
    } else if (!term && tip && !tip.contains(e.target)) {
      hide();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && current) hide();
  });
})();
