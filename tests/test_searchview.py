"""hooks/searchview.py: the search index gets each page's words, not the build's marks,
footnote numbers or reference lists; the pages themselves keep all of it."""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite import glossary, searchview

TERM = f"{glossary.MARK_START}bone-density{glossary.MARK_MID}"
MARKS = [TERM, glossary.MARK_END, "<!--gl-defs:bone-density hrt-->"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(
    ["<p>", "</p>", "text ", "bone density", "<!-- an author's comment -->", "<", "-->", "&amp;",
     "g:", "<sup>1</sup>"])), max_size=30))
def test_without_marks_leaves_the_page_text_exactly(pieces):
    """A page of text pieces, some of them terms marked by the glossary: without the marks
    it is the pieces, in order, unchanged."""
    page, plain = [], []
    for n, (marked, piece) in enumerate(pieces):
        page.append(f"{glossary.MARK_START}t{n}{glossary.MARK_MID}{piece}{glossary.MARK_END}"
                    if marked else piece)
        plain.append(piece)
    html = "".join(page) + "<!--gl-defs:t0 t1-->"
    assert searchview.without_marks(html) == "".join(plain)


def test_without_marks_takes_out_only_the_build_marks():
    start, mid, end = glossary.MARK_START, glossary.MARK_MID, glossary.MARK_END
    html = f"<p>A {start}hrt{mid}HRT{end}<!-- kept -->[1]</p>"
    assert searchview.without_marks(html) == "<p>A HRT<!-- kept -->[1]</p>"


def _chapter_entries(site_dir):
    index = json.loads((site_dir / "search/search_index.json").read_text())
    return [d for d in index["docs"] if d["location"].startswith("chapters/")]


def test_the_index_holds_no_marks_footnote_numbers_or_reference_lists(site_dir):
    entries = _chapter_entries(site_dir)
    assert entries
    for d in entries:
        assert "<!--" not in d["text"], d["location"]
        assert not glossary.holds_marks(d["text"]), d["location"]
        assert "<sup>" not in d["text"], d["location"]  # no footnote numbers
        assert "doi:" not in d["text"].lower(), d["location"]  # no reference list


def test_the_pages_keep_their_footnotes_and_term_links(site_dir):
    for page in (site_dir / "chapters").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.select("sup a.footnote-ref") and soup.select("div.footnote li"), page
        assert soup.select("a.gl-term"), page
        assert not glossary.holds_marks(str(soup)), page


def test_the_index_still_finds_a_chapter_by_its_words(site_dir):
    words = {d["location"].split("/")[1] for d in _chapter_entries(site_dir)
             if re.search(r"\bsarcopenia\b", d["text"], re.I)}
    assert "what-changes-with-age" in words
