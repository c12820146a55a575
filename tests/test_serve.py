"""The live preview (`python3 dev.py serve`, medsite.serve) shows edits and survives mistakes.

One preview runs in a subprocess on a free 127.0.0.1 port, over a copy of the whole
project in a temporary folder (so every glossary term is used and every reference cited, as
in the real site). Each test edits a source file, checks what the server serves and prints,
then puts the file back. It does not wait for that rebuild: the next test's edit comes after
it, so the build that test waits for holds every file as it was, plus its own edit (a
rebuild of the whole site saved per test).

Deadlines below only stop a hung server from hanging the suite; nothing is timed.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.sitebuild import ROOT, env, fixture_site

DEADLINE = 180  # seconds; generous: a rebuild of the full site with pandoc
CHAPTER = "chapters/what-changes-with-age.md"
GOOD_SAVE = "(the site still shows the last good build)"
BUILT = r"^built in \d+\.\d s$"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """A running preview (medsite.serve, as `python3 dev.py serve` runs it) and its output."""

    def __init__(self, project: Path):
        self.project = project
        self.port = _free_port()
        self.lines: list[str] = []
        environ = {**env(), "PYTHONPATH": str(project / "hooks"), "PYTHONUNBUFFERED": "1"}
        environ.pop("NO_MKDOCS_2_WARNING")  # the preview sets it for its builds itself
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "medsite.serve", "--port", str(self.port)],
            cwd=project, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.base = ""
        line = self.wait_for_output(r"Serving on (http://127\.0\.0\.1:\d+/\S*)")
        self.base = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line).group(1)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self, since: int = 0) -> str:
        return "\n".join(self.lines[since:])

    def wait_for_output(self, pattern: str, since: int = 0) -> str:
        """The first line printed from ``since`` on that matches ``pattern``."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            for line in self.lines[since:]:
                if re.search(pattern, line):
                    return line
            if self.proc.poll() is not None:
                pytest.fail(f"the preview exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"the preview never printed /{pattern}/:\n{self.output(since)}")

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of a page; a request the server holds is a failure, not a hang."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, ""
        except (TimeoutError, urllib.error.URLError) as e:
            pytest.fail(f"the preview did not answer {path!r} ({e}); it must keep serving")

    def get_from_root(self, path: str) -> tuple[int, dict, str]:
        root = re.match(r"http://[^/]+", self.base).group(0)
        with urllib.request.urlopen(root + path, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")

    def wait_for_page(self, path: str, text: str, present: bool = True) -> str:
        """Wait until the page holds ``text`` (or no longer does); case-insensitive, since
        the citation style recases titles."""
        end = time.monotonic() + DEADLINE
        body = ""
        while time.monotonic() < end:
            status, body = self.get(path)
            if status == 200 and (text.lower() in body.lower()) == present:
                return body
            time.sleep(0.3)
        pytest.fail(f"{path}: {text!r} {'never appeared' if present else 'never went away'}"
                    f"\n{self.output()[-3000:]}")

    def edit(self, rel: str, new: str) -> int:
        """Write ``new`` to ``rel``; return the output position to read the rebuild from."""
        mark = len(self.lines)
        (self.project / rel).write_text(new, encoding="utf-8")
        return mark

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _real_nav_and_assets() -> dict:
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    return {k: cfg[k] for k in ("nav", "extra_css", "extra_javascript") if k in cfg}


def start_preview(tmp: Path) -> Preview:
    """A preview over a copy of the whole project in ``tmp`` (the session's ``preview``
    fixture in tests/conftest.py: one server for every test that edits and watches)."""
    shutil.copytree(ROOT / "docs", tmp / "docs")
    keep = _real_nav_and_assets()
    project = fixture_site(tmp, {}, nav=keep.pop("nav"), config=keep)
    return Preview(project)


def url_of(src: str) -> str:
    return src[:-3] + "/"


class Source:
    """A source file of the served copy, written back as it was after a test."""

    def __init__(self, preview: Preview, rel: str):
        self.preview, self.rel = preview, rel
        self.original = (preview.project / rel).read_text(encoding="utf-8")

    def write(self, text: str) -> int:
        return self.preview.edit(self.rel, text)

    def restore(self):
        self.preview.edit(self.rel, self.original)


def with_marker(chapter: str, sentence: str) -> str:
    """The chapter with ``sentence`` as the first paragraph of its Fundamentals tab."""
    head, sep, rest = chapter.partition('=== "Fundamentals"\n\n')
    assert sep, "the chapter has no Fundamentals tab"
    return f"{head}{sep}    {sentence}\n\n{rest}"


def assert_kept_last_good(preview: Preview, since: int, page: str, good_text: str):
    """After a failed rebuild: the error was printed, the server still serves the last good
    build (this page and the home page), and no traceback or 'stuck' notice was printed."""
    preview.wait_for_output(GOOD_SAVE, since)
    status, body = preview.get(page)
    assert status == 200 and good_text in body, "the preview lost the last good build"
    assert preview.get("")[0] == 200
    out = preview.output(since)
    assert "Traceback" not in out, out
    assert "build again" not in out  # the preview rebuilds by itself
    assert re.search(r"^\d+ errors? \(the site still shows the last good build\)$", out, re.M)


# --- live reload that a Content-Security-Policy allows ---------------------------------------

def test_live_reload_code_is_a_same_origin_file_not_an_inline_script(preview):
    status, body = preview.get(url_of(CHAPTER))
    assert status == 200
    tags = re.findall(r'<script src="/livereload\.js" data-epoch="\d+"></script>', body)
    assert len(tags) == 1
    assert "location.reload" not in body  # no inline script
    status, headers, js = preview.get_from_root("/livereload.js")
    assert status == 200 and headers["Content-Type"] == "application/javascript"
    assert "location.reload()" in js and "document.currentScript" in js


def test_the_preview_prints_one_line_per_build_and_no_banner(preview):
    out = preview.output()
    assert re.search(BUILT, out, re.M), out
    assert "NO_MKDOCS_2_WARNING" not in out  # Material's end-of-life banner names it
    assert "Traceback" not in out


# --- edits that succeed -------------------------------------------------------------------

def test_editing_a_chapter_shows_the_change(preview):
    src = Source(preview, f"docs/{CHAPTER}")
    try:
        src.write(with_marker(src.original, "Zebra walks are new here."))
        preview.wait_for_page(url_of(CHAPTER), "Zebra walks are new here.")
    finally:
        src.restore()


def _cited_keys(text: str) -> list[str]:
    return re.findall(r"\[@([A-Za-z0-9_-]+)", text)


def test_editing_the_bib_shows_the_change(preview):
    chapter = (preview.project / "docs" / CHAPTER).read_text(encoding="utf-8")
    key = _cited_keys(chapter)[0]
    bib = Source(preview, "bib/references.bib")
    m = re.search(r"@\w+\{" + re.escape(key) + r",.*?\n\s*title\s*=\s*\{", bib.original, re.S)
    assert m, f"no title for {key} in the bib"
    new = bib.original[:m.end()] + "Quokkapreview " + bib.original[m.end():]
    try:
        bib.write(new)
        preview.wait_for_page(url_of(CHAPTER), "Quokkapreview")
    finally:
        bib.restore()


def test_editing_the_glossary_shows_the_change(preview):
    gl = Source(preview, "data/glossary.yml")
    first = yaml.safe_load(gl.original)[0]
    old = first["definition"].strip()
    new = "Wombat preview definition. " + old
    assert gl.original.count(old.split("\n")[0][:40]) >= 1
    data = yaml.safe_load(gl.original)
    data[0]["definition"] = new
    try:
        gl.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88))
        preview.wait_for_page("glossary/", "Wombat preview definition.")
    finally:
        gl.restore()


# --- edits that fail: the error is printed, the last good site stays, a fix recovers -------

def test_bad_front_matter_date_keeps_last_good_site_then_recovers(preview):
    src = Source(preview, f"docs/{CHAPTER}")
    lines = src.original.splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("reviewed:"))
    bad = re.sub(r"(?m)^reviewed:.*$", "reviewed: 2026-13-01", src.original, count=1)
    page = url_of(CHAPTER)
    try:
        since = src.write(with_marker(bad, "Bad edit text stays unseen."))
        line = preview.wait_for_output(r"is not a date", since)
        assert line.split("-  ", 1)[-1] == (
            f"docs/{CHAPTER}:{line_no}: 'reviewed: 2026-13-01' is not a date: there is no "
            "month 13; write the month as 01 to 12 (YYYY-MM-DD)")
        assert_kept_last_good(preview, since, page, "Fundamentals")
        assert "Bad edit text stays unseen." not in preview.get(page)[1]
        # The fix: a good date, and the new text now shows.
        src.write(with_marker(src.original, "Fixed edit text now shows."))
        preview.wait_for_page(page, "Fixed edit text now shows.")
    finally:
        src.restore()


def test_unknown_citation_key_keeps_last_good_site_then_recovers(preview):
    src = Source(preview, f"docs/{CHAPTER}")
    page = url_of(CHAPTER)
    try:
        since = src.write(with_marker(src.original, "Muscle is lost [@nosuchkey2020x]."))
        preview.wait_for_output(r"nosuchkey2020x", since)
        assert_kept_last_good(preview, since, page, "Fundamentals")
        # The citations hook names the page, line and column.
        assert re.search(rf"docs/{re.escape(CHAPTER)}:\d+:\d+: unknown citation key "
                         r"'nosuchkey2020x'", preview.output(since)), preview.output(since)
        src.write(with_marker(src.original, "Recovered after the key fix."))
        preview.wait_for_page(page, "Recovered after the key fix.")
    finally:
        src.restore()


def test_broken_bib_keeps_last_good_site_then_recovers(preview):
    bib = Source(preview, "bib/references.bib")
    page = url_of(CHAPTER)
    broken = bib.original + "\n@article{brokenentry2020x,\n  title = {Never closed,\n"
    try:
        since = bib.write(broken)
        line = preview.wait_for_output(r"bib/references\.bib:\d+", since)
        assert "Traceback" not in line
        assert_kept_last_good(preview, since, page, "Fundamentals")
        since = bib.write(bib.original + "\n% fixed\n")
        preview.wait_for_output(BUILT, since)
        assert preview.get(page)[0] == 200
    finally:
        bib.restore()


def test_duplicate_glossary_term_keeps_last_good_site_then_recovers(preview):
    gl = Source(preview, "data/glossary.yml")
    first = yaml.safe_load(gl.original)[0]["term"]
    dup = gl.original.rstrip("\n") + (
        f"\n- term: {first.upper()}\n  definition: The same term again, by mistake.\n")
    try:
        since = gl.write(dup)
        line = preview.wait_for_output(r"data/glossary\.yml:\d+", since)
        assert first.lower() in line.lower(), line
        assert_kept_last_good(preview, since, "glossary/", "Glossary")
        since = gl.write(gl.original.rstrip("\n") + "\n# fixed\n")
        preview.wait_for_output(BUILT, since)
        assert preview.get("glossary/")[0] == 200
    finally:
        gl.restore()


def test_a_browser_that_leaves_mid_request_prints_no_traceback(capsys):
    """A closed tab or a reload during the live-reload long poll breaks the pipe: no
    traceback in the author's terminal (seen in a CI run); other errors still print."""
    import http.server

    from medsite import serve

    srv = serve._Server(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    try:
        for gone in (BrokenPipeError(), ConnectionResetError()):
            try:
                raise gone
            except OSError:
                srv.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a real bug")
        except ValueError:
            srv.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a real bug" in capsys.readouterr().err
    finally:
        srv.server_close()
