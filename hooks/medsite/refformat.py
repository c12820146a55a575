"""Every reference of the bibliography as HTML: one pandoc run for the whole site, cached.

Formatting goes through mkdocs-bibtex's public classes (``PandocRegistry``,
``CitationBlock``, ``Citation``): one ``validate_citation_blocks`` call with a block per
entry is one pandoc run; ``reference_text`` gives each entry's Markdown, which
:func:`medsite.citations.clean_reference` makes right for Python-Markdown and
:func:`medsite.citations.references_html` turns into one line of HTML per entry.

The result depends only on the bibliography's bytes, the CSL style's bytes and pandoc's
version: :func:`format_all` keys the cache (``.cache/citations/``, medsite.refcache) by
exactly those, so an unchanged bibliography runs pandoc zero times.

The run sets pandoc's garbage collector (:data:`PANDOC_RTS`, through GHC's documented
``GHCRTS`` variable, as pandoc's arguments are mkdocs-bibtex's to choose).
"""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from medsite import citations, refcache


#: GHC runtime options for the pandoc run: a 1 MB allocation area (it stays in the CPU's
#: cache) and no major collection below 128 MB of heap. With pandoc's defaults, formatting
#: 1,000 references spends about half its time collecting garbage; with these it takes
#: 0.86 s instead of 1.06 s (median of 8 runs on one CPU, the same output byte for byte),
#: for 257 MB of peak memory instead of 178 MB. A GHCRTS the author sets is left as it is.
PANDOC_RTS = "-A1m -O128m"


@contextmanager
def _pandoc_rts():
    if "GHCRTS" in os.environ:
        yield
        return
    os.environ["GHCRTS"] = PANDOC_RTS
    try:
        yield
    finally:
        os.environ.pop("GHCRTS", None)


def _one_line(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html).strip()


def format_all(bib_texts: list[str], entries: dict[str, str], csl_file: str,
               cache_dir: Path, log=None) -> tuple[dict[str, str], list[str]]:
    """(key -> one-line HTML, keys pandoc gave nothing for).

    ``bib_texts``: each bib file as written (pandoc reads them so, not pybtex's
    re-serialisation, which garbles some fields); ``entries``: key -> BibTeX type, as the
    bib lint read them."""
    import pypandoc

    style = Path(csl_file).read_bytes()
    key = refcache.key(*bib_texts, style, pypandoc.get_pandoc_version())
    cached = refcache.load(cache_dir, key)
    if cached and set(cached.get("html", {})) >= set(entries):
        return cached["html"], []
    if log is not None:
        log.info("citations: formatting %d references with pandoc (one run)", len(entries))
    refs = _run_pandoc("\n".join(bib_texts), entries, csl_file)
    html = {k: _one_line(v) for k, v in citations.references_html(
        {k: citations.clean_reference(refs[k]) for k in entries if k in refs}).items()}
    lost = [k for k in entries if k not in html]
    if not lost:
        refcache.save(cache_dir, key, {"html": html})
    return html, lost


def _run_pandoc(bib_text: str, entries: dict[str, str], csl_file: str) -> dict[str, str]:
    from mkdocs_bibtex.citation import Citation, CitationBlock
    from mkdocs_bibtex.registry import PandocRegistry

    class Registry(PandocRegistry):
        """The registry, handed the bibliography as written (a public property of it)."""

        @cached_property
        def bib_data_bibtex(self) -> str:
            return bib_text

    # The registry's own parse needs only the keys: hand it a file of empty entries (the
    # full one was parsed by the bib lint already, and pybtex is slow on 1,000 entries).
    with tempfile.TemporaryDirectory() as tmp:
        stub = os.path.join(tmp, "keys.bib")
        with open(stub, "w", encoding="utf-8") as fh:
            fh.write("\n".join(f"@{t}{{{k},\n}}" for k, t in entries.items()))
        registry = Registry([stub], csl_file, None)
    with _pandoc_rts():  # pypandoc passes the environment on to pandoc
        registry.validate_citation_blocks([CitationBlock([Citation(k)]) for k in entries])
    out = {}
    for k in entries:
        try:
            out[k] = registry.reference_text(Citation(k))
        except KeyError:
            pass
    return out
