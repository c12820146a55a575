"""Citation footnotes, written exactly as Python-Markdown's footnotes extension writes them.

mkdocs-bibtex turns each citation into a footnote mark ``[^key]`` and appends
``[^key]: <reference>``. Python-Markdown parsing ~25 such marks per page was most of what
citations added to a build. The hook gives the plugin a token as each reference's text
(``REF_OPEN key REF_CLOSE``); :func:`take` then swaps each mark for a token too, on pages
with no footnotes of the author's own (they share one numbering, so such pages are left to
Python-Markdown), and :func:`render` writes the marks and the list from the HTML of each
reference, rendered once per bibliography: in two steps, :func:`park` before the search
plugin indexes the page (the marks become comments, the list is not there yet) and
:func:`finish` after it, so the index holds the chapter's words, not footnote numbers and
reference lists, and costs what a page without citations costs. tests/test_citations.py
checks the output is byte-identical to Python-Markdown's.
"""
from __future__ import annotations

import re

REF_OPEN, REF_CLOSE = "\ue002", "\ue003"    # around a key: "this reference's HTML"
MARK_OPEN, MARK_CLOSE = "\ue004", "\ue005"  # around a key: "a footnote mark"

_OUR_NOTE = re.compile(f"^\\[\\^([^\\]]+)\\]: {REF_OPEN}\\1{REF_CLOSE}[ \t]*$\n?", re.M)
_ANY_NOTE = re.compile(r"^ {0,3}\[\^[^\]]+\]:", re.M)
_NOTE_REF = re.compile(r"\[\^([^\]\n]+)\]")
_MARK = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}")
_REF = re.compile(f"{REF_OPEN}([^{REF_CLOSE}]*){REF_CLOSE}")
_TAG = re.compile(r"(<[^>]*>)")
_PARKED = re.compile(f"<!--{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}-->")
#: The marks :func:`finish` fills in (medsite.searchview hides them from the indexer).
MARK_PATTERNS = (_PARKED,)


def take(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with citation footnotes as tokens, and their keys in footnote order
    (``[]`` and the Markdown unchanged when there are none or the author has footnotes)."""
    keys = _OUR_NOTE.findall(markdown)
    if not keys:
        return markdown, []
    rest = _OUR_NOTE.sub("", markdown)
    if _ANY_NOTE.search(rest):
        return markdown, []
    known = set(keys)
    return _NOTE_REF.sub(
        lambda m: f"{MARK_OPEN}{m.group(1)}{MARK_CLOSE}" if m.group(1) in known else m.group(0),
        rest), keys


def park(html: str) -> str:
    """Each footnote mark in text as an HTML comment (``<!--`` MARK ``-->``), marks inside a
    tag (e.g. an alt text) dropped: what the search plugin indexes then holds the page's own
    words, not footnote numbers. :func:`finish` writes the marks and the list."""
    parts = _TAG.split(html)
    for i, part in enumerate(parts):
        if MARK_OPEN in part:
            parts[i] = (_MARK.sub(lambda m: f"<!--{m.group(0)}-->", part) if i % 2 == 0
                        else _MARK.sub("", part))
    return "".join(parts)


def finish(html: str, keys: list[str], refs: dict[str, str]) -> str:
    """The parked marks and the list as Python-Markdown writes them: numbered in definition
    order, ``fnref2:key`` for a repeated mark, one backlink per mark, the list at the end."""
    number = {k: i for i, k in enumerate(keys, start=1)}
    seen: dict[str, int] = {}

    def mark(m: re.Match) -> str:
        k = m.group(1)
        if k not in number:
            return ""
        seen[k] = n = seen.get(k, 0) + 1
        ref_id = f"fnref:{k}" if n == 1 else f"fnref{n}:{k}"
        return (f'<sup id="{ref_id}"><a class="footnote-ref" href="#fn:{k}">{number[k]}</a>'
                "</sup>")

    html = _PARKED.sub(mark, html)
    items = []
    for k in keys:
        back = "".join(
            f'<a class="footnote-backref" href="#{"fnref" if n == 1 else f"fnref{n}"}:{k}" '
            f'title="Jump back to footnote {number[k]} in the text">&#8617;</a>'
            for n in range(1, max(seen.get(k, 0), 1) + 1))
        items.append(f'<li id="fn:{k}">\n<p>{refs.get(k, k)}&#160;{back}</p>\n</li>')
    div = '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"
    return html + "\n" + div


def render(html: str, keys: list[str], refs: dict[str, str]) -> str:
    """:func:`park` then :func:`finish`: the footnotes exactly as Python-Markdown writes them."""
    return finish(park(html), keys, refs)


def fill_references(html: str, refs: dict[str, str]) -> str:
    """Reference tokens left in footnotes that Python-Markdown wrote, replaced by the HTML."""
    return _REF.sub(lambda m: refs.get(m.group(1), m.group(1)), html)


def strip_marks(text: str) -> str:
    return _MARK.sub("", text)
