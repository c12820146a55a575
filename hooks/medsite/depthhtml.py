"""Where each depth is in a chapter's HTML: the three panels of its depth tabs.

pymdownx.tabbed (``alternate_style``) writes a chapter's depth tabs as::

    <div class="tabbed-set tabbed-alternate" data-tabs="1:3"><input ...>...
    <div class="tabbed-labels"><label for="__tabbed_1_1">Fundamentals</label>...</div>
    <div class="tabbed-content">
    <div class="tabbed-block">...Fundamentals...</div>
    <div class="tabbed-block">...</div>
    ...

:func:`depth_set` finds the first tab set whose labels are exactly the three depths and
the character range of each panel, by counting ``<div>`` tags (a linear scan of the tags
only; HTML comments are skipped, and text never holds a raw ``<div``: it is escaped). It
works on a page's content as MkDocs renders it and on the written page alike, so the
reading time (medsite.readingtime) and the search index (medsite.searchdepth) share it.
Pure: text in, offsets out.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from medsite.levels import DEPTHS

_LABELS = re.compile(r'<div class="tabbed-labels"[^>]*>((?:\s*<label\b[^>]*>.*?</label>)+)\s*</div>',
                     re.S)
_LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S)
_TAG = re.compile(r"<!--.*?-->|<div\b[^>]*>|</div\s*>", re.S)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Panel:
    depth: str
    start: int  # offset of the panel's opening <div class="tabbed-block">
    inner: int  # offset just after that tag: where the panel's own content starts
    end: int  # offset of the panel's closing </div>


@dataclass(frozen=True)
class DepthSet:
    start: int  # offset of <div class="tabbed-set ...">
    end: int  # offset just after its closing </div>
    panels: tuple[Panel, ...]


def text_of(fragment: str) -> str:
    """Plain text of a small piece of HTML (a label, a heading)."""
    return " ".join(html.unescape(_TAGS.sub("", fragment)).split())


def depth_set(page_html: str) -> DepthSet | None:
    """The first tab set labelled Fundamentals, Intermediate, Academic, or None."""
    for m in _LABELS.finditer(page_html):
        if tuple(text_of(x) for x in _LABEL.findall(m.group(1))) != DEPTHS:
            continue
        start = page_html.rfind('<div class="tabbed-set', 0, m.start())
        if start < 0:
            continue
        found = _walk(page_html, start)
        if found is not None:
            return found
    return None


def _walk(page_html: str, start: int) -> DepthSet | None:
    """Count <div> levels from the tab set's opening tag: the panels are the divs two
    levels in (inside div.tabbed-content); the set ends where its first level closes."""
    level = 0
    content = False  # inside div.tabbed-content
    blocks: list[tuple[int, int, int]] = []
    open_block: tuple[int, int] | None = None
    for m in _TAG.finditer(page_html, start):
        tag = m.group(0)
        if tag.startswith("<!--"):
            continue
        if tag.startswith("<div"):
            level += 1
            if level == 2 and "tabbed-content" in tag:
                content = True
            elif level == 3 and content and "tabbed-block" in tag:
                open_block = (m.start(), m.end())
            continue
        level -= 1
        if level == 2 and open_block is not None:
            blocks.append((*open_block, m.start()))
            open_block = None
        elif level == 1:
            content = False
        elif level == 0:
            if len(blocks) != len(DEPTHS):
                return None
            panels = tuple(Panel(d, a, b, c) for d, (a, b, c) in zip(DEPTHS, blocks))
            return DepthSet(start, m.end(), panels)
    return None
