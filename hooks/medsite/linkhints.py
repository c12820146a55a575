"""Where MkDocs' link, anchor and nav warnings point, and what to write instead.

MkDocs names the page of a broken link but not its line, and suggests a fix only when the
target exists at another path. :func:`rewrite` turns such a message into our form,
``docs/page.md:LINE:COL: <MkDocs' words>; <fix>``, keeping MkDocs' wording (so the error
catalogue and searches still match it) and adding the closest page or anchor. It returns
None for any message it does not recognise, which is then printed unchanged.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable

from medsite import mdsource
from medsite.diagnostics import suggest

_MISSING = re.compile(
    r"Doc file '(?P<src>[^']+)' contains a link '(?P<url>[^']+)', but the target( '[^']+')? is "
    r"not found among documentation files\.(?: Did you mean '(?P<dym>[^']+)'\?)?$")
_ANCHOR = re.compile(
    r"Doc file '(?P<src>[^']+)' contains a link '(?P<url>[^']+)', but (?:the doc '(?P<doc>[^']+)' "
    r"does not contain an anchor '#(?P<anchor>[^']+)'|there is no such anchor on this page)\."
    r"(?P<context>.*)$")
_UNRECOGNIZED = re.compile(
    r"Doc file '(?P<src>[^']+)' contains an unrecognized relative link '(?P<url>[^']+)', it was "
    r"left as is\.(?: Did you mean '(?P<dym>[^']+)'\?)?$")
_ABSOLUTE = re.compile(
    r"Doc file '(?P<src>[^']+)' contains an absolute link '(?P<url>[^']+)', it was left as is\."
    r"(?: Did you mean '(?P<dym>[^']+)'\?)?$")
_NAV_OMITTED = re.compile(
    r"The following pages exist in the docs directory, but are not included in the \"nav\" "
    r"configuration:\n(?P<pages>(?:\s*- .+\n?)+)$")
_NAV_MISSING = re.compile(
    r"A reference to '(?P<url>[^']+)' is included in the 'nav' configuration, which is not found "
    r"in the documentation files\.$")


@dataclass
class Site:
    """What :func:`rewrite` needs to know of the site being built."""

    pages: list[str]                      # src_uri of every Markdown page, e.g. "chapters/x.md"
    read: Callable[[str], str | None]     # src_uri -> the page's Markdown source
    anchors: Callable[[str], set[str]]    # src_uri -> the ids on the rendered page
    docs_prefix: str = "docs/"            # how authors see the docs folder
    config_path: str = "mkdocs.yml"
    config_text: str = ""
    seen: dict = field(default_factory=dict)  # (page, url) -> warnings so far, for repeats


def locate(text: str, url: str, nth: int = 0) -> tuple[int, int] | None:
    """1-based line and column of the ``nth`` use of ``url`` as a link target in Markdown
    (``](url``, ``](<url>``, a ``[ref]: url`` definition, or ``href``/``src`` in HTML),
    outside code and comments."""
    prose = mdsource.prose(text)
    u = re.escape(url)
    pattern = (rf"\]\(\s*<?(?P<a>{u})>?(?=[\s)])|^[ \t]{{0,3}}\[[^\]]+\]:[ \t]*<?(?P<b>{u})>?(?=\s|$)"
               rf"|\b(?:href|src)=[\"'](?P<c>{u})[\"']")
    hits = [m for m in re.finditer(pattern, prose, re.M)]
    if not hits:
        return None
    m = hits[min(nth, len(hits) - 1)]
    start = next(m.start(g) for g in "abc" if m.group(g) is not None)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def closest(word: str, options) -> str | None:
    return suggest(word, sorted(set(options)), cutoff=0.7)


def _relative(target: str, src: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


def _where(site: Site, src: str, url: str) -> str | None:
    text = site.read(src)
    if text is None:
        return None
    n = site.seen.get((src, url), 0)
    site.seen[(src, url)] = n + 1
    pos = locate(text, url, n)
    return f"{site.docs_prefix}{src}:{pos[0]}:{pos[1]}" if pos else None


def _page_hint(site: Site, src: str, url: str) -> str:
    path = url.split("#", 1)[0]
    here = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
    guess = closest(here, site.pages) or closest(posixpath.basename(here),
                                                 [posixpath.basename(p) for p in site.pages])
    if guess and "/" not in guess and guess not in site.pages:  # matched a basename
        guess = next(p for p in site.pages if posixpath.basename(p) == guess)
    if guess:
        anchor = url[len(path):]
        return f"did you mean '{_relative(guess, src)}{anchor}'?"
    return "link to an existing page's .md file, with a path relative to this page"


def rewrite(message: str, site: Site) -> str | None:
    """``message`` from MkDocs with the file, line and column in front and a fix behind."""
    if m := _MISSING.match(message):
        src, url = m["src"], m["url"]
        hint = f"did you mean '{m['dym']}'?" if m["dym"] else _page_hint(site, src, url)
        body = message[:m.start("dym") - len(" Did you mean '")] if m["dym"] else message
    elif m := _ANCHOR.match(message):
        src, url = m["src"], m["url"]
        target = m["doc"] or src
        ids = {a for a in site.anchors(target) if not a.startswith(("fn:", "fnref:", "__"))}
        guess = closest(m["anchor"] or url.split("#", 1)[-1], ids)
        base = url.split("#", 1)[0]
        hint = (f"did you mean '{base}#{guess}'?" if guess else
                "use the anchor of an existing heading: hover the heading in the preview and "
                "copy its ¶ link")
        body = message[:m.start("context")] if not m["context"].strip() else message
    elif m := _UNRECOGNIZED.match(message):
        src, url = m["src"], m["url"]
        hint = (f"did you mean '{m['dym']}'?" if m["dym"] else
                "link to the page's .md file (e.g. 'chapters/hormone-therapy.md'), not its folder")
        body = message[:m.start("dym") - len(" Did you mean '")] if m["dym"] else message
    elif m := _ABSOLUTE.match(message):
        src, url = m["src"], m["url"]
        hint = (f"write it relative to this page: '{m['dym']}'" if m["dym"] else
                "write the link relative to this page, to the .md file (e.g. '../about.md')")
        body = message[:m.start("dym") - len(" Did you mean '")] if m["dym"] else message
    elif m := _NAV_OMITTED.match(message):
        pages = re.findall(r"^\s*- (.+?)\s*$", m["pages"], re.M)
        return "\n".join(nav_omitted(page, site) for page in pages)
    elif m := _NAV_MISSING.match(message):
        url = m["url"]
        guess = closest(url, site.pages)
        hint = (f"did you mean '{guess}'?" if guess else
                "list the page by its path inside docs/, e.g. 'chapters/x.md'")
        line = next((i for i, text in enumerate(site.config_text.splitlines(), 1)
                     if re.search(rf"(^|[\s:'\"]){re.escape(url)}(['\"]?\s*(#.*)?$)", text)), None)
        where = f"{site.config_path}:{line}" if line else None
        return f"{where}: {message.rstrip('.')}; {hint}" if where else None
    else:
        return None
    where = _where(site, src, url)
    if where is None:
        return None
    return f"{where}: {body.rstrip().rstrip('.')}; {hint}"


_NAV_ITEM = re.compile(r"^(?P<indent>[ \t]*)- (?:(?P<title>[^:\n]+):[ \t]*)?"
                       r"['\"]?(?P<src>[^'\"\s:]+\.md)['\"]?[ \t]*(?:#.*)?$")


def nav_omitted(page: str, site: Site) -> str:
    """A page under docs/ that ``nav`` does not list: where in mkdocs.yml to add it, and the
    line to write (under the last entry of the same folder, else at the end of nav)."""
    lines = site.config_text.splitlines()
    start = next((i for i, t in enumerate(lines) if re.match(r"nav\s*:", t)), None)
    folder = posixpath.dirname(page)
    after, indent, section = None, "  ", None
    if start is not None:
        last_any = None
        for i in range(start + 1, len(lines)):
            t = lines[i]
            if t.strip() and not t[0].isspace() and not t.startswith("-"):
                break  # the next top-level key
            m = _NAV_ITEM.match(t)
            if not m:
                continue
            last_any = (i, m["indent"])
            if posixpath.dirname(m["src"]) == folder:
                after, indent = i, m["indent"]
        if after is None and last_any:
            after, indent = last_any
        if after is not None:
            for j in range(after - 1, start, -1):
                h = re.match(r"^([ \t]*)- ([^:]+):\s*$", lines[j])
                if h and len(h.group(1)) < len(indent):
                    section = h.group(2).strip()
                    break
    said = ('The following pages exist in the docs directory, but are not included in the '
            f'"nav" configuration: {page}')
    if after is None:
        return f"{site.config_path}:1: {said}; add a 'nav:' list with '  - {page}'"
    under = f" (the {section} section)" if section else ""
    return (f"{site.config_path}:{after + 1}: {said}; add the line '{indent}- {page}' under "
            f"line {after + 1}{under}, or list it under not_in_nav: if it should stay out of "
            "the menu")
