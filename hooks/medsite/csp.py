"""A strict Content-Security-Policy for every built page, and safe external links.

The site is static, so the policy can be exact: every resource comes from the site itself
('self'), and the only inline scripts are Material's few bootstrap snippets, which are
allowed one by one by their SHA-256 hashes, computed from each finished page. Nothing else
inline can run: no other inline <script>, no ``on*=`` handler, no ``javascript:`` URL.

The policy goes in a ``<meta http-equiv>`` tag (GitHub Pages cannot send headers), placed
straight after ``<meta charset>`` so it governs everything that follows. Directives that
browsers ignore in a meta tag (frame-ancestors, report-uri, sandbox) are left out: Chromium
logs each as a console error.

``style-src 'self'`` has no 'unsafe-inline' either: Material sets its inline styles only
through the CSSOM (``el.style.setProperty``), which CSP allows, and no page carries a
``style=`` attribute or ``<style>`` block (:func:`content_problems` keeps it that way).

Pure: takes and returns text; the MkDocs side is hooks/security.py.
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from medsite.diagnostics import Problem, register

INLINE_SCRIPT = register("csp-inline-script",
                         "an inline <script> in page content would be blocked by the CSP")
INLINE_HANDLER = register("csp-inline-handler",
                          "an on*= event-handler attribute would be blocked by the CSP")
JS_URL = register("csp-javascript-url", "a javascript: URL would be blocked by the CSP")
INLINE_STYLE = register("csp-inline-style",
                        "a style= attribute or <style> block would be blocked by the CSP")

#: Script types a browser executes; anything else (e.g. application/json) is a data block
#: that CSP does not govern and needs no hash.
JS_TYPES = {"", "text/javascript", "application/javascript", "module",
            "text/ecmascript", "application/ecmascript"}

#: The policy without the script hashes, in the order it is written out.
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # Material draws its icons as data: SVGs in CSS masks.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # Material's search runs in a Web Worker loaded from assets/javascripts/workers/.
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href")


@dataclass
class Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    start: int  # offset of "<"
    end: int  # offset just after ">"


@dataclass
class Scan:
    """The start tags of a page and the exact text of each inline script."""

    tags: list[Tag] = field(default_factory=list)
    #: (attrs, content start offset, content end offset) of every <script> element.
    scripts: list[tuple[dict, int, int]] = field(default_factory=list)
    styles: int = 0


class _Parser(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.scan = Scan()
        self._open_script: tuple[dict, int] | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text())
        self.scan.tags.append(Tag(tag, attrs, start, end))
        if tag == "script":
            self._open_script = (dict(attrs), end)
        elif tag == "style":
            self.scan.styles += 1

    def handle_startendtag(self, tag, attrs):
        start = self._offset()
        self.scan.tags.append(Tag(tag, attrs, start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag == "script" and self._open_script is not None:
            attrs, begin = self._open_script
            self.scan.scripts.append((attrs, begin, self._offset()))
            self._open_script = None


def scan(html: str) -> Scan:
    p = _Parser(html)
    p.feed(html)
    p.close()
    return p.scan


def _is_inline_js(attrs: dict) -> bool:
    return "src" not in attrs and (attrs.get("type") or "").strip().lower() in JS_TYPES


def inline_scripts(html: str) -> list[str]:
    """The source text of every inline script the browser would run, in page order."""
    return [html[a:b] for attrs, a, b in scan(html).scripts if _is_inline_js(attrs)]


def script_hash(text: str) -> str:
    """The CSP source expression allowing one inline script, as a browser computes it.

    The HTML parser turns CR LF and lone CR into LF before the script text exists.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(hashes: list[str]) -> str:
    """The policy text with the given script hashes (duplicates dropped, order kept)."""
    parts = []
    for directive, sources in BASE_POLICY.items():
        if directive == "script-src":
            sources = sources + list(dict.fromkeys(hashes))
        parts.append(" ".join([directive, *sources]))
    return "; ".join(parts)


def is_external(href: str, site_host: str | None) -> bool:
    """An absolute http(s) or protocol-relative link to a host other than the site's."""
    h = href.strip()
    if not (h.lower().startswith(("http://", "https://")) or h.startswith("//")):
        return False
    host = (urlsplit(h).hostname or "").lower()
    return bool(host) and host != (site_host or "").lower()


_REL = re.compile(r"""(\srel\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _with_noopener(tag_text: str) -> str:
    m = _REL.search(tag_text)
    if m:
        tokens = (m.group(3) or m.group(4) or m.group(5) or "").split()
        if "noopener" in (t.lower() for t in tokens):
            return tag_text
        value = " ".join(tokens + ["noopener"])
        return tag_text[:m.start()] + f'{m.group(1)}"{value}"' + tag_text[m.end():]
    close = -2 if tag_text.endswith("/>") else -1
    return tag_text[:close].rstrip() + ' rel="noopener"' + tag_text[close:]


def secure(html: str, site_host: str | None = None) -> str:
    """A finished page with its CSP meta tag and ``rel="noopener"`` on external links.

    The CSP goes right after ``<meta charset>`` (or ``<head>``); a page without a head
    (not an HTML document) is returned unchanged.
    """
    s = scan(html)
    edits: list[tuple[int, int, str]] = []
    for t in s.tags:
        href = dict(t.attrs).get("href")
        if t.name == "a" and href and is_external(href, site_host):
            text = html[t.start:t.end]
            new = _with_noopener(text)
            if new != text:
                edits.append((t.start, t.end, new))
    anchor = next((t for t in s.tags if t.name == "meta" and any(
        k == "charset" for k, _ in t.attrs)), None) or next(
        (t for t in s.tags if t.name == "head"), None)
    if anchor is None:
        return html
    hashes = [script_hash(html[a:b]) for attrs, a, b in s.scripts if _is_inline_js(attrs)]
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    edits.append((anchor.end, anchor.end, meta))
    for start, end, new in sorted(edits, reverse=True):
        html = html[:start] + new + html[end:]
    return html


def _source_line(source: str, pattern: str, nth: int) -> int:
    """Line in the Markdown source of the nth match of ``pattern`` (1 when not found)."""
    for i, m in enumerate(re.finditer(pattern, source, re.I)):
        if i == nth:
            return source.count("\n", 0, m.start()) + 1
    return 1


def content_problems(path: str, html: str, source: str) -> list[Problem]:
    """What the CSP would block in one page's rendered content (``html``).

    ``source`` is the page's Markdown, used only to point at the line to fix.
    """
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def line_of(pattern: str) -> int:
        n = seen.get(pattern, 0)
        seen[pattern] = n + 1
        return _source_line(source, pattern, n)

    s = scan(html)
    for attrs, _, _ in s.scripts:
        if _is_inline_js(attrs):
            problems.append(Problem(
                path, line_of(r"<script\b"), None, INLINE_SCRIPT,
                "inline <script> would be blocked by the Content-Security-Policy",
                "move the code to docs/assets/javascripts/<feature>.js and list that file "
                "under extra_javascript in mkdocs.yml"))
    for t in s.tags:
        for name, value in t.attrs:
            if name.startswith("on"):
                problems.append(Problem(
                    path, line_of(rf"\s{re.escape(name)}\s*="), None, INLINE_HANDLER,
                    f"event handler attribute {name}= on <{t.name}> would be blocked by the "
                    "Content-Security-Policy",
                    "remove the attribute and attach the listener from a script in "
                    "docs/assets/javascripts/"))
            elif name in URL_ATTRS and (value or "").strip().lower().startswith("javascript:"):
                problems.append(Problem(
                    path, line_of(r"javascript:"), None, JS_URL,
                    f"{name}=\"{value}\" on <{t.name}> is a javascript: URL, which the "
                    "Content-Security-Policy blocks",
                    "use a real link target, or a <button> with a listener attached from "
                    "docs/assets/javascripts/"))
            elif name == "style":
                problems.append(Problem(
                    path, line_of(r"\sstyle\s*="), None, INLINE_STYLE,
                    f"style= attribute on <{t.name}> would be blocked by the "
                    "Content-Security-Policy",
                    "give the element a class (attr_list: { .my-class }) and style it in "
                    "docs/assets/stylesheets/"))
    for _ in range(s.styles):
        problems.append(Problem(
            path, line_of(r"<style\b"), None, INLINE_STYLE,
            "<style> block would be blocked by the Content-Security-Policy",
            "move the rules to a stylesheet in docs/assets/stylesheets/"))
    return problems
