"""Reading time per depth (medsite.readingtime, hooks/readingtime.py)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from medsite import readingtime as rt
from tests.depth_chapter import depth_chapter
from tests.test_searchdepth import page


def test_words_count_what_a_reader_reads():
    md = ('!!! abstract "Key points"\n\n    - Bone [@snyder2017effect; see @a, p. 3] thins.\n\n'
          "A [link](https://example.org/a-long-address) and *emphasis* { #id .cls }, "
          "5,204 men, 7.5% and don't.\n\n<!-- not read -->\n<span class=\"x\">tag</span>\n\n"
          "```python\ncode is not read\n```\n\n| a | b |\n| - | - |\n| c d | e |\n\n"
          "*[HRT]: hormone replacement therapy\n")
    # Key, points, Bone, thins, A, link, and, emphasis, 5,204, men, 7.5, and, don't, tag,
    # a, b, c, d, e
    assert rt.words(md) == 19


def test_minutes_round_and_are_at_least_one():
    assert [rt.minutes(n) for n in (0, 99, 299, 301, 1200)] == [1, 1, 1, 2, 6]
    assert rt.label(1) == "About 1 minute to read" and rt.label(6) == "About 6 minutes to read"


def test_each_depth_is_timed_on_its_own_text_plus_what_every_depth_shows():
    text = depth_chapter("X", {"Fundamentals": "## A\n\n" + "word " * 400,
                               "Intermediate": "## B\n\n" + "word " * 1000,
                               "Academic": "## C\n\n" + "word " * 2000})
    assert rt.depth_minutes(text) == {"Fundamentals": 2, "Intermediate": 5, "Academic": 10}
    shared = text.replace("# X\n", "# X\n\nShared " + "word " * 200 + "\n", 1)
    assert rt.depth_minutes(shared) == {"Fundamentals": 3, "Intermediate": 6, "Academic": 11}
    assert rt.depth_minutes("# No tabs\n\nProse.\n") == {}


def test_insert_puts_the_time_first_in_each_panel():
    html = page(["<p>a</p>", "<p>b</p>", "<p>c</p>"])
    out = BeautifulSoup(rt.insert(html, {"Fundamentals": 2, "Intermediate": 5, "Academic": 10}),
                        "html.parser")
    blocks = out.select("div.tabbed-content > div.tabbed-block")
    firsts = [b.find(True) for b in blocks]
    assert [(f.name, f["class"], f["id"], f.has_attr("data-search-exclude"), f.text)
            for f in firsts] == [
        ("p", ["depth-time"], "depth-fundamentals", True, "About 2 minutes to read"),
        ("p", ["depth-time"], "depth-intermediate", True, "About 5 minutes to read"),
        ("p", ["depth-time"], "depth-academic", True, "About 10 minutes to read")]
    assert rt.insert("<p>no tabs</p>", {"Academic": 3}) == "<p>no tabs</p>"


def test_the_real_chapters_show_a_time_per_depth(site_dir):
    for path in sorted((site_dir / "chapters").glob("*/index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        depth_set = soup.select_one("div.tabbed-set")
        blocks = depth_set.select(":scope > div.tabbed-content > div.tabbed-block")
        times = [b.find(True) for b in blocks]
        assert all(t.name == "p" and t["class"] == ["depth-time"] for t in times), path
        minutes = [int(t.text.split()[1]) for t in times]
        assert minutes == sorted(minutes) and minutes[0] >= 1, (path, minutes)
