#!/usr/bin/env python3
"""Page-weight budgets, measured in Chromium with the site served as GitHub Pages serves it.

    .venv/bin/python benchmarks/budgets.py            # build the site, measure, print a table
    .venv/bin/python benchmarks/budgets.py --site site/ --verbose

Two visits in one fresh browser tab (empty cache):
  1. first visit: a chapter (the first in the nav), everything it loads until the network
     is idle, the search index fetched by Material's search worker included;
  2. second page: the next page in the nav, opened in the same tab, so the HTTP cache holds
     what the first visit loaded (Pages allows 10 minutes of caching).

"Transferred" is what crossed the network, compressed: response headers plus encoded body,
as Chromium reports them (Playwright's request sizes, from the DevTools Network events);
a response served from the browser cache counts 0. The server's own count of bytes it
wrote is printed next to it as a check. Not a test: numbers go in the README; the script
exits 1 when a budget is exceeded.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from benchmarks.ghpages import Server  # noqa: E402

BUDGETS = {"first visit (chapter)": 90 * 1024, "second page, same tab": 20 * 1024}


def chromium() -> str:
    """The system Chromium, found the way the tests find it (``dev.find_chromium``)."""
    from dev import find_chromium

    found = find_chromium()
    if not found:
        sys.exit("budgets.py: no Chromium found; install it or set CHROMIUM=/path/to/chrome")
    return found


def nav_pages() -> list[str]:
    from tests.test_site import nav_pages as pages
    return pages()


def url_of(src: str) -> str:
    return "" if src == "index.md" else src[:-3] + "/"


def build(dest: Path) -> Path:
    from tests.sitebuild import env

    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                           "-d", str(dest)], cwd=ROOT, env=env(), capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit("strict build failed:\n" + proc.stdout + proc.stderr)
    return dest


def visit(page, url: str) -> list[dict]:
    """Load ``url`` in ``page``; one row per request: what was transferred for it."""
    rows: list[dict] = []

    def finished(req):
        resp = req.response()
        if resp is None:
            return
        s = req.sizes()
        # Headers + encoded body = DevTools' encodedDataLength; <= 0 when the browser cache
        # answered. A dedicated worker's own script is fetched for the worker, and the
        # page's Network events see its headers only: take its body from Content-Length.
        n = s["responseHeadersSize"] + s["responseBodySize"]
        if n > 0 and s["responseBodySize"] == 0:
            n += int(resp.headers.get("content-length") or 0)
        rows.append({"url": req.url, "status": resp.status, "bytes": max(0, n),
                     "encoding": resp.headers.get("content-encoding", "")})

    page.on("requestfinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("requestfinished", finished)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one now)")
    ap.add_argument("--verbose", action="store_true", help="list every request")
    args = ap.parse_args(argv)

    pages = nav_pages()
    chapters = [p for p in pages if p.startswith("chapters/")]
    first = chapters[0]
    second = pages[pages.index(first) + 1]

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        from playwright.sync_api import sync_playwright

        with Server(site) as server, sync_playwright() as p:
            # No Playwright routing here: it would switch the HTTP cache off. Other hosts
            # are made unresolvable instead.
            browser = p.chromium.launch(executable_path=chromium(), args=[
                "--headless", "--no-sandbox", "--disable-gpu",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            ctx = browser.new_context()
            page = ctx.new_page()
            results = []
            for label, src in zip(BUDGETS, (first, second)):
                server.sent.clear()
                rows = visit(page, server.url + url_of(src))
                results.append((label, src, rows, sum(n for _, n in server.sent)))
            browser.close()

    failed = False
    print(f"{'visit':<24} {'page':<40} {'requests':>8} {'network':>8} "
          f"{'transferred':>12} {'server':>9} {'budget':>8}")
    for label, src, rows, server_bytes in results:
        total = sum(r["bytes"] for r in rows)
        budget = BUDGETS[label]
        over = total > budget
        failed |= over
        net = sum(1 for r in rows if r["bytes"])
        print(f"{label:<24} {url_of(src) or '/':<40} {len(rows):>8} {net:>8} "
              f"{total / 1024:>9.1f} KB {server_bytes / 1024:>6.1f} KB "
              f"{budget / 1024:>5.0f} KB{'  OVER' if over else ''}")
        if args.verbose:
            for r in rows:
                path = urlsplit(r["url"]).path
                how = (r["encoding"] or "-") if r["bytes"] else "cache"
                print(f"    {r['status']:>3} {r['bytes'] / 1024:>7.1f} KB {how:<5} {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
