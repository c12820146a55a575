"""The bibliography lint (medsite.bibcheck): each rule with its exact message, the CLI, a
real-world bib, and a bad bib failing the site build with file:line instead of a traceback."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from medsite import bibcheck
from tests.sitebuild import ROOT, build_fixture, error_lines

#: A bibliography written the way reference managers export (committed, made for the tests):
#: BOM, CRLF, http://dx.doi.org links, DOI links, LaTeX accents and dashes, crossref,
#: @online, keys in odd case. Nothing in the repository needs a folder beside it.
EXPORT = Path(__file__).parent / "fixtures" / "reference-manager-export.bib"
BIB = "bib/references.bib"

GOOD = """@article{good2020,
  author  = {Doe, Jane and Roe, Richard},
  title   = {A Good Title},
  journal = {Journal of Things},
  year    = {2020}, evidence = {rct},
  doi     = {10.1000/xyz.123},
  url     = {https://example.org/paper}
}
"""


def messages(text: str | bytes) -> list[str]:
    return [str(p) for p in sorted(bibcheck.check(BIB, text).problems)]


def test_good_entry_has_no_problem():
    assert messages(GOOD) == []


def test_the_project_bibliography_is_clean():
    result = bibcheck.check_file(str(ROOT / BIB), BIB)
    assert [str(p) for p in result.problems] == []
    assert len(result.entries) >= 18


def test_parse_error_names_file_and_line():
    bad = GOOD + "\n@article{broken,\n  author = {X},\n  title = {Oops,\n  year = 2020\n}\n"
    assert messages(bad) == [
        "bib/references.bib:12: the value of 'title' in entry 'broken' does not end: it "
        "swallows the field 'year' on line 13; add the missing closing brace (or quote) at "
        "the end of the value",
    ]
    followed = bad + "@misc{after, title = {Fine}, evidence = {review}}\n"
    assert messages(followed) == [
        "bib/references.bib:12: the value of 'title' in entry 'broken' does not end: it "
        "swallows the field 'year' on line 13; add the missing closing brace (or quote) at "
        "the end of the value",
        "bib/references.bib:15: BibTeX syntax error: '}' expected; check the braces, quotes "
        "and commas of the entry starting on line 10",
    ]


def test_missing_comma_between_fields_is_a_syntax_error():
    bad = "@misc{x,\n  title = {a} year = 2020}\n@misc{y, title = {b}, evidence = {review}}\n"
    assert messages(bad) == [
        "bib/references.bib:2: BibTeX syntax error: '}' expected; check the braces, quotes "
        "and commas of the entry starting on line 1",
    ]


def test_duplicate_keys_ignore_case_and_name_both_lines():
    dup = GOOD + "\n" + GOOD.replace("good2020", "Good2020")
    assert messages(dup) == [
        "bib/references.bib:10: duplicate key 'Good2020': also defined on line 1 as "
        "'good2020'; BibTeX keys ignore case: remove one entry or give it another key",
    ]


def test_duplicate_field():
    bad = GOOD.replace("  year    = {2020},", "  year    = {2020},\n  title = {Again},")
    assert messages(bad) == [
        "bib/references.bib:6: entry 'good2020' has the field 'title' twice (first on line 3); "
        "keep one of them",
    ]


@pytest.mark.parametrize("entry, missing", [
    ("@article{a, author={A, B}, title={T}, year=2020, evidence={rct}}", "'journal' or 'journaltitle'"),
    ("@book{a, author={A, B}, title={T}, year=2020, evidence={rct}}", "'publisher'"),
    ("@inproceedings{a, author={A, B}, title={T}, year=2020, evidence={rct}}", "'booktitle'"),
    ("@misc{a, author={A, B}, year=2020, evidence={rct}}", "'title'"),
])
def test_required_fields_per_type(entry, missing):
    kind = entry[1:entry.index("{")]
    field = missing.split("'")[1]
    assert messages(entry) == [
        f"bib/references.bib:1: @{kind} entry 'a' has no {missing} field; "
        f"add {field} = {{...}} (required for @{kind})"
    ]


def test_biblatex_date_and_journaltitle_count():
    assert messages("@article{a, author={A, B}, title={T}, journaltitle={J}, date={2020-01}, "
                    "evidence={rct}}") == []


def test_malformed_doi():
    assert messages(GOOD.replace("10.1000/xyz.123", "10.1000")) == [
        "bib/references.bib:6: doi '10.1000' of entry 'good2020' is not a DOI; a DOI looks "
        "like 10.1234/suffix; copy it from the publisher's page",
    ]


def test_doi_written_as_a_link():
    assert messages(GOOD.replace("10.1000/xyz.123", "https://doi.org/10.1000/xyz.123")) == [
        "bib/references.bib:6: doi 'https://doi.org/10.1000/xyz.123' of entry 'good2020' is a "
        "link, not a DOI; write the bare DOI: doi = {10.1000/xyz.123}",
    ]


def test_plain_http_url():
    assert messages(GOOD.replace("https://example.org", "http://example.org")) == [
        "bib/references.bib:7: URL 'http://example.org/paper' of entry 'good2020' uses plain "
        "http:; use https:// (check that the page loads with it)",
    ]


def test_http_inside_a_url_command():
    bad = "@misc{a, title={T}, evidence={review}, howpublished={\\url{http://example.org}}}"
    assert messages(bad) == [
        "bib/references.bib:1: URL 'http://example.org' of entry 'a' uses plain http:; "
        "use https:// (check that the page loads with it)",
    ]


def test_file_not_utf8():
    data = GOOD.replace("Jane", "J\u00e9r\u00f4me").encode("latin-1")
    assert messages(data) == [
        "bib/references.bib:2:20: file is not UTF-8: byte 0xE9 is not a UTF-8 character; "
        "save it as UTF-8 (e.g. iconv -f latin1 -t utf-8), or write the character as a "
        "LaTeX accent such as {\\'e}",
    ]


def test_key_the_plugin_cannot_read():
    assert messages(GOOD.replace("good2020", "doe:2020.a")) == [
        "bib/references.bib:1: key 'doe:2020.a' contains ':' and '.', which mkdocs-bibtex "
        "cannot read; rename it to 'doe-2020-a' here and cite it as [@doe-2020-a]",
    ]


def test_bad_name_list():
    bad = GOOD.replace("Doe, Jane and Roe, Richard", "Doe, Jane, Jr, Extra")
    assert messages(bad) == [
        "bib/references.bib:2: cannot read the name list: Too many commas in "
        "'Doe, Jane, Jr, Extra'; separate people with ' and ', write each as 'Last, First'; "
        "put an organisation in double braces",
    ]


KINDS = ("rct, meta-analysis, systematic-review, guideline, position-statement, cohort, review, "
         "mechanistic, regulatory")


def test_missing_evidence_names_the_entry_and_the_kinds():
    assert messages(GOOD.replace(" evidence = {rct},", "")) == [
        f"bib/references.bib:1: entry 'good2020' has no 'evidence' field; add evidence = {{...}} "
        f"with one of: {KINDS}"]


def test_missing_evidence_suggests_the_kind_the_title_gives():
    bad = GOOD.replace(" evidence = {rct},", "").replace("A Good Title", "Exercise: A Meta-Analysis")
    assert messages(bad) == [
        "bib/references.bib:1: entry 'good2020' has no 'evidence' field; add evidence = "
        f"{{meta-analysis}} if that is what it is (its title says so); the kinds: {KINDS}"]


@pytest.mark.parametrize("value, hint", [
    ("guidline", f"did you mean evidence = {{guideline}}? the kinds: {KINDS}"),
    ("randomised", f"did you mean evidence = {{rct}}? the kinds: {KINDS}"),
    ("RCT", "write evidence = {rct}"),
    ("systematic review", "write evidence = {systematic-review}"),
    ("anecdote", f"use one of: {KINDS}"),
])
def test_unknown_evidence_kind_suggests_the_closest(value, hint):
    assert messages(GOOD.replace("{rct}", "{" + value + "}")) == [
        f"bib/references.bib:5: evidence '{value}' of entry 'good2020' is not a known kind; {hint}"]


def test_every_kind_is_accepted():
    from medsite.evidence import KINDS as kinds

    for kind in kinds:
        assert messages(GOOD.replace("{rct}", "{" + kind + "}")) == [], kind


@pytest.mark.parametrize("value, hint", [
    ("PMC3644594", "a PMCID (PMC...) is not a PMID: look the PMID up in PubMed"),
    ("PMID: 14519707", "write the digits only: pmid = {14519707}"),
    ("1451-9707", "a PMID is digits only, e.g. pmid = {14519707}"),
])
def test_pmid_that_is_not_a_pubmed_id(value, hint):
    bad = GOOD.replace("  doi     = {10.1000/xyz.123},", f"  doi     = {{10.1000/xyz.123}}, pmid = {{{value}}},")
    assert messages(bad) == [
        f"bib/references.bib:6: pmid '{value}' of entry 'good2020' is not a PubMed ID; {hint}"]


def test_pmid_in_note_is_moved_to_a_pmid_field():
    bad = GOOD.replace("  doi     = {10.1000/xyz.123},", "  doi     = {10.1000/xyz.123}, note = {TRIAL. PMID: 14519707},")
    assert messages(bad) == [
        "bib/references.bib:6: entry 'good2020' gives its PMID in note; write it as "
        "pmid = {14519707} and take it out of note"]


def test_the_project_bibliography_has_one_pmid_form_and_a_kind_everywhere():
    result = bibcheck.check_file(str(ROOT / BIB), BIB)
    assert all("evidence" in e.fields for e in result.entries)
    assert not any(re.search(r"PMID\s*:?\s*\d", e.fields.get("note", ("", 0))[0])
                   for e in result.entries)
    assert sum("pmid" in e.fields for e in result.entries) >= 35


def test_uncited_is_a_warning_per_entry():
    result = bibcheck.check(BIB, GOOD + GOOD.replace("good2020", "other"))
    found = bibcheck.uncited(BIB, result.entries, {"GOOD2020"})
    assert [(str(p), p.severity) for p in found] == [
        ("bib/references.bib:9: entry 'other' is never cited; cite it as [@other], add it to "
         "nocite: in docs/references.md, or remove it", "warning")]


def test_a_reference_manager_export_is_read_and_every_problem_named_at_its_line():
    raw = EXPORT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the fixture is what it says
    result = bibcheck.check_file(str(EXPORT), "export.bib")
    assert [(e.key, e.type, e.line) for e in result.entries] == [
        ("Lopez-Garcia_2019", "article", 5), ("SMITH2020Bone", "article", 16),
        ("who_ageing", "online", 25), ("blog_post", "online", 32),
        ("conf2018", "proceedings", 38), ("Chen:2018.a", "inproceedings", 44),
        ("orphan2017", "inproceedings", 51), ("lopez-garcia_2019", "misc", 57),
        ("Bad_DOI_2015", "book", 63)]
    # LaTeX accents and dashes are kept as written (pandoc renders them); CR never leaks in.
    first = result.keys["Lopez-Garcia_2019"].fields
    assert first["author"][0] == ("L{\\'o}pez-Garc{\\'\\i}a, Mar{\\'\\i}a and M{\\\"u}ller, "
                                  "J{\\\"o}rg and {\\O}stergaard, S{\\o}ren")
    assert first["pages"] == ("1010--1017", 11)
    assert not any("\r" in v for e in result.entries for v, _ in e.fields.values())
    # A reference manager knows nothing of our `evidence` field: every entry is told to add it
    # (its exact messages are tested with the evidence rule).
    evidence = [p for p in sorted(result.problems) if p.code == "bib-evidence-missing"]
    assert [(p.line, str(p).split(": ", 1)[1].split(";")[0]) for p in evidence] == [
        (e.line, f"entry '{e.key}' has no 'evidence' field") for e in result.entries]
    assert [str(p) for p in sorted(result.problems) if p.code != "bib-evidence-missing"] == [
        "export.bib:12: doi 'http://dx.doi.org/10.1093/gerona/glz001' of entry "
        "'Lopez-Garcia_2019' is a link, not a DOI; write the bare DOI: "
        "doi = {10.1093/gerona/glz001}",
        "export.bib:13: URL 'http://dx.doi.org/10.1093/gerona/glz001' of entry "
        "'Lopez-Garcia_2019' uses plain http:; use https:// (check that the page loads with it)",
        "export.bib:21: doi 'https://doi.org/10.1007/s00198-020-05555-5' of entry "
        "'SMITH2020Bone' is a link, not a DOI; write the bare DOI: "
        "doi = {10.1007/s00198-020-05555-5}",
        "export.bib:32: @online entry 'blog_post' has no 'url' field; add url = {...} "
        "(required for @online)",
        "export.bib:44: key 'Chen:2018.a' contains ':' and '.', which mkdocs-bibtex cannot "
        "read; rename it to 'Chen-2018-a' here and cite it as [@Chen-2018-a]",
        # Chen:2018.a takes booktitle and year from its crossref; orphan2017 has none.
        "export.bib:51: @inproceedings entry 'orphan2017' has no 'booktitle' field; add "
        "booktitle = {...} (required for @inproceedings)",
        "export.bib:57: duplicate key 'lopez-garcia_2019': also defined on line 5 as "
        "'Lopez-Garcia_2019'; BibTeX keys ignore case: remove one entry or give it another key",
        "export.bib:59: URL 'http://example.org/preprint' of entry 'lopez-garcia_2019' uses "
        "plain http:; use https:// (check that the page loads with it)",
        "export.bib:68: doi '10.5555' of entry 'Bad_DOI_2015' is not a DOI; a DOI looks like "
        "10.1234/suffix; copy it from the publisher's page",
    ]


def test_the_last_entry_without_its_closing_brace_is_named_not_its_closed_field():
    assert messages(GOOD.rstrip()[:-1]) == [
        "bib/references.bib:7: entry 'good2020' (line 1) is not closed: the file ends before "
        "its closing brace; add '}' on a line of its own after line 7"]
    # A value that is itself open is still the value's fault.
    assert messages(GOOD.replace("paper}\n}", "paper\n")) == [
        "bib/references.bib:7: the value of 'url' in entry 'good2020' does not end: it runs to "
        "the end of the file; add the missing closing brace (or quote) at the end of the value"]


def test_garbage_never_raises():
    for text in ["@", "@article{", "@article{x,", "}}}{{{", "@string{a = b}@misc{x, title=a}",
                 "@article(x, title = \"a}", "\x00\xff", "@comment{", "@misc{x, author = {and}}"]:
        bibcheck.check(BIB, text)
        bibcheck.check(BIB, text.encode("latin-1"))


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "medsite.bibcheck", *args], cwd=ROOT,
                          env={"PYTHONPATH": "hooks"}, capture_output=True, text=True,
                          timeout=60)


def test_cli_exit_codes(tmp_path):
    ok = run_cli(BIB)
    assert ok.returncode == 0 and ok.stdout == ""
    bad = tmp_path / "bad.bib"
    bad.write_text(GOOD.replace("https://", "http://"))
    out = run_cli(str(bad))
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{bad}:7: URL 'http://example.org/paper' of entry 'good2020' uses plain http:; "
        "use https:// (check that the page loads with it)"]


def test_bad_bib_fails_the_build_with_file_and_line_not_a_traceback(tmp_path):
    bad = GOOD + "\n@article{broken,\n  author = {X}\n  title = {T}}\n"
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nA claim [@good2020].\n"},
                      files={BIB: bad})
    assert not b.ok
    assert error_lines(b)[0] == (
        "bib/references.bib:12: BibTeX syntax error: '}' expected; check the braces, quotes "
        "and commas of the entry starting on line 10")
    assert "Traceback" not in b.output


def test_every_citation_and_bib_code_is_in_the_error_catalogue():
    from medsite import citations  # noqa: F401  (registers its codes)
    from medsite.diagnostics import CODES

    catalogue = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    ours = [c for c in CODES if c.startswith(("bib-", "citation-"))] + ["citation-format-failed"]
    assert len(ours) >= 15
    for code in ours:
        assert f"### `{code}`" in catalogue, code


def test_every_key_follows_the_documented_convention():
    """CONTRIBUTING.md, "Key convention": lower-case ASCII letters, digits and '_', starting
    with a letter (authorYYYYword for articles, site_topic for web pages)."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "lower-case ASCII letters, digits and `_` only, starting with a letter" in guide
    keys = [e.key for e in bibcheck.check_file(str(ROOT / BIB), BIB).entries]
    assert len(keys) >= 40
    assert [k for k in keys if not re.fullmatch(r"[a-z][a-z0-9_]*", k)] == []
    for example in ("cruzjentoft2019sarcopenia", "nams2022hormone", "ros_hrt",
                    "wikipedia_frailty"):
        assert f"`{example}`" in guide and example in keys, example
