"""MkDocs hook: each depth of a chapter opens with its reading time (medsite.readingtime)."""
from __future__ import annotations

from medsite import readingtime
from medsite.pages import is_chapter


def on_page_content(html, page, config, files):
    if is_chapter(page.file.src_uri):
        html = readingtime.insert(html, readingtime.depth_minutes(page.file.content_string))
    return html
