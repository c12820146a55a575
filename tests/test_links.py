"""Every internal link and #anchor of the built site, checked in-process (medsite.linkcheck)
over the HTML files in about a second; links to other hosts are never fetched here.

`pytest tests/test_links.py --external-links` (the weekly external-links workflow) also runs
linkchecker over the site served on 127.0.0.1 and fetches every external link; that run
asserts that it really checked (anchors on, external links fetched), so it cannot pass by
checking nothing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from medsite import linkcheck as inprocess
from medsite.serve import base_path
from tests.sitebuild import ROOT

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
CONFIG = Path(__file__).with_name("linkcheckerrc")
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, every request fails


@dataclass
class Result:
    url: str
    parent: str
    line: str
    valid: bool
    result: str
    warnings: list[str]
    external: bool

    def __str__(self) -> str:
        why = "; ".join(self.warnings) or self.result
        return f"{self.parent} line {self.line}: {self.url}: {why}"


def linkcheck(url: str, external: bool = False, *extra: str) -> tuple[int, list[Result], str]:
    """Run linkchecker on ``url``: (exit code, one Result per link checked, stderr)."""
    # As root, linkchecker drops its privileges to `nobody`, which cannot read a file in a
    # clone under a mode-700 folder: the anchor plugin would be silently off. So its settings
    # are read from a copy in a folder anyone can read.
    readable = Path(tempfile.mkdtemp(prefix="linkcheckerrc-"))
    readable.chmod(0o755)
    config = readable / "linkcheckerrc"
    shutil.copyfile(CONFIG, config)
    config.chmod(0o644)
    cmd = [str(LINKCHECKER), "-f", str(config), "--no-status", "-v", "-o", "xml", *extra, url]
    env = dict(os.environ)
    if external:
        cmd.insert(1, "--check-extern")
    else:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[var] = DEAD_PROXY
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    finally:
        shutil.rmtree(readable, ignore_errors=True)
    results = []
    for item in ET.fromstring(proc.stdout).iter("urldata"):
        valid = item.find("valid")
        parent = item.find("parent")
        results.append(Result(
            url=item.findtext("url", ""), parent=item.findtext("parent", ""),
            line=parent.get("line", "?") if parent is not None else "?",
            valid=valid is not None and valid.text == "1",
            result=valid.get("result", "") if valid is not None else "",
            warnings=[w.text or "" for w in item.iter("warning")],
            external=item.find("extern") is not None and item.findtext("extern") == "1"))
    return proc.returncode, results, proc.stderr


def failures(results: list[Result]) -> list[Result]:
    return [r for r in results if not r.valid or r.warnings]


BASE = base_path(ROOT)  # "/guide/", from site_url


@pytest.fixture(scope="module")
def checked(site_dir):
    start = time.perf_counter()
    report = inprocess.check(site_dir, BASE)
    return report, time.perf_counter() - start


def test_internal_links_and_anchors(checked, site_dir):
    report, seconds = checked
    assert report.problems == [], "\n".join(report.problems)
    # It really checked the site: every page, every kind of link.
    assert report.pages == len(list(site_dir.rglob("*.html"))) >= 10
    assert report.links > 1000 and report.anchors > 500 and report.depth_links >= 3
    assert report.external, "no external link seen"
    print(f"\nin-process link check: {report.pages} pages, {report.ids} ids, {report.links} "
          f"internal links ({report.anchors} anchors, {report.depth_links} ?level= links), "
          f"{len(report.external)} external URLs not fetched, in {seconds:.2f} s")


def _broken_copy(site_dir: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    home = site / "index.html"
    html = home.read_text(encoding="utf-8")
    home.write_text(html.replace(
        "<h1", '<p><a href="references/#no-such-anchor">bad anchor</a> '
               '<a href="no-such-page/">missing page</a> '
               '<a href="about/?level=expert">bad depth</a> '
               '<a href="references/?level=academic">depth on a page without tabs</a> '
               '<img src="assets/none.svg" alt="x"> '
               '<a href="/elsewhere/">outside</a></p><h1', 1), encoding="utf-8")
    return site


def test_a_broken_anchor_link_depth_and_image_fail_with_their_line(site_dir, tmp_path):
    """The check can fail: a copy of the site whose home page has one of each mistake."""
    site = _broken_copy(site_dir, tmp_path)
    line = next(i for i, t in enumerate((site / "index.html").read_text().splitlines(), 1)
                if "no-such-anchor" in t)
    report = inprocess.check(site, BASE)
    assert report.problems == [
        f'index.html:{line}: <a href="references/#no-such-anchor">: \'references/index.html\' '
        "has no id 'no-such-anchor'",
        f'index.html:{line}: <a href="no-such-page/">: the site has no file for \'no-such-page/\'',
        f'index.html:{line}: <a href="about/?level=expert">: ?level=expert is not a depth: use '
        "one of fundamentals, intermediate, academic",
        f'index.html:{line}: <a href="references/?level=academic">: ?level= on '
        "'references/index.html', a page without depth tabs",
        f'index.html:{line}: <img src="assets/none.svg">: the site has no file for '
        "'assets/none.svg'",
        f'index.html:{line}: <a href="/elsewhere/">: leaves the site\'s path /guide/: write it '
        "relative to the page",
    ]


def test_the_command_line_exits_1_and_names_each_problem(site_dir, tmp_path):
    site = _broken_copy(site_dir, tmp_path)
    r = subprocess.run([sys.executable, "-m", "medsite.linkcheck", str(site), "--base", BASE],
                       cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT / "hooks")),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert len(r.stdout.splitlines()) == 6
    assert "6 problems" in r.stderr


# --- the weekly external-link run (linkchecker, network) ---------------------------------

@pytest.mark.external
def test_linkcheckers_anchor_check_is_on(site_dir, tmp_path):
    """The weekly run's own proof that linkchecker checks anchors (its plugin reads
    tests/linkcheckerrc; unread, it would pass every anchor without a word)."""
    import functools
    import http.server
    import threading

    from tests.conftest import _QuietHandler

    site = _broken_copy(site_dir, tmp_path)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        code, results, _ = linkcheck(url, False, "--recursion-level=1")
    finally:
        server.shutdown()
    bad = {r.url: r for r in failures(results)}
    assert "references/#no-such-anchor" in bad and "no-such-page/" in bad, bad
    assert bad["references/#no-such-anchor"].warnings[0].startswith(
        "Anchor `no-such-anchor' (decoded: `no-such-anchor') not found.")
    assert code == 1


@pytest.mark.external
def test_external_links(site_url):
    """Runs only in the weekly workflow (pytest --external-links); it must really check:
    linkchecker's anchor plugin on, and external links fetched, not filtered."""
    code, results, stderr = linkcheck(site_url, external=True)
    assert failures(results) == [], "\n".join(map(str, failures(results)))
    assert code == 0, stderr
    fetched = [r for r in results if r.external and r.result not in ("filtered", "ignored")]
    assert len(fetched) >= 10, f"only {len(fetched)} external links were fetched"
    assert any("#" in r.url and r.valid for r in results if not r.external)
