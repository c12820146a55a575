#!/usr/bin/env python3
"""Lighthouse scores (mobile) for the landing page and the first chapter, with the site
served as GitHub Pages serves it (benchmarks/ghpages.py: gzip, 10-minute cache, /guide/).

    .venv/bin/python benchmarks/lighthouse.py              # build, serve, run, print scores
    .venv/bin/python benchmarks/lighthouse.py --site site/

Lighthouse 12.2.3 (Node 20) is installed on first use with `npm i -E lighthouse@12.2.3`
into .cache/lighthouse/ (git-ignored); Chromium is the system one (CHROME_PATH, else
found as the tests find it: dev.find_chromium), told to resolve no host but 127.0.0.1.
Prints the four category scores per page and every audit that cost points. Exits 1 when a
score is below 100.

    .venv/bin/python benchmarks/lighthouse.py --all        # every page of the nav

Lighthouse's simulated throttling multiplies the main-thread time it observes by four, so
other work on the machine inflates Total Blocking Time. Where the system allows it (as
root), this script, its server, Lighthouse and Chromium run at real-time round-robin
priority 1, so that a busy machine measures what a quiet one would; the first line says
which.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from benchmarks.budgets import build, chromium, nav_pages, url_of  # noqa: E402
from benchmarks.ghpages import Server  # noqa: E402

VERSION = "12.2.3"
PREFIX = ROOT / ".cache" / "lighthouse"
BIN = PREFIX / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu " \
               "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"


def ensure_lighthouse() -> Path:
    if not BIN.exists():
        PREFIX.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse {VERSION} into {PREFIX.relative_to(ROOT)}/", flush=True)
        subprocess.run(["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund",
                        "--loglevel=error"], cwd=PREFIX, check=True)
    return BIN


def realtime() -> bool:
    """Real-time round-robin priority 1 for this process and what it starts, if allowed."""
    try:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1))
    except (AttributeError, OSError):
        return False
    return True


def run(url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH") or chromium())
    subprocess.run([str(ensure_lighthouse()), url, "--quiet", "--output=json",
                    f"--output-path={out}", f"--only-categories={','.join(CATEGORIES)}",
                    f"--chrome-flags={CHROME_FLAGS}"],  # mobile form factor is the default
                   env=env, check=True)
    return json.loads(out.read_text())


def lost_points(report: dict) -> list[str]:
    """Audits that cost points, per category: id, score, title, and a detail or two."""
    lines = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                detail = audit.get("displayValue") or ""
                items = (audit.get("details") or {}).get("items") or []
                for item in items[:2]:
                    node = item.get("node") or {}
                    detail += " " + (node.get("snippet") or item.get("url") or "")[:120]
                lines.append(f"    {cat}: {ref['id']} ({audit['score']}) {audit['title']}"
                             f"{': ' + detail.strip() if detail.strip() else ''}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one now)")
    ap.add_argument("--all", action="store_true",
                    help="every page of the nav (default: the home page and the first chapter)")
    args = ap.parse_args(argv)
    pages = nav_pages() if args.all else \
        ["index.md", next(p for p in nav_pages() if p.startswith("chapters/"))]
    ensure_lighthouse()
    print("priority: " + ("real-time (round-robin 1)" if realtime() else
                          "normal (other work on this machine inflates blocking time)"))
    worst = 100
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        with Server(site) as server:
            print(f"{'page':<40} " + " ".join(f"{c:>14}" for c in CATEGORIES))
            for src in pages:
                report = run(server.url + url_of(src), Path(tmp) / "report.json")
                scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
                worst = min(worst, *scores)
                print(f"{url_of(src) or '/':<40} " + " ".join(f"{s:>14}" for s in scores))
                for line in lost_points(report):
                    print(line)
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
