"""MkDocs hook: MkDocs' own link, anchor and nav warnings get a line number and a fix;
images need alt text and raw-HTML URLs must resolve.

MkDocs logs link warnings from mkdocs.structure.pages / .nav with the page but no line; a
logging filter rewrites each message with medsite.linkhints (the original is kept when it
cannot be placed). The warnings still fail the strict build. Images and the URLs of raw
<img>/<a>, which MkDocs does not check, are checked by medsite.images (errors).
"""
from __future__ import annotations

import logging
import os

from medsite import buildstate, images
from medsite import linkhints as links
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.linkhints")

LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav")


class _PlaceLinkWarnings(logging.Filter):
    """Marked so that a rebuild (which re-imports this file) replaces, not adds, the filter."""

    medsite_links = True

    def __init__(self, site: links.Site):
        super().__init__()
        self.site = site

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            new = links.rewrite(record.getMessage(), self.site)
        except Exception:  # never lose MkDocs' own warning over a bug here
            new = None
        if new:
            record.msg, record.args = new, ()
        return True


def on_config(config):
    config_path = config.config_file_path or "mkdocs.yml"
    try:
        with open(config_path, encoding="utf-8") as f:
            config_text = f.read()
    except OSError:
        config_text = ""
    docs = display_path(config.docs_dir, config).rstrip("/") + "/"
    site = links.Site(pages=[], read=lambda src: None, anchors=lambda src: set(),
                      docs_prefix="" if docs == "./" else docs,
                      config_path=os.path.basename(config_path), config_text=config_text)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for f in [f for f in logger.filters if getattr(f, "medsite_links", False)]:
            logger.removeFilter(f)
        logger.addFilter(_PlaceLinkWarnings(site))
    buildstate.start(config, "linkhints", site)  # on_files fills in the pages
    return config


def on_files(files, config):
    site = buildstate.get(config, "linkhints")
    pages = {f.src_uri: f for f in files.documentation_pages()}
    site.pages = sorted(pages)

    def read(src):
        f = pages.get(src)
        try:
            return f.content_string if f else None
        except Exception:
            return None

    def anchors(src):
        f = pages.get(src)
        page = getattr(f, "page", None) if f else None
        return set(getattr(page, "present_anchor_ids", None) or ())

    site.read, site.anchors = read, anchors
    docs = config.docs_dir

    def exists(rel):
        return os.path.isfile(os.path.join(docs, rel)) or files.get_file_from_path(rel) is not None

    problems = []
    for src, f in pages.items():
        text = read(src)
        if text and ("<" in text or "![" in text):
            problems += images.check(display_path(f.abs_src_path, config), src, text, exists)
    report(problems, log, "image and HTML link")
    return files
