"""What the search plugin indexes: a page without the build's own marks.

The glossary (medsite.glossary) and the citation footnotes (medsite.notes) leave HTML
comments in a page's content that later hooks turn into term links, hidden definitions
and footnotes, after Material's search plugin has indexed the page, so the index holds
the reader's words and not link markup or reference lists. A comment adds nothing to the
index, but parsing some fifty of them per chapter cost the indexer more than the chapter's
text. :func:`split` takes them out with their offsets and :func:`join` puts them back,
byte for byte.

Pure: takes and returns text; the MkDocs side is hooks/searchview.py.
"""
from __future__ import annotations

import re

from medsite import glossary, notes

MARKS = re.compile("|".join(p.pattern for p in (*glossary.MARK_PATTERNS,
                                                 *notes.MARK_PATTERNS)))


def split(html: str) -> tuple[str, list[tuple[int, str]]]:
    """``html`` without the marks, and each mark with its offset in the text returned."""
    if "<!--" not in html:
        return html, []
    parts: list[str] = []
    marks: list[tuple[int, str]] = []
    pos = kept = 0
    for m in MARKS.finditer(html):
        parts.append(html[pos:m.start()])
        kept += m.start() - pos
        marks.append((kept, m.group(0)))
        pos = m.end()
    if not marks:
        return html, []
    parts.append(html[pos:])
    return "".join(parts), marks


def join(text: str, marks: list[tuple[int, str]]) -> str:
    """The inverse of :func:`split`: ``join(*split(html)) == html``."""
    if not marks:
        return text
    parts, pos = [], 0
    for at, mark in marks:
        parts += [text[pos:at], mark]
        pos = at
    parts.append(text[pos:])
    return "".join(parts)
