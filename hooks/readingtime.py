"""MkDocs hook: each depth of a chapter opens with its reading time (medsite.readingtime).

A rebuild reuses the reading times of a chapter whose text did not change (.cache/memo/,
keyed by the chapter's text; a change to the code that counts starts afresh). State of one
build (medsite.buildstate): that memo.
"""
from __future__ import annotations

from medsite import buildstate, levels, readingtime
from medsite.pages import is_chapter
from medsite.refcache import Memo


def on_config(config):
    buildstate.start(config, "readingtime",
                     buildstate.memo(config, "reading-times", readingtime, levels))
    return config


def on_page_content(html, page, config, files):
    if is_chapter(page.file.src_uri):
        text = page.file.content_string
        times = buildstate.get(config, "readingtime").through(
            Memo.key(text), lambda: readingtime.depth_minutes(text))
        html = readingtime.insert(html, times)
    return html


def on_post_build(config):
    buildstate.get(config, "readingtime").save()
