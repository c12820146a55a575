"""MkDocs hook: the search plugin indexes each page without the build's marks
(medsite.searchview): taken out just before the plugin's turn, put back just after it,
before the glossary and citation hooks turn them into links and footnotes."""
from __future__ import annotations

from mkdocs.plugins import CombinedEvent, event_priority

from medsite import searchview

_marks: dict = {}


@event_priority(10)  # before the search plugin (0)
def _hide(context, page, config, nav):
    if page.content:
        page.content, _marks[page.file.src_uri] = searchview.split(page.content)
    return context


@event_priority(-10)  # after it, before the hooks that fill the marks in (-100)
def _show(context, page, config, nav):
    marks = _marks.pop(page.file.src_uri, None)
    if marks:
        page.content = searchview.join(page.content, marks)
    return context


on_page_context = CombinedEvent(_hide, _show)
