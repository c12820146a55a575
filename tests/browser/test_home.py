"""The home page's chapter cards in a real Chromium, at 1280x800 and 390x844, light and
dark: readable (axe-core: no violation), nothing scrolls sideways, the title is the link
and the whole card opens the chapter, the reading time per depth shows. Screenshots go to
test-artifacts/home-<width>-<scheme>.png for a person to look at."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_axe import violations
from tests.sitebuild import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_cards_read_well_at_both_sizes_and_palettes(pages, site_url, width, height,
                                                         scheme):
    mobile = width < 500
    with pages.page(site_url, viewport={"width": width, "height": height},
                    color_scheme=scheme, is_mobile=mobile, has_touch=mobile) as w:
        page = w.page
        w.goto("")
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        cards = page.locator("ul.mb-cards > li.mb-card")
        assert cards.count() >= 6
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
        columns = len({round(b["x"]) for b in boxes})
        assert columns == (1 if mobile else 2), columns
        first = cards.first
        assert all(re.fullmatch(r"(Fundamentals|Intermediate|Academic) \d+ min", t.strip())
                   for t in first.locator(".mb-card__time li").all_inner_texts())
        assert first.locator(".mb-card__depth").all_inner_texts() == [
            "Fundamentals", "Intermediate", "Academic"]
        # Text and links meet WCAG AA contrast in this palette; the picker stays as it was.
        assert [v for v in violations(page, f"home {width} {scheme}")] == []
        assert page.locator(".mb-depth-picker a[data-mb-level]").count() == 3
        page.evaluate("window.scrollTo(0, document.getElementById('chapters')"
                      ".getBoundingClientRect().top + scrollY - 70)")
        page.wait_for_timeout(500)  # Material's header title settles after a scroll
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"home-{width}-{scheme}.png"))
        # A tap or click anywhere on the card (not only on its title) opens the chapter.
        href = first.locator("h3 a").get_attribute("href")
        summary = first.locator(".mb-card__summary")
        summary.scroll_into_view_if_needed()
        box = summary.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_url("**/" + href)
        assert page.locator("h1").first.is_visible()
        assert w.console_errors == []


def test_keyboard_reaches_each_card_title_with_a_visible_focus(web):
    web.goto("")
    page = web.page
    title = page.locator("ul.mb-cards h3 a").first
    title.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.mb-card') !== null")
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement,
        '::after'); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert ring[0] != "none" and ring[1] >= 2, ring
