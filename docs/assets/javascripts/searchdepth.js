// Search results per depth (hooks/searchdepth.py): the result for one depth of a chapter
// links to "?depth=<name>", and its sections to "?depth=<name>#<heading>". Without a
// #fragment, point the address at the depth's first element (its reading time,
// #depth-<name>), so levels.js, next, opens that depth as it does for any link into a
// depth, without making it the reader's remembered choice. Runs before levels.js.
(function () {
  "use strict";
  var depth = new URLSearchParams(location.search).get("depth");
  if (!depth || location.hash) return;
  var target = document.getElementById("depth-" + depth.trim().toLowerCase());
  if (target && target.closest(".tabbed-block")) {
    history.replaceState(history.state, "", location.pathname + location.search + "#" + target.id);
  }
})();
