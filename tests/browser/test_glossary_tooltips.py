"""Glossary tooltips in a real Chromium: hover, keyboard focus, tap, Escape, screen readers."""
from __future__ import annotations

import pytest


pytestmark = pytest.mark.browser

CHAPTER = "chapters/what-changes-with-age/"
TIP = ".gl-tip"


def first_visible_term(page):
    """The first marked term in the visible (Fundamentals) panel."""
    term = page.locator(".tabbed-block:visible a.gl-term").first
    term.scroll_into_view_if_needed()
    return term


def definition_of(page, term) -> str:
    return page.locator(f"#{term.get_attribute('aria-describedby')}").text_content()


def test_hover_shows_the_definition_and_leaving_hides_it(web):
    web.goto(CHAPTER)
    term = first_visible_term(web.page)
    assert web.page.locator(TIP).count() == 0 or web.page.locator(TIP).is_hidden()
    term.hover()
    tip = web.page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.locator(".gl-tip__text").text_content() == definition_of(web.page, term)
    # The tooltip sits next to the term, not somewhere else on the page.
    t, b = term.bounding_box(), tip.bounding_box()
    assert abs(b["y"] - (t["y"] + t["height"])) < 40 or abs(t["y"] - (b["y"] + b["height"])) < 40
    web.page.mouse.move(5, 5)
    tip.wait_for(state="hidden")
    assert web.console_errors == []


def test_tab_to_a_term_shows_it_with_a_focus_ring_and_escape_closes(web):
    web.goto(CHAPTER)
    page = web.page
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.gl-term')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term")
    term = page.locator("a.gl-term:focus")
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.locator(".gl-tip__text").text_content() == definition_of(page, term)
    ring = term.evaluate("e => { const s = getComputedStyle(e);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] != "none" and ring[1] >= 2, ring
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.matches('a.gl-term')"), "Escape moved focus"
    # Enter follows the term to its Glossary entry.
    slug = term.get_attribute("href").split("#")[1]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/glossary/#{slug}")
    assert page.locator(f"dt#{slug}").is_visible()


def test_tap_shows_the_definition_in_a_touch_context(pages, site_url):
    with pages.page(site_url, has_touch=True, is_mobile=True,
                    viewport={"width": 390, "height": 800}) as w:
        w.goto(CHAPTER)
        page = w.page
        term = first_visible_term(page)
        term.tap()
        tip = page.locator(TIP)
        tip.wait_for(state="visible")
        assert tip.locator(".gl-tip__text").text_content() == definition_of(page, term)
        assert page.url.endswith(CHAPTER), "the first tap must not leave the page"
        box = tip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "tooltip overflows the phone"
        # The tooltip leads to the term's entry.
        slug = term.get_attribute("href").split("#")[1]
        assert tip.locator("a.gl-tip__more").get_attribute("href").endswith(f"glossary/#{slug}")
        # A tap elsewhere closes it.
        page.locator("h1").first.tap()
        tip.wait_for(state="hidden")


def test_screen_readers_get_the_definition_as_the_terms_description(web):
    from playwright.sync_api import expect

    web.goto(CHAPTER)
    term = first_visible_term(web.page)
    expect(term).to_have_accessible_description(definition_of(web.page, term))
    # The hidden definitions are not visible text and not in the tab order.
    assert web.page.locator(".gl-defs").is_hidden()


def test_definition_with_markup_characters_stays_text(web):
    """A definition is set with textContent: nothing in it can become an element."""
    web.goto(CHAPTER)
    page = web.page
    term = first_visible_term(page)
    page.evaluate("""t => { document.getElementById(t.getAttribute('aria-describedby'))
        .textContent = 'A "quoted" <img src=x> & more'; }""", term.element_handle())
    term.hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.locator(".gl-tip__text").text_content() == 'A "quoted" <img src=x> & more'
    assert tip.locator("img").count() == 0


def test_terms_and_open_tooltip_pass_axe(web):
    """axe-core finds nothing wrong with the glossary's own markup (contrast, focus, ARIA)."""
    from axe_playwright_python.sync_playwright import Axe

    web.goto(CHAPTER)
    first_visible_term(web.page).hover()
    web.page.locator(TIP).wait_for(state="visible")
    result = Axe().run(web.page)
    ours = [(v["id"], n["html"][:80]) for v in result.response["violations"] for n in v["nodes"]
            if "gl-" in n["html"]]
    assert ours == []


# Quieter glossary: reachable without JavaScript, no doubled tooltip with it ----------------

def test_without_javascript_the_definition_is_one_link_away(pages, site_url):
    with pages.page(site_url, java_script_enabled=False) as w:
        w.goto(CHAPTER)
        page = w.page
        terms = page.locator("article a.gl-term")
        assert terms.count() > 5
        for i in range(terms.count()):
            term = terms.nth(i)
            definition = page.locator(f"#{term.get_attribute('aria-describedby')}").text_content()
            assert definition.strip() and term.get_attribute("title") is None
        # The link itself leads to the definition on the Glossary page.
        term = page.locator(".tabbed-block:visible a.gl-term").first
        slug = term.get_attribute("href").split("#")[1]
        term.click()
        page.wait_for_url(f"**/glossary/#{slug}")
        assert page.locator(f"dt#{slug}").is_visible()
        assert page.locator(f"dt#{slug} + dd").text_content().strip()


def test_with_javascript_no_title_doubles_the_tooltip(web):
    web.goto(CHAPTER)
    page = web.page
    assert page.locator("a.gl-term").count() > 5
    assert page.locator("a.gl-term[title]").count() == 0
    term = first_visible_term(page)
    term.hover()
    page.locator(TIP).wait_for(state="visible")
    assert web.console_errors == []


def test_the_visible_depth_marks_each_term_once_and_few_per_paragraph(web):
    """What a reader of one depth sees: each term marked at most once (first use in the
    depth, or above the tabs), at most 3 marks per paragraph, none inside a name."""
    web.goto("chapters/hormone-therapy/")
    page = web.page
    for depth in ("Fundamentals", "Intermediate", "Academic"):
        page.locator(".tabbed-labels label", has_text=depth).first.click()
        seen = page.evaluate("""() => Array.from(document.querySelectorAll('article a.gl-term'))
            .filter(a => a.offsetParent !== null)
            .map(a => a.getAttribute('aria-describedby'))""")
        assert seen and len(seen) == len(set(seen)), (depth, seen)
        crowded = page.evaluate("""() => Array.from(document.querySelectorAll(
            'article p, article li, article td')).filter(b => b.offsetParent !== null)
            .map(b => b.querySelectorAll(':scope > a.gl-term, :scope > * > a.gl-term').length)
            .filter(n => n > 3)""")
        assert crowded == [], depth
        names = page.evaluate("""() => Array.from(document.querySelectorAll('article a.gl-term'))
            .filter(a => /^\\s+(Trials|Society|Initiative)\\b/.test(
                a.nextSibling && a.nextSibling.textContent || ''))
            .map(a => a.textContent + a.nextSibling.textContent.slice(0, 12))""")
        assert names == [], names
