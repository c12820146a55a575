"""MkDocs hook: each depth of a chapter becomes its own search result (medsite.searchdepth).

A chapter's HTML is parsed for search once: Material's search plugin is told to leave the
chapter out (its page meta ``search: exclude``, set before the plugin's on_page_context),
the chapter's entries are made from its content just after, and once the plugin has
written search/search_index.json they go in where the chapter's own would have been.
A rebuild reuses the entries of a chapter whose content did not change (.cache/memo/, keyed
by the content, location and title; a change to the code that makes them starts afresh).
State of one build (medsite.buildstate): the pages in build order, each chapter's entries,
that memo.
"""
from __future__ import annotations

import json
import logging
import os

from mkdocs.plugins import event_priority

from medsite import buildstate, depthhtml, levels, searchdepth
from medsite.depthhtml import depth_set
from medsite.pages import is_chapter
from medsite.refcache import Memo

log = logging.getLogger("mkdocs.plugins.searchdepth")


class _Build:
    def __init__(self, memo: Memo):
        self.memo = memo  # content, location, title -> the chapter's entries
        self.order: list[str] = []  # every page's location, as built
        self.chapters: dict[str, list[dict]] = {}  # location -> its entries
        self.mine: set[str] = set()  # chapters left out of the plugin's index


def on_config(config):
    buildstate.start(config, "searchdepth", _Build(buildstate.memo(
        config, "search-entries", searchdepth, depthhtml, levels)))
    return config


@event_priority(-50)  # after the other hooks' HTML (the depth tabs are there from Markdown)
def on_page_content(html, page, config, files):
    search = page.meta.get("search") or {}
    if is_chapter(page.file.src_uri) and not search.get("exclude") and depth_set(html):
        page.meta["search"] = {**search, "exclude": True}
        buildstate.get(config, "searchdepth").mine.add(page.url)
    return html


@event_priority(-50)  # after the search plugin (0): the content as that plugin leaves it
def on_page_context(context, page, config, nav):
    state = buildstate.get(config, "searchdepth")
    state.order.append(page.url)
    if page.url in state.mine:
        title = None if "<h1" in page.content else page.title
        state.chapters[page.url] = state.memo.through(
            Memo.key(f"{page.url}\0{title}\0{page.content}"),
            lambda: searchdepth.chapter_entries(page.content, page.url, title))
    return context


@event_priority(-50)  # after the search plugin (0) has written search/search_index.json
def on_post_build(config):
    state = buildstate.get(config, "searchdepth")
    state.memo.save()
    path = os.path.join(config.site_dir, "search", "search_index.json")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        index = json.load(fh)
    index = searchdepth.merge_index(index, state.order, state.chapters)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(index, separators=(",", ":"), ensure_ascii=True))
    log.debug("search: %d chapters indexed per depth", len(state.chapters))
