"""Citations in a real Chromium: hovering a citation shows its reference; HTML in a bib
field never runs."""
from __future__ import annotations

import pytest

from tests.browser.reading import serve
from tests.conftest import Watched
from tests.sitebuild import build_fixture
from tests.test_citations import XSS_BIB

pytestmark = pytest.mark.browser


def test_hovering_a_citation_shows_the_reference(web):
    web.goto("chapters/what-changes-with-age/")
    ref = web.page.locator("article sup a.footnote-ref").first
    target = ref.get_attribute("href")
    expected = web.page.locator(f"li[id='{target[1:]}'] p").first.inner_text()
    ref.hover()
    tip = web.page.locator("#mb-cite-tip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.get_attribute("role") == "tooltip"
    assert ref.get_attribute("aria-describedby") == "mb-cite-tip"
    assert tip.locator("a.footnote-backref").count() == 0
    assert web.page.locator(".md-tooltip2").count() == 0  # Material's tooltips stay off
    shown = tip.inner_text()
    assert "doi:" in shown and shown.split(".")[0] in expected
    # the kind of evidence, in words, at the start of the popover
    assert tip.locator(".evidence-label").first.inner_text().rstrip(":").strip() in {
        "Randomized trial", "Meta-analysis", "Systematic review", "Guideline",
        "Position statement", "Cohort study", "Review", "Mechanistic study",
        "Regulatory document"}
    # hoverable: the pointer can move onto the tip; it closes once the pointer leaves both
    box = tip.bounding_box()
    web.page.mouse.move(box["x"] + 5, box["y"] + 5)
    web.page.wait_for_timeout(400)
    assert tip.is_visible()
    web.page.mouse.move(1, 1)
    tip.wait_for(state="hidden", timeout=2000)
    assert ref.get_attribute("aria-describedby") is None
    # dismissible: Escape closes it without moving the pointer
    ref.hover()
    tip.wait_for(state="visible")
    web.page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert web.console_errors == []


def test_references_page_links_every_doi(web):
    web.goto("references/")
    items = web.page.locator("article ul.references:not(.references--by-kind) > li")
    assert items.count() >= 18
    assert web.page.locator("article ol").count() == 0  # A to Z, without numbers
    assert items.locator("a[href^='https://doi.org/']").count() >= 15


def test_html_in_a_bib_title_never_runs(browser, tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nClaim [@good2020][@other2021].\n",
                                 "references.md": "# References\n\n<!-- full-bibliography -->\n"},
                      files={"bib/references.bib": XSS_BIB})
    assert b.ok, b.output
    with serve(b.site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        watched = Watched(page, base)
        try:
            for path in ("", "references/"):
                watched.goto(path)
                page.locator("article a.footnote-ref").first.hover() if path == "" else None
                page.wait_for_timeout(300)
                assert page.locator("article img, article script").count() == 0
                assert "<script>alert('xss')</script>" in page.locator("article").inner_text()
        finally:
            page.close()
    assert dialogs == []
