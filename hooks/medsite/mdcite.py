"""Citations as a Python-Markdown extension: ``[@key]`` becomes a numbered note.

Reads pandoc's citation syntax where Python-Markdown reads inline text, so code spans,
code blocks and HTML comments are never touched, and tables, admonitions, footnotes, tabs
and ``markdown``-enabled HTML are: ``[@a]``, several keys ``[@a; @b]``, a prefix and a
locator ``[see @a, p. 12]``, the suppressed author ``[-@a]`` (a numeric style prints the
number either way), a citation wrapped over lines. Grammar and checks: medsite.citations
(one reader for the build and ``python -m medsite check``).

Output, per page, as Python-Markdown's footnotes extension writes notes (so Material's
tooltips show each reference in place)::

    see <sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>, p. 12
    <div class="footnote"> ... <li id="fn:a"><p>REFERENCE&#160;<a class="footnote-backref"
    href="#fnref:a" ...>&#8617;</a></p></li> ...

numbered in reading order after the author's own footnotes, every citation mark and
reference marked ``data-search-exclude`` (the index holds the chapter's words once). The
references' HTML comes from ``references`` (key -> HTML, medsite.refformat: one pandoc run
for the whole site). A citation the extension cannot read stays text; the check after
rendering (``CitationExtension.leftovers``, filled per conversion) turns what a reader would see as brackets
or a stray '@' into a problem.

A page may also list references whole (the References page): where its Markdown has the
line :data:`BIBLIOGRAPHY_MARK` and ``bibliography`` names the keys, in order, the extension
writes ``<ul class="references">`` with one ``<li id="ref-KEY">`` per key: real elements, so
MkDocs and the link check know the anchors, the HTML of each reference kept aside as
Python-Markdown keeps raw HTML (never parsed again, however long the list).

Used with MkDocs by hooks/citations.py; alone::

    markdown.markdown(text, extensions=["footnotes", CitationExtension(references=refs)])
"""
from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from medsite import citations

#: A bracketed text holding an '@' (no nested brackets; it may wrap over lines). Not a link.
CITE_PATTERN = r"\[([^\[\]]*?@[^\[\]]*?)\](?!\()"
#: Priority: after code spans (190) and backslash escapes (180), before footnote marks
#: (175) and links (160).
PRIORITY = 176

#: The line (a block of its own) where a page lists ``bibliography``'s references whole.
BIBLIOGRAPHY_MARK = "{medsite-bibliography}"

_CITE_ATTR = "data-medsite-cite"
_EXCLUDE = "data-search-exclude"
#: What a reader would see of a citation left unconverted: '[', text, '@key', text, ']'.
_LEFTOVER = re.compile(r"\[[^\[\]<>]*?(?<![\w.%+-])-?@[\w][^\[\]<>]*\]")
_SKIP = re.compile(r"<(code|pre|script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", re.S | re.I)


class CitationExtension(Extension):
    """``references``: key -> the reference's HTML (one line). Keys missing from it stay
    text (the source check reports them with file:line:col). ``bibliography``: the keys,
    in order, that :data:`BIBLIOGRAPHY_MARK` lists (the caller sets it per page)."""

    def __init__(self, references: dict[str, str] | None = None,
                 bibliography: list[str] | None = None, **kwargs):
        self.references: dict[str, str] = dict(references or {})
        self.bibliography: list[str] = list(bibliography or [])
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.registerExtension(self)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # "\@" writes a plain '@' that never cites
        md.inlinePatterns.register(CitationInline(CITE_PATTERN, self), "medsite_cite", PRIORITY)
        # before indented code (80) and paragraphs (10): the mark is a block of its own
        md.parser.blockprocessors.register(BibliographyList(md.parser, self),
                                           "medsite_bibliography", 85)
        # after inline patterns (20) and the footnotes' duplicate pass (15), before prettify (10)
        md.treeprocessors.register(CitationNotes(md, self), "medsite_cite_notes", 13)
        self.leftovers: list[str] = []
        self.shown: list[str] = []

    def reset(self):
        self.leftovers = []
        self.shown = []


#: A citation's text read once per process: the same few citations recur across a site
#: (on this one, 621 citations are 100 texts). The Block is shared: only read it.
_read_block = functools.lru_cache(maxsize=4096)(citations.read_block)


class CitationInline(InlineProcessor):
    def __init__(self, pattern, ext: CitationExtension):
        super().__init__(pattern)
        self.ext = ext

    def handleMatch(self, m, data):
        block = _read_block(m.group(1))
        if not block.cites or block.dropped \
                or any(c.key not in self.ext.references for c in block.cites):
            return None, None, None
        span = etree.Element("span", {"class": "citation"})
        affixed = any(p or s for p, _, s in block.parts)
        last = None
        for i, (prefix, key, suffix) in enumerate(block.parts):
            sep = ("; " if affixed else " ") if i else ""
            text = sep + (prefix + " " if prefix else "")
            if last is None:
                span.text = text
            else:
                last.tail = (last.tail or "") + text
            last = etree.SubElement(span, "sup", {_CITE_ATTR: key, _EXCLUDE: ""})
            etree.SubElement(last, "a", {"class": "footnote-ref", "href": f"#fn:{key}"})
            last.tail = f", {suffix}" if suffix else ""
        return span, m.start(0), m.end(0)


class BibliographyList(BlockProcessor):
    """:data:`BIBLIOGRAPHY_MARK` becomes the list of ``bibliography``'s references."""

    def __init__(self, parser, ext: CitationExtension):
        super().__init__(parser)
        self.ext = ext

    def test(self, parent, block):
        return block.strip() == BIBLIOGRAPHY_MARK

    def run(self, parent, blocks):
        blocks.pop(0)
        ul = etree.SubElement(parent, "ul", {"class": "references"})
        store = self.parser.md.htmlStash.store
        for key in self.ext.bibliography:
            li = etree.SubElement(ul, "li", {"id": f"ref-{key}"})
            li.text = AtomicString(store(self.ext.references[key]))


class CitationNotes(Treeprocessor):
    """Numbers the marks in reading order and writes the list of references."""

    def __init__(self, md, ext: CitationExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        # What a reader would see unconverted: in the text (escapes are still placeholders
        # here, so "\\@" is no citation) and in raw HTML that Markdown left alone.
        self.ext.leftovers = leftovers_in_tree(root) + [
            x for raw in self.md.htmlStash.rawHtmlBlocks if "@" in str(raw)
            for x in leftovers(str(raw))]
        marks = [el for el in root.iter("sup") if _CITE_ATTR in el.attrib]
        self.ext.shown = [el.attrib[_CITE_ATTR] for el in marks]  # what the reader will see
        if not marks:
            return None
        notes = None
        for div in root.iter("div"):
            if "footnote" in div.get("class", "").split():
                notes = div.find("ol")
        first = 1 + (len(notes) if notes is not None else 0)
        number: dict[str, int] = {}
        seen: dict[str, int] = {}
        for sup in marks:
            key = sup.attrib.pop(_CITE_ATTR)
            number.setdefault(key, first + len(number))
            seen[key] = n = seen.get(key, 0) + 1
            sup.set("id", f"fnref:{key}" if n == 1 else f"fnref{n}:{key}")
            sup[0].text = str(number[key])
        if notes is None:
            div = etree.SubElement(root, "div", {"class": "footnote"})
            etree.SubElement(div, "hr")
            notes = etree.SubElement(div, "ol")
        for key, n in number.items():
            li = etree.SubElement(notes, "li", {"id": f"fn:{key}", _EXCLUDE: ""})
            p = etree.SubElement(li, "p")
            p.text = self.md.htmlStash.store(self.ext.references[key]) + "\u00a0"
            for k in range(1, seen[key] + 1):
                a = etree.SubElement(p, "a", {
                    "class": "footnote-backref",
                    "href": f"#{'fnref' if k == 1 else f'fnref{k}'}:{key}",
                    "title": f"Jump back to footnote {n} in the text"})
                a.text = "\u21a9"
        return None


def unshown(scan: "citations.Scan", shown: list[str], known) -> list["citations.Cite"]:
    """The citations of a page's scan that show nowhere in its rendered HTML (``shown``:
    the keys of the marks written, ``CitationExtension.shown``): a block Markdown itself
    drops, e.g. a footnote defined twice. Blocks the source check already reports (text
    dropped, unknown keys) are not counted again; for a key cited more often than it shows,
    its last citations are the ones named."""
    want = [c for b in scan.blocks if not b.dropped and all(c.key in known for c in b.cites)
            for c in b.cites]
    lost: list[citations.Cite] = []
    for key in dict.fromkeys(c.key for c in want):
        mine = [c for c in want if c.key == key]
        excess = len(mine) - shown.count(key)
        if excess > 0:
            lost += mine[-excess:]
    return sorted(lost, key=lambda c: c.offset)


def _reader_text(el, out: list[str]) -> None:
    if el.tag in ("code", "pre", "script", "style"):
        out.append(" ")
    else:
        out.append(el.text or "")
        for child in el:
            _reader_text(child, out)
    out.append(("\n\n" if el.tag == "p" else "") + (el.tail or ""))


def leftovers_in_tree(root) -> list[str]:
    out: list[str] = []
    _reader_text(root, out)
    text = "".join(out)
    return [" ".join(m.group(0).split()) for m in _LEFTOVER.finditer(text)] if "@" in text else []


def leftovers(html: str) -> list[str]:
    """Citation-like text ('[', '@key', ']') that the reader of ``html`` would see."""
    if "@" not in html:
        return []
    return [" ".join(m.group(0).split()) for m in _LEFTOVER.finditer(_SKIP.sub(" ", html))]


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's name)
    return CitationExtension(**kwargs)
