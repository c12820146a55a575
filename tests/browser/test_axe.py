"""axe-core (bundled by axe-playwright-python) with the WCAG 2.0, 2.1 and 2.2 A and AA rules
(2.2 adds target size): every page, light and dark palette, every depth of every chapter,
plus the open search dialog, an open citation tooltip, and the reading fixture
(tests/browser/reading.py) at 1280x800 and at 390x844 with touch, every depth, with the
citation sheet open. Zero violations."""
from __future__ import annotations

import contextlib

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.reading import DEPTHS, build_reading_site, built_and_served, choose, page_at
from tests.browser.test_quality import CHAPTERS, PAGES, choose_depth, is_chapter, url_of
from tests.test_site import LEVELS

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
#: The reader's system setting -> the Material scheme the automatic palette must pick.
SCHEMES = {"light": "default", "dark": "slate"}


SETTLE = """() => Promise.race([
  Promise.all(document.getAnimations().map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 3000))])"""


def violations(page, where: str) -> list[str]:
    """One line per failing element: where, rule, impact, element, what to fix.

    Fades and transitions finish first: axe must see the colours a reader sees."""
    page.evaluate(SETTLE)
    out = []
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)  # once per page load, not once per run
    for v in page.evaluate("options => axe.run(document, options)", OPTIONS)["violations"]:
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            out.append(f"{where}: {v['id']} ({v['impact']}) {node['target']}: {summary}")
    return out


@pytest.fixture
def open_page(pages, site_url):
    """Open a path in a page whose system colour scheme is light or dark."""
    with contextlib.ExitStack() as opened:
        def _open(path: str, scheme: str):
            watched = opened.enter_context(pages.page(site_url, color_scheme=scheme))
            watched.goto(path)
            page = watched.page
            assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
            return page

        yield _open


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("src", PAGES)
def test_page_meets_wcag_21_aa(open_page, src, scheme):
    page = open_page(url_of(src), scheme)
    found = []
    if is_chapter(src):
        for depth in LEVELS:
            choose_depth(page, depth)
            found += violations(page, f"{src} [{scheme}, {depth}]")
    else:
        found += violations(page, f"{src} [{scheme}]")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_open_search_dialog_meets_wcag_21_aa(open_page, scheme):
    page = open_page("", scheme)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("bone")
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for()
    dialog = page.get_by_role("dialog", name="Search")
    assert dialog.count() == 1, "the search dialog has no accessible name"
    found = violations(page, f"search dialog [{scheme}]")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_open_citation_tooltip_meets_wcag_21_aa(open_page, scheme):
    page = open_page(url_of(CHAPTERS[0]), scheme)
    page.locator("article a.footnote-ref:visible").first.hover()
    page.locator("#mb-cite-tip").wait_for()
    found = violations(page, f"citation tooltip [{scheme}]")
    assert found == [], "\n".join(found)


def test_axe_reports_a_violation_it_is_shown(browser, site_url):
    """The check can fail: an image without alt text, injected into a page, is reported."""
    ctx = browser.new_context()

    def inject(route):
        resp = route.fetch()
        route.fulfill(response=resp, body=resp.text().replace(
            "<h1", '<img src="../assets/images/favicon.png"><h1', 1))

    ctx.route("**/about/", inject)
    page = ctx.new_page()
    page.goto(site_url + "about/")
    found = violations(page, "about.md")
    ctx.close()
    assert [line.split(" [")[0] for line in found] == ["about.md: image-alt (critical)"]


@pytest.fixture(scope="module")
def reading_url(tmp_path_factory):
    with built_and_served(tmp_path_factory, "reading-site", build_reading_site) as url:
        yield url


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_reading_fixture_meets_wcag_22_aa_at_both_sizes(pages, reading_url, size, scheme):
    with page_at(pages, reading_url, size, scheme) as w:
        w.goto("chapters/reading/")
        found = []
        for depth in DEPTHS:
            choose(w.page, depth)
            found += violations(w.page, f"reading [{size}, {scheme}, {depth}]")
        if size == "phone":
            w.page.locator(".tabbed-block:visible sup[id^=fnref] > a").first.tap()
            w.page.locator(".mb-cite-sheet").wait_for(state="visible")
            found += violations(w.page, f"reading [{size}, {scheme}, citation sheet]")
        assert found == [], "\n".join(found)
