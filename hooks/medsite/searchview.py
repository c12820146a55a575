"""What the search plugin indexes: a page without the build's own marks.

The glossary (medsite.glossary) and the citation footnotes (medsite.notes) leave marks in
a page's content (private-use characters around terms, HTML comments) that later hooks
turn into term links, hidden definitions and footnotes, after Material's search plugin has
indexed the page, so the index holds the reader's words and not link markup or reference
lists. Taking the marks out first also spares the indexer from parsing them: some fifty
comments per chapter cost it more than the chapter's text. The hook hands the plugin
:func:`without_marks` and gives the page its own text back afterwards.

Pure: takes and returns text; the MkDocs side is hooks/searchview.py.
"""
from __future__ import annotations

import re

from medsite import glossary

MARKS = re.compile("|".join(p.pattern for p in glossary.MARK_PATTERNS))


def without_marks(html: str) -> str:
    """``html`` without the marks (the same object when it has none)."""
    if "<!--" not in html and not glossary.holds_marks(html):
        return html
    return MARKS.sub("", html)
