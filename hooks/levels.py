"""MkDocs hook: every chapter has the three depth tabs, in order, at the top level
(medsite.levels has the rules)."""
from __future__ import annotations

import logging

from medsite import levels
from medsite.pages import is_chapter
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.levels")


def on_files(files, config):
    problems = []
    for f in files.documentation_pages():
        if is_chapter(f.src_uri):
            problems += levels.check(display_path(f.abs_src_path, config), f.content_string)
    report(problems, log, "depth tab")
    return files
