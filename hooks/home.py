"""MkDocs hook: the home page gets a card per chapter, in nav order (medsite.home)."""
from __future__ import annotations

import logging

from mkdocs.utils import get_relative_url

from medsite import home
from medsite.pages import is_chapter
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.home")


def on_page_markdown(markdown, page, config, files):
    if home.MARKER not in markdown:
        return markdown
    sources = home.nav_sources(config.nav) if config.nav else sorted(
        f.src_uri for f in files.documentation_pages())
    cards, problems = [], []
    for src in sources:
        f = files.get_file_from_path(src) if is_chapter(src) else None
        if f is None:
            continue  # not a chapter, or a nav entry without a file (MkDocs reports it)
        card, found = home.card(len(cards) + 1, display_path(f.abs_src_path, config),
                                f.content_string, get_relative_url(f.url, page.url))
        cards.append(card)
        problems += found
    report(problems, log, "home page")
    return home.fill(markdown, cards)
