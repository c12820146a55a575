"""Search that knows the depth (medsite.searchdepth, hooks/searchdepth.py): each depth of a
chapter is its own result, titled "<chapter> · <depth>", with clean snippets, at a location
that opens that depth. Unit tests on the pure module, then a fixture site and the real site."""
from __future__ import annotations

import json
import re

import pytest

from medsite import searchdepth as sd
from tests.depth_chapter import depth_chapter
from tests.sitebuild import build_fixture

WORD = "periosteum"  # only in the Academic depth of the fixture chapter

LABELS = ('<div class="tabbed-labels"><label for="__tabbed_1_1">Fundamentals</label>'
          '<label for="__tabbed_1_2">Intermediate</label><label for="__tabbed_1_3">Academic</label>'
          '</div>')


def page(panels: list[str], before: str = "") -> str:
    blocks = "".join(f'<div class="tabbed-block">\n{p}\n</div>\n' for p in panels)
    return (f'<h1 id="t">Bone: a title<a class="headerlink" href="#t">&para;</a></h1>{before}'
            f'<div class="tabbed-set tabbed-alternate" data-tabs="1:3"><input id="__tabbed_1_1">'
            f'{LABELS}\n<div class="tabbed-content">\n{blocks}</div>\n</div>\n<div>after</div>')


def test_each_depth_is_an_article_with_its_sections():
    html = page(['<p>Plain words.</p><h2 id="what">What<a class="headerlink">&para;</a></h2>'
                 '<p>More.</p>',
                 '<p>Middle.</p><div class="tabbed-set"><div class="tabbed-labels"><label>Men'
                 '</label><label>Women</label></div><div class="tabbed-content"><div '
                 'class="tabbed-block"><p>Men text.</p></div></div></div>',
                 '<h2 id="mech">Mechanisms</h2><p>Deep.</p><h3 id="cort">Cortical</h3><p>x</p>'])
    got = sd.chapter_entries(html, "chapters/bone/")
    assert [(e["location"], e["title"], e["text"]) for e in got] == [
        ("chapters/bone/", "Bone: a title", ""),
        ("chapters/bone/?depth=fundamentals", "Bone \u00b7 Fundamentals", "<p>Plain words.</p>"),
        ("chapters/bone/?depth=fundamentals#what", "What", "<p>More.</p>"),
        ("chapters/bone/?depth=intermediate", "Bone \u00b7 Intermediate",
         "<p>Middle.</p><p>Men text.</p>"),
        ("chapters/bone/?depth=academic", "Bone \u00b7 Academic", ""),
        ("chapters/bone/?depth=academic#mech", "Mechanisms", "<p>Deep.</p>"),
        ("chapters/bone/?depth=academic#cort", "Cortical", "<p>x</p>"),
    ]


def test_snippets_have_no_citation_numbers_orphan_punctuation_or_hidden_text():
    html = page([
        '<p class="depth-time" data-search-exclude>About 2 minutes to read</p>'
        '<p>Denser bone <sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>. '
        'Fewer falls (<a class="gl-term" href="g/#x">HRT</a> <sup id="fnref:b"><a '
        'class="footnote-ref" href="#fn:b">2</a></sup> <sup id="fnref:c"><a class="footnote-ref" '
        'href="#fn:c">3</a></sup>), then more <sup id="fnref2:a"><a class="footnote-ref" '
        'href="#fn:a">1</a></sup>; fine &amp; <em>done</em>\n  here.</p>'
        '<div class="gl-defs" hidden data-search-exclude><span id="gl-def-x">A def.</span>'
        '<div>nested</div></div><!-- a comment -->', "<p>b</p>", "<p>c</p>"])
    text = sd.chapter_entries(html, "chapters/bone/")[1]["text"]
    assert text == "<p>Denser bone. Fewer falls (HRT), then more; fine &amp; done here.</p>"
    assert not re.search(r"\s[.,;:)]", text)


def test_text_shared_by_every_depth_is_the_chapters_own_entry_without_the_notice():
    html = page(["<p>a</p>", "<p>b</p>", "<p>c</p>"],
                before='<aside class="mb-notice"><p>Not medical advice.</p></aside>'
                       '<div class="admonition abstract"><p class="admonition-title">Key points'
                       '</p><ul><li>One <sup id="fnref:a"><a class="footnote-ref">1</a></sup>.'
                       '</li></ul></div>')
    got = sd.chapter_entries(html, "chapters/bone/")
    assert got[0] == {"location": "chapters/bone/", "title": "Bone: a title",
                      "text": "<p>Key points</p><p>One.</p>"}
    assert [e["title"] for e in got[1:]] == ["Bone \u00b7 Fundamentals", "Bone \u00b7 Intermediate",
                                            "Bone \u00b7 Academic"]


def test_a_page_without_depth_tabs_is_left_alone():
    assert sd.chapter_entries("<h1>x</h1><p>y</p>", "chapters/x/") is None
    other = page(["a", "b", "c"]).replace(">Academic<", ">Expert<")
    assert sd.chapter_entries(other, "chapters/x/") is None


def test_merge_index_puts_chapters_back_in_build_order():
    index = {"config": {"lang": ["en"]}, "docs": [
        {"location": "", "title": "Home", "text": "h"},
        {"location": "glossary/", "title": "Glossary", "text": "g"},
        {"location": "glossary/#a", "title": "A", "text": "a"},
        {"location": "odd/", "title": "Odd", "text": "o"}]}
    bone = sd.chapter_entries(page(["<p>a</p>", "<p>b</p>", "<p>c</p>"]), "chapters/bone/")
    new = sd.merge_index(index, ["", "chapters/bone/", "glossary/"], {"chapters/bone/": bone})
    assert new["config"] == index["config"]
    assert [d["location"] for d in new["docs"]] == [
        "", "chapters/bone/", "chapters/bone/?depth=fundamentals", "chapters/bone/?depth=intermediate",
        "chapters/bone/?depth=academic", "glossary/", "glossary/#a", "odd/"]


@pytest.mark.parametrize("title, short", [
    ("Hormone therapy: testosterone, estrogen and progestogens", "Hormone therapy"),
    ("Bone density", "Bone density"), (": odd", ": odd")])
def test_short_title(title, short):
    assert sd.short_title(title) == short


# A fixture site and the real site ---------------------------------------------------------

def fixture_chapter() -> str:
    return depth_chapter("Bone health: a fixture", {
        "Fundamentals": "## Bones\n\nBones get thinner with age [@snyder2017effect].",
        "Intermediate": "## Density\n\nBone mineral density falls after menopause "
                        "[@cauley2003effects].",
        "Academic": f"## Cortical bone\n\nThe {WORD} lines the bone [@snyder2017effect].\n\n"
                    "### Trabecular bone\n\nIt thins first [@cauley2003effects]."})


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("searchdepth")
    b = build_fixture(tmp, {"index.md": "# Home\n", "chapters/bone.md": fixture_chapter()})
    assert b.ok, b.output
    return json.loads((b.site / "search/search_index.json").read_text(encoding="utf-8"))


def test_the_built_index_has_one_group_per_depth(fixture_index):
    docs = [d for d in fixture_index["docs"] if d["location"].startswith("chapters/")]
    assert [(d["location"], d["title"]) for d in docs] == [
        ("chapters/bone/", "Bone health: a fixture"),
        ("chapters/bone/?depth=fundamentals", "Bone health \u00b7 Fundamentals"),
        ("chapters/bone/?depth=fundamentals#bones", "Bones"),
        ("chapters/bone/?depth=intermediate", "Bone health \u00b7 Intermediate"),
        ("chapters/bone/?depth=intermediate#density", "Density"),
        ("chapters/bone/?depth=academic", "Bone health \u00b7 Academic"),
        ("chapters/bone/?depth=academic#cortical-bone", "Cortical bone"),
        ("chapters/bone/?depth=academic#trabecular-bone", "Trabecular bone"),
    ]
    academic = [d for d in docs if WORD in d["text"]]
    assert [d["location"] for d in academic] == ["chapters/bone/?depth=academic#cortical-bone"]
    assert academic[0]["text"] == f"<p>The {WORD} lines the bone.</p>"


def test_the_real_index_is_clean(site_dir):
    docs = json.loads((site_dir / "search/search_index.json").read_text())["docs"]
    chapters = [d for d in docs if d["location"].startswith("chapters/")]
    pages = {d["location"].split("?")[0].split("#")[0] for d in chapters}
    assert len(pages) >= 6
    for p in pages:
        titles = [d["title"] for d in chapters if d["location"].startswith(p + "?depth=")
                  and "#" not in d["location"]]
        assert [t.rsplit(" \u00b7 ", 1)[1] for t in titles] == [
            "Fundamentals", "Intermediate", "Academic"], p
    for d in chapters:
        assert "FundamentalsIntermediate" not in d["text"], d["location"]
        assert not re.search(r"\s[.,;:)]", d["text"]), (d["location"], d["text"])
        assert "\u00b6" not in d["title"] and "minutes to read" not in d["text"]


# Rebuilds: a chapter's entries and reading times are kept (.cache/memo) and reused --------

def test_a_rebuild_reuses_the_kept_entries_and_reading_times(tmp_path):
    from tests.sitebuild import fixture_site, mkdocs_build

    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": "# Home\n",
                                            "chapters/bone.md": fixture_chapter()})
    first = mkdocs_build(project, tmp_path / "one")
    assert first.ok, first.output
    memo = project / ".cache/memo"
    kept_entries = json.loads((memo / "search-entries.json").read_text(encoding="utf-8"))
    kept_times = json.loads((memo / "reading-times.json").read_text(encoding="utf-8"))
    assert kept_entries["data"] and kept_times["data"], "the first build kept nothing"

    def built(b):
        return ((b.site / "chapters/bone/index.html").read_text(encoding="utf-8"),
                (b.site / "search/search_index.json").read_text(encoding="utf-8"))

    second = mkdocs_build(project, tmp_path / "two")
    assert second.ok, second.output
    assert built(second) == built(first)
    # Proof that a rebuild reads them: kept results, altered, show in the site (one at a
    # time: the entries are keyed by the content, which holds the reading times).
    for entries in kept_entries["data"].values():
        for e in entries:
            e["text"] = e["text"].replace(WORD, "KEPTWORD")
    (memo / "search-entries.json").write_text(json.dumps(kept_entries), encoding="utf-8")
    index = built(mkdocs_build(project, tmp_path / "three"))[1]
    assert "KEPTWORD" in index and WORD not in index
    for times in kept_times["data"].values():
        times["Academic"] = 42
    (memo / "reading-times.json").write_text(json.dumps(kept_times), encoding="utf-8")
    html = built(mkdocs_build(project, tmp_path / "four"))[0]
    assert "About 42 minutes to read" in html
