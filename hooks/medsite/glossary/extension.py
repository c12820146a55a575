"""The glossary as a Python-Markdown extension: the first use of each term per depth of a
chapter becomes a link to its entry (:func:`mark_tree`), its definition once per page in a
hidden block marked ``data-search-exclude`` as the link's accessible description
(:func:`definitions`). Without JavaScript the link opens the entry."""
from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from medsite.glossary.data import PAGE, Entry
from medsite.glossary.match import Matcher, in_name

# Marking chapter HTML (an ElementTree, before serialisation) ------------------------------

#: Elements whose text is never marked: headings, code, links, citations (footnote
#: references and the footnote list), tab labels, admonition and details titles.
SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "samp",
                       "script", "style", "sup", "label", "abbr", "dfn", "button", "summary",
                       "svg", "math", "textarea", "select", "option", "title"})
SKIP_CLASSES = frozenset({"footnote", "tabbed-labels", "admonition-title", "gl-skip", "gl-defs",
                          "arithmatex", "headerlink"})
#: Elements that make a paragraph: each holds at most MAX_PER_BLOCK marks of its own.
BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "figcaption", "blockquote", "div",
                    "details", "table", "ul", "ol", "dl"})
#: At most this many terms are marked in one paragraph (list item, table cell...): enough
#: for the new words of a sentence or two, few enough that the text does not read as a
#: page of links. A term over the limit is marked at its next use instead.
MAX_PER_BLOCK = 3
CLASS = "gl-term"


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def glossary_href(src_uri: str, page: str = PAGE) -> str:
    """Relative Markdown link from a source file to the Glossary page (MkDocs resolves it)."""
    return posixpath.relpath(page, posixpath.dirname(src_uri) or ".")


def mark_tree(root, matcher: Matcher, mentioned: dict[str, Entry] | None = None,
              href: str = PAGE) -> dict[str, Entry]:
    """Mark the first use of each term per depth in ``root``; return the terms marked.

    Each tab panel (``div.tabbed-block``: a depth, or a tab inside one) starts with the
    terms marked before it (text above the tabs is seen at every depth) and marks its own
    first uses; headings do not reset it. A use inside a proper name (:func:`in_name`) is
    not marked, nor a term beyond :data:`MAX_PER_BLOCK` in one paragraph: the term is then
    marked at its next use. A marked term becomes a link to ``href#slug`` (``href``: the
    Glossary page relative to this one); the definitions of the terms marked are appended
    once, in a hidden ``div.gl-defs`` that search skips (:func:`definitions`). ``mentioned``,
    when given, also gets the terms used but left unmarked for the paragraph limit (the
    chapter uses them: the Glossary page lists it).
    """
    used: dict[str, Entry] = {}
    if not matcher:
        return used
    # Collect the markable texts in document order, each with its depth's set of terms
    # seen so far and its paragraph; find the terms in all of them at once; then wrap the
    # first ones.
    slots: list[tuple] = []
    _collect(root, [(set(),)], slots, matcher.shortest, root)
    found = matcher.find_many([slot[2] for slot in slots])
    per_block: dict[int, int] = {}
    for (parent, after, text, scope, block), hits in zip(slots, found):
        pieces = []
        seen = scope[0]
        for a, b, e in hits:
            s = e.slug
            if s in seen or (len(scope) > 1 and any(s in outer for outer in scope[1:])):
                continue
            n = per_block.get(id(block), 0)
            if n >= MAX_PER_BLOCK:
                if mentioned is not None and not in_name(text, a, b, e):
                    mentioned[s] = e
                continue
            if in_name(text, a, b, e):
                continue
            per_block[id(block)] = n + 1
            seen.add(s)
            used[s] = e
            pieces.append((a, b, s))
        if pieces:
            _wrap(parent, after, text, pieces, href, used)
    if used:
        root.append(definitions(used))
    return used


def _collect(el, section: list, slots: list, shortest: int, block) -> None:
    """Texts that may be marked: (parent, child before it or None, text, scope, paragraph
    element). A scope is a tuple of sets, innermost first: a tab panel's own marks, then
    those of what holds it (filled as marking goes, in document order)."""
    if el.text and len(el.text) >= shortest and not isinstance(el.text, AtomicString):
        slots.append((el, None, el.text, section[0], block))
    for child in el:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            cls = _classes(child) if "class" in child.attrib else _NO_CLASS
            if tag not in SKIP_TAGS and not cls & SKIP_CLASSES:
                inner = child if tag in BLOCKS else block
                if "tabbed-block" in cls:  # a tab panel starts from what was seen before it
                    outer = section[0]
                    section[0] = (set(), *outer)
                    _collect(child, section, slots, shortest, inner)
                    section[0] = outer
                else:
                    _collect(child, section, slots, shortest, inner)
        tail = child.tail
        if tail and len(tail) >= shortest and not isinstance(tail, AtomicString):
            slots.append((el, child, tail, section[0], block))


_NO_CLASS: frozenset = frozenset()


def _wrap(parent, after, text, pieces, href: str, entries: dict[str, Entry]) -> None:
    """Make each term of ``pieces`` in ``text`` (parent.text or after.tail) a link."""
    links = []
    pos = 0
    for a, b, s in pieces:
        link = etree.Element("a", {"href": f"{href}#{s}", "class": CLASS,
                                   "aria-describedby": f"gl-def-{s}"})
        link.text = AtomicString(text[a:b])  # no other pattern reads a term again
        links.append((link, text[pos:a]))
        pos = b
    rest = text[pos:]
    if after is None:
        parent.text = links[0][1]
        at = 0
    else:
        after.tail = links[0][1]
        at = list(parent).index(after) + 1
    for i, (link, _) in enumerate(links):
        link.tail = links[i + 1][1] if i + 1 < len(links) else rest
        parent.insert(at + i, link)


def definitions(used: dict[str, Entry]) -> etree.Element:
    """The hidden block of the page's definitions, each the target of its terms'
    ``aria-describedby`` (text only: quotes, ``<`` and ``&`` stay text)."""
    box = etree.Element("div", {"class": "gl-defs", "hidden": "", "data-search-exclude": ""})
    for s, e in used.items():
        span = etree.SubElement(box, "span", {"id": f"gl-def-{s}"})
        span.text = AtomicString(e.definition)
    return box


# Python-Markdown glue: one extension object for the whole build -----------------------------



class GlossaryExtension(Extension):
    """Marks terms while a page is converted; the definitions are indexed once per build.

    Before each page is converted the caller sets :attr:`page` (the page's source path,
    or ``None`` to leave the page alone) and may set :attr:`href` (the Glossary page's URL
    relative to it; by default :func:`glossary_href` of the page); :attr:`used` collects,
    per term slug, the pages where the term was marked.
    """

    def __init__(self, entries: list[Entry] | None = None, glossary_page: str = PAGE):
        super().__init__()
        self.glossary_page = glossary_page
        self.set_entries(entries or [])

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.matcher = Matcher(entries)
        self.page: str | None = None
        self.href: str | None = None
        self.by_slug = {e.slug: e for e in entries}
        self.used: dict[str, set[str]] = {}

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # Last: after inline markup (20), abbr (7), the table of contents (5) and the
        # unescaping of backslash escapes (0), so the text is final.
        md.treeprocessors.register(_GlossaryTreeprocessor(md, self), "medsite_glossary", -1)


class _GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md, ext: GlossaryExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        page = self.ext.page
        if page is None:
            return None
        mentioned: dict[str, Entry] = {}
        href = self.ext.href if self.ext.href is not None \
            else glossary_href(page, self.ext.glossary_page)
        used = mark_tree(root, self.ext.matcher, mentioned, href)
        for s in (*used, *mentioned):
            self.ext.used.setdefault(s, set()).add(page)
        return None
