"""MkDocs hook: a strict Content-Security-Policy on every page, safe external links
(medsite.csp), and a build error for page content the policy would block."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

from medsite import csp
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.security")

#: Problems of every page of this build, reported together once all pages are rendered.
_problems: list = []


def on_config(config):
    _problems.clear()  # `mkdocs serve` rebuilds in the same process
    return config


@event_priority(-100)  # after every other hook has added its HTML
def on_page_content(html, page, config, files):
    f = page.file
    path = display_path(f.abs_src_path, config) if f.abs_src_path else f.src_uri
    _problems.extend(csp.content_problems(path, html, f.content_string))
    return html


@event_priority(-100)  # last: the hashes must cover the finished page
def on_post_page(output, page, config):
    return csp.secure(output, urlsplit(config.site_url or "").hostname)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    """Static templates (404.html) get the same policy; sitemap.xml is left alone."""
    if template_name.endswith(".html"):
        return csp.secure(output_content, urlsplit(config.site_url or "").hostname)
    return output_content


def on_post_build(config):
    report(_problems, log, "Content-Security-Policy")
