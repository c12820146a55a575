"""Search that knows the depth: each depth of a chapter is a result of its own.

Material's search plugin indexes a page as one article (location ``chapters/x/``) plus a
section per heading (``chapters/x/#id``), and its search worker groups the results by the
location before ``#``: one group per page, the hash-less entry as the group's title. On a
chapter that puts the three depths in one group, joins the tab labels into the text
("FundamentalsIntermediateAcademic") and leaves " ." where a citation was.

Material's search plugin leaves chapters out (the hook marks them ``search: exclude``, so
their HTML is parsed once, here, not twice); :func:`chapter_entries` makes a chapter's
entries from its rendered content, and :func:`merge_index`, once the index is written,
puts them where the plugin would have put the chapter's own. A chapter's entries are, per
depth, in this order:

* an article ``chapters/x/?depth=academic`` titled "<chapter> · Academic" holding the
  text before the depth's first heading (its Key points). Being its own path before
  ``#``, it is its own group in the search worker; on arrival levels.js points the
  address at ``#depth-academic`` (the depth's first element, medsite.readingtime), and
  levels.js opens the depth holding a link's target;
* a section per heading of that depth, ``chapters/x/?depth=academic#heading-id``, titled
  with the heading: the anchor is inside the depth's panel, so levels.js opens it.

A search visit opens the depth of the result without making it the reader's remembered
choice (``?level=`` would: that is for links that choose a depth).

The chapter itself stays one entry at ``chapters/x/``, titled with the chapter, holding
the text shared by every depth (above the tabs, e.g. a common Key points box; often none):
a search for its title finds it, and it opens at the reader's own depth. Snippets are the reader's words: no tab labels, footnote numbers, permalink
signs, hidden glossary definitions or anything marked ``data-search-exclude``, and no space
left before punctuation where a citation was. Pure: text in, text out; the MkDocs side is
hooks/searchdepth.py.
"""
from __future__ import annotations

import functools
import html
import re

from medsite.depthhtml import depth_set, text_of

SEP = " \u00b7 "  # "Hormone therapy · Academic"
PARAM = "depth"  # chapters/x/?depth=academic: one search group per depth

# What the reader does not see as text, or sees elsewhere (footnote numbers; the list of
# references is on the page's foot and on the References page).
_FOOTNOTE_REF = re.compile(r'<sup\b[^>]*>\s*<a\b[^>]*class="footnote-ref"[^>]*>.*?</a>\s*</sup>',
                           re.S)
_HEADERLINK = re.compile(r'<a\b[^>]*class="headerlink"[^>]*>.*?</a>', re.S)
_LABELS = re.compile(r'<div class="tabbed-labels"[^>]*>.*?</div>', re.S)
_RAW = re.compile(r"<(script|style|svg|template)\b.*?</\1\s*>|<!--.*?-->", re.S)
_EXCLUDED_OPEN = re.compile(r"<(\w+)\b[^>]*\sdata-search-exclude\b[^>]*>", re.S)
_ASIDE = re.compile(r"<aside\b.*?</aside\s*>", re.S)  # the page's notice (template chrome)
_HEADING = re.compile(r'<h([2-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1\s*>', re.S)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S)
# A block ends a paragraph of the snippet; table cells of one row stay on one line.
_BLOCK_END = re.compile(r"</(?:p|li|dd|dt|tr|h[1-6]|figcaption|blockquote|pre|div|table|"
                        r"ul|ol|dl)\s*>|<br\s*/?>")
_TAGS = re.compile(r"<[^>]*>")
# Applied once white space is one space (str.split: the paragraph mark, NUL, is no space).
_SPACE_BEFORE = re.compile(r" (?=[.,;:!?)\]}%])")
_SPACE_AFTER = re.compile(r"(?<=[(\[{]) ")
_BREAK = "\x00"


def short_title(title: str) -> str:
    """The chapter's name without its subtitle: "Hormone therapy: testosterone, ..." ->
    "Hormone therapy"."""
    head, sep, _ = title.partition(": ")
    return head.strip() if sep and head.strip() else title.strip()


def _drop_excluded(fragment: str) -> str:
    """``fragment`` without every element marked ``data-search-exclude`` (nesting of the
    same tag counted, so a marked div holding divs goes whole)."""
    out, pos = [], 0
    while True:
        # The pattern tried only from the tag that holds the next mark (no match can start
        # before the last '>' ahead of it): the same match, without trying every tag.
        at = fragment.find("data-search-exclude", pos)
        m = None if at < 0 else _EXCLUDED_OPEN.search(
            fragment, max(fragment.rfind(">", pos, at) + 1, pos))
        if m is None:
            out.append(fragment[pos:])
            return "".join(out)
        out.append(fragment[pos:m.start()])
        tag = m.group(1).lower()
        if m.group(0).endswith("/>"):
            pos = m.end()
            continue
        inner = _same_tag(tag)
        level, pos = 1, m.end()
        for t in inner.finditer(fragment, m.end()):
            level += -1 if t.group(0).startswith("</") else 1
            if level == 0:
                pos = t.end()
                break
        else:
            pos = len(fragment)


@functools.lru_cache(maxsize=None)
def _same_tag(tag: str) -> re.Pattern:
    """Opening and closing tags named ``tag`` (compiled once per tag name)."""
    return re.compile(rf"<{tag}\b[^>]*>|</{tag}\s*>", re.I)


def clean(fragment: str) -> str:
    """The HTML of a piece of a page without what search must not see (each pattern only
    where its element can be: most pieces hold few of them)."""
    if "<!--" in fragment or "<s" in fragment or "<template" in fragment:
        fragment = _RAW.sub("", fragment)
    if "data-search-exclude" in fragment:
        fragment = _drop_excluded(fragment)
    if "footnote-ref" in fragment:
        fragment = _FOOTNOTE_REF.sub("", fragment)
    if "headerlink" in fragment:
        fragment = _HEADERLINK.sub("", fragment)
    if "tabbed-labels" in fragment:
        fragment = _LABELS.sub("", fragment)
    return fragment


def snippet(fragment: str) -> str:
    """Search text of cleaned HTML: one ``<p>`` per block, whitespace collapsed, no space
    before punctuation, escaped as Material's index is."""
    text = html.unescape(_TAGS.sub(" ", _BLOCK_END.sub(_BREAK, fragment)))
    text = _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", " ".join(text.split())))
    return "".join(f"<p>{html.escape(part.strip(), quote=False)}</p>"
                   for part in text.split(_BREAK) if part and not part.isspace())


def _sections(fragment: str, base: str, first_title: str) -> list[dict]:
    """One entry for the text before the first heading (titled ``first_title``, location
    ``base``), then one per heading with an id (``base#id``)."""
    entries = []
    pos, title, loc = 0, first_title, base
    for m in _HEADING.finditer(fragment):
        entries.append({"location": loc, "title": title,
                        "text": snippet(fragment[pos:m.start()])})
        pos, loc = m.end(), f"{base}#{m.group(2)}"
        title = html.escape(text_of(m.group(3)), quote=False)
    entries.append({"location": loc, "title": title, "text": snippet(fragment[pos:])})
    return entries


def chapter_entries(page_html: str, location: str, title: str | None = None) -> list[dict] | None:
    """Search entries for one chapter page (written HTML or page content), or None when
    the page has no depth tabs (then its entries are left as they are).

    ``location`` is the page's location in the index (``chapters/x/``); ``title`` the
    chapter's title (else the page's ``<h1>``)."""
    found = depth_set(page_html)
    if found is None:
        return None
    if title is None:
        h1 = _H1.search(page_html)
        title = text_of(_HEADERLINK.sub("", h1.group(1))) if h1 else location
    name = short_title(title)
    h1 = _H1.search(page_html, 0, found.start)
    shared_from = h1.end() if h1 else max(page_html.rfind("<article", 0, found.start), 0)
    shared = snippet(clean(_ASIDE.sub("", page_html[shared_from:found.start])))
    # The chapter itself stays a result (found by its title, opening at the reader's own
    # depth), with the text every depth shows, if any.
    entries = [{"location": location, "title": html.escape(title, quote=False),
                "text": shared}]
    for panel in found.panels:
        base = f"{location}?{PARAM}={panel.depth.lower()}"
        head = html.escape(f"{name}{SEP}{panel.depth}", quote=False)
        entries += _sections(clean(page_html[panel.inner:panel.end]), base, head)
    return entries


def merge_index(index: dict, order: list[str], chapters: dict[str, list[dict]]) -> dict:
    """``index`` (the parsed search_index.json, without the chapters) with each chapter's
    entries (``chapters``: page location -> :func:`chapter_entries`) put back in build order
    (``order``: every page's location, as the pages were built). Material's entries of a
    page stay together and in their order (the article before its sections: the search
    worker relies on it); a page missing from ``order`` keeps its place at the end."""
    docs: dict[str, list[dict]] = {}
    for doc in index.get("docs", []):
        docs.setdefault(doc.get("location", "").split("#", 1)[0], []).append(doc)
    out: list[dict] = []
    for loc in dict.fromkeys(order):
        out += chapters[loc] if loc in chapters else docs.pop(loc, [])
    for rest in docs.values():
        out += rest
    return {**index, "docs": out}
