"""A strict Content-Security-Policy for every built page, and what it would block.

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

Pages are read by lxml (libxml2, whose HTML tokenizer follows HTML5): the scripts to hash,
and the handlers, URLs and styles to report, are the elements and decoded attribute values
the parser gives. The one offset needed, where the policy goes, is that of the tag the
parser found, located in the text by its line.

Pure: takes and returns text; the MkDocs side is hooks/security.py.
"""
from __future__ import annotations

import base64
import hashlib
import re

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

#: What a URL parser drops before it reads the scheme: leading C0 controls and spaces, and
#: tabs and newlines anywhere.
_URL_LEADING = "".join(map(chr, range(0x21)))
_URL_DROPPED = str.maketrans("", "", "\t\n\r")


def _parse(html: str):
    """The element tree libxml2 builds from ``html`` (its tokenizer follows HTML5), or None
    for text with no element at all. Read as UTF-8 bytes: a text declaring another encoding
    is still read as the text it is. (A parser per call: one may not serve two threads, and
    `mkdocs serve` rebuilds in its own. Imported here: a rebuild that finds every page in
    its memo never needs it.)"""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", collect_ids=False)  # no id table: 7 % faster
    return etree.fromstring(html.encode("utf-8"), parser)


def _is_inline_js(attrs) -> bool:
    return "src" not in attrs and (attrs.get("type") or "").strip().lower() in JS_TYPES


def _inline_js(root) -> list[str]:
    return [s.text or "" for s in root.iter("script") if _is_inline_js(s.attrib)]


def inline_scripts(html: str) -> list[str]:
    """The source text of every inline script the browser would run, in page order."""
    root = _parse(html)
    return [] if root is None else _inline_js(root)


def is_javascript_url(value: str) -> bool:
    """Whether a URL attribute's value (entity-decoded) is a javascript: URL as a browser
    reads it: ``" java&#9;script:x"`` is one (leading spaces and controls stripped, tabs
    and newlines dropped); ``"&nbsp;javascript:x"`` is a relative URL."""
    value = value.lstrip(_URL_LEADING)
    return value[:1] in ("j", "J") and \
        value.translate(_URL_DROPPED)[:11].lower() == "javascript:"


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


def secure(html: str) -> str:
    """A finished page with its CSP meta tag (no other change: no link opens a new window,
    so no rel="noopener" is needed).

    The CSP goes right after ``<meta charset>`` (or ``<head>``); a page without a head
    (not an HTML document) is returned unchanged.
    """
    return apply(html, edits(html))


def edits(html: str, content: tuple[int, int] | None = None) -> list[tuple[int, int, str]]:
    """What :func:`secure` changes in a page: ``(start, end, new text)``, in page order.

    ``content``: where in ``html`` the page's own content is (``html[start:end]``), when
    :func:`content_problems` has read it already: it is then left out of this reading (an
    inline script there is an error, never a script to allow), which spares parsing it a
    second time; the rest of the page reads as it does around it, so the edits are the
    same. (Content whose markup runs on into the template, e.g. an unclosed comment, would
    hide the template's later scripts from the browser but not from this reading: their
    hashes would be allowed needlessly, never missing.)

    Depends on nothing but its arguments, so it can be kept between builds, keyed by the
    page (hooks/security.py does so for pages that did not change).
    """
    if content is not None:
        start, end = content
        found = edits(html[:start] + html[end:])
        if found and all(at <= start for at, _, _ in found):  # in the head, before it
            return found
    root = _parse(html)
    head = None if root is None else root.find("head")
    if head is None:
        return []
    charset = head.find("meta[@charset]")
    anchor = (_tag_end(html, "meta", charset.sourceline, "charset") if charset is not None
              else None) or _tag_end(html, "head", head.sourceline)
    if anchor is None:
        return []  # a head the parser implied: no tag to put the policy after
    hashes = [script_hash(text) for text in _inline_js(root)]
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    return [(anchor, anchor, meta)]


def _tag_end(html: str, name: str, line: int, having: str = "") -> int | None:
    """The offset just after the first ``<name ...>`` start tag of ``html`` that ends on
    ``line`` (the parser's ``sourceline``: where the tag's ">" is) and has ``having`` in it.

    The parser says which element; this finds its tag in the text, as lxml gives no offsets.
    """
    tag = re.compile(rf"""<{name}(?=[\s/>])(?:"[^"]*"|'[^']*'|[^"'>])*>""", re.I)
    for m in tag.finditer(html):
        at = html.count("\n", 0, m.end()) + 1
        if at > line:
            return None
        if at == line and having in m.group().lower():
            return m.end()
    return None


def apply(html: str, changes) -> str:
    """``html`` with the :func:`edits` made."""
    parts, pos = [], 0
    for start, end, new in changes:
        parts += [html[pos:start], new]
        pos = end
    return "".join(parts) + html[pos:] if parts else html


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

    root = _parse(html)
    if root is None:
        return problems
    from lxml.etree import Element

    for _ in _inline_js(root):
        problems.append(Problem(
            path, line_of(r"<script\b"), None, INLINE_SCRIPT,
            "inline <script> would be blocked by the Content-Security-Policy",
            "move the code to docs/assets/javascripts/<feature>.js and list that file "
            "under extra_javascript in mkdocs.yml"))
    for element in root.iter(Element):
        for name, value in element.items():
            if name.startswith("on"):
                problems.append(Problem(
                    path, line_of(rf"\s{re.escape(name)}\s*="), None, INLINE_HANDLER,
                    f"event handler attribute {name}= on <{element.tag}> would be blocked by "
                    "the Content-Security-Policy",
                    "remove the attribute and attach the listener from a script in "
                    "docs/assets/javascripts/"))
            elif name in URL_ATTRS and is_javascript_url(value):
                problems.append(Problem(
                    path, line_of(r"javascript:"), None, JS_URL,
                    f"{name}=\"{value}\" on <{element.tag}> is a javascript: URL, which the "
                    "Content-Security-Policy blocks",
                    "use a real link target, or a <button> with a listener attached from "
                    "docs/assets/javascripts/"))
            elif name == "style":
                problems.append(Problem(
                    path, line_of(r"\sstyle\s*="), None, INLINE_STYLE,
                    f"style= attribute on <{element.tag}> would be blocked by the "
                    "Content-Security-Policy",
                    "give the element a class (attr_list: { .my-class }) and style it in "
                    "docs/assets/stylesheets/"))
    for _ in root.iter("style"):
        problems.append(Problem(
            path, line_of(r"<style\b"), None, INLINE_STYLE,
            "<style> block would be blocked by the Content-Security-Policy",
            "move the rules to a stylesheet in docs/assets/stylesheets/"))
    return problems
