"""Readability of each depth (medsite.readability and scripts/readability.py)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from medsite import readability
from medsite.readability import Depths
from tests.sitebuild import ROOT

PATH = "docs/chapters/x.md"
CHAPTERS = sorted((ROOT / "docs" / "chapters").glob("*.md"))

EASY = "The cat sat on the mat."  # 6 words, 6 syllables, 1 sentence
EASY_2 = "The cat sat on the mat. The dog ran to the big red ball."  # 14 words, 14 syll., 2
HARD = ("Osteoporotic fractures substantially increase cardiovascular mortality among "
        "postmenopausal women receiving antiresorptive pharmacotherapy.")


# Grades of known texts: 0.39 * words/sentences + 11.8 * syllables/words - 15.59 -------------

def test_grade_of_one_sentence_of_one_syllable_words():
    assert readability.grade(EASY) == pytest.approx(0.39 * 6 + 11.8 * 1 - 15.59)  # -1.45


def test_grade_of_two_sentences():
    assert readability.grade(EASY_2) == pytest.approx(0.39 * 7 + 11.8 * 1 - 15.59)  # -1.06


def test_grade_of_dense_technical_prose_is_far_above_the_ceilings():
    assert readability.grade(HARD) > 20


# The text a reader reads ------------------------------------------------------------------

def test_reader_text_drops_citations_footnotes_tables_boxes_code_and_headings():
    md = """## A heading

Muscle gets weaker with age [@cruzjentoft2019sarcopenia; @aragon2023age].[^1]

| Table | Cell |
| --- | --- |
| Hidden words | here |

!!! abstract "Key points"

    Boxed words.

Run `code words` now.

```
fenced words
```

[^1]: Footnote words.
"""
    assert readability.reader_text(md) == "Muscle gets weaker with age.\nRun now."


def test_list_items_and_paragraphs_without_full_stop_count_as_sentences():
    assert readability.reader_text("Three things:\n\n- lift weights\n- eat protein\n") == \
        "Three things:.\nlift weights.\neat protein."


# Ceilings and ordering --------------------------------------------------------------------

def depths(f: float, i: float, a: float) -> Depths:
    return Depths(PATH, {"Fundamentals": f, "Intermediate": i, "Academic": a},
                  {"Fundamentals": 100, "Intermediate": 100, "Academic": 100},
                  {"Fundamentals": 9, "Intermediate": 20, "Academic": 31})


def msgs(d: Depths) -> list[str]:
    return [str(p) for p in sorted(readability.check(d))]


def test_depths_within_ceilings_and_in_order_pass():
    assert msgs(depths(8.0, 12.0, 14.0)) == []


def test_fundamentals_above_8():
    assert msgs(depths(8.1, 11.0, 14.0)) == [
        "docs/chapters/x.md:9: Fundamentals reads at grade 8.1, above the ceiling of 8.0; "
        "use shorter sentences and everyday words (explain or drop technical terms)"]


def test_intermediate_above_12():
    assert msgs(depths(6.0, 12.1, 14.0)) == [
        "docs/chapters/x.md:20: Intermediate reads at grade 12.1, above the ceiling of 12.0; "
        "split long sentences and move study detail to Academic"]


def test_academic_has_no_ceiling():
    assert msgs(depths(6.0, 10.0, 25.0)) == []


def test_depths_out_of_order():
    assert msgs(depths(7.0, 11.0, 10.5)) == [
        "docs/chapters/x.md:31: Academic (grade 10.5) does not read harder than Intermediate "
        "(grade 11.0); each depth must read harder than the one before: simplify Intermediate "
        "or give Academic its fuller, more technical treatment"]


def test_equal_grades_are_not_increasing():
    assert [p.code for p in readability.check(depths(7.0, 7.0, 13.0))] == ["readability-order"]


def test_missing_depth_cannot_be_measured():
    d = Depths(PATH, {"Fundamentals": 5.0, "Academic": 13.0}, {}, {"Fundamentals": 9,
                                                                   "Academic": 20})
    assert msgs(d) == [
        'docs/chapters/x.md:9: no "Intermediate" text to measure; write the depth\'s text in '
        "its tab (the build lists any problem with the tabs)"]


def test_measure_a_chapter():
    text = ("---\ntitle: X\n---\n\n# X\n\n"
            f'=== "Fundamentals"\n\n    {EASY}\n\n'
            f'=== "Intermediate"\n\n    {EASY_2} Sarcopenia is loss of muscle [@key].\n\n'
            f'=== "Academic"\n\n    {HARD}\n')
    d = readability.measure(PATH, text)
    assert d.lines == {"Fundamentals": 7, "Intermediate": 11, "Academic": 15}
    assert d.grades["Fundamentals"] == -1.4
    assert d.words == {"Fundamentals": 6, "Intermediate": 19, "Academic": 12}
    assert d.grades["Fundamentals"] < d.grades["Intermediate"] < d.grades["Academic"]
    assert [p.code for p in readability.check(d)] == []


def test_table_lists_each_chapter_and_depth():
    out = readability.table([depths(5.25, 10.0, 14.5)])
    assert out.splitlines()[0].split() == ["chapter", "Fundamentals", "Intermediate", "Academic"]
    assert out.splitlines()[2].split() == [PATH, "5.2", "(", "100", "words)", "10.0", "(", "100",
                                           "words)", "14.5", "(", "100", "words)"]


# The real chapters --------------------------------------------------------------------------

@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_real_chapter_meets_the_readability_rules(path):
    d = readability.measure(f"docs/chapters/{path.name}", path.read_text(encoding="utf-8"))
    assert [str(p) for p in readability.check(d)] == [], readability.table([d])


def test_script_prints_the_table_and_passes_on_the_real_chapters():
    proc = subprocess.run([sys.executable, "scripts/readability.py"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for p in CHAPTERS:
        assert f"docs/chapters/{p.name}" in proc.stdout


def test_script_exits_1_and_names_the_file_on_a_hard_fundamentals(tmp_path):
    bad = tmp_path / "hard.md"
    bad.write_text(f'=== "Fundamentals"\n\n    {HARD}\n\n=== "Intermediate"\n\n    {HARD}\n\n'
                   f'=== "Academic"\n\n    {HARD} {HARD}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "scripts/readability.py", str(bad)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert f"{bad}:1: Fundamentals reads at grade" in proc.stdout
