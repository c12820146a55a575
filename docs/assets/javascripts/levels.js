// ?depth=<name> (a search result, hooks/medsite/searchdepth.py): point the address at the
// depth's first element, so the code below opens that depth without remembering it.
(function () {
  var d = new URLSearchParams(location.search).get("depth");
  var el = d && !location.hash && document.getElementById("depth-" + d.trim().toLowerCase());
  if (el && el.closest(".tabbed-block")) history.replaceState(history.state, "", "#" + el.id);
})();
// Depth tabs: ?level= links, remembered choice, search, WAI-ARIA tabs, the page following the
// depth, links into another depth. Runs at the end of <body>, before Material mounts its tabs.
// Explained in README.md, "Depths" (comments are kept short: every reader downloads them).
(function () {
  "use strict";
  var DEPTHS = ["Fundamentals", "Intermediate", "Academic"];
  var params = new URLSearchParams(location.search);

  // Material's content.tabs.link storage: "<scope>.__tabs", labels, most recent first.
  function storageKey() {
    var scope = window.__md_scope;
    if (!scope) {
      var cfg = document.getElementById("__config");
      scope = new URL(cfg ? JSON.parse(cfg.textContent).base : "/", location);
    }
    return scope.pathname + ".__tabs";
  }
  function remember(depth) {
    try {
      var tabs = JSON.parse(localStorage.getItem(storageKey()));
      tabs = (Array.isArray(tabs) ? tabs : []).filter(function (t) { return t !== depth; });
      localStorage.setItem(storageKey(), JSON.stringify([depth].concat(tabs)));
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }
  function stored() {
    try {
      var tabs = JSON.parse(localStorage.getItem(storageKey()));
      return (Array.isArray(tabs) ? tabs : []).filter(function (t) {
        return DEPTHS.indexOf(t) >= 0;
      })[0];
    } catch (e) { return undefined; }
  }
  function depthOf(value) {
    value = (value || "").trim().toLowerCase();
    return DEPTHS.filter(function (d) { return d.toLowerCase() === value; })[0];
  }

  function parts(set) {
    var inputs = set.querySelectorAll(":scope > input");
    var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
    var panels = set.querySelectorAll(":scope > .tabbed-content > .tabbed-block");
    return Array.prototype.map.call(inputs, function (input, i) {
      return { input: input, label: labels[i], panel: panels[i] };
    }).filter(function (t) { return t.label && t.panel; });
  }
  function isDepthSet(set) {
    var names = parts(set).map(function (t) { return t.label.textContent.trim(); });
    return names.join("|") === DEPTHS.join("|");
  }
  // Select a tab before Material mounts (no change event, so nothing is stored).
  function check(tab) {
    tab.input.checked = true;
  }

  var sets = Array.prototype.slice.call(document.querySelectorAll(".md-content .tabbed-set"));
  var depthSets = sets.filter(isDepthSet);

  // 1. ?level=academic: open that depth and remember it.
  var level = depthOf(params.get("level"));
  if (level) {
    remember(level);
    depthSets.forEach(function (set) {
      check(parts(set)[DEPTHS.indexOf(level)]);
    });
  }

  // 2. An #anchor inside a hidden tab opens that tab.
  var target = null;
  try {
    target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch (e) { /* a malformed #fragment targets nothing */ }
  for (var el = target; el; el = el.parentElement) {
    if (el.classList.contains("tabbed-block")) {
      var set = el.parentElement.parentElement;
      parts(set).forEach(function (t) { if (t.panel === el) check(t); });
    }
  }

  // 3. From search (?h=terms): open the depth holding most terms (not stored).
  var query = (params.get("h") || "").toLowerCase().split(/[\s*+\-:~^]+/).filter(Boolean);
  if (query.length && !target) {
    depthSets.forEach(function (set) {
      var tabs = parts(set);
      var score = tabs.map(function (t) {
        var text = t.panel.textContent.toLowerCase();
        return query.filter(function (q) { return text.indexOf(q) >= 0; }).length;
      });
      var open = tabs.map(function (t) { return t.input.checked; }).indexOf(true);
      var best = score.indexOf(Math.max.apply(null, score));
      if (score[best] > score[open]) check(tabs[best]);
    });
  }

  // 4. WAI-ARIA tabs. The tab is the link Material adds to each label when it mounts.
  function tabOf(t) {
    return t.label.querySelector(":scope > a") || t.label;
  }
  function sync(tabs) {
    tabs.forEach(function (t) {
      var tab = tabOf(t);
      if (tab !== t.label) {
        ["role", "id", "tabindex", "aria-controls", "aria-selected"].forEach(function (a) {
          t.label.removeAttribute(a);
        });
      }
      tab.id = t.input.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", t.panel.id);
      tab.setAttribute("aria-selected", String(t.input.checked));
      tab.tabIndex = t.input.checked ? 0 : -1;
    });
  }
  sets.forEach(function (set) {
    var tabs = parts(set);
    var list = set.querySelector(":scope > .tabbed-labels");
    if (!tabs.length || !list) return;
    list.setAttribute("role", "tablist");
    if (depthSets.indexOf(set) >= 0) {
      set.classList.add("mb-depths");
      list.setAttribute("aria-label", "Reading depth");
    }
    var resync = function () { sync(tabs); };
    tabs.forEach(function (t, i) {
      t.panel.id = t.panel.id || t.input.id + "-panel";
      t.panel.setAttribute("role", "tabpanel");
      t.panel.setAttribute("aria-labelledby", t.input.id + "-tab");
      t.panel.tabIndex = 0;
      // The radio stays the source of truth; focus and the a11y tree belong to the tab.
      t.input.tabIndex = -1;
      t.input.setAttribute("aria-hidden", "true");
      t.input.addEventListener("change", resync);
      t.input.addEventListener("focus", function () { tabOf(t).focus(); });
      new MutationObserver(resync).observe(t.label, { childList: true });
      t.label.addEventListener("keydown", function (ev) {
        var next = {
          ArrowRight: (i + 1) % tabs.length,
          ArrowLeft: (i - 1 + tabs.length) % tabs.length,
          Home: 0,
          End: tabs.length - 1,
          Enter: i,
          " ": i
        }[ev.key];
        if (next === undefined || ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
        ev.preventDefault();
        tabOf(tabs[next]).focus();
        if (!tabs[next].input.checked) tabs[next].input.click();  // Material links and stores it
      });
    });
    sync(tabs);
  });

  // 5. Links carrying data-mb-level remember the choice and show the current one.
  var picker = document.querySelectorAll("a[data-mb-level]");
  var current = level || stored();
  Array.prototype.forEach.call(picker, function (a) {
    var depth = depthOf(a.getAttribute("data-mb-level"));
    if (depth === current) a.setAttribute("aria-current", "true");
    a.addEventListener("click", function () { remember(depth); });
  });

  // 6. Contents list and reference list follow the open depth; "mb:depth" tells others.
  var chapterSet = depthSets[0];
  if (!chapterSet) return;
  var chapterTabs = parts(chapterSet);

  function openTab() {
    return chapterTabs.filter(function (t) { return t.input.checked; })[0] || chapterTabs[0];
  }
  function tabHolding(el) {
    for (var i = 0; i < chapterTabs.length; i++) {
      if (chapterTabs[i].panel.contains(el)) return chapterTabs[i];
    }
    return null;
  }
  function shown(el) {
    var t = tabHolding(el);
    return !t || t === openTab();
  }
  function byFragment(href) {
    var i = href.indexOf("#");
    if (i < 0) return null;
    try { return document.getElementById(decodeURIComponent(href.slice(i + 1))); }
    catch (e) { return null; }
  }

  function followToc() {
    var links = document.querySelectorAll(".md-nav--secondary a.md-nav__link[href*='#']");
    Array.prototype.forEach.call(links, function (a) {
      var target = byFragment(a.getAttribute("href"));
      var li = a.closest("li");
      if (target && li) li.hidden = !shown(target);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".md-nav--secondary"), function (nav) {
      var any = Array.prototype.some.call(nav.querySelectorAll("li"), function (li) {
        return !li.closest("[hidden]");
      });
      nav.classList.toggle("mb-empty", !any);
    });
  }

  function followReferences() {
    var foot = document.querySelector(".md-content .footnote > ol");
    if (!foot) return;
    var article = foot.closest("article") || document;
    var markers = article.querySelectorAll("sup[id^='fnref'] > a.footnote-ref");
    var numbers = {};  // "fn:key" -> number in the open depth
    var order = [];
    var visibleMarks = {};  // ids of the <sup> markers a reader can see
    Array.prototype.forEach.call(markers, function (a) {
      if (!shown(a)) return;
      var id = (a.getAttribute("href") || "").slice(1);
      if (!(id in numbers)) { order.push(id); numbers[id] = order.length; }
      a.textContent = String(numbers[id]);
      visibleMarks[a.parentElement.id] = true;
    });
    var items = Array.prototype.slice.call(foot.children);
    items.forEach(function (li) {
      var n = numbers[li.id];
      li.hidden = !n;
      if (!n) return;
      li.value = n;
      Array.prototype.forEach.call(li.querySelectorAll("a.footnote-backref"), function (b) {
        var mark = (b.getAttribute("href") || "").slice(1);
        b.hidden = !visibleMarks[mark];
        b.title = "Back to citation " + n + " in the text";
        b.setAttribute("aria-label", b.title);
      });
    });
    // In the open depth's order of citation.
    order.forEach(function (id) {
      var li = document.getElementById(id);
      if (li && li.parentElement === foot) foot.appendChild(li);
    });
    items.forEach(function (li) { if (li.hidden) foot.appendChild(li); });
  }

  // The reference list gets a real heading (without JavaScript, site.css draws its text).
  var footnotes = document.querySelector(".md-content .footnote");
  if (footnotes && !document.getElementById("references")) {
    var h = document.createElement("h2");
    h.id = "references";
    h.className = "mb-references";
    h.textContent = "References";
    footnotes.insertBefore(h, footnotes.firstChild);
  }

  function follow() {
    followToc();
    followReferences();
    document.dispatchEvent(new CustomEvent("mb:depth", { detail: openTab().label.textContent.trim() }));
  }
  chapterTabs.forEach(function (t) { t.input.addEventListener("change", follow); });
  follow();

  // 7. A link into another depth opens it first; the browser then scrolls to the target.
  function reveal(target) {
    var t = target && tabHolding(target);
    if (!t || t === openTab()) return false;
    t.input.click();  // as if the reader chose it: Material links and stores it
    return true;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href*='#']");
    if (!a || a.closest(".tabbed-labels") || ev.defaultPrevented) return;
    var url = new URL(a.href, location.href);
    if (url.pathname !== location.pathname || url.search !== location.search) return;
    reveal(byFragment(url.hash));
  }, true);
  window.addEventListener("hashchange", function () {
    var target = byFragment(location.hash);
    if (reveal(target)) target.scrollIntoView();
  });
})();


// Also here, to save a request on a first visit: tables read row by row on phones, and a
// citation tapped on touch shows its reference in place.
(function () {
  "use strict";

  // Each cell gets its column's heading (site.css stacks rows on phones).
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

  // Touch: a citation opens a sheet instead of jumping to the list (mouse and keyboard get
  // tips.js's tip and the link).
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
    document.body.classList.remove("mb-sheet-open");
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
    document.body.classList.add("mb-sheet-open");
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
