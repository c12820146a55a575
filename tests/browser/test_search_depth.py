"""Search that knows the depth, in a real Chromium: each depth of a chapter is its own
result, titled "<chapter> · <depth>", with clean snippets, and opens at that depth without
changing the reader's remembered choice. Screenshots of the results dialog (1280x800 and
390x844, light and dark) go to test-artifacts/."""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from tests.conftest import Watched
from tests.depth_chapter import depth_chapter
from tests.browser.reading import built_and_served
from tests.sitebuild import ROOT, build_with_assets

pytestmark = pytest.mark.browser

WORD = "periosteum"  # only in the Academic depth of the fixture's chapter "Bone health"
ARTIFACTS = ROOT / "test-artifacts"
DEPTHS = ["Fundamentals", "Intermediate", "Academic"]


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    """Two chapters in the per-depth shape, built with the project's config and assets."""
    pages = {
        "index.md": "# Home\n\nA guide.\n",
        "chapters/muscle.md": depth_chapter("Muscle strength: a fixture", {
            "Fundamentals": "## Muscles\n\nMuscles get weaker, and bone too "
                            "[@snyder2017effect].",
            "Intermediate": "## Strength\n\nStrength falls from mid-life; bone as well.",
            "Academic": "## Fibres\n\nType II fibres shrink first; bone follows."}),
        "chapters/bone.md": depth_chapter("Bone health: a fixture", {
            "Fundamentals": "## Bones\n\nBones get thinner with age [@snyder2017effect].",
            "Intermediate": "## Density\n\nBone density falls after menopause "
                            "[@cauley2003effects].",
            "Academic": f"## Cortical bone\n\nThe {WORD} lines the bone "
                        "[@snyder2017effect; @cauley2003effects].\n\n"
                        "### Trabecular bone\n\nIt thins first [@cauley2003effects]."}),
    }
    with built_and_served(tmp_path_factory, "search-depth-site",
                          lambda folder: build_with_assets(folder, pages)) as url:
        yield url


@pytest.fixture
def fx(pages, fixture_url) -> Watched:
    with pages.page(fixture_url) as watched:
        yield watched


def search(page, query: str):
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup
    items = page.locator(".md-search-result__list > .md-search-result__item")
    items.first.wait_for(timeout=15000)
    return items


def open_depth(page) -> str:
    """The depth whose panel is visible (exactly one)."""
    panels = page.locator(".md-content .tabbed-set").first.locator(
        ":scope > .tabbed-content > .tabbed-block")
    shown = [DEPTHS[i] for i in range(3) if panels.nth(i).is_visible()]
    assert len(shown) == 1, shown
    return shown[0]


def stored_choice(page):
    raw = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.endsWith('.__tabs'))")
    return json.loads(raw[0][1])[0] if raw else None


def test_a_word_only_in_academic_gives_one_result_titled_with_chapter_and_depth(fx):
    fx.goto("chapters/muscle/?level=fundamentals")  # the reader's choice: Fundamentals
    items = search(fx.page, WORD)
    assert items.count() == 1
    item = items.first
    assert item.locator("h1").inner_text() == "Bone health \u00b7 Academic"
    links = item.locator("a.md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all("chapters/bone/?depth=academic" in h for h in hrefs), hrefs
    text = item.inner_text()
    assert WORD in text.lower() and "FundamentalsIntermediate" not in text
    assert not re.search(r"\s[.,;:)]", text), text
    # The result's head opens the Academic depth; the reader's choice stays Fundamentals.
    links.first.click()
    fx.settle()
    assert urlparse(fx.page.url).path.endswith("/chapters/bone/")
    assert open_depth(fx.page) == "Academic"
    assert fx.page.locator("#depth-academic").is_visible()  # at the depth's top
    assert stored_choice(fx.page) == "Fundamentals"
    # The section holding the word opens there too, the word highlighted.
    fx.goto("chapters/muscle/")
    assert open_depth(fx.page) == "Fundamentals"
    match = search(fx.page, WORD).first.locator("a.md-search-result__link", has_text=WORD)
    match.click()
    fx.settle()
    assert open_depth(fx.page) == "Academic"
    mark = fx.page.locator(".tabbed-block mark[data-md-highlight]").first
    mark.wait_for(timeout=15000)
    assert mark.inner_text().lower() == WORD and mark.is_visible()
    assert stored_choice(fx.page) == "Fundamentals"
    assert fx.console_errors == [] and fx.external_requests == []


def test_a_section_result_opens_its_depth_at_the_heading(fx):
    fx.goto("chapters/muscle/?level=fundamentals")
    items = search(fx.page, "trabecular")
    section = items.first.locator("a.md-search-result__link", has_text="Trabecular bone").first
    assert "?depth=academic" in section.get_attribute("href")
    assert section.get_attribute("href").endswith("#trabecular-bone")
    section.click()
    fx.settle()
    assert open_depth(fx.page) == "Academic"
    assert fx.page.locator("#trabecular-bone").is_visible()


def test_a_word_in_every_depth_gives_a_result_per_depth_with_clean_snippets(fx):
    fx.goto("")
    items = search(fx.page, "bone")
    titles = [items.nth(i).locator("h1").inner_text() for i in range(items.count())]
    for name in ("Bone health", "Muscle strength"):
        assert sorted(t for t in titles if t.startswith(name + " \u00b7")) == sorted(
            f"{name} \u00b7 {d}" for d in DEPTHS), titles
    # The chapter itself is found by its title too (it opens at the reader's own depth).
    assert "Bone health: a fixture" in titles
    for i in range(items.count()):
        text = items.nth(i).inner_text()
        assert "FundamentalsIntermediateAcademic" not in text.replace("\n", "")
        assert not re.search(r"\s[.,;:)]", text), text
        assert "minute" not in text  # the reading time is not indexed
    # The Intermediate result of "Bone health" opens the Intermediate depth.
    inter = fx.page.locator(".md-search-result__item", has_text="Bone health \u00b7 Intermediate")
    inter.locator("a.md-search-result__link").first.click()
    fx.settle()
    assert open_depth(fx.page) == "Intermediate"


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_a_chapters_search_results(pages, site_url, width, height, scheme):
    """The real site: results for a word of one chapter, titled per depth (looked at by a
    person: test-artifacts/search-<width>-<scheme>.png)."""
    mobile = width < 500
    with pages.page(site_url, viewport={"width": width, "height": height}, color_scheme=scheme,
                    is_mobile=mobile, has_touch=mobile) as w:
        w.goto("chapters/hormone-therapy/")
        page = w.page
        if mobile:
            page.locator("label[for='__search']").first.click()
        items = search(page, "anastrozole")
        titles = [items.nth(i).locator("h1").inner_text() for i in range(items.count())]
        assert "Hormone therapy \u00b7 Academic" in titles, titles
        # The chapter itself (with the text every depth shows: today a Key points box above
        # the tabs) is one more result, titled with the whole chapter title.
        assert all(" \u00b7 " in t or t.startswith("Hormone therapy: ")
                   for t in titles if t.startswith("Hormone therapy")), titles
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{width}-{scheme}.png"))
