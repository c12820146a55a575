"""The home page's chapter cards (medsite.home, hooks/home.py): one per chapter, in nav
order, from the chapters themselves (title, description, reading time per depth, link)."""
from __future__ import annotations

import yaml
from bs4 import BeautifulSoup

from medsite import home, readingtime
from tests.depth_chapter import depth_chapter
from tests.sitebuild import ROOT, build_fixture, error_lines, nav_sources


def test_nav_sources_in_order():
    nav = [{"Home": "index.md"}, {"Chapters": ["chapters/b.md", {"A": "chapters/a.md"}]},
           "about.md", {"Site": "https://example.org/"}]
    assert home.nav_sources(nav) == ["index.md", "chapters/b.md", "chapters/a.md", "about.md"]


def test_cards_are_escaped_and_carry_each_depth_time():
    text = depth_chapter("Bone <b> & \"more\"", description='Says <i>x</i> & "y".')
    card, problems = home.card(2, "docs/chapters/x.md", text, "chapters/x/")
    assert problems == []
    soup = BeautifulSoup(home.cards_html([card]), "html.parser")
    li = soup.select_one("ul.mb-cards > li.mb-card")
    assert li.select_one(".mb-card__number").text == "Chapter 2"
    assert li.select_one("h3 a").text == 'Bone <b> & "more"'
    assert li.select_one("h3 a")["href"] == "chapters/x/"
    assert li.select_one(".mb-card__summary").text == 'Says <i>x</i> & "y".'
    assert li.find("b") is None and li.find("i") is None
    assert [x.text for x in li.select(".mb-card__time li")] == [
        "Fundamentals 1 min", "Intermediate 1 min", "Academic 1 min"]
    assert li.select_one(".mb-card__time").has_attr("data-search-exclude")


def test_a_chapter_without_description_is_an_error_naming_the_fix():
    text = depth_chapter("X").replace('description: "One line about it."\n', "")
    _, problems = home.card(1, "docs/chapters/x.md", text, "chapters/x/")
    assert [str(p) for p in problems] == [
        "docs/chapters/x.md:1: chapter has no description for its home-page card; add "
        "'description: <one sentence on what the chapter covers>' to its front matter"]
    assert problems[0].code == "home-description-missing"


def test_fill_needs_the_marker():
    assert home.fill("# Home\n", []) == "# Home\n"
    assert "mb-cards" in home.fill(f"# Home\n\n{home.MARKER}\n", [])


def test_a_new_chapter_gets_its_card_without_editing_the_home_page(tmp_path):
    index = f"# Home\n\n{home.MARKER}\n"
    pages = {"index.md": index,
             "chapters/b.md": depth_chapter("Second: in the nav first", description="B line."),
             "chapters/a.md": depth_chapter("First", description="A line."),
             "chapters/new.md": depth_chapter("A new chapter", description="New line.")}
    b = build_fixture(tmp_path, pages, nav=["index.md", "chapters/b.md", "chapters/a.md",
                                            "chapters/new.md"])
    assert b.ok, b.output
    soup = BeautifulSoup((b.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [(c.select_one("h3 a").text, c.select_one("h3 a")["href"],
             c.select_one(".mb-card__summary").text) for c in soup.select("li.mb-card")] == [
        ("Second: in the nav first", "chapters/b/", "B line."),
        ("First", "chapters/a/", "A line."), ("A new chapter", "chapters/new/", "New line.")]


def test_the_build_fails_on_a_card_without_summary(tmp_path):
    text = depth_chapter("X").replace('description: "One line about it."\n', "")
    pages = {"index.md": f"# Home\n\n{home.MARKER}\n", "chapters/x.md": text}
    b = build_fixture(tmp_path, pages)
    assert not b.ok and "Traceback" not in b.output
    assert [ln for ln in error_lines(b) if ln.startswith("docs/")] == [
        "docs/chapters/x.md:1: chapter has no description for its home-page card; add "
        "'description: <one sentence on what the chapter covers>' to its front matter"]


def test_the_real_home_page_has_a_card_per_chapter_in_nav_order(site_dir):
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)["nav"]
    chapters = [s for s in nav_sources(nav) if s.startswith("chapters/")]
    soup = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = soup.select("article ul.mb-cards > li.mb-card")
    assert [c.select_one("h3 a")["href"] for c in cards] == [
        s[:-3] + "/" for s in chapters]
    for card, src in zip(cards, chapters):
        page = BeautifulSoup((site_dir / src[:-3] / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert card.select_one("h3 a").text == page.select_one("h1").contents[0].strip()
        assert card.select_one(".mb-card__summary").text == \
            page.select_one('meta[name="description"]')["content"]
        shown = [p.text for p in page.select(".tabbed-set")[0].select(
            ":scope > .tabbed-content > .tabbed-block > p.depth-time")]
        assert [f"About {x.text.split()[1]} minutes to read" for x in
                card.select(".mb-card__time li")] == [t.replace("minute ", "minutes ")
                                                      for t in shown]
    # The promise about citation numbers is the lead's decision: per chapter, not global.
    text = soup.select_one("#how-to-read-a-claim").find_next("p").text
    assert "list at the foot of that chapter" in text and "alphabetical order" in " ".join(
        p.text for p in soup.select("#how-to-read-a-claim ~ p"))
    assert readingtime.WORDS_PER_MINUTE == 200
