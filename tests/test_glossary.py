"""The glossary: data/glossary.yml checks, term finding and marking, the Glossary page.

Unit tests on medsite.glossary (no site build), tiny fixture sites for the exact build
messages, and assertions on the HTML of the real site.
"""
from __future__ import annotations

import re
import textwrap

import xml.etree.ElementTree as etree

import markdown
import pytest
from bs4 import BeautifulSoup

from medsite import glossary as g
from medsite.diagnostics import ERROR, WARNING
from tests.sitebuild import ROOT, build_fixture, error_lines


def load(text: str):
    return g.load(textwrap.dedent(text).lstrip("\n"))


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# Loading and checking -------------------------------------------------------------------


def test_valid_file_loads_with_lines():
    entries, problems = load("""
        - term: sarcopenia
          definition: Loss of muscle with age.
          aliases: [sarcopenic]
          related: [osteoporosis]
        - term: osteoporosis
          definition: Weak bones.
        """)
    assert problems == []
    assert [(e.term, e.term_line, e.aliases, e.related) for e in entries] == [
        ("sarcopenia", 1, ["sarcopenic"], ["osteoporosis"]), ("osteoporosis", 5, [], [])]


def test_duplicate_term_is_found_whatever_the_case():
    _, problems = load("""
        - term: sarcopenia
          definition: One.
        - term: Sarcopenia
          definition: Two.
        """)
    assert messages(problems) == [
        "data/glossary.yml:3: duplicate glossary term 'Sarcopenia': 'sarcopenia' is already at "
        "line 1; case is ignored; merge the two entries into one"]
    assert problems[0].code == g.DUPLICATE and problems[0].severity == ERROR


def test_duplicate_alias_names_both_places():
    _, problems = load("""
        - term: hormone therapy
          definition: One.
          aliases: [HRT]
        - term: hormone replacement therapy
          definition: Two.
          aliases:
            - hrt
            - Hormone Therapy
        """)
    assert messages(problems) == [
        "data/glossary.yml:7: alias 'hrt' of 'hormone replacement therapy' repeats 'HRT' (an alias "
        "of 'hormone therapy') at line 3; case is ignored; keep the word in one entry only",
        "data/glossary.yml:8: alias 'Hormone Therapy' of 'hormone replacement therapy' repeats "
        "'hormone therapy' at line 1; case is ignored; keep the word in one entry only"]


@pytest.mark.parametrize("value", ["", " ''", " null", ' "   "'])
def test_empty_definition(value):
    _, problems = load(f"""
        - term: ok
          definition: Fine.
        - term: placebo
          definition:{value}
        """)
    assert messages(problems) == [
        "data/glossary.yml:4: glossary term 'placebo' has an empty definition; "
        "write one or two plain sentences a lay reader understands"]
    assert problems[0].code == g.EMPTY


def test_missing_definition_points_at_the_entry():
    _, problems = load("""
        - term: ok
          definition: Fine.
        - term: placebo
        """)
    assert messages(problems) == [
        "data/glossary.yml:3: glossary term 'placebo' has an empty definition; "
        "write one or two plain sentences a lay reader understands"]


def test_unknown_key_missing_term_and_bad_types():
    _, problems = load("""
        - term: ok
          defintion: Typo.
        - definition: No term.
        - term: listy
          definition: Fine.
          aliases: notalist
        - just a string
        """)
    assert messages(problems) == [
        "data/glossary.yml:1: glossary term 'ok' has an empty definition; "
        "write one or two plain sentences a lay reader understands",
        "data/glossary.yml:2: unknown key 'defintion' in glossary entry; "
        "use only term, definition, aliases, related",
        "data/glossary.yml:3: glossary entry has no term; "
        "add 'term: the word or phrase' (letters or digits)",
        "data/glossary.yml:6: 'aliases' of 'listy' is not a list; write aliases: [first, second]",
        "data/glossary.yml:7: glossary entry is not a mapping; "
        "write each entry as '- term: ...' with 'definition: ...' below it",
    ]
    assert {p.code for p in problems} == {g.INVALID, g.EMPTY}


def test_yaml_syntax_error_and_wrong_shape_name_a_line():
    _, problems = load("""
        - term: ok
          definition: "unclosed
        - term: next
        """)
    assert messages(problems) == [
        "data/glossary.yml:2: glossary is not valid YAML: while scanning a quoted scalar: found "
        "unexpected end of stream; fix the YAML; quote a definition that contains ': ' or "
        "starts with a quote"]
    assert problems[0].code == g.UNREADABLE
    _, problems = load("- term: ok\n  definition: a: b\n")
    assert messages(problems) == [
        "data/glossary.yml:2: glossary is not valid YAML: mapping values are not allowed in this "
        "context; fix the YAML; quote a definition that contains ': ' or starts with a quote"]
    _, problems = load("term: sarcopenia\n")
    assert messages(problems) == ["data/glossary.yml:1: glossary must be a YAML list of entries; "
                                  "start each entry with '- term: ...'"]


def test_related_must_name_another_term():
    _, problems = load("""
        - term: sarcopenia
          definition: One.
          related: [osteoporosis, Sarcopenia]
        """)
    assert messages(problems) == [
        "data/glossary.yml:3: related 'Sarcopenia' of 'sarcopenia' is not another term of the "
        "glossary; name another entry's term exactly, or remove it",
        "data/glossary.yml:3: related 'osteoporosis' of 'sarcopenia' is not another term of the "
        "glossary; name another entry's term exactly, or remove it"]


def test_terms_with_the_same_anchor_are_duplicates():
    _, problems = load("""
        - term: T-score
          definition: One.
        - term: T score
          definition: Two.
        """)
    assert messages(problems) == [
        "data/glossary.yml:3: glossary term 'T score' has the same anchor '#t-score' as 'T-score' "
        "at line 1; merge the two entries or make one an alias of the other"]


def test_unused_terms_are_warnings_naming_the_line():
    entries, _ = load("""
        - term: sarcopenia
          definition: One.
        - term: ipamorelin
          definition: Two.
        """)
    problems = g.unused(entries, {"sarcopenia": {"chapters/a.md"}})
    assert messages(problems) == [
        "data/glossary.yml:3: glossary term 'ipamorelin' is used in no chapter; use the term (or "
        "one of its aliases) in a chapter's text, or remove the entry"]
    assert problems[0].severity == WARNING and problems[0].code == g.UNUSED


def test_slugs_are_stable_ascii_anchors():
    assert g.slug("Women's Health Initiative") == "women-s-health-initiative"
    assert g.slug("IGF-1") == "igf-1"
    assert g.slug("17β-estradiol") == "17-estradiol"
    assert g.slug("Ménopause") == "menopause"


# Finding terms ---------------------------------------------------------------------------

ENTRIES, _ = load("""
    - term: bone density
      definition: d
    - term: bone mineral density
      definition: d
      aliases: [BMD]
    - term: osteoclast
      definition: d
    - term: hazard ratio
      definition: d
      aliases: [HR]
    - term: IGF-1
      definition: d
    - term: IGF
      definition: d
    - term: estrogen
      definition: d
    - term: Women's Health Initiative
      definition: d
    - term: meta-analysis
      definition: d
    - term: combined therapy
      definition: d
    """)
MATCHER = g.Matcher(ENTRIES)


def found(text: str) -> list[tuple[str, str]]:
    return [(text[a:b], e.term) for a, b, e in MATCHER.find(text)]


def test_longest_form_wins_and_plurals_match():
    assert found("Low bone mineral density and bone density; osteoclasts; combined therapies.") == [
        ("bone mineral density", "bone mineral density"), ("bone density", "bone density"),
        ("osteoclasts", "osteoclast"), ("combined therapies", "combined therapy")]


def test_case_is_ignored_for_words_but_not_for_abbreviations():
    assert found("Estrogen, ESTROGEN; HR 0.76 but not hr or Hr; BMD, bmd.") == [
        ("Estrogen", "estrogen"), ("ESTROGEN", "estrogen"), ("HR", "hazard ratio"),
        ("BMD", "bone mineral density")]


def test_whole_words_only_and_hyphens_and_line_breaks():
    assert found("estrogenic oestrogen xestrogen IGF-1 and IGF; meta-analyses; "
                 "bone\n    mineral density; Women’s Health Initiative") == [
        ("IGF-1", "IGF-1"), ("IGF", "IGF"), ("meta-analyses", "meta-analysis"),
        ("bone\n    mineral density", "bone mineral density"),
        ("Women’s Health Initiative", "Women's Health Initiative")]


def test_empty_glossary_finds_nothing():
    assert g.Matcher([]).find("sarcopenia") == []


# Marking a chapter (Python-Markdown with the site's extensions, no MkDocs) ----------------

MARK_ENTRIES, _ = load("""
    - term: sarcopenia
      definition: Muscle loss & "frailty" <b>not bold</b>.
    - term: estrogen
      definition: A hormone.
    """)


def render(md_text: str, page: str | None = "chapters/x.md") -> BeautifulSoup:
    ext = g.GlossaryExtension(MARK_ENTRIES)
    ext.page = page
    html = markdown.markdown(
        textwrap.dedent(md_text),
        extensions=["admonition", "attr_list", "footnotes", "md_in_html", "pymdownx.superfences",
                    "pymdownx.tabbed", ext],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}})
    return BeautifulSoup(html, "html.parser")


CHAPTER_MD = """
# Sarcopenia and estrogen

!!! abstract "Sarcopenia"

    Sarcopenia and estrogen. Sarcopenia again.

=== "Sarcopenia"

    Text on sarcopenia, then sarcopenia again, `sarcopenia` in code,
    [sarcopenia](https://example.org/) in a link[^1].

    ## Estrogen heading

    Estrogen and sarcopenia.

=== "Estrogen"

    Only estrogen here.

[^1]: A note on sarcopenia.
"""


def test_text_above_the_tabs_counts_for_every_depth_and_only_body_text_is_marked():
    soup = render(CHAPTER_MD)
    terms = soup.select("a.gl-term")
    # The box above the tabs is read at every depth: its marks count for both tabs.
    assert [(a.get_text(), a.find_parent(class_="tabbed-block") is not None) for a in terms] == [
        ("Sarcopenia", False), ("estrogen", False)]
    soup = render(CHAPTER_MD.replace("Sarcopenia and estrogen. Sarcopenia again.", "None."))
    terms = soup.select("a.gl-term")
    for a in terms:
        assert a.find_parent(["h1", "h2", "code", "label", "sup", "a"]) is None
        assert a.find_parent(class_=["footnote", "admonition-title", "tabbed-labels"]) is None
    assert [a.get_text() for a in terms] == ["sarcopenia", "Estrogen", "estrogen"]


PER_DEPTH_MD = """
# Title

=== "Fundamentals"

    Text on sarcopenia, then sarcopenia again.

    ## Estrogen heading

    Estrogen and sarcopenia (a heading does not start again).

=== "Intermediate"

    ## More

    Estrogen here.

    === "Men"

        Sarcopenia in men, estrogen again.

    === "Women"

        Sarcopenia in women.

    After the inner tabs, sarcopenia and estrogen.

=== "Academic"

    Estrogen and sarcopenia.
"""


def test_first_use_per_depth_not_per_heading():
    soup = render(PER_DEPTH_MD)
    panels = soup.select("div.tabbed-set")[0].select(":scope > .tabbed-content > .tabbed-block")
    marked = [[a.get_text() for a in p.select("a.gl-term")] for p in panels]
    # Fundamentals: once each, the h2 does not reset. Intermediate: estrogen once; each inner
    # tab marks sarcopenia (a reader sees one of them), then its own use after them.
    assert marked == [["sarcopenia", "Estrogen"],
                      ["Estrogen", "Sarcopenia", "Sarcopenia", "sarcopenia"],
                      ["Estrogen", "sarcopenia"]]


NAME_ENTRIES, _ = load("""
    - term: testosterone
      definition: d
    - term: endocrine
      definition: d
    - term: osteoporotic fracture
      definition: d
    - term: Women's Health Initiative
      definition: d
    - term: HRT
      definition: d
    - term: lumbar spine
      definition: d
    - term: ipamorelin
      definition: d
    """)


@pytest.mark.parametrize("text, marked", [
    ("Lumbar spine BMD rose.", ["Lumbar spine"]),  # an abbreviation after it is no name
    ("Ipamorelin and CJC-1295 are not approved.", ["Ipamorelin"]),
    ("Ipamorelin and Sermorelin differ.", ["Ipamorelin"]),  # "and" does not join a name
    ("Data from the Health and Ipamorelin Study.", []),
    ("The Testosterone Trials enrolled men.", []),
    ("In the Testosterone Trials, testosterone raised density.", ["testosterone"]),
    ("The Endocrine Society advises care.", []),
    ("The guideline of the Endocrine Society on endocrine care.", ["endocrine"]),
    ("The Study of Osteoporotic Fractures followed women.", []),
    ("Testosterone falls with age.", ["Testosterone"]),
    ("Low levels. Testosterone Trials came later.", []),
    ("Bone loss. Testosterone, in short, helps.", ["Testosterone"]),
    ("In the Women's Health Initiative, HRT Trial arms.", ["Women's Health Initiative", "HRT"]),
])
def test_terms_inside_proper_names_are_not_marked(text, marked):
    matcher = g.Matcher(NAME_ENTRIES)
    root = etree.Element("div")
    p = etree.SubElement(root, "p")
    p.text = text
    g.mark_tree(root, matcher)
    assert [a.text for a in p.iter("a")] == marked


def test_at_most_a_few_marks_per_paragraph_the_rest_at_their_next_use():
    entries, _ = load("".join(f"- term: word{c}\n  definition: d\n" for c in "abcdef"))
    soup_md = ("Worda, wordb, wordc, wordd and worde in one paragraph.\n\n"
               "- Wordd and worde again, in a list item, with wordf and worda.\n")
    ext = g.GlossaryExtension(entries)
    ext.page = "chapters/x.md"
    html = markdown.markdown(soup_md, extensions=[ext])
    soup = BeautifulSoup(html, "html.parser")
    assert [[a.get_text() for a in el.select("a.gl-term")] for el in soup.select("p, li")] == [
        ["Worda", "wordb", "wordc"], ["Wordd", "worde", "wordf"]]
    assert g.MAX_PER_BLOCK == 3


def test_terms_link_to_their_entry_and_carry_the_definition():
    soup = render(CHAPTER_MD)
    a = soup.select_one("a.gl-term")
    assert a["href"] == "../glossary.md#sarcopenia"
    assert a["aria-describedby"] == "gl-def-sarcopenia"
    defs = soup.select(".gl-defs > span")
    assert [d["id"] for d in defs] == ["gl-def-sarcopenia", "gl-def-estrogen"]
    box = soup.select_one(".gl-defs")
    assert box.has_attr("hidden") and box.has_attr("data-search-exclude")


def test_definition_with_markup_characters_is_escaped_text():
    html = str(render("Some sarcopenia."))
    assert ('<span id="gl-def-sarcopenia">Muscle loss &amp; "frailty" &lt;b&gt;not bold&lt;/b&gt;.'
            '</span>') in html
    assert "<b>" not in html


def test_gl_skip_class_and_admonition_titles_are_not_marked():
    soup = render("""
        !!! note "Sarcopenia"

            Body.

        Sarcopenia here is not marked.
        { .gl-skip }

        Estrogen is.
        """)
    assert [a.get_text() for a in soup.select("a.gl-term")] == ["Estrogen"]


def test_text_that_changes_length_when_lower_cased_still_lines_up():
    # U+0130 lower-cases to two characters; matching falls back to ignoring case.
    assert found("İstanbul ESTROGEN and bone density.") == [
        ("ESTROGEN", "estrogen"), ("bone density", "bone density")]


def test_pages_other_than_chapters_are_left_alone():
    assert render("Some sarcopenia.", page=None).select("a.gl-term, .gl-defs") == []


def test_glossary_href_is_relative_to_the_page():
    assert g.glossary_href("chapters/x.md") == "../glossary.md"
    assert g.glossary_href("index.md") == "glossary.md"


# The Glossary page -------------------------------------------------------------------------


def test_entries_are_alphabetical_escaped_and_anchored():
    entries, problems = load("""
        - term: osteoporosis
          definition: Weak bones.
          related: [bone mineral density]
        - term: mTOR
          definition: A switch in cells.
        - term: bone mineral density
          definition: Says "dense" & <i>x</i> 'ok'.
          aliases: [BMD]
        - term: 17β-estradiol
          definition: A form of estrogen.
        """)
    assert problems == []
    md = g.entries_markdown(entries)
    html = markdown.markdown(md, extensions=["attr_list", "md_in_html"])
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.select("h2")] == ["0-9", "B", "M", "O"]
    assert [h["id"] for h in soup.select("h2")] == ["glossary-0-9", "glossary-b", "glossary-m",
                                                     "glossary-o"]
    assert [(dt["id"], dt.get_text()) for dt in soup.select("dt")] == [
        ("17-estradiol", "17β-estradiol"), ("bone-mineral-density", "Bone mineral density"),
        ("mtor", "mTOR"), ("osteoporosis", "Osteoporosis")]
    bmd = soup.select_one("dt#bone-mineral-density").find_next_sibling("dd")
    assert bmd.p.get_text() == "Says \"dense\" & <i>x</i> 'ok'."
    assert bmd.find("i") is None
    assert "Also written: BMD" in bmd.get_text()
    # Related goes both ways.
    assert bmd.select_one("a[href='#osteoporosis']") is not None
    osteo = soup.select_one("dt#osteoporosis").find_next_sibling("dd")
    assert osteo.select_one("a[href='#bone-mineral-density']") is not None
    assert g.used_placeholder("mtor") in md


def test_used_in_line_lists_chapter_links():
    assert g.used_html("x", [("A & B", "../chapters/a/")]) == (
        '<p class="gl-meta gl-used" data-gl-used="x">Used in: '
        '<a href="../chapters/a/">A &amp; B</a></p>')


def test_page_markdown_fills_the_marker():
    entries, _ = load("- term: x\n  definition: y\n")
    assert g.page_markdown(f"# G\n\n{g.MARKER}\n\nAfter.\n", entries).endswith("After.\n")
    assert "dt id=\"x\"" in g.page_markdown("# G\n", entries)


# The project's glossary files ---------------------------------------------------------------

SEED_TERMS = [  # the Glossary section of the seed text
    "bone density", "osteoporosis", "muscle protein synthesis", "musculoskeletal health",
    "muscle mass", "bone loss", "anabolic resistance", "resistance training",
    "resistance exercise", "combined therapies", "hormone replacement therapy",
    "testosterone replacement therapy", "hormone replacement", "protein synthesis",
    "growth hormone", "ipamorelin", "sermorelin", "sarcopenia", "muscle growth"]


def project_glossary_text() -> str:
    """data/glossary.yml, plus data/glossary-pending.yml while that file exists."""
    text = (ROOT / "data/glossary.yml").read_text(encoding="utf-8")
    pending = ROOT / "data/glossary-pending.yml"
    if pending.exists():
        text += "\n" + pending.read_text(encoding="utf-8")
    return text


def test_project_glossary_is_valid_and_covers_the_seed_terms():
    entries, problems = g.load(project_glossary_text())
    assert messages(problems) == []
    forms = {g.fold(f) for e in entries for f in e.forms}
    assert [t for t in SEED_TERMS if g.fold(t) not in forms] == []
    for e in entries:
        assert 20 <= len(e.definition) <= 260, f"{e.term}: keep definitions to 1-2 plain sentences"
        assert len(re.findall(r"[.!?](\s|$)", e.definition)) <= 2, e.term


def test_project_glossary_is_alphabetical():
    entries, _ = g.load((ROOT / "data/glossary.yml").read_text(encoding="utf-8"))
    terms = [e.term.casefold() for e in entries]
    assert terms == sorted(terms)


# Fixture sites: the exact messages of a build --------------------------------------------------

CHAPTER = """---
title: A chapter
reviewed: 2026-11-01
next_review: 2027-11-01
---

# Sarcopenia in a chapter

=== "Fundamentals"

    Sarcopenia means weak muscles; see [sarcopenia](../index.md) and `sarcopenia`
    [@cauley2003effects]. HRT is hormone therapy.

    ## Osteoporosis

    Osteoporosis and sarcopenia.

=== "Intermediate"

    Here sarcopenia again.

    ## More

=== "Academic"

    Osteoporosis in depth.

    ## Detail
"""

GLOSSARY_PAGE = "# Glossary\n\n<!-- glossary-entries -->\n"

GOOD = """\
- term: sarcopenia
  definition: Muscle loss with age; "weak" & <frail> muscles.
  related: [osteoporosis]
- term: osteoporosis
  definition: Bones that break easily.
- term: hormone therapy
  definition: Hormones given as medicine.
  aliases: [HRT]
"""


def fixture(tmp_path, glossary: str, chapter: str = CHAPTER):
    return build_fixture(tmp_path, {"index.md": "# Home\n", "glossary.md": GLOSSARY_PAGE,
                                    "chapters/a.md": chapter},
                         files={"data/glossary.yml": glossary})


def test_duplicate_term_fails_the_build_with_file_and_line(tmp_path):
    b = fixture(tmp_path, GOOD + "- term: Osteoporosis\n  definition: Again.\n")
    assert not b.ok
    assert error_lines(b) == [
        "data/glossary.yml:9: duplicate glossary term 'Osteoporosis': 'osteoporosis' is already "
        "at line 4; case is ignored; merge the two entries into one",
        "1 glossary error: fix the file named above and build again."], b.output
    assert "Traceback" not in b.output


def test_duplicate_alias_fails_the_build(tmp_path):
    b = fixture(tmp_path, GOOD + "- term: HRT therapy\n  definition: Again.\n  aliases: [hrt]\n")
    assert not b.ok
    assert ("data/glossary.yml:11: alias 'hrt' of 'HRT therapy' repeats 'HRT' (an alias of "
            "'hormone therapy') at line 8; case is ignored; keep the word in one entry only"
            ) in error_lines(b), b.output


def test_empty_definition_fails_the_build(tmp_path):
    b = fixture(tmp_path, GOOD.replace("definition: Bones that break easily.", "definition: ''"))
    assert not b.ok
    assert ("data/glossary.yml:5: glossary term 'osteoporosis' has an empty definition; "
            "write one or two plain sentences a lay reader understands") in error_lines(b), b.output


def test_unused_term_warns_and_the_strict_build_fails(tmp_path):
    b = fixture(tmp_path, GOOD + "- term: ipamorelin\n  definition: A peptide.\n")
    assert not b.ok
    assert error_lines(b) == [
        "data/glossary.yml:9: glossary term 'ipamorelin' is used in no chapter; use the term (or "
        "one of its aliases) in a chapter's text, or remove the entry"], b.output
    assert "Aborted with 1 warnings in strict mode!" in b.output


def test_term_only_in_headings_links_or_code_is_unused(tmp_path):
    chapter = CHAPTER.replace("HRT is hormone therapy.", "`HRT`, [HRT](../index.md).")
    b = fixture(tmp_path, GOOD, chapter)
    assert not b.ok
    assert error_lines(b) == [
        "data/glossary.yml:6: glossary term 'hormone therapy' is used in no chapter; use the term "
        "(or one of its aliases) in a chapter's text, or remove the entry"], b.output


def test_site_without_glossary_page_is_left_alone(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "chapters/a.md": CHAPTER},
                      files={"data/glossary.yml": GOOD + "- term: unused\n  definition: x y.\n"})
    assert b.ok, b.output
    html = (b.site / "chapters/a/index.html").read_text(encoding="utf-8")
    assert "gl-term" not in html


def test_fixture_site_marks_terms_and_builds_the_glossary_page(tmp_path):
    b = fixture(tmp_path, GOOD)
    assert b.ok, b.output
    chapter = BeautifulSoup((b.site / "chapters/a/index.html").read_text(), "html.parser")
    body = chapter.select_one("article")
    terms = [(a.get_text(), a["href"]) for a in body.select("a.gl-term")]
    assert terms == [
        ("Sarcopenia", "../../glossary/#sarcopenia"), ("HRT", "../../glossary/#hormone-therapy"),
        ("Osteoporosis", "../../glossary/#osteoporosis"),
        ("sarcopenia", "../../glossary/#sarcopenia"),
        ("Osteoporosis", "../../glossary/#osteoporosis")]
    for a in body.select("a.gl-term"):
        assert a.find_parent(["h1", "h2", "h3", "a", "code", "label", "sup"]) is None
        # Each definition is in the page once (the hidden block the link's description
        # names); without JavaScript the link itself opens the entry on the Glossary page.
        assert not a.has_attr("title") and body.select_one(f"#{a['aria-describedby']}")
    # Tab labels, headings, the code span, the link and the citation keep their text.
    assert body.select_one("h1").get_text().startswith("Sarcopenia in a chapter")
    assert [lab.get_text() for lab in body.select(".tabbed-labels label")] == [
        "Fundamentals", "Intermediate", "Academic"]
    assert body.select_one("code").get_text() == "sarcopenia"
    # The definition, quotes, < and & included, is inert text.
    d = body.select_one("#gl-def-sarcopenia")
    assert d.get_text() == "Muscle loss with age; \"weak\" & <frail> muscles."
    assert d.find("frail") is None

    page = BeautifulSoup((b.site / "glossary/index.html").read_text(), "html.parser")
    gl = page.select_one("article")
    assert [dt["id"] for dt in gl.select("dl.gl-list dt")] == [
        "hormone-therapy", "osteoporosis", "sarcopenia"]
    sarc = gl.select_one("dt#sarcopenia").find_next_sibling("dd")
    assert sarc.p.get_text() == "Muscle loss with age; \"weak\" & <frail> muscles."
    assert sarc.find("frail") is None
    used = sarc.select_one(".gl-used")
    assert used.get_text() == "Used in: A chapter"
    assert used.a["href"] == "../chapters/a/"
    assert 'data-gl-used="' not in str(gl).replace('gl-used" data-gl-used="', "")  # all filled


# The real site ----------------------------------------------------------------------------------


def soup_of(site_dir, rel) -> BeautifulSoup:
    return BeautifulSoup((site_dir / rel).read_text(encoding="utf-8"), "html.parser")


def test_real_chapters_mark_terms_outside_headings_links_code_and_labels(site_dir):
    for html in sorted((site_dir / "chapters").glob("*/index.html")):
        article = soup_of(site_dir, html.relative_to(site_dir)).select_one("article")
        terms = article.select("a.gl-term")
        assert terms, f"{html}: no glossary term marked"
        for a in terms:
            assert a.find_parent(["h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre",
                                  "label", "sup"]) is None, (html, a)
            assert a.find_parent(class_=["footnote", "tabbed-labels"]) is None, (html, a)
            d = article.select_one(f"#{a['aria-describedby']}")
            assert d is not None and d.get_text().strip(), (html, a)
            assert re.fullmatch(r"\.\./\.\./glossary/#[a-z0-9-]+", a["href"]), a["href"]


def test_real_glossary_page_is_alphabetical_anchored_and_lists_chapters(site_dir):
    entries, _ = g.load((ROOT / "data/glossary.yml").read_text(encoding="utf-8"))
    page = soup_of(site_dir, "glossary/index.html").select_one("article")
    dts = page.select("dl.gl-list dt")
    assert [dt["id"] for dt in dts] == [e.slug for e in sorted(entries, key=g.sort_key)]
    for dt in dts:
        used = dt.find_next_sibling("dd").select_one(".gl-used")
        links = used.select("a")
        assert links, f"{dt['id']} lists no chapter"
        for a in links:
            assert (site_dir / "glossary" / a["href"] / "index.html").resolve().exists(), a["href"]
    # Every term link in a chapter lands on an entry.
    ids = {dt["id"] for dt in dts}
    for html in (site_dir / "chapters").glob("*/index.html"):
        for a in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("a.gl-term"):
            assert a["href"].split("#")[1] in ids


def test_hidden_definitions_stay_out_of_search(site_dir):
    import json

    index = json.loads((site_dir / "search/search_index.json").read_text())
    entries, _ = g.load((ROOT / "data/glossary.yml").read_text(encoding="utf-8"))
    definition = entries[0].definition
    where = {d["location"].split("#")[0] for d in index["docs"] if definition[:40] in d["text"]}
    assert where == {"glossary/"}


def test_search_gets_the_glossary_terms_but_not_the_used_in_lists(site_dir):
    import json

    index = json.loads((site_dir / "search/search_index.json").read_text())
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("glossary/"))
    assert "Sarcopenia" in text or "sarcopenia" in text
    assert "Used in" not in text
