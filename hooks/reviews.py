"""MkDocs hook: every chapter carries valid reviewed / next_review dates (medsite.reviews)."""
from __future__ import annotations

import logging

from medsite import clock, frontmatter, reviews
from medsite.pages import is_chapter
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.reviews")


def on_files(files, config):
    problems = []
    for f in files.documentation_pages():
        if not is_chapter(f.src_uri):
            continue
        text = f.content_string
        path = display_path(f.abs_src_path, config)
        try:
            meta = frontmatter.read(text)
        except frontmatter.FrontMatterError as exc:
            problems += reviews.unreadable(path, exc.line, str(exc), exc.hint)
            continue
        problems += reviews.check(path, text, meta, clock.today())
    report(problems, log, "review date")
    return files
