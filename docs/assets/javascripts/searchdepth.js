// ?depth=<name> (a search result, hooks/medsite/searchdepth.py): point the address at the
// depth's first element, so levels.js (next) opens that depth without remembering it.
(function () {
  var d = new URLSearchParams(location.search).get("depth");
  var el = d && !location.hash && document.getElementById("depth-" + d.trim().toLowerCase());
  if (el && el.closest(".tabbed-block")) history.replaceState(history.state, "", "#" + el.id);
})();
