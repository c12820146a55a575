"""The preview's parts without a running site (tests/test_serve.py runs the real one):
the staging folders, what the terminal shows of a build, the reload script, a busy port."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest

from medsite import serve
from tests.sitebuild import ROOT


@pytest.fixture
def site(tmp_path):
    s = serve.Site(tmp_path)
    s.served.mkdir()
    (s.served / "index.html").write_text("good")
    return s


def test_publish_swaps_in_the_finished_build_and_wakes_the_pages(site):
    site.staging.mkdir()
    (site.staging / "index.html").write_text("new")
    before = site.epoch
    site.publish()
    assert (site.served / "index.html").read_text() == "new"
    assert not site.staging.exists() and not site.served.with_name("site.old").exists()
    assert site.epoch == before + 1
    assert site.wait(before, timeout=0.01) == before + 1  # a waiting page returns at once


def test_discard_keeps_the_last_good_build(site):
    site.staging.mkdir()
    (site.staging / "half.html").write_text("half")
    site.discard()
    assert (site.served / "index.html").read_text() == "good"
    assert not site.staging.exists()


def test_the_terminal_gets_the_problems_without_mkdocs_summaries():
    output = (
        "INFO    -  Cleaning site directory\n"
        "ERROR   -  docs/chapters/a.md:4: 'reviewed: 2026-11-31' is not a date: November has "
        "30 days; 30 November is the last day: write 2026-11-30, or the date you meant\n"
        "WARNING -  Doc file 'a.md' contains a link 'b.md', but the target is not found\n"
        "ERROR   -  1 review date error: fix the file named above and build again.\n"
        "\nAborted with a BuildError!\n")
    assert serve.problems_of(output) == [
        "ERROR   -  docs/chapters/a.md:4: 'reviewed: 2026-11-31' is not a date: November has "
        "30 days; 30 November is the last day: write 2026-11-30, or the date you meant",
        "WARNING -  Doc file 'a.md' contains a link 'b.md', but the target is not found"]


def test_script_tag_goes_before_the_last_body_end():
    tag = serve.script_tag(12)
    assert tag == b'<script src="/livereload.js" data-epoch="12"></script>'
    assert serve.inject(b"<body>a</body></html>", tag) == b"<body>a" + tag + b"</body></html>"
    assert serve.inject(b"no body", tag) == b"no body" + tag


def test_reload_script_is_a_file_that_waits_for_a_newer_build():
    js = serve.RELOAD_JS
    assert "document.currentScript.dataset.epoch" in js and "location.reload()" in js
    assert 'fetch("/livereload?since="' in js


def test_the_site_is_served_under_the_path_of_site_url():
    assert serve.base_path(ROOT) == "/guide/"


def test_no_server_internals_are_patched():
    """Nothing of MkDocs' live-reload server is reached or replaced (issue 14)."""
    for path in (ROOT / "hooks").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for private in ("_serve_request", "_inject_js_into_html", "_epoch_cond",
                        "_wanted_epoch", "livereload._"):
            assert private not in text, f"{path.relative_to(ROOT)} uses {private}"
    assert not (ROOT / "hooks/preview.py").exists()
    assert "hooks/preview.py" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_busy_port_is_one_line_with_the_way_out(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "dev.py", "serve", "--port", str(port)], cwd=ROOT,
                           env={**os.environ, "TMPDIR": str(tmp_path)},
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        f"dev.py serve: port {port} is already in use (another preview?); choose another: "
        f"python3 dev.py serve --port {port + 1}"]
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind
