"""Every page of the built site in Chromium: clean console, no other host, a CSP that holds,
search that finds the right chapter, a palette toggle that sticks, no sideways scrolling on
a phone, and screenshots for a human to look at (test-artifacts/, not committed).

Pages come from the nav in mkdocs.yml, so new chapters are covered without editing here."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from tests.browser.reading import open_depth
from tests.conftest import Watched
from tests.sitebuild import ROOT
from tests.test_site import LEVELS, nav_pages

pytestmark = pytest.mark.browser

PAGES = nav_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
ARTIFACTS = ROOT / "test-artifacts"

#: Searching a glossary term puts this chapter first. Add a row per term worth finding;
#: rows whose chapter does not exist (yet) are not run, but at least five must be.
SEARCHES = [
    ("sarcopenia", "chapters/what-changes-with-age.md"),
    ("osteoporosis", "chapters/what-changes-with-age.md"),
    ("EWGSOP2", "chapters/what-changes-with-age.md"),
    ("osteoclasts", "chapters/what-changes-with-age.md"),
    ("gait speed", "chapters/what-changes-with-age.md"),
    ("anabolic resistance", "chapters/anabolic-resistance.md"),
    ("progestogens", "chapters/hormone-therapy.md"),
    ("LIFTMOR", "chapters/resistance-training.md"),
    ("ipamorelin", "chapters/growth-hormone-secretagogues.md"),
    ("sermorelin", "chapters/growth-hormone-secretagogues.md"),
]
ACTIVE_SEARCHES = [row for row in SEARCHES if (ROOT / "docs" / row[1]).exists()]

#: Records every Content-Security-Policy violation, from before the page's first script.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  + (e.sample ? ` (${e.sample})` : "")));
"""


def url_of(src: str) -> str:
    return "" if src == "index.md" else src[:-3] + "/"


def is_chapter(src: str) -> bool:
    return src.startswith("chapters/")


def choose_depth(page, name: str) -> None:
    """Pick a depth with the chapter's top-level tabs; wait until its panel shows."""
    tabs = page.get_by_role("tab", name=name, exact=True)
    if tabs.count():
        tabs.first.click()
    else:
        page.locator("article .tabbed-set > .tabbed-labels > label", has_text=name).first.click()
    labels = page.locator("article .tabbed-set").first.locator(":scope > .tabbed-labels > label")
    index = [t.strip() for t in labels.all_inner_texts()].index(name)
    block = page.locator("article .tabbed-set").first.locator(
        ":scope > .tabbed-content > .tabbed-block").nth(index)
    block.wait_for(state="visible")


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || ['CSP listener missing']")


@pytest.fixture
def watched(pages, site_url) -> Watched:
    with pages.page(site_url, init_script=CSP_LISTENER) as w:
        yield w


@pytest.fixture
def phone(pages, site_url):
    with pages.page(site_url, viewport={"width": 390, "height": 844}, is_mobile=True,
                    has_touch=True, device_scale_factor=2, init_script=CSP_LISTENER) as w:
        yield w


# Clean pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("src", PAGES)
def test_page_is_clean_and_keeps_its_csp(watched, src):
    """Load, use every depth tab and open a citation's tooltip: no console error, no other
    host contacted, no CSP violation."""
    resp = watched.goto(url_of(src))
    assert resp.status == 200
    page = watched.page
    assert page.locator('head meta[http-equiv="Content-Security-Policy"]').count() == 1
    if is_chapter(src):
        for depth in LEVELS:
            choose_depth(page, depth)
            ref = page.locator(".tabbed-block:visible a.footnote-ref").first
            if ref.count():
                ref.hover()
    page.locator("input.md-search__input").click()
    page.keyboard.type("bone")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Escape")
    assert watched.console_errors == []
    assert watched.external_requests == []
    assert csp_violations(page) == []


def test_csp_blocks_an_injected_inline_script(context, site_url):
    """The policy is enforced, and the listener above would report a breach."""
    context.add_init_script(CSP_LISTENER)

    def inject(route):
        resp = route.fetch()
        body = resp.text().replace("</body>", "<script>window.__ran = true</script></body>")
        route.fulfill(response=resp, body=body)

    context.route("**/about/", inject)
    page = Watched(context.new_page(), site_url)
    page.goto("about/")
    page = page.page
    assert page.evaluate("window.__ran === undefined")
    assert [v.split(" at ")[0] for v in csp_violations(page)] == ["script-src-elem blocked inline"]


def test_not_found_page_is_clean_under_the_site_path(pages, site_dir):
    """GitHub Pages answers any unknown URL with 404.html, whose links are absolute."""
    from benchmarks.ghpages import Server

    with Server(site_dir) as server, pages.page(server.url, init_script=CSP_LISTENER) as w:
        resp = w.goto("no/such/page/")
        assert resp.status == 404
        assert w.page.locator("h1").inner_text() == "404 - Not found"
        # Its stylesheets loaded from /guide/: the header is styled, not a bare list.
        assert w.page.locator("header.md-header").evaluate(
            "e => getComputedStyle(e).position") == "sticky"
        missing = "Failed to load resource: the server responded with a status of 404 (Not Found)"
        assert [e for e in w.console_errors if e != missing] == []
        assert w.external_requests == []
        assert csp_violations(w.page) == []


# Search ---------------------------------------------------------------------------------

def test_at_least_five_search_terms_are_checked():
    assert len(ACTIVE_SEARCHES) >= 5, ACTIVE_SEARCHES


def test_search_terms_are_glossary_terms():
    """At least five searched words are glossary terms (data/glossary.yml, once it exists)."""
    path = ROOT / "data" / "glossary.yml"
    if not path.exists():
        return
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    known = {n.lower() for e in entries for n in [e["term"], *(e.get("aliases") or [])]}
    found = [q for q, _ in ACTIVE_SEARCHES if q.lower() in known]
    assert len(found) >= 5, f"only {found} of the searched words are in {path.name}"


def search_requests(page) -> list[str]:
    return page.evaluate("""performance.getEntriesByType("resource").map(e => e.name)
        .filter(u => /search_index\\.json|workers\\/search\\./.test(u))""")


def test_search_loads_only_when_the_reader_reaches_for_it(web):
    """search-lazy.js: no index or worker on a plain page view; both once the box is used."""
    web.goto(url_of(CHAPTERS[0]))
    web.page.wait_for_load_state("networkidle")  # 500 ms without a request: nothing lazy
    assert search_requests(web.page) == []
    web.page.locator("input.md-search__input").click()
    web.page.keyboard.type("bone")
    web.page.locator(".md-search-result__item").first.wait_for()
    loaded = search_requests(web.page)
    assert any("search_index.json" in u for u in loaded) and any("workers/" in u for u in loaded)
    assert web.console_errors == []


def test_search_highlight_link_loads_search_at_once(web):
    """A result link (?h=term) highlights the term on arrival, which needs the index."""
    web.goto(url_of(CHAPTERS[0]) + "?h=sarcopenia")
    web.page.locator("article mark").first.wait_for()
    assert web.page.locator("article mark").first.inner_text().lower() == "sarcopenia"
    assert web.console_errors == []


@pytest.fixture(scope="module")
def search_page(pages, site_url):
    """One home page per worker for the searches below: each search only reads, so the
    index is loaded (and the search worker started) once, not once per word."""
    with pages.page(site_url) as web:
        web.goto("")
        yield web


@pytest.mark.parametrize("query,src", ACTIVE_SEARCHES)
def test_search_puts_the_right_chapter_first(search_page, query, src):
    web = search_page
    box = web.page.locator("input.md-search__input")
    items = web.page.locator(".md-search-result__list > .md-search-result__item")
    box.click()
    # The last word's results go first, so the list found below is this word's own.
    box.fill("")
    box.press("End")  # Material searches on keyup
    items.first.wait_for(state="detached")
    box.fill(query)
    box.press("End")
    first = items.first
    first.wait_for()
    href = first.locator("a").first.get_attribute("href")
    assert urlparse(href).path == urlparse(web.base + url_of(src)).path, \
        f"searching {query!r}: first result is {href}"


# Palette --------------------------------------------------------------------------------

def palette_toggles() -> list[dict]:
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    return cfg["theme"]["palette"]


def test_dark_mode_toggle_works_and_is_remembered(web):
    page = web.page
    web.goto("")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    background = lambda: page.evaluate(  # noqa: E731
        "getComputedStyle(document.body).backgroundColor")
    light = background()
    assert scheme() == "default"
    # Click the visible toggle until the dark scheme is on (the palettes cycle in order).
    for _ in palette_toggles():
        if scheme() == "slate":
            break
        page.locator("[data-md-component=palette] label:not([hidden])").click()
    assert scheme() == "slate"
    dark = background()
    assert dark != light
    web.reload()
    assert scheme() == "slate" and background() == dark
    web.goto(url_of(CHAPTERS[0]))
    assert scheme() == "slate", "the choice does not follow the reader to another page"
    assert web.console_errors == []


# Phone ----------------------------------------------------------------------------------

OVERFLOW = """() => {
  const root = document.documentElement, w = root.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && r.right > w + 1 && getComputedStyle(e).position !== "fixed"
      && !e.closest(".md-sidebar, .md-search, .md-tooltip, .md-tooltip2");
  }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + [...e.classList].join(".") : ""));
  return {scroll: root.scrollWidth, client: w, wide};
}"""


@pytest.mark.parametrize("src", PAGES)
def test_no_sideways_scrolling_on_a_phone(phone, src):
    phone.goto(url_of(src))
    states = LEVELS if is_chapter(src) else ["page"]
    for state in states:
        if is_chapter(src):
            choose_depth(phone.page, state)
        m = phone.page.evaluate(OVERFLOW)
        assert m["scroll"] <= m["client"], f"{src} ({state}) is {m['scroll']}px wide in a " \
                                           f"{m['client']}px viewport; too wide: {m['wide']}"
    assert phone.console_errors == []


# Screenshots ----------------------------------------------------------------------------

def test_screenshots_of_landing_page_and_a_chapter_at_each_depth(web):
    """Saved for a human to look at; the test checks they were written now."""
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.time() - 1
    page = web.page
    page.set_viewport_size({"width": 1280, "height": 900})
    shots = [ARTIFACTS / "landing.png"]
    web.goto("")
    page.screenshot(path=shots[0], full_page=True)
    web.goto(url_of(CHAPTERS[0]))
    for depth in LEVELS:
        choose_depth(page, depth)
        path = ARTIFACTS / f"chapter-{depth.lower()}.png"
        page.screenshot(path=path, full_page=True)
        shots.append(path)
    for path in shots:
        data = Path(path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, path
        assert path.stat().st_mtime >= started, path


def test_a_request_to_another_host_fails_at_once_and_is_recorded(web):
    """The harness itself: no test can reach beyond 127.0.0.1 (the browser's proxy refuses
    it at once, a name or an address alike), and the page records the attempt."""
    started = time.monotonic()
    for url in ("http://example.invalid/", "http://192.0.2.1/"):
        with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED"):
            web.page.goto(url)
    assert time.monotonic() - started < 5
    assert web.external_requests == ["http://example.invalid/", "http://192.0.2.1/"]


def test_a_reused_page_starts_as_a_new_readers(pages, site_url):
    """Tests share pages (tests/conftest.py ``Pages``): what one test leaves behind (a
    chosen depth and palette, session storage, print media, a viewport, a route, the mouse
    over a citation) is gone for the next."""
    with pages.page(site_url) as first:
        first.goto("chapters/hormone-therapy/?level=academic")
        first.page.evaluate("sessionStorage.setItem('left', 'behind');"
                            "localStorage.setItem('left', 'behind')")
        first.page.emulate_media(media="print", color_scheme="dark")
        first.page.set_viewport_size({"width": 500, "height": 500})
        first.page.route("**/*.css", lambda route: route.abort())
        first.page.locator(".tabbed-block:visible a.footnote-ref").first.hover()
        used = first.page
    with pages.page(site_url) as second:
        assert second.page is used  # the same page, reused
        second.goto("chapters/hormone-therapy/")
        page = second.page
        left = "[localStorage.getItem('left'), sessionStorage.getItem('left')]"
        assert page.evaluate(left) == [None, None]
        assert page.evaluate("matchMedia('print').matches") is False
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
        assert page.viewport_size == {"width": 1280, "height": 720}
        assert page.locator("header.md-header").evaluate(
            "e => getComputedStyle(e).position") == "sticky"  # the stylesheets loaded
        assert page.locator("#mb-cite-tip:visible").count() == 0
        assert open_depth(page) == "Fundamentals"
