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

Pure: takes and returns text; the MkDocs side is hooks/security.py.
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

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


class Tag:
    """A start tag: its name, its attributes and the offsets of "<" and just after ">".

    The fast scanner leaves the attributes as text until they are asked for: most of a
    page's tags are never looked at.
    """

    __slots__ = ("name", "start", "end", "_attrs", "_text")

    def __init__(self, name: str, attrs: list[tuple[str, str | None]] | None, start: int,
                 end: int, text: tuple[str, int, int] | None = None):
        self.name, self.start, self.end = name, start, end
        self._attrs, self._text = attrs, text  # text: (html, start, end) of the attributes

    @property
    def attrs(self) -> list[tuple[str, str | None]]:
        if self._attrs is None:
            self._attrs = _parse_attrs(*self._text)
            self._text = None
        return self._attrs

    def __eq__(self, other):
        return isinstance(other, Tag) and (self.name, self.attrs, self.start, self.end) == (
            other.name, other.attrs, other.start, other.end)

    def __repr__(self):
        return f"Tag({self.name!r}, {self.attrs!r}, {self.start}, {self.end})"


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
    """The start tags and inline scripts of a page, exactly as :class:`HTMLParser` sees them.

    Pages that MkDocs and Material write are tokenised by :func:`_fast_scan` (the same
    result, several times faster); anything outside its well-formed subset goes to the
    standard library's parser.
    """
    fast = _fast_scan(html)
    return fast if fast is not None else _stdlib_scan(html)


def _stdlib_scan(html: str) -> Scan:
    p = _Parser(html)
    p.feed(html)
    p.close()
    return p.scan


# A fast tokeniser for well-formed HTML, giving what _Parser gives. It accepts only
# constructs that every version of html.parser reads the same way: start tags whose
# attributes are separated by whitespace and quoted or plainly unquoted, end tags, plain
# comments, <!doctype html>, and script/style text without "</" or "<!--" in it. At the
# first "<" it cannot read, it gives up (None) and the standard parser reads the page.
_SP = r"[ \t\n\r\f]"


def _attr(group: str) -> str:
    """One attribute: name, optional = and value (quoted or bare); group "(" captures."""
    g = group
    return (rf"{_SP}+{g}[a-zA-Z_:@][-a-zA-Z0-9_:.@]*)"
            rf"""(?:{_SP}*{g}=){_SP}*(?:"{g}[^"]*)"|'{g}[^']*)'|{g}[^\s"'=<>`]+)(?={_SP}|>)))?""")


_ATTR_RE = re.compile(_attr("("))


def _token(skip_tags: str | None = None) -> re.Pattern:
    """Text, end tags, comments and the doctype (and start tags matching ``skip_tags``) up
    to the next start tag, which is captured, or the end of the text."""
    skip = (rf"</[a-zA-Z][-.a-zA-Z0-9:_]*{_SP}*>"
            rf"|<!--(?![->])(?:[^-]|-(?!-))*-->"
            rf"|<![dD][oO][cC][tT][yY][pP][eE]{_SP}+[hH][tT][mM][lL]{_SP}*>")
    if skip_tags:
        skip += "|" + skip_tags
    return re.compile(
        rf"[^<]*(?:(?:{skip})[^<]*)*"
        rf"(?:<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:{_attr('(?:')})*){_SP}*(?P<slash>/?)>"
        rf"|(?P<end>\Z))")


_TOKEN = _token()
#: Elements whose text some html.parser versions do not tokenise (raw or escapable text):
#: accepted only when their text has no "<" before their end tag.
_RAW_TEXT = {"title", "textarea", "noscript", "iframe", "noembed", "noframes", "xmp",
             "plaintext"}
#: The start tags secure() looks at (and those the scanner itself needs); the others are
#: read inside the regex, as a whole page has hundreds of them. So are the <a> tags that
#: cannot hold an absolute URL (no "//" and no "&" in any value), which secure() skips:
#: the site's navigation and glossary links.
_SECURE_NAMES = ("a", "meta", "head", "script", "style", *sorted(_RAW_TEXT))
_LOCAL_ATTR = (rf"{_SP}+[a-zA-Z_:@][-a-zA-Z0-9_:.@]*"
               rf"""(?:{_SP}*={_SP}*(?:"(?:[^"/&]|/(?!/))*"|'(?:[^'/&]|/(?!/))*'"""
               rf"""|(?:[^\s"'=<>`&/]|/(?!/))+(?={_SP}|>)))?""")
_SECURE_TOKEN = _token(
    rf"<(?!(?i:{'|'.join(_SECURE_NAMES)})(?![a-zA-Z0-9-]))[a-zA-Z][a-zA-Z0-9-]*"
    rf"(?:{_attr('(?:')})*{_SP}*/?>"
    rf"|<[aA](?:{_LOCAL_ATTR})*{_SP}*>")
#: An attribute content_problems() has nothing to say about: not on*=, not style=, and a
#: value that cannot be a javascript: URL (it starts with neither "j" nor a space, and has
#: no character reference).
_PLAIN_ATTR = (rf"{_SP}+(?![oO][nN])(?![sS][tT][yY][lL][eE](?![-a-zA-Z0-9_:.@]))"
               rf"[a-zA-Z_:@][-a-zA-Z0-9_:.@]*"
               rf"""(?:{_SP}*={_SP}*(?:"(?![\sjJ])[^"&]*"|'(?![\sjJ])[^'&]*'"""
               rf"""|(?![jJ])[^\s"'=<>`&]+(?={_SP}|>)))?""")
_CONTENT_TOKEN = _token(
    rf"<(?!(?i:script|style|{'|'.join(sorted(_RAW_TEXT))})(?![a-zA-Z0-9-]))"
    rf"[a-zA-Z][a-zA-Z0-9-]*(?:{_PLAIN_ATTR})*{_SP}*/?>")


def _parse_attrs(html: str, k: int, stop: int) -> list[tuple[str, str | None]]:
    """The attributes in html[k:stop], a run of _ATTR that _TOKEN matched, as _Parser has
    them: names lower-cased, values unquoted and unescaped, None for a bare name."""
    attrs = []
    while k < stop:  # (matched in the whole text: the bare value's lookahead needs it)
        a = _ATTR_RE.match(html, k)
        name, eq, dq, sq, bare = a.groups()
        value = None if not eq else dq if dq is not None else sq if sq is not None else bare
        if value and "&" in value:
            value = unescape(value)
        attrs.append((name.lower(), value))
        k = a.end()
    return attrs


def _fast_scan(html: str, token_re: re.Pattern = _TOKEN) -> Scan | None:
    """_Parser's scan of a well-formed page, else None. With ``_SECURE_TOKEN``, the tags
    named in ``_SECURE_NAMES`` but local links (others may be left out); with
    ``_CONTENT_TOKEN``, the tags with an attribute other than ``_PLAIN_ATTR``."""
    out = Scan()
    tags, scripts = out.tags, out.scripts
    token = token_re.match
    pos = 0
    while True:
        m = token(html, pos)
        if m is None:
            return None  # a "<" the fast path does not read
        pos = m.end()
        name = m.group("tag")
        if name is None:
            return out  # the end of the text
        name = name.lower()
        tags.append(Tag(name, None, m.start("tag") - 1, pos, (html, *m.span("attrs"))))
        slash = m.group("slash")
        if name == "script" or name == "style":
            end_tag = f"</{name}>"
            close = html.find("</", pos)
            if slash or close < 0 or "<!--" in html[pos:close] \
                    or html[close:close + len(end_tag)].lower() != end_tag:
                return None
            if name == "script":
                scripts.append((dict(tags[-1].attrs), pos, close))
            else:
                out.styles += 1
            pos = close + len(end_tag)
        elif name in _RAW_TEXT and (slash or not html.startswith(f"</{name}>",
                                                                 html.find("<", pos))):
            return None


def _may_be_absolute(tag_text: str) -> bool:
    """Whether an <a> tag's text may hold an absolute URL (else _SECURE_TOKEN skips it)."""
    return "//" in tag_text or "&" in tag_text


def secure_relevant(html: str, t: Tag) -> bool:
    """Whether :func:`edits` needs tag ``t`` of ``html`` (the tags _SECURE_TOKEN keeps)."""
    return t.name in _SECURE_NAMES and (t.name != "a" or _may_be_absolute(html[t.start:t.end]))


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


def secure(html: str) -> str:
    """A finished page with its CSP meta tag (no other change: no link opens a new window,
    so no rel="noopener" is needed).

    The CSP goes right after ``<meta charset>`` (or ``<head>``); a page without a head
    (not an HTML document) is returned unchanged.
    """
    return apply(html, edits(html))


def edits(html: str) -> list[tuple[int, int, str]]:
    """What :func:`secure` changes in a page: ``(start, end, new text)``, in page order.

    Depends on nothing but its arguments, so it can be kept between builds, keyed by the
    page (hooks/security.py does so for pages that did not change).
    """
    s = _fast_scan(html, _SECURE_TOKEN) or _stdlib_scan(html)
    anchor = next((t for t in s.tags if t.name == "meta" and any(
        k == "charset" for k, _ in t.attrs)), None) or next(
        (t for t in s.tags if t.name == "head"), None)
    if anchor is None:
        return []
    hashes = [script_hash(html[a:b]) for attrs, a, b in s.scripts if _is_inline_js(attrs)]
    meta = f'\n<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    return [(anchor.end, anchor.end, meta)]


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


#: Text a tag has if it may have an on*= or style= attribute (an attribute name follows a
#: quote, a space or "/") or a javascript: value (as written, or behind a character reference).
_SUSPECT = re.compile(r"""['"\s/](?:on|style)|javascript|&""", re.I)


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

    s = _fast_scan(html, _CONTENT_TOKEN) or _stdlib_scan(html)
    suspect = _SUSPECT.search
    for attrs, _, _ in s.scripts:
        if _is_inline_js(attrs):
            problems.append(Problem(
                path, line_of(r"<script\b"), None, INLINE_SCRIPT,
                "inline <script> would be blocked by the Content-Security-Policy",
                "move the code to docs/assets/javascripts/<feature>.js and list that file "
                "under extra_javascript in mkdocs.yml"))
    for t in s.tags:
        if not suspect(html, t.start, t.end):
            continue  # no on*= or style= attribute, no javascript: value
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
