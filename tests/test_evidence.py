"""Evidence labels (medsite.evidence, hooks/refstatus.py): the label on every reference, the
References page A to Z without numbers and by kind, the evidence mix per chapter and depth
(build INFO line and `python3 dev.py evidence`), and the About page's date of the last check."""
from __future__ import annotations

import re
import subprocess
import sys

import markdown
import pytest
from bs4 import BeautifulSoup

from medsite import evidence, refstatus
from medsite.mdcite import CitationExtension
from tests.sitebuild import ROOT, build_fixture, error_lines

CHAPTER = """---
title: X
---

# X

Shared claim [@t1].

=== "Fundamentals"

    Easy [@t1; @g1].

=== "Intermediate"

    More [@t1] and [@r1] and `[@g1]` in code.

=== "Academic"

    Most [@m1; @r1; @nolabel].
"""
KINDS = {"t1": "rct", "g1": "guideline", "r1": "review", "m1": "meta-analysis", "nolabel": None}


def test_label_words_for_every_kind():
    assert [k.label for k in evidence.KINDS.values()] == [
        "Randomized trial", "Meta-analysis", "Systematic review", "Guideline",
        "Position statement", "Cohort study", "Review", "Mechanistic study",
        "Regulatory document"]
    assert evidence.label_html("rct") == (
        '<span class="evidence-label" data-evidence="rct">Randomized trial'
        '<span class="evidence-label__end">:</span></span> ')
    assert evidence.label_html(None) == "" and evidence.label_html("nonsense") == ""


def test_mix_counts_each_depth_with_the_shared_text():
    m = evidence.mix("docs/chapters/x.md", CHAPTER, KINDS)
    assert m.depth("Fundamentals") == {"rct": 2, "guideline": 1}
    assert m.depth("Intermediate") == {"rct": 2, "review": 1}
    assert m.depth("Academic") == {"rct": 1, "meta-analysis": 1, "review": 1, "unlabelled": 1}
    assert m.line() == (
        "docs/chapters/x.md: Fundamentals 3 citations (2 trials/systematic reviews, 1 guidance, "
        "0 other); Intermediate 3 (2, 0, 1); Academic 4 (2, 0, 2)")


def test_table():
    m = evidence.mix("docs/chapters/x.md", CHAPTER, KINDS)
    assert evidence.table([m]).splitlines() == [
        "| Chapter | Depth | Citations | Trials + SR | Guidance | Other | Randomized trial | "
        "Meta-analysis | Guideline | Review |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        "| x | Fundamentals | 3 | 2 (67%) | 1 (33%) | 0 (0%) | 2 | 0 | 1 | 0 |",
        "| x | Intermediate | 3 | 2 (67%) | 0 (0%) | 1 (33%) | 2 | 0 | 0 | 1 |",
        "| x | Academic | 4 | 2 (50%) | 0 (0%) | 2 (50%) | 1 | 1 | 0 | 1 |"]


def test_evidence_command_prints_every_chapter_and_depth():
    out = subprocess.run([sys.executable, "dev.py", "evidence"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    chapters = sorted(p.stem for p in (ROOT / "docs/chapters").glob("*.md"))
    rows = [r for r in out.stdout.splitlines() if r.startswith("| ") and "---" not in r][1:]
    assert [r.split(" | ")[0][2:] for r in rows] == [c for c in chapters for _ in range(3)] + [
        "**whole guide**"] * 3


def test_bibliography_is_a_to_z_without_numbers_then_by_kind():
    refs = {"zz": "Zeta A. Title.", "the": "The Society. Statement.", "ab": "\u00c1lvarez B. T.",
            "no": "Nolabel N. T."}
    kinds = {"zz": "rct", "the": "position-statement", "ab": "rct", "no": None}
    labelled = evidence.labelled(refs, kinds)
    text, order, later = evidence.bibliography(labelled, kinds)
    assert order == ["ab", "no", "the", "zz"]
    assert "references--by-kind" not in text and "<li" not in text  # written after parsing
    assert re.findall(r"^##+ .*$", text, re.M) == [
        "## A to Z {#a-to-z}", "## By kind {#by-kind}",
        "### Randomized trials (2) {#kind-rct}",
        "### Position statements (1) {#kind-position-statement}",
        "### Not labelled (1) {#kind-none}"]
    out = evidence.fill(markdown.markdown(text, extensions=[
        "attr_list", CitationExtension(references=labelled, bibliography=order)]), later)
    html = BeautifulSoup(out, "html.parser")
    first = html.select("ul.references")[0]
    assert [li["id"] for li in first.select("li")] == ["ref-ab", "ref-no", "ref-the", "ref-zz"]
    assert str(first.select_one("li#ref-zz")) == f'<li id="ref-zz">{labelled["zz"]}</li>'
    assert "<ol" not in out
    by_kind = html.select("ul.references--by-kind")
    assert all(ul.has_attr("data-search-exclude") for ul in by_kind)
    assert [li.get_text() for li in by_kind[0].select("li")] == ["\u00c1lvarez B. T.", "Zeta A. Title."]
    assert not html.select("ul.references--by-kind [id]")  # one anchor per entry


# --- the About page: when the references were last checked ---------------------------------

PAGES = {"index.md": "# Home\n\nA claim [@good2020].\n",
         "about.md": "# About\n\n<!-- references-checked -->\n\n<!-- evidence-kinds -->\n"}
BIB = """@article{good2020,
  author  = {Doe, Jane},
  title   = {A Study},
  journal = {Journal of Bones},
  year    = {2020}, volume = {1}, pages = {1--2},
  doi     = {10.1000/bone.1}, evidence = {meta-analysis}
}
"""


def about(b) -> BeautifulSoup:
    return BeautifulSoup((b.site / "about/index.html").read_text(encoding="utf-8"), "html.parser")


def test_about_shows_the_date_the_workflow_wrote(tmp_path):
    stamp = ("checked: 2026-11-30\nentries: 43\nwith_doi: 39\ncompared: 39\npmids: 36\n"
             "problems: 0\nunreachable: 0\n")
    b = build_fixture(tmp_path, PAGES, files={"bib/references.bib": BIB,
                                               refstatus.DATA: stamp})
    assert b.ok, b.output
    p = about(b).select_one("p.references-checked")
    assert p.get_text() == ("References last checked on 30 November 2026: 39 of 43 references "
                            "were compared with their DOI's record, 36 PubMed IDs with PubMed; "
                            "nothing disagreed.")
    assert p.select_one("time")["datetime"] == "2026-11-30"
    labels = [dt.get_text() for dt in about(b).select("dl.evidence-kinds dt")]
    assert labels[0] == "Randomized trial:" and len(labels) == len(evidence.KINDS)


def test_about_says_when_records_could_not_be_fetched():
    status = {"checked": __import__("datetime").date(2026, 12, 7), "entries": 43, "compared": 37,
              "pmids": 36, "problems": 1, "unreachable": 2}
    assert re.sub(r"<[^>]+>", "", refstatus.checked_html(status)) == (
        "References last checked on 7 December 2026: 37 of 43 references were compared with "
        "their DOI's record, 36 PubMed IDs with PubMed; 1 difference is being looked into "
        "(2 records could not be fetched that day).")


def test_about_before_the_first_check(tmp_path):
    b = build_fixture(tmp_path, PAGES, files={"bib/references.bib": BIB, refstatus.DATA: "checked:\n"})
    assert b.ok, b.output
    assert about(b).select_one("p.references-checked").get_text().startswith(
        "The weekly check of every reference against its DOI's record has not run yet")


def test_a_bad_date_fails_the_build_with_file_and_line(tmp_path):
    b = build_fixture(tmp_path, PAGES, files={"bib/references.bib": BIB,
                                               refstatus.DATA: "# c\nchecked: last week\n"})
    assert not b.ok
    assert error_lines(b)[0] == (
        "data/references-checked.yml:2: checked: 'last week' is not a date; write the date as "
        "YYYY-MM-DD, e.g. checked: 2026-11-30")
    assert "Traceback" not in b.output


def test_the_committed_data_file_is_valid():
    status, problems = refstatus.load(ROOT)
    assert problems == []


# --- the labels in the built pages ----------------------------------------------------------

def test_label_in_the_footnote_and_on_the_references_page(tmp_path):
    b = build_fixture(tmp_path, {**PAGES, "references.md":
                                 "# References\n\n<!-- full-bibliography -->\n"},
                      files={"bib/references.bib": BIB})
    assert b.ok, b.output
    page = BeautifulSoup((b.site / "index.html").read_text(), "html.parser")
    li = page.select_one("div.footnote li#fn\\:good2020")
    assert li.select_one(".evidence-label").get_text() == "Meta-analysis:"
    assert re.sub(r"\s+", " ", li.get_text()).strip().startswith("Meta-analysis: Doe J. A study.")
    refs = BeautifulSoup((b.site / "references/index.html").read_text(), "html.parser")
    assert refs.select_one("ul.references li#ref-good2020 .evidence-label")["data-evidence"] == \
        "meta-analysis"
    assert refs.select_one("#kind-meta-analysis").get_text().startswith("Meta-analyses (1)")


def test_every_reference_of_the_real_site_is_labelled(site_dir):
    from pybtex.database import parse_file

    bib = parse_file(str(ROOT / "bib/references.bib")).entries
    page = BeautifulSoup((site_dir / "references/index.html").read_text(), "html.parser")
    items = page.select("article ul.references:not(.references--by-kind) > li")
    assert len(items) == len(bib)
    assert page.select("article ol") == []  # no numbers on the References page
    for li in items:
        key = li["id"][4:]
        label = li.select_one(".evidence-label")
        assert label["data-evidence"] == bib[key].fields["evidence"], key
        assert label.get_text() == evidence.KINDS[bib[key].fields["evidence"]].label + ":"
    names = [re.sub(r"^(the )", "", li.get_text().split(":", 1)[1].strip().lower()) for li in items]
    assert names == sorted(names, key=lambda n: evidence._sort_key(n)[0])
    grouped = page.select("article ul.references--by-kind > li")
    assert len(grouped) == len(bib)
    for path in (site_dir / "chapters").glob("*/index.html"):
        chapter = BeautifulSoup(path.read_text(), "html.parser")
        notes = chapter.select("div.footnote li")
        assert notes and all(n.select_one(".evidence-label") for n in notes), path


def test_build_reports_the_evidence_mix_of_every_chapter(site_build):
    lines = [ln.split("-  ", 1)[1] for ln in site_build.output.splitlines()
             if ln.startswith("INFO") and "-  evidence: " in ln]
    chapters = sorted((ROOT / "docs/chapters").glob("*.md"))
    assert len(lines) == len(chapters)
    kinds = evidence.bib_kinds(str(ROOT / "bib/references.bib"))
    for path, line in zip(chapters, lines):
        rel = f"docs/chapters/{path.name}"
        assert line == "evidence: " + evidence.mix(rel, path.read_text(), kinds).line()


def _hsl(h: float, s: float, lum: float) -> tuple[float, float, float]:
    import colorsys

    return colorsys.hls_to_rgb(h / 360, lum, s)


def _over(fg: tuple, alpha: float, bg: tuple) -> tuple:
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg))


def _contrast(c1: tuple, c2: tuple) -> float:
    def lum(c):
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    a, b = sorted((lum(c1), lum(c2)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# Material 9's variables (main.css and palette.css; --md-hue is 225deg on slate).
PALETTES = {
    # scheme: (text colour and its alpha, the label's background, the page's background)
    "default": (((0, 0, 0), 0xDE / 255), (0xF5 / 255,) * 3, (1, 1, 1)),
    "slate": ((_hsl(225, .15, .90), .82), _hsl(225, .15, .18), _hsl(225, .15, .14)),
}


@pytest.mark.parametrize("scheme", sorted(PALETTES))
def test_label_text_has_aa_contrast_on_both_palettes(scheme):
    css = (ROOT / "docs/assets/stylesheets/references.css").read_text()
    assert "color: var(--md-default-fg-color);" in css
    assert "background: var(--md-code-bg-color);" in css
    (fg, alpha), label_bg, page_bg = PALETTES[scheme]
    text = _over(fg, alpha, label_bg)
    assert _contrast(text, label_bg) >= 7  # AAA even; AA needs 4.5
    # and the label stands apart from the page around it
    assert _contrast(label_bg, page_bg) > 1.04


def test_editor_fields_never_print_in_a_reference(site_dir):
    """note (e.g. {TRAVERSE trial}, or what could not be confirmed) and pmid are for editors:
    the AMA style prints neither (the popover shows the same HTML)."""
    from pybtex.database import parse_file

    bib = parse_file(str(ROOT / "bib/references.bib")).entries
    page = BeautifulSoup((site_dir / "references/index.html").read_text(), "html.parser")
    noted = 0
    for key, entry in bib.items():
        li = page.select_one(f"li#ref-{key}")
        text = re.sub(r"\s+", " ", li.get_text())
        note = entry.fields.get("note")
        if note:
            noted += 1
            assert note.replace("{", "").replace("}", "")[:20] not in text, key
        assert "PMID" not in text and entry.fields.get("pmid", "@@") not in text, key
    assert noted >= 10
