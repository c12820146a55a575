"""The search index gets each page's words, not footnote numbers, reference lists or
glossary definitions (marked data-search-exclude, which Material's search skips); the pages
themselves keep all of it."""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup


def _chapter_entries(site_dir):
    index = json.loads((site_dir / "search/search_index.json").read_text())
    return [d for d in index["docs"] if d["location"].startswith("chapters/")]


def test_the_index_holds_no_marks_footnote_numbers_or_reference_lists(site_dir):
    entries = _chapter_entries(site_dir)
    assert entries
    for d in entries:
        assert "<!--" not in d["text"], d["location"]
        assert "gl-def" not in d["text"], d["location"]  # no hidden definitions
        assert "<sup>" not in d["text"], d["location"]  # no footnote numbers
        assert "doi:" not in d["text"].lower(), d["location"]  # no reference list


def test_the_pages_keep_their_footnotes_and_term_links(site_dir):
    for page in (site_dir / "chapters").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.select("sup a.footnote-ref") and soup.select("div.footnote li"), page
        assert soup.select("a.gl-term"), page
        assert soup.select("div.gl-defs[hidden][data-search-exclude] > span"), page


def test_the_index_still_finds_a_chapter_by_its_words(site_dir):
    words = {d["location"].split("/")[1] for d in _chapter_entries(site_dir)
             if re.search(r"\bsarcopenia\b", d["text"], re.I)}
    assert "what-changes-with-age" in words
