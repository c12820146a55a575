"""MkDocs hook: every chapter has the three depth tabs, in order, at the top level
(medsite.levels has the rules).

A rebuild reuses what it found in a chapter whose text did not change (.cache/memo/, keyed
by the path and text; a change to the rules starts afresh)."""
from __future__ import annotations

import logging

from medsite import buildstate, diagnostics, levels, mdsource
from medsite.pages import is_chapter
from medsite.refcache import Memo
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.levels")


def on_files(files, config):
    memo = buildstate.memo(config, "depth-tab-checks", levels, mdsource, diagnostics)
    problems = []
    for f in files.documentation_pages():
        if is_chapter(f.src_uri):
            path, text = display_path(f.abs_src_path, config), f.content_string
            problems += diagnostics.kept(memo, Memo.key(f"{path}\0{text}"),
                                         lambda: levels.check(path, text))
    memo.save()
    report(problems, log, "depth tab")
    return files
