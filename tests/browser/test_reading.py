"""The reading mode in a real Chromium, at 1280x800 and at 390x844 with touch, in the light
and the dark palette: one depth control at the top that stays in reach, and the whole page
(summary, body, contents list, reference list) following it; links into another depth;
citations shown in place on touch; the publication's type, column and dates; no
JavaScript; print; nothing wider than a phone.

The fixture chapter (tests/browser/reading.py) has the shape every chapter has: title, then
the three depths, each with its own Key points and ## headings."""
from __future__ import annotations

import re

import pytest

from tests.browser.reading import (CHAPTER, DEPTHS, build_reading_site, choose, open_depth,
                                   built_and_served, page_at, scheme_of)

pytestmark = pytest.mark.browser

CH = "chapters/reading/"
HEADINGS = {"Fundamentals": ["What happens", "What you can do"],
            "Intermediate": ["What happens", "Testosterone and fractures"],
            "Academic": ["Trial evidence", "Deep dive"]}
# References cited in each depth, in the order of first citation there.
CITED = {"Fundamentals": ["hildreth2013effects", "cauley2003effects"],
         "Intermediate": ["snyder2024testosterone", "cauley2003effects"],
         "Academic": ["watson2018high", "cauley2003effects", "snyder2024testosterone"]}
# How many times each depth cites each reference.
TIMES = {d: {k: 0 for k in CITED["Academic"] + CITED["Fundamentals"]} for d in DEPTHS}
TIMES["Fundamentals"].update(hildreth2013effects=1, cauley2003effects=1)
TIMES["Intermediate"].update(snyder2024testosterone=2, cauley2003effects=1)
TIMES["Academic"].update(watson2018high=2, cauley2003effects=2, snyder2024testosterone=1)
VIEWS = [(size, scheme) for size in ("desktop", "phone") for scheme in ("default", "slate")]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with built_and_served(tmp_path_factory, "reading-site", build_reading_site) as url:
        yield url


def test_fixture_counts_match_the_fixture_text():
    for depth, block in zip(DEPTHS, re.split(r'^=== "\w+"$', CHAPTER, flags=re.M)[1:]):
        for key, n in TIMES[depth].items():
            assert block.count(f"@{key}") == n, (depth, key)


# 1. The depth control -----------------------------------------------------------------------

@pytest.mark.parametrize("size, scheme", VIEWS)
def test_the_depth_control_is_under_the_title_large_labelled_and_sticky(pages, base, size, scheme):
    with page_at(pages, base, size, scheme) as w:
        w.goto(CH)
        p = w.page
        assert scheme_of(p) == scheme
        # Directly under the title: the tab set is the h1's next element sibling.
        assert p.evaluate("document.querySelector('article h1').nextElementSibling"
                          ".classList.contains('tabbed-set')")
        labels = p.locator(".md-content__inner > .tabbed-set > .tabbed-labels > label")
        assert labels.all_inner_texts() == DEPTHS
        who = [p.evaluate("el => getComputedStyle(el, '::after').content", labels.nth(i).element_handle())
               for i in range(3)]
        assert all(len(w_.strip('"')) >= 5 for w_ in who), who
        for i in range(3):
            box = labels.nth(i).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, box
        assert p.evaluate("parseFloat(getComputedStyle(document.querySelector("
                          "'.md-content__inner > .tabbed-set > .tabbed-labels > label')).fontSize)") >= 14
        # Still in reach after scrolling far into the text: just under the header, in view.
        p.evaluate("""() => { const s = document.querySelector('.md-content__inner > .tabbed-set');
                     scrollTo(0, s.offsetTop + s.offsetHeight - innerHeight); }""")
        p.wait_for_timeout(200)
        assert p.evaluate("scrollY") > 300
        header = p.locator(".md-header").bounding_box()
        bar = p.locator(".md-content__inner > .tabbed-set > .tabbed-labels").bounding_box()
        assert abs(bar["y"] - (header["y"] + header["height"])) <= 2, (bar, header)
        choose(p, "Academic")
        assert open_depth(p) == "Academic"
        assert w.console_errors == [] and w.external_requests == []


# 1, 3, 4. The whole page follows the depth ----------------------------------------------------

def visible_texts(page, selector):
    return page.evaluate("s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null)"
                         ".map(e => e.textContent.replace('\u00b6', '').trim())", selector)


@pytest.mark.parametrize("size, scheme", VIEWS)
def test_summary_body_contents_and_references_follow_the_depth(pages, base, size, scheme):
    with page_at(pages, base, size, scheme) as w:
        w.goto(CH)
        p = w.page
        for depth in ["Intermediate", "Academic", "Fundamentals"]:
            choose(p, depth)
            assert visible_texts(p, "article .admonition.abstract li")[0].startswith(f"{depth} summary")
            assert visible_texts(p, "article h2:not(.mb-references)") == HEADINGS[depth]
            assert visible_texts(p, ".footnote > h2") == ["References"]
            # The contents list: only this depth's headings (the sidebar on desktop; the
            # drawer's copy on a phone, read from the DOM, where hidden entries have [hidden]).
            toc = p.evaluate("""() => [...document.querySelectorAll('.md-nav--secondary')].map(nav =>
                [...nav.querySelectorAll('li')].filter(li => !li.closest('[hidden]'))
                  .map(li => li.querySelector('a').textContent.trim()))""")
            assert toc and all(t == HEADINGS[depth] for t in toc), toc
            # The reference list: this depth's references, 1..n in its order of citation.
            refs = p.evaluate("""() => [...document.querySelectorAll('.footnote > ol > li')]
                .filter(li => !li.hidden && li.offsetParent !== null)
                .map(li => [li.id.slice(3), li.value,
                            [...li.querySelectorAll('a.footnote-backref')]
                               .filter(b => !b.hidden && b.offsetParent !== null).length])""")
            assert [r[0] for r in refs] == CITED[depth]
            assert [r[1] for r in refs] == list(range(1, len(refs) + 1))
            assert [r[2] for r in refs] == [TIMES[depth][k] for k in CITED[depth]]
            # Every back-link a reader can see leads to a citation a reader can see, and the
            # marker there carries the number its reference has in the list.
            for key, n, _ in refs:
                for b in p.locator(f"li[id='fn:{key}'] a.footnote-backref:not([hidden])").all():
                    mark = p.locator(f"sup[id='{b.get_attribute('href')[1:]}'] > a")
                    assert mark.is_visible() and mark.inner_text().strip() == str(n)
        assert w.console_errors == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_links_into_another_depth_open_it_and_reach_the_target(pages, base, size):
    with page_at(pages, base, size) as w:
        p = w.page
        # A shared address with an #anchor in Intermediate.
        w.goto(CH + "#testosterone-and-fractures")
        assert open_depth(p) == "Intermediate"
        assert p.locator("#testosterone-and-fractures").is_visible()
        # A link on the page to a heading in Academic (e.g. a contents entry or a link in text).
        p.evaluate("""() => { const a = document.createElement('a'); a.href = '#deep-dive';
                     a.id = 'probe'; a.textContent = 'to the deep dive';
                     document.querySelector('article h1').after(a); }""")
        p.locator("#probe").click()
        p.wait_for_timeout(300)
        assert open_depth(p) == "Academic"
        top = p.locator("#deep-dive").bounding_box()["y"]
        bar = p.locator(".md-content__inner > .tabbed-set > .tabbed-labels").bounding_box()
        assert bar["y"] + bar["height"] - 2 <= top < p.viewport_size["height"] / 2, (top, bar)
        # Back/forward and typed fragments (hashchange) too.
        p.evaluate("location.hash = '#what-you-can-do'")
        p.wait_for_timeout(300)
        assert open_depth(p) == "Fundamentals"
        assert p.locator("#what-you-can-do").is_visible()
        # A back-link from the reference list returns to a visible citation.
        back = p.locator("li[id='fn:cauley2003effects'] a.footnote-backref:not([hidden])")
        assert back.count() == 1
        back.click()
        p.wait_for_timeout(300)
        mark = p.locator(f"[id='{back.get_attribute('href')[1:]}']")
        assert mark.is_visible() and 0 <= mark.bounding_box()["y"] < p.viewport_size["height"]
        assert w.console_errors == []


# 4. Citations ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_citation_marker_is_a_24px_target(pages, base, size):
    with page_at(pages, base, size) as w:
        w.goto(CH)
        for depth in DEPTHS:
            choose(w.page, depth)
            boxes = w.page.evaluate("""() => [...document.querySelectorAll('sup[id^=fnref] > a')]
                .filter(a => a.offsetParent !== null).map(a => { const r = a.getBoundingClientRect();
                return [r.width, r.height]; })""")
            assert boxes and all(wd >= 24 and h >= 24 for wd, h in boxes), boxes


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_tapping_a_citation_shows_the_reference_in_place(pages, base, scheme):
    with page_at(pages, base, "phone", scheme) as w:
        p = w.page
        w.goto(CH)
        choose(p, "Academic")
        p.mouse.wheel(0, 500)
        p.wait_for_timeout(200)
        before = p.evaluate("scrollY")
        mark = p.locator(".tabbed-block:visible sup[id^=fnref] > a").nth(1)
        mark.scroll_into_view_if_needed()
        before = p.evaluate("scrollY")
        key = mark.get_attribute("href")[4:]
        url = p.url
        mark.tap()
        sheet = p.locator(".mb-cite-sheet")
        sheet.wait_for(state="visible")
        p.wait_for_timeout(400)
        assert p.locator("#mb-cite-tip:visible").count() == 0  # not the hover tip too
        assert p.evaluate("scrollY") == before
        assert p.url == url  # no jump to #fn:...
        expected = p.locator(f"li[id='fn:{key}'] p").first.inner_text()
        assert expected.split(".")[0] in sheet.inner_text()
        assert sheet.locator("a.footnote-backref").count() == 0
        more = sheet.locator("a", has_text="All references")
        assert more.get_attribute("href") == f"#fn:{key}"
        assert sheet.get_attribute("role") == "dialog"
        box = sheet.bounding_box()
        assert box["y"] + box["height"] <= 844 + 1 and box["width"] <= 390
        p.keyboard.press("Escape")
        assert sheet.is_hidden()
        mark.tap()
        sheet.locator("button", has_text="×").tap()
        assert sheet.is_hidden()
        assert w.console_errors == []


def test_keyboard_focus_on_a_citation_shows_its_reference(pages, base):
    with page_at(pages, base, "desktop") as w:
        w.goto(CH)
        mark = w.page.locator(".tabbed-block:visible sup[id^=fnref] > a").first
        mark.focus()
        tip = w.page.locator("#mb-cite-tip")
        tip.wait_for(state="visible", timeout=5000)
        assert "Hildreth" in tip.inner_text()
        assert mark.get_attribute("aria-describedby") == "mb-cite-tip"
        mark.evaluate("m => m.blur()")  # focus leaves the citation: the tip closes
        assert tip.is_hidden()


def test_a_mouse_click_on_a_citation_still_goes_to_the_reference_list(pages, base):
    with page_at(pages, base, "desktop") as w:
        w.goto(CH)
        w.page.locator(".tabbed-block:visible sup[id^=fnref] > a").first.click()
        assert "#fn:" in w.page.url
        assert w.page.locator(".mb-cite-sheet:visible").count() == 0


# 6. The look ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("size, scheme", VIEWS)
def test_type_column_notice_and_dates(pages, base, size, scheme):
    with page_at(pages, base, size, scheme) as w:
        w.goto(CH)
        p = w.page
        m = p.evaluate("""() => {
          const para = [...document.querySelectorAll('.tabbed-block p')].find(e => e.offsetParent
                        && e.textContent.length > 400);
          const cs = getComputedStyle(para);
          const c = document.createElement('canvas').getContext('2d');
          c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const sample = para.textContent.replace(/\\s+/g, ' ');
          const avg = c.measureText(sample).width / sample.length;
          const h1 = getComputedStyle(document.querySelector('article h1'));
          const notice = getComputedStyle(document.querySelector('.mb-notice p'));
          const key = getComputedStyle(document.querySelector('.tabbed-block .admonition.abstract li'));
          return {size: parseFloat(cs.fontSize), chars: para.clientWidth / avg,
                  h1: parseFloat(h1.fontSize), h1w: parseInt(h1.fontWeight),
                  notice: parseFloat(notice.fontSize), key: parseFloat(key.fontSize)};
        }""")
        if size == "desktop":
            assert 18 <= m["size"] <= 19.5, m
            assert 60 <= m["chars"] <= 78, m
        else:
            assert m["size"] >= 16, m
        assert m["h1"] >= 1.5 * m["size"] and m["h1w"] >= 700, m
        assert m["notice"] == m["size"] and m["key"] == m["size"], m
        notice = p.locator(".mb-notice").inner_text()
        assert "Reviewed 27 November 2026" in notice and "27 November 2027" in notice
        assert "not medical advice" in notice and len(notice) < 260
        assert not re.search(r"\d{4}-\d{2}-\d{2}", notice)
        # Edit and repository links: not beside the title, in the footer.
        assert p.locator("article .md-content__button").count() == 0
        assert p.locator(".md-header .md-source").count() == 0
        assert p.locator("footer a", has_text="Suggest a correction").count() == 1
        assert w.console_errors == []


@pytest.mark.parametrize("size, scheme", VIEWS)
def test_figures_fill_the_column_and_the_dark_palette_shows_the_dark_drawing(pages, base, size, scheme):
    with page_at(pages, base, size, scheme) as w:
        w.goto(CH)
        choose(w.page, "Academic")
        img = w.page.locator(".tabbed-block:visible img[src*='figures/']")
        img.wait_for()
        # Shown is not loaded: on a busy machine the drawing can still be on its way.
        img.evaluate("el => el.decode()")
        m = img.evaluate("""el => ({w: el.getBoundingClientRect().width,
            col: el.closest('.tabbed-block').clientWidth, content: getComputedStyle(el).content,
            loaded: el.complete && el.naturalWidth > 0})""")
        assert m["loaded"] and abs(m["w"] - m["col"]) <= 1, m
        if scheme == "slate":
            assert "trial-outcomes-dark.svg" in m["content"], m
            w.page.wait_for_function("""() => performance.getEntriesByType('resource')
                .some(e => e.name.endsWith('trial-outcomes-dark.svg'))""")
            dark = w.page.evaluate("""() => performance.getEntriesByType('resource')
                .filter(e => e.name.endsWith('trial-outcomes-dark.svg')).length""")
            assert dark == 1
        else:
            assert m["content"] in ("normal", "none"), m
        assert w.console_errors == []


# 8. Without JavaScript, print, narrow screens -----------------------------------------------------

@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_without_javascript_the_site_palette_applies_and_every_depth_can_be_read(pages, base, size):
    with page_at(pages, base, size, javascript=False) as w:
        w.goto(CH)
        p = w.page
        assert p.evaluate("document.body.dataset.mdColorPrimary") == "teal"
        assert p.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") \
            == "rgb(0, 121, 107)"
        for depth in DEPTHS:
            p.locator(".md-content__inner > .tabbed-set > .tabbed-labels > label", has_text=depth).click()
            assert visible_texts(p, "article h2:not(.mb-references)") == HEADINGS[depth]


def test_print_shows_the_chosen_depth_only_without_back_links_and_starts_on_page_one(pages, base):
    with page_at(pages, base, "desktop") as w:
        p = w.page
        w.goto(CH + "?level=intermediate")
        p.emulate_media(media="print")
        assert visible_texts(p, "article h2:not(.mb-references)") == HEADINGS["Intermediate"]
        assert p.locator("a.footnote-backref:visible").count() == 0
        assert p.locator(".footnote li:visible").count() == len(CITED["Intermediate"])
        # No near-empty first page: the title and the start of the text are at the top.
        first = p.locator(".tabbed-block:visible p").first.bounding_box()
        assert first["y"] < 500, first
        pdf = p.pdf(format="A4")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 3


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_at_390px_nothing_scrolls_sideways_and_tables_reflow(pages, base, scheme):
    with page_at(pages, base, "phone", scheme) as w:
        w.goto(CH)
        p = w.page
        for depth in DEPTHS:
            choose(p, depth)
            assert p.evaluate("document.documentElement.scrollWidth") <= 390
            wide = p.evaluate("""() => [...document.querySelectorAll('article *')]
                .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
                        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                .map(e => e.tagName + '.' + e.className)""")
            assert wide == [], (depth, wide)
        cell = p.locator("table td").first
        assert p.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle()) == '"Trial"'
