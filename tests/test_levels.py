"""The depth-tab check (medsite.levels): unit tests with exact messages, then fixture sites
showing that the strict build fails with the same lines (and exempts non-chapter pages)."""
from __future__ import annotations

import pytest

from medsite import levels
from tests.sitebuild import build_fixture, error_lines

PATH = "docs/chapters/x.md"
FRONT = "---\ntitle: X\nreviewed: 2026-11-01\nnext_review: 2027-11-01\n---\n\n# X\n\n"  # 8 lines


def tab(label: str, text: str = "## Part", marker: str = "") -> str:
    """A depth tab of four lines; by default its one line is a ## heading, as every depth needs."""
    return f'==={marker} "{label}"\n\n    {text}\n\n'


GOOD = FRONT + tab("Fundamentals") + tab("Intermediate") + tab("Academic")
# Line numbers in GOOD: Fundamentals 9, Intermediate 13, Academic 17.


def messages(text: str) -> list[str]:
    return [str(p) for p in sorted(levels.check(PATH, text))]


def codes(text: str) -> list[str]:
    return [p.code for p in sorted(levels.check(PATH, text))]


def test_a_well_formed_chapter_passes():
    assert messages(GOOD) == []


def test_text_above_the_tabs_and_nested_tabs_inside_a_depth_are_allowed():
    text = (FRONT + '!!! abstract "Key points"\n\n    - One.\n\nShared intro.\n\n'
            + tab("Fundamentals")
            + '=== "Intermediate"\n\n    ## Part\n\n    === "Men"\n\n        A.\n\n'
              '    === "Women"\n\n        B.\n\n'
            + tab("Academic")
            + "[^1]: A footnote.\n\n    More of it.\n\n*[HRT]: hormone therapy\n"
              "[ref]: https://example.org\n<!-- end -->\n")
    assert messages(text) == []


def test_the_real_chapter_passes():
    from tests.sitebuild import ROOT

    for p in sorted((ROOT / "docs" / "chapters").glob("*.md")):
        assert levels.check(str(p), p.read_text(encoding="utf-8")) == [], p


def test_no_tabs():
    assert messages(FRONT + "Just prose.\n") == [
        'docs/chapters/x.md:7: chapter has no depth tabs; write its text in three top-level '
        'tabs, === "Fundamentals", === "Intermediate" and === "Academic", each followed by its '
        "text indented 4 spaces"]


def test_misspelt_label_suggests_the_depth():
    assert messages(FRONT + tab("Fundamental") + tab("Intermediate") + tab("Academic")) == [
        'docs/chapters/x.md:9: tab "Fundamental" is not a depth label; rename it '
        '"Fundamentals" (the labels are exactly "Fundamentals", "Intermediate", "Academic")']


@pytest.mark.parametrize("label, depth", [
    ("fundamentals", "Fundamentals"), ("Intermediat", "Intermediate"), ("Academics", "Academic"),
    ("ACADEMIC", "Academic"), ("Fundamentals ", "Fundamentals"), ("Summary", None), ("", None),
])
def test_resolve_maps_near_misses_to_the_depth(label, depth):
    assert levels.resolve(label) == depth


def test_wrong_order():
    assert messages(FRONT + tab("Fundamentals") + tab("Academic") + tab("Intermediate")) == [
        'docs/chapters/x.md:17: tab "Intermediate" comes after "Academic"; put the tabs in the '
        'order "Fundamentals", "Intermediate", "Academic"']


def test_missing_middle_tab():
    assert messages(FRONT + tab("Fundamentals") + tab("Academic")) == [
        'docs/chapters/x.md:13: no "Intermediate" tab; add === "Intermediate" between '
        '"Fundamentals" and "Academic", with its text indented 4 spaces']


def test_missing_last_tab():
    assert messages(FRONT + tab("Fundamentals") + tab("Intermediate")) == [
        'docs/chapters/x.md:13: no "Academic" tab; add === "Academic" after "Intermediate", '
        "with its text indented 4 spaces"]


def test_missing_first_tab():
    assert messages(FRONT + tab("Intermediate") + tab("Academic")) == [
        'docs/chapters/x.md:9: no "Fundamentals" tab; add === "Fundamentals" before '
        '"Intermediate", with its text indented 4 spaces']


def test_extra_tab():
    assert messages(GOOD + tab("Summary")) == [
        'docs/chapters/x.md:21: extra top-level tab "Summary"; a chapter has exactly three tabs, '
        '"Fundamentals", "Intermediate", "Academic": move this text into one of them, or above '
        "the tabs"]


def test_duplicate_tab():
    assert messages(GOOD + tab("Academic")) == [
        'docs/chapters/x.md:21: second "Academic" tab (the first is on line 17); merge the two '
        'into one "Academic" tab']


def test_tabs_inside_an_admonition_are_not_at_top_level():
    nested = "".join(f'    === "{d}"\n\n        Text.\n\n' for d in levels.DEPTHS)
    assert messages(FRONT + "!!! note\n\n" + nested) == [
        f'docs/chapters/x.md:{line}: tab "{d}" is indented 4 spaces, so it is not at the top '
        "level of the page; depth tabs cannot sit inside a list, admonition or another tab: "
        "start the line with === at column 1 and indent its text 4 spaces"
        for line, d in zip((11, 15, 19), levels.DEPTHS)]


def test_one_tab_nested_in_a_list():
    text = (FRONT + tab("Fundamentals") + tab("Intermediate")
            + '- A list item\n\n    === "Academic"\n\n        Text.\n')
    assert messages(text) == [
        'docs/chapters/x.md:17: text after the last tab ("Intermediate") is outside every depth, '
        'so readers of every depth see it; indent it 4 spaces to put it in "Intermediate", or '
        "move it above the tabs",
        'docs/chapters/x.md:19: tab "Academic" is indented 4 spaces, so it is not at the top '
        "level of the page; depth tabs cannot sit inside a list, admonition or another tab: "
        "start the line with === at column 1 and indent its text 4 spaces"]


def test_unindented_text_after_the_last_tab():
    assert messages(GOOD + "A stray closing paragraph.\n") == [
        'docs/chapters/x.md:21: text after the last tab ("Academic") is outside every depth, so '
        'readers of every depth see it; indent it 4 spaces to put it in "Academic", or move it '
        "above the tabs"]


def test_unindented_code_block_after_the_last_tab():
    assert codes(GOOD + "```\ncode\n```\n") == ["levels-after"]


def test_unindented_text_between_tabs_splits_them():
    text = FRONT + tab("Fundamentals") + "Stray.\n\n" + tab("Intermediate") + tab("Academic")
    assert messages(text) == [
        'docs/chapters/x.md:13: text at column 1 between tabs "Fundamentals" and "Intermediate" '
        'splits the depth tabs into two sets; indent it 4 spaces to keep it in "Fundamentals", '
        "or move it above the tabs"]


def test_bang_marker_splits_the_tabs():
    text = FRONT + tab("Fundamentals") + tab("Intermediate", marker="!") + tab("Academic")
    assert messages(text) == [
        "docs/chapters/x.md:13: '===!' starts a new tab set, splitting the depth tabs; "
        'write === "Intermediate"']


def test_under_indented_text():
    text = FRONT + '=== "Fundamentals"\n\n  Two spaces.\n\n' + tab("Intermediate") + tab("Academic")
    assert messages(text) == [
        'docs/chapters/x.md:11: line is indented 2 spaces, so it falls out of tab '
        '"Fundamentals"; indent tab text by 4 spaces, or move it above the tabs']


def test_empty_tab():
    text = FRONT + tab("Fundamentals") + '=== "Intermediate"\n\n' + tab("Academic")
    assert messages(text) == [
        'docs/chapters/x.md:13: tab "Intermediate" is empty; write its text on the lines below '
        "it, indented 4 spaces"]


@pytest.mark.parametrize("header", ["=== Fundamentals", "=== 'Fundamentals'",
                                    '==="Fundamentals"', '=== "Fundamentals" {: .x}'])
def test_malformed_header(header):
    text = FRONT + f"{header}\n\n    Text.\n\n" + tab("Intermediate") + tab("Academic")
    assert messages(text) == [
        f"docs/chapters/x.md:9: '{header}' is not a tab header; write === \"Fundamentals\": "
        "three equals signs, a space, the label in straight double quotes, nothing after it"]


def test_tabs_in_fenced_code_are_ignored():
    fence = '```markdown\n=== "Summary"\n\nnot a tab\n```\n\n'
    inner = '    ~~~\n    === "Academic"\nunindented inside code\n    ~~~\n'
    text = FRONT + fence + '=== "Fundamentals"\n\n    ## Text\n\n' + inner + "\n" \
        + tab("Intermediate") + tab("Academic")
    assert messages(text) == []


def test_setext_heading_is_not_a_tab():
    assert codes("Title\n=====\n\n" + GOOD.split("# X\n\n", 1)[1]) == []


def test_every_problem_at_once():
    text = (FRONT + tab("Fundamental") + "Stray.\n\n" + tab("Academic") + tab("Academic")
            + tab("Glossary"))
    assert codes(text) == ["levels-label", "levels-split", "levels-missing",
                           "levels-duplicate", "levels-extra"]


def test_depth_markdown_gives_each_depth_dedented():
    text = FRONT + tab("Fundamentals", "Plain.") + tab("Intermediate", "More.") \
        + '=== "Academic"\n\n    All.\n\n    ```\n    code\n    ```\n'
    got = levels.depth_markdown(text)
    assert {d: (line, md.strip()) for d, (line, md) in got.items()} == {
        "Fundamentals": (9, "Plain."), "Intermediate": (13, "More."),
        "Academic": (17, "All.\n\n```\ncode\n```")}


# Fixture sites: the strict build fails with these lines and names the file ---------------

def test_build_fails_listing_every_bad_chapter(tmp_path):
    pages = {
        "index.md": "# Home\n\nNo tabs needed here.\n",
        "about.md": '# About\n\n=== "Anything"\n\n    Tabs on other pages are free.\n',
        "chapters/good.md": GOOD,
        "chapters/misspelt.md": FRONT + tab("Fundamental") + tab("Intermediate") + tab("Academic"),
        "chapters/order.md": FRONT + tab("Intermediate") + tab("Fundamentals") + tab("Academic"),
        "chapters/none.md": FRONT + "Prose only.\n",
        "chapters/after.md": GOOD + "Trailing text.\n",
    }
    b = build_fixture(tmp_path, pages)
    assert not b.ok
    assert "Traceback" not in b.output
    lines = error_lines(b)
    assert [ln for ln in lines if ln.startswith("docs/")] == [
        'docs/chapters/after.md:21: text after the last tab ("Academic") is outside every depth, '
        'so readers of every depth see it; indent it 4 spaces to put it in "Academic", or move '
        "it above the tabs",
        'docs/chapters/misspelt.md:9: tab "Fundamental" is not a depth label; rename it '
        '"Fundamentals" (the labels are exactly "Fundamentals", "Intermediate", "Academic")',
        'docs/chapters/none.md:7: chapter has no depth tabs; write its text in three top-level '
        'tabs, === "Fundamentals", === "Intermediate" and === "Academic", each followed by its '
        "text indented 4 spaces",
        'docs/chapters/order.md:13: tab "Fundamentals" comes after "Intermediate"; put the tabs '
        'in the order "Fundamentals", "Intermediate", "Academic"',
    ], b.output
    assert "4 depth tab errors: fix the files named above and build again." in b.output


def test_a_rebuild_reports_the_kept_problems(tmp_path):
    """What a chapter was found to lack is kept (.cache/memo) and still fails a rebuild."""
    from tests.sitebuild import fixture_site, mkdocs_build

    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": "# Home\n",
                                            "chapters/none.md": FRONT + "Prose only.\n"})
    wanted = ("docs/chapters/none.md:7: chapter has no depth tabs; write its text in three "
              'top-level tabs, === "Fundamentals", === "Intermediate" and === "Academic", '
              "each followed by its text indented 4 spaces")
    for run in ("one", "two"):
        b = mkdocs_build(project, tmp_path / run)
        assert not b.ok and wanted in error_lines(b), (run, b.output)
        assert (project / ".cache/memo/depth-tab-checks.json").exists()


def test_build_passes_with_good_chapters_and_tabless_pages(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "chapters/good.md": GOOD})
    assert b.ok, b.output


def test_every_depth_and_readability_code_is_in_the_error_catalogue():
    from medsite import readability
    from medsite.diagnostics import CODES
    from tests.sitebuild import ROOT

    assert readability.TOO_HARD  # registered on import
    catalogue = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    ours = [c for c in CODES if c.startswith(("levels-", "readability-"))]
    assert len(ours) == 17
    assert [c for c in ours if f"### `{c}`" not in catalogue] == []


# Headings per depth (levels-no-heading, levels-heading-skip) --------------------------------

from tests.depth_chapter import depth_chapter  # noqa: E402


def test_a_chapter_in_the_per_depth_shape_passes():
    text = depth_chapter("X", {
        "Fundamentals": "## What it is\n\nText.\n\n## Why it matters\n\nMore.",
        "Intermediate": "## How it works\n\nText.\n\n### A detail\n\nMore.",
        "Academic": "## Mechanisms\n\n### Bone\n\n#### Cortical bone\n\nText.\n\n"
                    "## Open questions { #open }\n\n```\n# not a heading\n```\n"})
    assert messages(text) == []


def test_a_depth_without_a_heading_is_named_at_its_tab():
    text = depth_chapter("X", {"Intermediate": "Only prose, no sections."})
    assert messages(text) == [
        'docs/chapters/x.md:20: tab "Intermediate" has no ## heading, so its readers get no '
        "table of contents; after its Key points box, divide its text into sections under "
        "'## A heading' lines, indented 4 spaces like the rest of the tab"]
    assert codes(text) == ["levels-no-heading"]


def test_a_skipped_level_names_the_line_and_the_fix():
    text = depth_chapter("X", {"Academic": "### Deep dive\n\nText.\n\n## Later\n\n#### Too deep"})
    assert messages(text) == [
        "docs/chapters/x.md:36: '### Deep dive' is a level-3 heading with no level-2 heading "
        "above it in \"Academic\"; make it '## Deep dive', or add a ## heading above it",
        "docs/chapters/x.md:42: '#### Too deep' is a level-4 heading with no level-3 heading "
        "above it in \"Academic\"; make it '### Too deep', or add a ### heading above it"]
    assert codes(text) == ["levels-heading-skip", "levels-heading-skip"]


def test_a_title_inside_a_depth_is_a_skip_too():
    text = depth_chapter("X", {"Fundamentals": "# Another title\n\n## Fine"})
    assert messages(text) == [
        "docs/chapters/x.md:16: '# Another title' is a page title (#) inside the "
        "\"Fundamentals\" tab; the title is the # above the tabs; make this a ## section heading"]


def test_headings_in_boxes_and_code_do_not_count():
    body = ('!!! note "Aside"\n\n    ## In a box\n\n```md\n## In code\n```\n')
    assert codes(depth_chapter("X", {"Fundamentals": body})) == ["levels-no-heading"]


def test_every_chapter_is_held_to_headings_whatever_its_summary():
    """A chapter with one Key points box above the tabs (the earlier shape), or none, is held
    to the same heading rules: each depth without a ## is named at its tab."""
    prose = FRONT + tab("Fundamentals", "Text.") + tab("Intermediate", "Text.") \
        + tab("Academic", "Text.")
    shared = FRONT + '!!! abstract "Key points"\n\n    - One.\n\n' + prose[len(FRONT):]
    assert codes(prose) == ["levels-no-heading"] * 3
    assert [p.line for p in sorted(levels.check(PATH, shared))] == [13, 17, 21]


def test_build_fails_on_a_depth_without_headings(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n",
                                 "chapters/x.md": depth_chapter("X", {"Academic": "### Deep"})})
    assert not b.ok and "Traceback" not in b.output
    assert [ln for ln in error_lines(b) if ln.startswith("docs/")] == [
        'docs/chapters/x.md:30: tab "Academic" has no ## heading, so its readers get no table '
        "of contents; after its Key points box, divide its text into sections under "
        "'## A heading' lines, indented 4 spaces like the rest of the tab",
        "docs/chapters/x.md:36: '### Deep' is a level-3 heading with no level-2 heading above "
        "it in \"Academic\"; make it '## Deep', or add a ## heading above it"], b.output
