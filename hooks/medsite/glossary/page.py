"""The Glossary page, generated from the same file: every entry A to Z with its anchor,
related terms and the chapters that use it."""
from __future__ import annotations

import html
import re
import unicodedata

from medsite.glossary.data import MARKER, Entry, fold

# The Glossary page -------------------------------------------------------------------------


def _letter(term: str) -> str:
    first = unicodedata.normalize("NFKD", term)[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"


def sort_key(e: Entry) -> tuple:
    return (_letter(e.term) != "0-9", e.term.casefold())


def used_placeholder(s: str) -> str:
    return f'<p class="gl-used" data-gl-used="{s}"></p>'


#: Finds the placeholders of :func:`used_placeholder`; group 1 is the slug.
USED_PLACEHOLDER = re.compile(r'<p class="gl-used" data-gl-used="([a-z0-9-]+)"></p>')


def entries_markdown(entries: list[Entry], lists: dict[str, str] | None = None) -> str:
    """Markdown for the Glossary page: a heading per letter, then the entries in a list.

    Every value is HTML-escaped, so quotes, ``<`` and ``&`` in a definition display as
    written and never become markup. The "Used in" line of each entry is a placeholder
    filled by :func:`used_html` once every chapter has been rendered.
    """
    by_term = {fold(e.term): e for e in entries}
    # Related goes both ways: naming B under A also lists A under B.
    related: dict[str, dict[str, Entry]] = {e.slug: {} for e in entries}
    for e in entries:
        for r in e.related:
            other = by_term.get(fold(r))
            if other is not None and other is not e:
                related[e.slug][other.slug] = other
                related[other.slug][e.slug] = e
    related = {k: list(v.values()) for k, v in related.items()}
    # One <dl> per first letter, under its heading.
    groups: dict[str, list[str]] = {}
    esc = html.escape
    for e in sorted(entries, key=sort_key):
        parts = [f"<p>{esc(e.definition)}</p>"]
        if e.aliases:
            parts.append(f'<p class="gl-meta">Also written: {esc(", ".join(e.aliases))}</p>')
        if related[e.slug]:
            links = ", ".join(f'<a href="#{r.slug}">{esc(r.title)}</a>'
                              for r in sorted(related[e.slug], key=sort_key))
            parts.append(f'<p class="gl-meta">Related: {links}</p>')
        parts.append(used_placeholder(e.slug))
        groups.setdefault(_letter(e.term), []).append(
            f'<dt id="{e.slug}"><dfn>{esc(e.title)}</dfn></dt>\n<dd>{"".join(parts)}</dd>')
    out = []
    for letter, items in groups.items():
        dl = '<dl class="gl-list">\n' + "\n".join(items) + "\n</dl>"
        if lists is not None:
            # The HTML kept aside, a comment in its place: Python-Markdown would only copy
            # the raw HTML through, after parsing all of it (fill_lists puts it in).
            lists[str(len(lists))] = dl
            dl = f"<!--gl-list:{len(lists) - 1}-->"
        out.append(f"## {letter} {{ #glossary-{letter.lower()} }}\n\n{dl}\n")
    return "\n".join(out)


_LIST_MARK = re.compile(r"<!--gl-list:(\d+)-->")


def fill_lists(html_text: str, lists: dict[str, str]) -> str:
    """The Glossary page's HTML with the lists :func:`entries_markdown` kept aside."""
    return _LIST_MARK.sub(lambda m: lists.get(m.group(1), m.group(0)), html_text)


def used_html(s: str, chapters: list[tuple[str, str]]) -> str:
    """The filled "Used in" line: ``chapters`` are (title, url relative to the Glossary page)."""
    if not chapters:
        return '<p class="gl-meta gl-used">Used in no chapter yet.</p>'
    links = ", ".join(f'<a href="{html.escape(url)}">{html.escape(title)}</a>'
                      for title, url in chapters)
    return f'<p class="gl-meta gl-used" data-gl-used="{s}">Used in: {links}</p>'


def page_markdown(markdown: str, entries: list[Entry], lists: dict[str, str] | None = None
                  ) -> str:
    """The Glossary page source with the generated entries at the marker (or at the end);
    with ``lists``, see :func:`entries_markdown` and :func:`fill_lists`."""
    block = entries_markdown(entries, lists)
    if MARKER in markdown:
        return markdown.replace(MARKER, block, 1)
    return markdown.rstrip("\n") + "\n\n" + block
