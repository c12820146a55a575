// Depth tabs (Fundamentals / Intermediate / Academic): ?level= links, the remembered choice,
// search matches in hidden tabs, and the WAI-ARIA tabs pattern. Runs once, synchronously at
// the end of <body>: before Material mounts its tab components, after its stored-tab restore.
(function () {
  "use strict";
  var DEPTHS = ["Fundamentals", "Intermediate", "Academic"];
  var params = new URLSearchParams(location.search);

  // Material's content.tabs.link storage: localStorage "<scope path>.__tabs", a JSON list of
  // tab labels, most recent first. Material restores it on every page; we only add to it.
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

  // 1. ?level=academic (or fundamentals, intermediate): open that depth and remember it.
  var level = depthOf(params.get("level"));
  if (level) {
    remember(level);
    depthSets.forEach(function (set) {
      check(parts(set)[DEPTHS.indexOf(level)]);
    });
  }

  // 2. A link to an anchor inside a hidden tab (e.g. a heading) opens that tab.
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

  // 3. Arriving from search (?h=terms): if the open depth lacks the match, open the depth
  //    that has most of the terms, so Material's highlighter (visible text only) finds them.
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

  // 4. WAI-ARIA tabs: tablist / tab / tabpanel, aria-selected, roving tabindex, arrow keys.
  //    The tab is the link Material puts in each label (<a href="#__tabbed_1_2">; role=tab is
  //    allowed on a link, not on a label, and a label holding a focusable link would nest
  //    interactive controls). Material adds that link when it mounts, after this script, so
  //    the tab role moves from the label to the link when the link appears.
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
      // The hidden radio stays the source of truth (Material and CSS use :checked), but
      // focus and the accessibility tree belong to the tab.
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

  // 5. The landing page's depth picker: links carrying data-mb-level remember the choice and
  //    show the current one.
  var picker = document.querySelectorAll("a[data-mb-level]");
  var current = level || stored();
  Array.prototype.forEach.call(picker, function (a) {
    var depth = depthOf(a.getAttribute("data-mb-level"));
    if (depth === current) a.setAttribute("aria-current", "true");
    a.addEventListener("click", function () { remember(depth); });
  });

  // 6. The whole page follows the chosen depth. A chapter has one depth set; what it does
  //    not hold (the reference list, the contents list) is filtered to the open depth:
  //    - the table of contents (the sidebar and the phone's navigation drawer) lists only
  //      the headings of the open depth;
  //    - the reference list at the foot shows only the references cited in the open depth,
  //      numbered 1..n in the order the open depth first cites them (the markers in the text
  //      are renumbered to match), each with one back-link per citation in that depth.
  //    Without JavaScript every depth is readable in full and the numbers are the build's
  //    (first citation anywhere on the page). levels.js tells others with "mb:depth".
  var chapterSet = depthSets[0];
  if (!chapterSet) return;
  var chapterTabs = parts(chapterSet);

  function openTab() {
    return chapterTabs.filter(function (t) { return t.input.checked; })[0] || chapterTabs[0];
  }
  // The depth tab whose panel holds el, or null when el is outside every depth.
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
    // In the order the open depth cites them (list items move; nothing is recreated).
    order.forEach(function (id) {
      var li = document.getElementById(id);
      if (li && li.parentElement === foot) foot.appendChild(li);
    });
    items.forEach(function (li) { if (li.hidden) foot.appendChild(li); });
  }

  function follow() {
    followToc();
    followReferences();
    document.dispatchEvent(new CustomEvent("mb:depth", { detail: openTab().label.textContent.trim() }));
  }
  chapterTabs.forEach(function (t) { t.input.addEventListener("change", follow); });
  follow();

  // 7. A link into another depth (a contents entry, a back-link, a shared #anchor) opens that
  //    depth first, then the browser scrolls to the now visible target.
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
