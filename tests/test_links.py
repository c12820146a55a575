"""Every internal link and #anchor of the built site, checked by linkchecker over http.

linkchecker cannot check anchors of directory URLs (about/#x) on plain files, so the site is
served on 127.0.0.1 (the site_url fixture). Links to other hosts are only syntax-checked,
and any request that tried to leave would hit a dead proxy and show up as a failure;
`pytest tests/test_links.py --external-links` (the weekly external-links workflow) checks
them for real.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _QuietHandler

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
    cmd = [str(LINKCHECKER), "-f", str(CONFIG), "--no-status", "-v", "-o", "xml", *extra, url]
    env = dict(os.environ)
    if external:
        cmd.insert(1, "--check-extern")
    else:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[var] = DEAD_PROXY
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
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


@pytest.fixture(scope="module")
def crawl(site_url, request):
    """One linkchecker run over the real site (externals too with --external-links)."""
    return linkcheck(site_url, external=request.config.getoption("--external-links"))


def test_internal_links_and_anchors(crawl):
    code, results, stderr = crawl
    assert failures(results) == [], "\n".join(map(str, failures(results)))
    assert code == 0, stderr
    # It really crawled the site: every page, and links with anchors.
    checked = {r.url for r in results if r.valid and not r.external}
    assert {"about/", "references/", "glossary/"} <= {u.split("#")[0] for u in checked}
    assert any("#" in u for u in checked)


def test_without_the_flag_no_request_leaves_the_machine(crawl, request):
    """Links to other hosts are seen but not fetched: only syntax-checked ("filtered"), or
    not fetchable at all ("ignored": data: and mailto: URLs). A fetch would have gone to
    the dead proxy and failed."""
    if request.config.getoption("--external-links"):
        return  # the weekly workflow fetches them on purpose
    _, results, _ = crawl
    external = [r for r in results if r.external]
    assert any(r.url.startswith("https://") for r in external), "no external link seen"
    assert [str(r) for r in external if r.result not in ("filtered", "ignored")] == []


@contextlib.contextmanager
def served(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_broken_anchor_and_a_broken_link_fail(site_dir, tmp_path):
    """The check can fail: a copy of the site whose home page has a bad anchor and a link to
    a missing page (checked one level deep from there, to keep it quick)."""
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    home = site / "index.html"
    html = home.read_text(encoding="utf-8")
    home.write_text(html.replace(
        "<h1", '<p><a href="references/#no-such-anchor">bad anchor</a> '
               '<a href="no-such-page/">missing page</a></p><h1', 1), encoding="utf-8")
    with served(site) as url:
        code, results, _ = linkcheck(url, False, "--recursion-level=1")
    bad = {r.url: r for r in failures(results)}
    assert set(bad) == {"references/#no-such-anchor", "no-such-page/"}, \
        "\n".join(map(str, bad.values()))
    assert bad["no-such-page/"].result.startswith("404")
    assert bad["references/#no-such-anchor"].warnings[0].startswith(
        "Anchor `no-such-anchor' (decoded: `no-such-anchor') not found.")
    assert code == 1
