"""Every internal link and #anchor of a built site, checked in-process over its HTML files.

    PYTHONPATH=hooks .venv/bin/python -m medsite.linkcheck site/ [--base /guide/]

For every HTML file of the site it reads each ``href``/``src``/``srcset`` (a, link, area,
img, script, source, iframe, video, audio) and each ``id``/``name``, and resolves every URL
that stays on the site the way a browser does from that page's URL:

- the target must be a file of the site (a folder URL means its ``index.html``);
- a ``#fragment`` must be an ``id`` (or ``<a name>``) of the target page;
- a ``?level=`` depth link must name a depth (fundamentals, intermediate, academic) and
  point at a page that has depth tabs; other query strings are kept but not interpreted;
- a root-relative URL (``/x``) must stay under the site's path (``site_url``'s, e.g. ``/guide/``).

Links to other hosts (``https:``, ``mailto:``, ...) are collected, never fetched: the weekly
external-links workflow fetches them with linkchecker. Nothing here imports MkDocs.
"""
from __future__ import annotations

import os
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit, parse_qs

DEPTHS = ("fundamentals", "intermediate", "academic")
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset"),
    "script": ("src",), "source": ("src", "srcset"), "iframe": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
}


@dataclass
class Link:
    page: str    # site-relative path of the HTML file, e.g. "chapters/x/index.html"
    line: int
    tag: str
    attr: str
    url: str


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    depth_tabs: bool = False


class _Reader(HTMLParser):
    def __init__(self, rel: str):
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name == "class" and "tabbed-set" in value.split():
                self.page.depth_tabs = True
            elif name in URL_ATTRS.get(tag, ()):
                urls = ([u.strip().split()[0] for u in value.split(",") if u.strip()]
                        if name == "srcset" else [value.strip()])
                self.page.links += [Link(self.rel, line, tag, name, u) for u in urls]

    handle_startendtag = handle_starttag


@dataclass
class Report:
    pages: int = 0
    links: int = 0          # internal URLs checked
    anchors: int = 0        # of which with a #fragment checked against ids
    depth_links: int = 0    # of which ?level= links
    ids: int = 0
    external: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def read_site(site: Path) -> dict[str, Page]:
    pages = {}
    for dirpath, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                path = Path(dirpath, name)
                rel = path.relative_to(site).as_posix()
                reader = _Reader(rel)
                reader.feed(path.read_text(encoding="utf-8", errors="replace"))
                reader.close()
                pages[rel] = reader.page
    return pages


def check(site: Path, base: str = "/") -> Report:
    """Check every internal link and anchor of the site in ``site``, served under ``base``."""
    site = Path(site)
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    pages = read_site(site)
    report = Report(pages=len(pages), ids=sum(len(p.ids) for p in pages.values()))
    files: dict[str, bool] = {}

    def is_file(rel: str) -> bool:
        if rel not in files:
            files[rel] = (site / rel).is_file()
        return files[rel]

    for rel, page in sorted(pages.items()):
        here = posixpath.dirname(rel)
        for link in page.links:
            url = link.url
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto", "tel", "data", "blob"):
                    report.problems.append(_say(link, f"scheme '{parts.scheme}:' is not a link "
                                                      "a reader can follow"))
                else:
                    report.external.add(url)
                continue
            report.links += 1
            path = unquote(parts.path)
            if path.startswith("/"):
                if not (path + "/").startswith(base) and path != base.rstrip("/"):
                    report.problems.append(_say(link, f"leaves the site's path {base}: write "
                                                      "it relative to the page"))
                    continue
                target = path[len(base):] if path.startswith(base) else ""
            elif path:
                target = posixpath.normpath(posixpath.join(here, path))
                if path.endswith("/") and target != ".":
                    target += "/"
                if target.startswith(".."):
                    report.problems.append(_say(link, "goes above the site's root folder"))
                    continue
            else:
                target = rel  # "#x" or "?level=x" on the page itself
            target = "" if target == "." else target
            resolved = _file_of(target, is_file)
            if resolved is None:
                report.problems.append(_say(link, f"the site has no file for '{target or '/'}'"))
                continue
            query = parse_qs(parts.query)
            if "level" in query:
                report.depth_links += 1
                value = query["level"][0].lower()
                if value not in DEPTHS:
                    report.problems.append(_say(link, f"?level={query['level'][0]} is not a "
                                                      f"depth: use one of {', '.join(DEPTHS)}"))
                elif resolved.endswith(".html") and not pages[resolved].depth_tabs:
                    report.problems.append(_say(link, f"?level= on '{resolved}', a page "
                                                      "without depth tabs"))
            if parts.fragment and resolved.endswith(".html"):
                report.anchors += 1
                anchor = unquote(parts.fragment)
                if anchor not in pages[resolved].ids:
                    report.problems.append(_say(link, f"'{resolved}' has no id '{anchor}'"))
    return report


def _file_of(target: str, is_file) -> str | None:
    """The file a site-relative URL path is served from, or None."""
    if target == "" or target.endswith("/"):
        index = f"{target}index.html"
        return index if is_file(index) else None
    if is_file(target):
        return target
    if is_file(f"{target}/index.html"):
        return f"{target}/index.html"  # a server redirects a folder to folder/
    return None


def _say(link: Link, what: str) -> str:
    return f"{link.page}:{link.line}: <{link.tag} {link.attr}=\"{link.url}\">: {what}"


def main(argv: list[str]) -> int:
    import argparse
    import time

    parser = argparse.ArgumentParser(prog="python -m medsite.linkcheck")
    parser.add_argument("site", type=Path)
    parser.add_argument("--base", default="/", help="the path the site is served under")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    r = check(args.site, args.base)
    for p in r.problems:
        print(p)
    print(f"{r.pages} pages, {r.ids} ids, {r.links} internal links ({r.anchors} with an anchor, "
          f"{r.depth_links} depth links), {len(r.external)} external URLs not fetched; "
          f"{len(r.problems)} problems in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 1 if r.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
