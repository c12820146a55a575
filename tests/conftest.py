"""Shared fixtures, each made once per test session (a new browser test just asks for them):

- ``site_build`` / ``site_dir``: the real site, built strictly once per run (all workers);
- ``site_url``: that site served over http on 127.0.0.1 (e.g. ``web.goto("chapters/x/")``);
- ``browser``: one system Chromium driven by Playwright (never skipped: a missing browser
  fails; requests to other hosts are refused);
- ``pages``: the worker's reusable pages (:class:`Pages`, one per set of context options);
  ``web`` is the plain one on the real site, recording console errors and stray requests;
  ``context`` a fresh context for a test that adds routes or init scripts;
- ``preview``: one live preview (``python3 dev.py serve``) over a copy of the project, for
  the tests that edit a source and watch the result (tests/test_serve.py).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from filelock import FileLock
from hypothesis import settings

from tests.sitebuild import ROOT, Build, mkdocs_build

# CI (CI=true) runs the property tests on a fixed seed, so a run that lands is repeatable;
# an author's run explores new examples each time (and keeps any failure it finds).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def once_per_run(tmp_path_factory, name: str, make):
    """``make(folder)`` once per test run, by whichever pytest-xdist worker asks first, in
    the run's shared temporary folder; the other workers wait for it (a file lock) and get
    the same result. ``make`` returns something JSON can keep (e.g. a path as a string)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / f"once-{name}"
    done = root / f"once-{name}.json"
    with FileLock(str(root / f"once-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed before
            folder.mkdir()
            done.write_text(json.dumps(make(folder)), encoding="utf-8")
    return json.loads(done.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> Build:
    """The project's site, built strictly once per test run (shared by the xdist workers)."""
    def make(folder: Path):
        b = mkdocs_build(ROOT, folder / "site")
        return [b.returncode, b.output, str(b.site)]

    returncode, output, site = once_per_run(tmp_path_factory, "site", make)
    build = Build(returncode, output, Path(site))
    assert build.ok, f"strict build of the site failed:\n{build.output}"
    return build


@pytest.fixture(scope="session")
def site_dir(site_build) -> Path:
    return site_build.site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass

    def end_headers(self):
        # linkchecker goes beyond 10 requests/s only to a server that sends this header.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


def pytest_addoption(parser):
    parser.addoption("--external-links", action="store_true", default=False,
                     help="run the tests marked external: linkchecker fetches every link to "
                          "other hosts (network needed; the weekly external-links workflow). "
                          "Off by default: no test ever contacts another host.")


def pytest_configure(config):
    config.addinivalue_line("markers", "external: fetches links to other hosts; runs only "
                                       "with --external-links (deselected, never skipped)")
    # pytest-xdist registers it too; declared here so `-p no:xdist` runs still collect.
    config.addinivalue_line("markers", "xdist_group(name): tests that run on one worker")


#: Test files that share a session fixture costly to make twice run on one worker.
SAME_WORKER = {"test_serve.py": "preview", "test_preview_reload.py": "preview"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (it reads them once)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`python3 dev.py test` runs one worker more than there are cores,
    --dist loadgroup) tests are shared out one by one; the files that share the live
    preview are marked to stay on one worker, so one preview serves them all. (pytest 9.2 broke such groups:
    pytest-xdist 3.8 writes a node id it no longer reads, pytest-xdist issue 1386; hence
    ``pytest<9.2`` in requirements.in.) A module-scoped fixture is made once per worker
    that runs its file (costly builds are shared: ``once_per_run``). Without
    --external-links the tests marked external are deselected (not skipped)."""
    for item in items:
        group = SAME_WORKER.get(item.path.name)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    if config.getoption("--external-links"):
        return
    keep = [i for i in items if i.get_closest_marker("external") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The built site served over http on 127.0.0.1 (a free port), as a host would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def chromium_path() -> str:
    """CHROMIUM, else the headless shell, else the full browser (``dev.find_chromium``)."""
    from dev import find_chromium

    found = find_chromium()
    if found:
        return found
    pytest.fail("no system Chromium: install it (apt-get install chromium-headless-shell) or "
                "set CHROMIUM; `python3 dev.py test` installs it when run as root. Browser "
                "tests never skip.")


@pytest.fixture(scope="session")
def browser():
    """One Chromium per worker. Every request to another host goes to a proxy that refuses
    it at once (a port held closed for the run; 127.0.0.1 bypasses it), so a
    stray request fails fast and the pages' own requests are never intercepted: Playwright
    routes would turn off the HTTP cache and double the CPU of a page load."""
    from playwright.sync_api import sync_playwright

    refused = socket.socket()
    refused.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    proxy = {"server": f"http://127.0.0.1:{refused.getsockname()[1]}",
             "bypass": "127.0.0.1,localhost"}
    # Playwright gives every launch a fresh, empty profile directory of its own.
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS,
                              proxy=proxy)
        yield b
        b.close()
    refused.close()


class Watched:
    """A Playwright page that records console errors and requests leaving 127.0.0.1, and
    knows which of its requests are still in flight (see ``settle``)."""

    #: The network is quiet once no request has been in flight for this long (seconds).
    QUIET = 0.1

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.console_errors: list[str] = []
        self.external_requests: list[str] = []
        self.in_flight: dict = {}
        self.last_activity = time.monotonic()
        #: Every origin the page sent a request to (``Pages`` clears their storage).
        self.origins: set[str] = set()
        self._listeners = [
            ("console", lambda m: m.type == "error" and self.console_errors.append(m.text)),
            ("pageerror", lambda e: self.console_errors.append(str(e))),
            ("request", self._request), ("requestfinished", self._done),
            ("requestfailed", self._done)]
        for event, listener in self._listeners:
            page.on(event, listener)

    def detach(self) -> None:
        """Stop listening (the page goes on to another test)."""
        for event, listener in self._listeners:
            self.page.remove_listener(event, listener)

    def _request(self, req):
        self.in_flight[req] = req.url
        self.last_activity = time.monotonic()
        url = urlparse(req.url)
        host = url.hostname
        if req.url.startswith(("data:", "blob:", "about:")):
            return
        if url.scheme in ("http", "https"):
            self.origins.add(f"{url.scheme}://{url.netloc}")
        if host not in ("127.0.0.1", "localhost"):
            self.external_requests.append(req.url)

    def _done(self, req):
        self.in_flight.pop(req, None)
        self.last_activity = time.monotonic()

    def settle(self, deadline: float = 30) -> None:
        """Wait for the load event, then until no request has been in flight for 100 ms.

        Like Playwright's "networkidle" (no request for 500 ms), but without its fixed
        half-second wait on every page load of every test."""
        self.page.wait_for_load_state("load")
        end = time.monotonic() + deadline
        while self.in_flight or time.monotonic() - self.last_activity < self.QUIET:
            if time.monotonic() > end:
                pytest.fail(f"requests still in flight after {deadline} s: "
                            f"{sorted(self.in_flight.values())}")
            self.page.wait_for_timeout(20)

    def goto(self, path: str, **kw):
        resp = self.page.goto(self.base + path.lstrip("/"), **kw)
        self.settle()
        return resp

    def reload(self):
        resp = self.page.reload()
        self.settle()
        return resp


@pytest.fixture(scope="session")
def preview(tmp_path_factory):
    """One live preview for the whole run: its tests are one xdist group. A second worker
    starting another would mean the group was ignored (see pytest_collection_modifyitems)."""
    from tests.test_serve import start_preview

    if os.environ.get("PYTEST_XDIST_WORKER"):
        mine = os.environ["PYTEST_XDIST_WORKER"]
        first = once_per_run(tmp_path_factory, "preview-worker", lambda folder: mine)
        assert first == mine, (
            f"worker {mine} starts a second live preview ({first} has one): pytest-xdist "
            "ignored the xdist_group of the preview's tests; check the pytest pin in "
            "requirements.in")
    server = start_preview(tmp_path_factory.mktemp("serve"))
    yield server
    server.stop()


class Pages:
    """The browser pages of one test worker: one context per set of options (size, palette,
    touch, JavaScript, an init script), each with one page that the tests take in turn.

    Loading a chapter in a page that has loaded the site before costs a fifth of the CPU of
    loading it in a new context (measured on two cores: about 0.2 CPU-s against 1.06; a new
    context and page cost 0.3 more), and the suite is bound by CPU. Between two tests the
    page is wiped as a new context would be: it leaves for about:blank, the storage of every
    origin it reached (local and session storage, cookies, IndexedDB, caches) is cleared,
    media emulation, viewport and page routes are reset, and the mouse goes back to (0, 0)
    where Playwright starts it. Only the HTTP cache stays, which holds files that do not
    change during a run. A test that adds routes or init scripts to a context, or edits a
    site while it runs, opens a context of its own (the ``context`` fixture)."""

    STORAGE = "local_storage,session_storage,indexeddb,cache_storage,service_workers,cookies"

    def __init__(self, browser):
        self.browser = browser
        self.contexts: dict[str, tuple] = {}  # options -> (context, options it was made with)
        self.idle: dict[str, list] = {}  # options -> pages no test holds, with a CDP session

    @contextlib.contextmanager
    def page(self, base: str, **options):
        """A :class:`Watched` page at ``base`` in the context made with ``options``
        (``browser.new_context`` keywords, plus ``init_script``), wiped after the test."""
        key = json.dumps(options, sort_keys=True)
        if key not in self.contexts:
            made_with = dict(options)
            init_script = made_with.pop("init_script", None)
            ctx = self.browser.new_context(**made_with)
            if init_script:
                ctx.add_init_script(init_script)
            self.contexts[key], self.idle[key] = (ctx, made_with), []
        ctx, made_with = self.contexts[key]
        if self.idle[key]:
            page, cdp = self.idle[key].pop()
        else:  # a first page, or one more while another test holds the first
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
        # The page a test drives is the front tab: Chromium throttles animation frames in
        # the others, which Playwright waits on before a click (seconds, measured).
        page.bring_to_front()
        watched = Watched(page, base)
        try:
            yield watched
        finally:
            watched.detach()
            try:
                self._wipe(page, cdp, made_with, watched.origins)
                self.idle[key].append((page, cdp))
            except Exception:  # a page the test left unusable: the next test gets a new one
                page.close()

    @staticmethod
    def _wipe(page, cdp, options: dict, origins: set[str]) -> None:
        page.unroute_all(behavior="ignoreErrors")
        page.goto("about:blank")
        for origin in origins:
            cdp.send("Storage.clearDataForOrigin",
                     {"origin": origin, "storageTypes": Pages.STORAGE})
        page.emulate_media(media="null", color_scheme=options.get("color_scheme", "light"))
        page.set_viewport_size(options.get("viewport", {"width": 1280, "height": 720}))
        page.mouse.move(0, 0)

    def close(self) -> None:
        for ctx, _ in self.contexts.values():
            ctx.close()


@pytest.fixture(scope="session")
def pages(browser):
    """This worker's reusable browser pages (:class:`Pages`)."""
    pool = Pages(browser)
    yield pool
    pool.close()


@pytest.fixture
def context(browser):
    """A new context of the test's own (for a test that adds routes or init scripts)."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def web(pages, site_url) -> Watched:
    """A page of the real site's, as a new reader's (``pages``)."""
    with pages.page(site_url) as watched:
        yield watched
