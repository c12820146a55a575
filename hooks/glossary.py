"""MkDocs hook: the glossary (see medsite.glossary for the rules).

data/glossary.yml is read and checked once per build (on_config); each term's first use
per depth becomes a link while the chapter is converted (a Markdown tree processor, linear
in the text; the hidden definitions are marked data-search-exclude); the Glossary page is
generated from the same file and told which chapters use each term.
"""
from __future__ import annotations

import logging
import os

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from medsite import glossary
from medsite.pages import is_chapter
from medsite.report import report

log = logging.getLogger("mkdocs.plugins.glossary")


class SiteGlossary(glossary.GlossaryExtension):
    """The extension with this build's state (MkDocs keeps hook modules between rebuilds,
    so the state lives here, made in on_config and found through the config)."""

    def __init__(self, entries):
        super().__init__(entries)
        self.on = False  # the site has a Glossary page (tiny test sites may not)
        self.glossary_url = ""
        self.lists: dict = {}  # the Glossary page's lists, from its Markdown to its HTML


def _ext(config) -> SiteGlossary:
    return next(e for e in config.markdown_extensions if isinstance(e, SiteGlossary))


def on_config(config):
    path = os.path.join(os.path.dirname(config.config_file_path or "."), glossary.SOURCE)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        text = ""
    entries, problems = glossary.load(text, glossary.SOURCE)
    report(problems, log, "glossary")
    config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                     if not isinstance(e, glossary.GlossaryExtension)]
    config.markdown_extensions.append(SiteGlossary(entries))
    return config


def on_files(files, config):
    ext = _ext(config)
    page = files.get_file_from_path(glossary.PAGE)
    ext.on = page is not None
    ext.glossary_url = page.url if page is not None else ""
    ext.used = {}
    return files


def on_page_markdown(markdown, page, config, files):
    ext = _ext(config)
    src = page.file.src_uri
    ext.page = src if ext.on and is_chapter(src) else None
    if ext.page:
        ext.href = get_relative_url(ext.glossary_url, page.url)
    if ext.on and src == glossary.PAGE:
        ext.lists = {}
        return glossary.page_markdown(markdown, ext.entries, ext.lists)
    return markdown


def on_page_content(html, page, config, files):
    ext = _ext(config)
    ext.page = None
    if ext.on and page.file.src_uri == glossary.PAGE:
        html = glossary.fill_lists(html, ext.lists)
        ext.lists = {}
    return html


def on_env(env, config, files):
    """Every page is rendered now: warn about terms no chapter uses."""
    ext = _ext(config)
    if ext.on:
        report(glossary.unused(ext.entries, ext.used), log, "glossary")
    return env


@event_priority(-100)  # after the search plugin (0): chapter names are no glossary content
def _fill_glossary_page(context, page, config, nav):
    """Fill each entry's "Used in" line now that every chapter has been converted."""
    ext = _ext(config)
    if not ext.on or page.file.src_uri != glossary.PAGE:
        return context
    order = {p.file.src_uri: n for n, p in enumerate(nav.pages)}
    # Title and URL of each chapter once, not once per term that it uses.
    links = {p.file.src_uri: (p.title, get_relative_url(p.url, page.url)) for p in nav.pages}

    def fill(m):
        used = sorted(ext.used.get(m.group(1), ()), key=lambda c: (order.get(c, len(order)), c))
        return glossary.used_html(m.group(1), [links[c] for c in used if c in links])

    page.content = glossary.USED_PLACEHOLDER.sub(fill, page.content)
    return context


on_page_context = _fill_glossary_page
