#!/usr/bin/env python3
"""Screenshots of a chapter at each depth, on a desktop (1280x800) and a phone (390x844,
touch), in the light and the dark palette, for README.md (written to screenshots/, outside
docs/, so they are not part of the site).

    .venv/bin/python scripts/screenshots.py                 # build, serve, shoot
    .venv/bin/python scripts/screenshots.py --site site/ --chapter chapters/hormone-therapy/

Each picture is the first screen a reader sees after choosing the depth: title, depth
control, summary, and the contents list on a desktop. Needs the system Chromium, as the browser tests do.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from benchmarks.budgets import build  # noqa: E402
from tests.browser.reading import DEPTHS, choose, page_at, serve  # noqa: E402
from tests.conftest import CHROMIUM_FLAGS, Pages, chromium_path  # noqa: E402

OUT = ROOT / "screenshots"


def shoot(site: Path, chapter: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as p, serve(site) as base:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        pages = Pages(browser)
        for size in ("desktop", "phone"):
            for scheme, name in (("default", "light"), ("slate", "dark")):
                with page_at(pages, base, size, scheme) as w:
                    w.goto(chapter)
                    for depth in DEPTHS:
                        choose(w.page, depth)
                        # The top of the page, or (while a chapter still has text above its
                        # depths) the depth control just under the header.
                        w.page.evaluate("""() => { const s = document.querySelector(
                            '.md-content__inner > .tabbed-set');
                          const y = s.getBoundingClientRect().top + scrollY - 140;
                          scrollTo(0, y > 200 ? y : 0); }""")
                        w.page.wait_for_timeout(150)
                        path = OUT / f"{depth.lower()}-{size}-{name}.png"
                        w.page.screenshot(path=str(path))
                        written.append(path)
        pages.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one now)")
    ap.add_argument("--chapter", default="chapters/hormone-therapy/")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        for path in shoot(site, args.chapter):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
