// Search loads when the reader reaches for it (the index and the worker wait until the box is
// pointed at, focused or a ?q= link is opened). Runs before Material's bundle. Why: README.md.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var WORKER = /\/workers\/search\.[\w.]+\.js(\?|$)/;
  var wanted = /[?&][qh]=/.test(location.search);
  var waiting = [];

  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (start) { start(); });
  }

  // The index request: opened as usual, sent once search is wanted.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.mbSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (xhr.mbSearchIndex && !wanted) {
      waiting.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(xhr, args);
  };

  // The worker: a stand-in that starts the real one with the first message, which Material
  // sends only once the index has arrived.
  var RealWorker = window.Worker;
  function LazyWorker(url, options) {
    var events = new EventTarget();
    var real = null;
    this.addEventListener = events.addEventListener.bind(events);
    this.removeEventListener = events.removeEventListener.bind(events);
    this.dispatchEvent = events.dispatchEvent.bind(events);
    this.postMessage = function (message, transfer) {
      if (!real) {
        real = new RealWorker(url, options);
        real.addEventListener("message", function (e) {
          events.dispatchEvent(new MessageEvent("message", { data: e.data }));
        });
        real.addEventListener("error", function () { events.dispatchEvent(new Event("error")); });
      }
      real.postMessage(message, transfer);
    };
    this.terminate = function () { if (real) real.terminate(); };
  }
  if (RealWorker) {
    window.Worker = function (url, options) {
      return WORKER.test(String(url)) && !wanted
        ? new LazyWorker(url, options) : new RealWorker(url, options);
    };
  }

  function isSearch(el) {
    return el instanceof Element &&
      !!el.closest("[data-md-component=search], label[for=__search]");
  }
  document.addEventListener("pointerover", function (e) { if (isSearch(e.target)) want(); },
                            { passive: true });
  document.addEventListener("focusin", function (e) { if (isSearch(e.target)) want(); });
  document.addEventListener("change", function (e) {
    if (e.target instanceof Element && e.target.id === "__search") want();
  });
})();
