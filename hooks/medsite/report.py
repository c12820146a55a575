"""Hand problems to MkDocs: every one is logged, then errors stop the build.

Kept apart from :mod:`medsite.diagnostics` because it is the only place (with the
hook files) that knows about MkDocs.
"""
from __future__ import annotations

import logging
from typing import Iterable

from mkdocs.exceptions import PluginError

from medsite.diagnostics import ERROR, Problem


def report(problems: Iterable[Problem], log: logging.Logger, what: str) -> None:
    """Log every problem (sorted by place) and raise PluginError if any is an error.

    Errors are collected across the whole site first, so one build lists them all.
    """
    problems = sorted(set(problems))
    n_err = 0
    for p in problems:
        if p.severity == ERROR:
            n_err += 1
            log.error(str(p))
        else:
            log.warning(str(p))
    if n_err:
        s = "" if n_err == 1 else "s"
        raise PluginError(f"{n_err} {what} error{s}: fix the file{s} named above and build again.")


def display_path(abs_path: str, config) -> str:
    """A source path as authors see it: relative to the folder holding mkdocs.yml."""
    import os

    root = os.path.dirname(config.config_file_path or ".")
    return os.path.relpath(abs_path, root).replace(os.sep, "/")
