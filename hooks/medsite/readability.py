"""Readability of each depth: the Flesch-Kincaid grade of the text a reader reads.

Each depth's own Markdown (the text of its tab, see :mod:`medsite.levels`) is rendered with
Python-Markdown and the extensions the site uses; then citations (``[@key]``), footnotes,
tables, admonitions (boxes such as "Key points"), code, headings and nested tab labels are
removed, and what is left (paragraphs, list items, definitions) is graded by ``textstat``.
A paragraph or list item that does not end a sentence (``.``, ``!``, ``?``) is counted as one
sentence, as a reader reads it.

A chapter fails when Fundamentals is above grade 8.0 (the usual ceiling for patient
material), Intermediate above 12.0, or its depths are not in increasing order of difficulty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from medsite import levels
from medsite.diagnostics import Problem, register

TOO_HARD = register("readability-too-hard", "a depth reads above its grade ceiling")
ORDER = register("readability-order", "a chapter's depths are not in increasing order of difficulty")
NO_TEXT = register("readability-no-text", "a depth has no text to measure")

#: Highest Flesch-Kincaid grade allowed per depth (Academic has no ceiling).
CEILINGS = {"Fundamentals": 8.0, "Intermediate": 12.0}

HINTS = {
    "Fundamentals": "use shorter sentences and everyday words (explain or drop technical terms)",
    "Intermediate": "split long sentences and move study detail to Academic",
}

EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed",
]
CONFIGS = {"pymdownx.tabbed": {"alternate_style": True}}

# [@key], [@a; @b], [see @key, p. 3]: brackets holding an @key.
_CITATION = re.compile(r"\[[^\[\]]*?(?<![\w.])@[\w:.#$%&+?<>~/-]+[^\[\]]*\]")
_REMOVED = ["table", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "details",
            "script", "style", "sup", "div.admonition", "div.footnote", "div.tabbed-labels"]
_BLOCKS = ["p", "li", "dd", "dt", "blockquote", "figcaption"]


@dataclass
class Depths:
    """The measured depths of one chapter."""

    path: str
    grades: dict[str, float] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # line of each depth's tab


def reader_text(markdown_text: str) -> str:
    """The prose a reader reads in a depth's Markdown, one sentence-ended block per line."""
    import markdown
    from bs4 import BeautifulSoup

    html = markdown.markdown(_CITATION.sub("", markdown_text), extensions=EXTENSIONS,
                             extension_configs=CONFIGS)
    soup = BeautifulSoup(html, "html.parser")
    for el in soup.select(", ".join(_REMOVED)):
        el.decompose()
    for el in soup.find_all(_BLOCKS):
        el.append("\n\n")
    out = []
    for block in re.split(r"\n\s*\n", soup.get_text()):
        block = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(block.split()))
        if not block:
            continue
        out.append(block if block[-1] in ".!?" or block[-2:] in ('."', '?"', '!"', ".)")
                   else block + ".")
    return "\n".join(out)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level of plain text (textstat)."""
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def word_count(text: str) -> int:
    import textstat

    return int(textstat.lexicon_count(text))


def measure(path: str, text: str) -> Depths:
    """Grade every depth of one chapter (``text`` is the whole Markdown file)."""
    result = Depths(path)
    for depth, (line, md) in levels.depth_markdown(text).items():
        prose = reader_text(md)
        result.lines[depth] = line
        result.words[depth] = word_count(prose)
        if result.words[depth]:
            result.grades[depth] = round(grade(prose), 1)
    return result


def check(d: Depths) -> list[Problem]:
    """Ceilings per depth and increasing difficulty across depths."""
    problems: list[Problem] = []
    first_line = min(d.lines.values(), default=1)
    for depth in levels.DEPTHS:
        if depth not in d.grades:
            problems.append(Problem(
                d.path, d.lines.get(depth, first_line), None, NO_TEXT,
                f'no "{depth}" text to measure',
                "write the depth's text in its tab (the build lists any problem with the tabs)"))
    for depth, ceiling in CEILINGS.items():
        g = d.grades.get(depth)
        if g is not None and g > ceiling:
            problems.append(Problem(
                d.path, d.lines[depth], None, TOO_HARD,
                f"{depth} reads at grade {g:.1f}, above the ceiling of {ceiling:.1f}",
                HINTS[depth]))
    present = [x for x in levels.DEPTHS if x in d.grades]
    for easier, harder in zip(present, present[1:]):
        if d.grades[harder] <= d.grades[easier]:
            problems.append(Problem(
                d.path, d.lines[harder], None, ORDER,
                f"{harder} (grade {d.grades[harder]:.1f}) does not read harder than "
                f"{easier} (grade {d.grades[easier]:.1f})",
                f"each depth must read harder than the one before: simplify {easier} "
                f"or give {harder} its fuller, more technical treatment"))
    return problems


def table(results: list[Depths]) -> str:
    """A plain-text table of grades (and word counts) per chapter and depth."""
    name_w = max([len("chapter")] + [len(r.path) for r in results])
    head = f"{'chapter':<{name_w}}" + "".join(f"  {d:>18}" for d in levels.DEPTHS)
    rows = [head, "-" * len(head)]
    for r in results:
        cells = []
        for depth in levels.DEPTHS:
            g = r.grades.get(depth)
            cells.append(f"{g:5.1f} ({r.words.get(depth, 0):4d} words)" if g is not None else "-")
        rows.append(f"{r.path:<{name_w}}" + "".join(f"  {c:>18}" for c in cells))
    limits = ", ".join(f"{d} <= {c:.1f}" for d, c in CEILINGS.items())
    rows.append(f"Flesch-Kincaid grade (textstat); ceilings: {limits}; "
                "each depth harder than the one before.")
    return "\n".join(rows)
