"""MkDocs hook: the search plugin indexes each page without the build's marks
(medsite.searchview): taken out just before the plugin's turn, the page's own text given
back just after it, before the glossary and citation hooks turn the marks into links and
footnotes."""
from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from medsite import searchview

_saved: dict = {}


@event_priority(10)  # before the search plugin (0)
def _hide(context, page, config, nav):
    if page.content:
        clean = searchview.without_marks(page.content)
        if clean is not page.content:
            _saved[page.file.src_uri] = (clean, page.content)
            page.content = clean
    return context


@event_priority(-10)  # after it, before the hooks that fill the marks in (-100)
def _show(context, page, config, nav):
    saved = _saved.pop(page.file.src_uri, None)
    if saved is not None:
        clean, own = saved
        if page.content is not clean:
            raise PluginError(
                f"{page.file.src_uri}: a plugin changed the page while the search plugin "
                "indexed it, so its glossary links and footnotes would be lost; run that "
                "plugin before priority 10 or after -10 (see hooks/searchview.py)")
        page.content = own
    return context


on_page_context = CombinedEvent(_hide, _show)
