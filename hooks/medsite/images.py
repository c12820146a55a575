"""Images and raw-HTML links of a Markdown page: alt text, and relative URLs that resolve.

MkDocs checks the targets of Markdown links and images, but not what raw HTML says, and
nothing checks alt text. :func:`check` reports, at ``file:line:col``:

- an image without alt text: ``![](x.svg)``, or ``<img>`` with no ``alt`` attribute (write
  ``alt=""`` on purpose for a decorative image);
- a raw ``<img src>`` or ``<a href>`` with a relative URL that does not resolve on the site.
  MkDocs leaves raw HTML as written, so the browser resolves it against the page's URL
  (``chapters/x/`` for ``chapters/x.md``), not against the Markdown file's folder.

Code blocks, inline code and HTML comments are skipped. Nothing here imports MkDocs.
"""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import unquote, urlsplit

from medsite.diagnostics import Problem, line_col, register
from medsite.mdsource import prose

NO_ALT = register("image-alt-missing", "an image has no alt text")
UNRESOLVED = register("html-url-unresolved",
                      "a raw HTML src or href is a relative URL that does not resolve on the site")

# ![alt](target) with balanced brackets one level deep; the alt is group 1.
_MD_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)")
_TAG = re.compile(r"<(img|a)\b[^>]*>", re.I)


class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = {k.lower(): v for k, v in attrs}

    handle_startendtag = handle_starttag


def _attrs(tag: str) -> dict[str, str | None]:
    p = _Attrs()
    p.feed(tag)
    p.close()
    return p.attrs


def page_url_dir(src_uri: str) -> str:
    """The folder of the page's URL with directory URLs: ``chapters/x.md`` -> ``chapters/x/``,
    ``chapters/index.md`` -> ``chapters/``."""
    stem, _ = posixpath.splitext(src_uri)
    if posixpath.basename(stem) in ("index", "README"):
        d = posixpath.dirname(stem)
    else:
        d = stem
    return f"{d}/" if d else ""


def _is_relative(url: str) -> bool:
    if not url or url.startswith(("#", "/", "?")):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def resolves(target: str, exists: Callable[[str], bool]) -> bool:
    """Whether a site path (relative to the site root, no leading slash) is served:
    a file under docs/, a page's folder URL, or a folder with an index page."""
    target = target.strip("/")
    if target in ("", "."):
        return True
    if exists(target) and not target.endswith(".md"):
        return True
    stem = target
    return (exists(f"{stem}.md") or exists(f"{stem}/index.md") or exists(f"{stem}/README.md")
            or (target.endswith(".html") and exists(target[:-5] + ".md")))


def check(path: str, src_uri: str, text: str, exists: Callable[[str], bool]) -> list[Problem]:
    """Problems of one page. ``path``: how authors see the file (e.g. ``docs/about.md``);
    ``src_uri``: its path inside docs/; ``exists(rel)``: whether docs/<rel> is a file."""
    body = prose(text, front_matter=True)
    problems: list[Problem] = []
    for m in _MD_IMAGE.finditer(body):
        if not m.group(1).strip():
            line, col = line_col(text, m.start())
            name = m.group(2) or "the image"
            problems.append(Problem(path, line, col, NO_ALT,
                                    f"image '{name}' has no alt text",
                                    "describe what it shows between the brackets: "
                                    f"![what the image shows]({m.group(2)})"))
    here = page_url_dir(src_uri)
    for m in _TAG.finditer(body):
        tag = m.group(1).lower()
        attrs = _attrs(m.group(0))
        line, col = line_col(text, m.start())
        if tag == "img" and "alt" not in attrs:
            problems.append(Problem(path, line, col, NO_ALT,
                                    f"<img src=\"{attrs.get('src') or ''}\"> has no alt attribute",
                                    'add alt="what the image shows" (alt="" only for a purely '
                                    "decorative image)"))
        attr = "src" if tag == "img" else "href"
        url = (attrs.get(attr) or "").strip()
        if not _is_relative(url):
            continue
        target_path = unquote(urlsplit(url).path)
        if not target_path:
            continue
        on_site = posixpath.normpath(posixpath.join(here, target_path))
        if on_site.startswith("..") or not resolves(on_site, exists):
            problems.append(Problem(path, line, col, UNRESOLVED,
                                    f"<{tag} {attr}=\"{url}\"> does not resolve: MkDocs leaves "
                                    f"raw HTML as written, so the browser reads it from the "
                                    f"page's URL ({here or 'the site root'}) as {on_site}, "
                                    "which the site does not have",
                                    _fix(src_uri, here, target_path, url, exists)))
    return problems


def _fix(src_uri: str, here: str, target_path: str, url: str, exists) -> str:
    """Suggest the URL that reaches the file the author meant (relative to the .md file)."""
    meant = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target_path))
    is_page = meant.endswith(".md") and exists(meant)
    if not meant.startswith("..") and (is_page or resolves(meant, exists)):
        if is_page:
            meant = page_url_dir(meant)
        suffix = url[len(url.split("#", 1)[0].split("?", 1)[0]):]
        better = posixpath.relpath(meant or ".", here.rstrip("/") or ".")
        if (meant.endswith("/") or not meant) and not better.endswith("/"):
            better += "/"
        return f"write {better + suffix!r}, or use Markdown, whose links MkDocs rewrites and checks"
    return "point it at a file under docs/, relative to the page's URL, or use Markdown"
