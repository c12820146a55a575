"""MkDocs hook: after the build, each depth of a chapter becomes its own search result
(medsite.searchdepth): the written search index is rewritten from the written pages."""
from __future__ import annotations

import json
import logging
import os

from mkdocs.plugins import event_priority

from medsite import searchdepth
from medsite.pages import CHAPTER_DIR

log = logging.getLogger("mkdocs.plugins.searchdepth")


@event_priority(-50)  # after the search plugin (0) has written search/search_index.json
def on_post_build(config):
    site = config.site_dir
    path = os.path.join(site, "search", "search_index.json")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        index = json.load(fh)

    def read_page(location):
        rel = location + "index.html" if location.endswith("/") or not location else location
        try:
            with open(os.path.join(site, *rel.split("/")), encoding="utf-8") as fh:
                return fh.read()
        except OSError:
            return None

    index, count = searchdepth.rewrite_index(
        index, read_page, lambda loc: loc.startswith(CHAPTER_DIR))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(index, separators=(",", ":"), ensure_ascii=True))
    log.debug("search: %d chapters indexed per depth", count)
