"""MkDocs hook: a strict Content-Security-Policy on every page (medsite.csp), and a build error for page content the policy would block.

A rebuild reuses what it found in a page that did not change (.cache/memo/, keyed by the
page's text; a change to medsite/csp.py starts afresh). State of one build
(medsite.buildstate): that memo and the problems found so far.
"""
from __future__ import annotations

import logging

from mkdocs.plugins import event_priority

from medsite import buildstate, csp
from medsite.diagnostics import Problem, kept
from medsite.refcache import Memo
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.security")


class _Build:
    def __init__(self, memo: Memo):
        self.memo = memo
        #: Problems of every page, reported together once all pages are rendered.
        self.problems: list[Problem] = []


def on_config(config):
    buildstate.start(config, "security", _Build(buildstate.memo(config, "csp-edits", csp)))
    return config


@event_priority(-100)  # after every other hook has added its HTML
def on_page_content(html, page, config, files):
    f = page.file
    path = display_path(f.abs_src_path, config) if f.abs_src_path else f.src_uri
    state = buildstate.get(config, "security")
    state.problems += kept(state.memo, Memo.key(f"{path}\0{f.content_string}\0{html}"),
                           lambda: csp.content_problems(path, html, f.content_string))
    return html


def _secure(output: str, config, content: str | None = None) -> str:
    """``output`` with its policy. ``content``: the page's content, read for what the policy
    would block in on_page_content, so not read again here (csp.edits). (The References
    page's by-kind lists, put in after that, are its A-to-Z entries again.)"""
    memo = buildstate.get(config, "security").memo
    at = output.find(content) if content else -1
    span = (at, at + len(content)) if at >= 0 else None
    return csp.apply(output, memo.through(Memo.key(output), lambda: csp.edits(output, span)))


@event_priority(-100)  # last: the hashes must cover the finished page
def on_post_page(output, page, config):
    return _secure(output, config, page.content)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    """Static templates (404.html) get the same policy; sitemap.xml is left alone."""
    if template_name.endswith(".html"):
        return _secure(output_content, config)
    return output_content


def on_post_build(config):
    state = buildstate.get(config, "security")
    state.memo.save()
    report(state.problems, log, "Content-Security-Policy")
