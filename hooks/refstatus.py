"""MkDocs hook: what readers are told about the references, from the sources of truth.

- ``<!-- references-checked -->`` on a page becomes the date (and counts) of the last weekly
  check of every DOI against its record (``python3 dev.py check-references``), read from
  ``data/references-checked.yml``, which the weekly workflow writes.
- ``<!-- evidence-kinds -->`` becomes the list of evidence labels with what each means
  (medsite.evidence.KINDS, the same words as on every reference).
"""
from __future__ import annotations

import logging
import os

from medsite import buildstate, refstatus
from medsite.report import report

log = logging.getLogger("mkdocs.plugins.refstatus")


def on_config(config):
    root = os.path.dirname(config.config_file_path or ".")
    status, problems = refstatus.load(root)
    report(problems, log, "reference-check data")
    buildstate.start(config, "refstatus", status)  # this build's, for on_page_markdown
    return config


def on_page_markdown(markdown, page, config, files):
    if refstatus.CHECKED in markdown:
        markdown = markdown.replace(refstatus.CHECKED, refstatus.checked_html(
            buildstate.get(config, "refstatus")))
    if refstatus.KINDS_MARK in markdown:
        markdown = markdown.replace(refstatus.KINDS_MARK, refstatus.kinds_html())
    return markdown
