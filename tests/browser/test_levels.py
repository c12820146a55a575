"""Depth tabs in a real Chromium: ?level= links, the remembered choice, the landing-page
picker, search matches in hidden tabs, the WAI-ARIA tabs pattern and printing one depth.

Tests that need two chapters or a word known to be only in one depth use a small fixture
site built with the project's own configuration, hooks and assets; the others use the real
site (conftest's ``web``)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import Watched
from tests.browser.reading import built_and_served
from tests.sitebuild import build_with_assets

pytestmark = pytest.mark.browser

DEPTHS = ["Fundamentals", "Intermediate", "Academic"]
REAL_CHAPTER = "chapters/what-changes-with-age/"
WORD = "periosteum"  # only in the Academic tab of the fixture's second chapter


def chapter(title: str, academic_extra: str = "") -> str:
    return f"""---
title: {title}
reviewed: 2026-11-01
next_review: 2027-11-01
---

# {title}

=== "Fundamentals"

    ## In plain words

    Muscles get weaker with age. Bones get thinner.

=== "Intermediate"

    ## In more detail

    Muscle strength and bone density decline from mid-life onwards.

=== "Academic"

    ## Mechanisms

    Sarcopenia and osteoporosis share mechanisms. {academic_extra}

    ## Deep dive

    Mechanical loading drives remodelling.
"""


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    """A two-chapter site with the project's config and depth assets, served on 127.0.0.1."""
    pages = {
        "index.md": "# Home\n\n[One](chapters/one.md) and [Two](chapters/two.md).\n",
        "chapters/one.md": chapter("One"),
        "chapters/two.md": chapter("Two", f"The {WORD} covers bone."),
    }
    with built_and_served(tmp_path_factory, "levels-site",
                          lambda folder: build_with_assets(folder, pages)) as url:
        yield url


@pytest.fixture
def fx(pages, fixture_url) -> Watched:
    with pages.page(fixture_url) as watched:
        yield watched


def depth_set(page):
    return page.locator(".md-content .tabbed-set.mb-depths").first


def selected(page) -> str:
    """The depth whose tab is selected, checked against the radio, the ARIA state and
    which panel is visible, so all four agree."""
    s = depth_set(page)
    tabs = s.get_by_role("tab")
    assert tabs.count() == 3
    chosen = [tabs.nth(i).inner_text().strip() for i in range(3)
              if tabs.nth(i).get_attribute("aria-selected") == "true"]
    assert len(chosen) == 1, chosen
    i = DEPTHS.index(chosen[0])
    assert s.locator(":scope > input").nth(i).is_checked()
    panels = s.locator(":scope > .tabbed-content > .tabbed-block")
    assert [panels.nth(k).is_visible() for k in range(3)] == [k == i for k in range(3)]
    return chosen[0]


def stored_tabs(page) -> list[str]:
    """Material's linked-tabs storage (content.tabs.link): labels, most recent first."""
    raw = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.endsWith('.__tabs'))")
    assert len(raw) == 1, raw
    return json.loads(raw[0][1])


# ?level= and the remembered choice ----------------------------------------------------------

def test_level_link_opens_academic_and_the_choice_follows_to_another_chapter(fx):
    fx.goto("chapters/one/?level=academic")
    assert selected(fx.page) == "Academic"
    assert stored_tabs(fx.page)[0] == "Academic"
    fx.goto("chapters/two/")
    assert selected(fx.page) == "Academic"
    fx.reload()
    assert selected(fx.page) == "Academic"
    assert fx.console_errors == [] and fx.external_requests == []


def test_level_link_on_the_real_chapter_survives_a_reload(web):
    web.goto(REAL_CHAPTER + "?level=academic")
    assert selected(web.page) == "Academic"
    web.goto(REAL_CHAPTER)
    assert selected(web.page) == "Academic"
    assert web.console_errors == []


@pytest.mark.parametrize("value, depth", [("fundamentals", "Fundamentals"),
                                          ("INTERMEDIATE", "Intermediate"),
                                          ("Academic", "Academic")])
def test_level_values_are_case_insensitive(fx, value, depth):
    fx.goto(f"chapters/one/?level={value}")
    assert selected(fx.page) == depth


def test_an_unknown_level_is_ignored(fx):
    fx.goto("chapters/one/?level=expert")
    assert selected(fx.page) == "Fundamentals"
    assert fx.console_errors == []


def test_a_level_link_to_any_page_sets_the_choice(fx):
    fx.goto("?level=intermediate")
    fx.goto("chapters/two/")
    assert selected(fx.page) == "Intermediate"


def test_a_link_to_a_heading_in_a_hidden_depth_opens_it(fx):
    fx.goto("chapters/one/#deep-dive")
    assert selected(fx.page) == "Academic"
    assert fx.page.locator("#deep-dive").is_visible()


# The landing page's picker --------------------------------------------------------------

def test_landing_page_picker_opens_the_chosen_depth_and_remembers_it(web):
    web.goto("")
    picker = web.page.locator(".mb-depth-picker a[data-mb-level]")
    assert picker.all_inner_texts() == DEPTHS
    with web.page.expect_navigation():  # the picker is a link: wait for the chapter to load
        picker.filter(has_text="Academic").click()
    web.settle()
    assert "level=academic" in web.page.url
    assert selected(web.page) == "Academic"
    web.goto("")
    current = web.page.locator(".mb-depth-picker a[aria-current='true']")
    assert current.all_inner_texts() == ["Academic"]
    web.goto(REAL_CHAPTER)
    assert selected(web.page) == "Academic"
    assert web.console_errors == [] and web.external_requests == []


# Search -----------------------------------------------------------------------------------

def test_search_match_in_a_hidden_depth_opens_that_depth_without_changing_the_choice(fx):
    fx.goto("chapters/one/?level=fundamentals")
    search = fx.page.locator("input.md-search__input")
    search.click()
    fx.page.keyboard.type(WORD)
    # The result for the section that holds the word (the depth's own entry may carry no h=).
    result = fx.page.locator(f'.md-search-result__link[href*="h={WORD}"]').first
    result.wait_for(timeout=15000)
    assert "chapters/two/" in result.get_attribute("href")
    result.click()
    fx.settle()
    assert "chapters/two/" in fx.page.url and f"h={WORD}" in fx.page.url
    assert selected(fx.page) == "Academic"
    mark = depth_set(fx.page).locator("mark[data-md-highlight]")
    mark.first.wait_for(timeout=15000)  # Material highlights once the index has loaded
    assert mark.first.inner_text().lower() == WORD and mark.first.is_visible()
    assert stored_tabs(fx.page)[0] == "Fundamentals"  # a search visit is not a new choice
    fx.goto("chapters/one/")
    assert selected(fx.page) == "Fundamentals"
    assert fx.console_errors == [] and fx.external_requests == []


def test_search_match_in_the_open_depth_keeps_it_open(fx):
    fx.goto("chapters/two/?level=intermediate")
    fx.goto("chapters/two/?h=density")
    assert selected(fx.page) == "Intermediate"


# WAI-ARIA tabs ----------------------------------------------------------------------------

def test_depth_tabs_have_the_wai_aria_tabs_roles_and_states(web):
    web.goto(REAL_CHAPTER)
    s = depth_set(web.page)
    tablist = s.locator(":scope > .tabbed-labels")
    assert tablist.get_attribute("role") == "tablist"
    assert tablist.get_attribute("aria-label") == "Reading depth"
    tabs = s.get_by_role("tab")
    assert [tabs.nth(i).inner_text().strip() for i in range(tabs.count())] == DEPTHS
    for i in range(3):
        tab = tabs.nth(i)
        panel = web.page.locator(f"#{tab.get_attribute('aria-controls')}")
        assert panel.get_attribute("role") == "tabpanel"
        assert panel.get_attribute("aria-labelledby") == tab.get_attribute("id")
        assert tab.get_attribute("aria-selected") == ("true" if i == 0 else "false")
        assert tab.get_attribute("tabindex") == ("0" if i == 0 else "-1")
        radio = s.locator(":scope > input").nth(i)
        assert radio.get_attribute("tabindex") == "-1"
        assert radio.get_attribute("aria-hidden") == "true"
    # The accessibility tree shows three tabs and no stray radio buttons.
    assert web.page.get_by_role("tab").count() == 3
    assert web.page.locator(".md-content").get_by_role("radio").count() == 0
    assert selected(web.page) == "Fundamentals"


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.getAttribute('role') + ':' + "
                         "document.activeElement.textContent.trim()")


def test_arrow_keys_home_and_end_move_focus_and_selection(web):
    web.goto(REAL_CHAPTER)
    tabs = depth_set(web.page).get_by_role("tab")
    tabs.nth(0).focus()
    keys = [("ArrowRight", "Intermediate"), ("ArrowRight", "Academic"),
            ("ArrowRight", "Fundamentals"), ("ArrowLeft", "Academic"),
            ("Home", "Fundamentals"), ("End", "Academic"), ("ArrowLeft", "Intermediate")]
    for key, depth in keys:
        web.page.keyboard.press(key)
        assert focused(web.page) == f"tab:{depth}", key
        assert selected(web.page) == depth, key
        roving = [tabs.nth(i).get_attribute("tabindex") for i in range(3)]
        assert roving == ["0" if d == depth else "-1" for d in DEPTHS]
    # Material's linked tabs still store the choice made with the keyboard.
    assert stored_tabs(web.page)[0] == "Intermediate"
    # Tab leaves the tab list for the open panel.
    web.page.keyboard.press("Tab")
    assert web.page.evaluate("() => document.activeElement.getAttribute('role')") == "tabpanel"
    assert web.console_errors == []


def test_clicking_a_tab_still_selects_it_and_updates_aria(web):
    web.goto(REAL_CHAPTER)
    depth_set(web.page).get_by_role("tab", name="Intermediate").click()
    assert selected(web.page) == "Intermediate"
    assert stored_tabs(web.page)[0] == "Intermediate"


# Print ------------------------------------------------------------------------------------

def test_printing_shows_only_the_selected_depth_with_its_name(web):
    web.goto(REAL_CHAPTER + "?level=intermediate")
    web.page.emulate_media(media="print")
    s = depth_set(web.page)
    labels = s.locator(":scope > .tabbed-labels > label")
    panels = s.locator(":scope > .tabbed-content > .tabbed-block")
    assert [labels.nth(i).is_visible() for i in range(3)] == [False, True, False]
    assert [panels.nth(i).is_visible() for i in range(3)] == [False, True, False]
    printed_label = web.page.evaluate(
        "el => getComputedStyle(el, '::before').content + el.textContent.trim()",
        labels.nth(1).element_handle())
    assert printed_label == '"Depth: "Intermediate'
    # "Depth: Intermediate" prints on one line: the label's link (if any) is inline.
    assert labels.nth(1).evaluate(
        "el => [...el.children].every(c => getComputedStyle(c).display === 'inline')")
    web.page.emulate_media(media="screen")
    assert [labels.nth(i).is_visible() for i in range(3)] == [True, True, True]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_depth_tabs_or_the_picker(pages, site_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    with pages.page(site_url, color_scheme=scheme) as page:
        for path, selector in [(REAL_CHAPTER, ".tabbed-set"),
                               ("?level=academic", ".mb-depth-picker")]:
            page.goto(path)
            result = Axe().run(page.page, context={"include": [[selector]]})
            assert [(v["id"], [n["target"] for n in v["nodes"]])
                    for v in result.response["violations"]] == [], path
