#!/usr/bin/env python3
"""Two independent checkers over the built site, beside the axe-core tests:

- the Nu Html Checker (vnu.jar, the W3C validator) on every HTML page: 0 errors, except
  Material's deliberate autocomplete="off" on its hidden toggle checkboxes (it stops Firefox
  restoring a drawer or search toggle on back/forward), which are counted apart;
- HTML_CodeSniffer through pa11y (WCAG 2 AA) in Chromium, on every page in the nav, each
  chapter once per depth (chosen with ?level=): 0 errors.

    .venv/bin/python benchmarks/validate.py              # build, serve, check, print
    .venv/bin/python benchmarks/validate.py --site site/

Both are installed on first use with npm into .cache/validate/ (git-ignored), pinned below;
Java is the system one, Chromium the system one (as the tests find it: dev.find_chromium),
told to resolve no host but 127.0.0.1. Offline after the first install; about 40 s on this
machine. Exits 1 on any error. Not part of the pytest run (it needs Node and Java).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from benchmarks.budgets import build, chromium, nav_pages, url_of  # noqa: E402
from benchmarks.ghpages import Server  # noqa: E402

PACKAGES = ["vnu-jar@26.9.27", "pa11y@9.1.1"]
PREFIX = ROOT / ".cache" / "validate"
VNU = PREFIX / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DEPTHS = ["fundamentals", "intermediate", "academic"]

# pa11y in one Chromium for every URL (a process per URL would take 3 s each).
PA11Y = r"""
const pa11y = require('pa11y');
const puppeteer = require('puppeteer');
(async () => {
  const urls = JSON.parse(process.argv[process.argv.length - 1]);
  const browser = await puppeteer.launch({executablePath: process.env.CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']});
  const out = [];
  for (const url of urls) {
    const r = await pa11y(url, {browser, standard: 'WCAG2AA', runners: ['htmlcs'],
                                timeout: 60000, includeWarnings: false});
    out.push({url, issues: r.issues.filter(i => i.type === 'error')
      .map(i => ({code: i.code, message: i.message, selector: i.selector,
                  context: (i.context || '').slice(0, 160)}))});
  }
  await browser.close();
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(2); });
"""


def ensure_tools() -> None:
    if not VNU.exists() or not (PREFIX / "node_modules" / "pa11y").exists():
        PREFIX.mkdir(parents=True, exist_ok=True)
        print(f"installing {' '.join(PACKAGES)} into {PREFIX.relative_to(ROOT)}/", flush=True)
        subprocess.run(["npm", "i", "-E", *PACKAGES, "--no-audit", "--no-fund",
                        "--loglevel=error"], cwd=PREFIX, check=True,
                       env={**__import__("os").environ, "PUPPETEER_SKIP_DOWNLOAD": "1"})


def is_material_toggle(msg: dict) -> bool:
    """Material's <input class="md-toggle|md-option" type="checkbox|radio" autocomplete="off">."""
    extract = msg.get("extract", "")
    return ("autocomplete" in msg.get("message", "") and 'autocomplete="off"' in extract
            and ('class="md-toggle"' in extract or 'class="md-option"' in extract))


def nu_checker(site: Path) -> tuple[list[str], int]:
    proc = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--skip-non-html",
                           str(site)], capture_output=True, text=True)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors, allowed = [], 0
    for m in messages:
        if m.get("type") != "error":
            continue
        if is_material_toggle(m):
            allowed += 1
            continue
        where = m.get("url", "").split(str(site.resolve()), 1)[-1].lstrip("/")
        errors.append(f"{where}:{m.get('lastLine', '?')}: {m['message']}")
    return errors, allowed


def html_codesniffer(base: str) -> tuple[list[str], int]:
    urls = []
    for src in nav_pages():
        if src.startswith("chapters/"):
            urls += [f"{base}{url_of(src)}?level={d}" for d in DEPTHS]
        else:
            urls.append(base + url_of(src))
    proc = subprocess.run(["node", "-e", PA11Y, json.dumps(urls)], cwd=PREFIX,
                          capture_output=True, text=True,
                          env={**__import__("os").environ, "CHROMIUM": chromium()})
    if proc.returncode:
        sys.exit("pa11y failed:\n" + proc.stderr[-2000:])
    errors = []
    for page in json.loads(proc.stdout):
        for i in page["issues"]:
            errors.append(f"{page['url'].replace(base, '/')}: {i['code']}: {i['message']} "
                          f"[{i['selector']}] {i['context']}")
    return errors, len(urls)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: build one now)")
    args = ap.parse_args(argv)
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        pages = len(list(site.rglob("*.html")))
        vnu_errors, allowed = nu_checker(site)
        print(f"Nu Html Checker: {pages} pages, {len(vnu_errors)} errors "
              f"(+{allowed} allowed: Material's autocomplete=\"off\" on its toggles)")
        for e in vnu_errors:
            print("  " + e)
        with Server(site) as server:
            cs_errors, checked = html_codesniffer(server.url)
        print(f"HTML_CodeSniffer (pa11y, WCAG 2 AA): {checked} page views, "
              f"{len(cs_errors)} errors")
        for e in cs_errors:
            print("  " + e)
    return 1 if vnu_errors or cs_errors else 0


if __name__ == "__main__":
    sys.exit(main())
