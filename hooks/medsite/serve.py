"""The live preview: rebuild on every save, serve the last good site, reload the browser.

    python3 dev.py serve [--port N]     # http://127.0.0.1:8000/guide/ by default

Nothing of MkDocs' own server is used or changed. On each change under the watched
folders (docs/, bib/, data/, hooks/, overrides/, templates/ and mkdocs.yml) the site is
built with ``mkdocs build --strict`` in a NEW Python process, into a staging folder. So:

- an edited hook takes effect at once (MkDocs caches hook modules inside one process);
- a build that succeeds replaces the served folder (two renames) and every open page
  reloads itself; the terminal says ``built in X s``;
- a build that fails changes nothing that is served: the terminal prints its errors and
  ``N errors (the site still shows the last good build)``; the next save builds again.

The reload code is a file (``/livereload.js``), not an inline script, because the site's
Content-Security-Policy allows scripts from the site only. Each served page gets
``<script src="/livereload.js" data-epoch="N">``; the script waits on ``/livereload?since=N``
(a long poll) and reloads the page when a newer build is published.
"""
from __future__ import annotations

import argparse
import errno
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

WATCHED = ("docs", "bib", "data", "hooks", "overrides", "templates", "mkdocs.yml")
SCRIPT_PATH = "/livereload.js"
POLL_PATH = "/livereload"
POLL_SECONDS = 0.4
LONG_POLL_SECONDS = 25
LAST_GOOD = "the site still shows the last good build"

RELOAD_JS = """\
// Live preview (python3 dev.py serve): reload this page when a newer build is published.
(function () {
  "use strict";
  var epoch = document.currentScript.dataset.epoch;
  function wait() {
    fetch("/livereload?since=" + epoch, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (now) {
        if (now.trim() !== epoch) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  console.log("Enabled live reload");
  wait();
})();
"""

# MkDocs' summary lines that a preview must not repeat: it rebuilds by itself.
_SUMMARY = re.compile(r"(fix the files? named above and build again|^Aborted with)")
_LEVEL = re.compile(r"^(ERROR|WARNING|INFO|DEBUG)\s+-\s+")


def script_tag(epoch: int) -> bytes:
    return f'<script src="{SCRIPT_PATH}" data-epoch="{int(epoch)}"></script>'.encode()


def inject(content: bytes, tag: bytes) -> bytes:
    """``tag`` before the last </body> (at the end when there is none)."""
    end = content.rfind(b"</body>")
    end = len(content) if end < 0 else end
    return content[:end] + tag + content[end:]


def base_path(root: Path) -> str:
    """The path of ``site_url`` in mkdocs.yml (``/guide/``), where the site is served."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return "/"
    m = re.search(r"^site_url:\s*['\"]?(\S+?)['\"]?\s*$", text, re.M)
    path = urlsplit(m.group(1)).path if m else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def problems_of(output: str) -> list[str]:
    """The ERROR and WARNING lines of a build's output (with their continuation lines),
    without MkDocs' closing summaries."""
    out: list[str] = []
    keep = False
    for line in output.splitlines():
        m = _LEVEL.match(line)
        if m:
            keep = m.group(1) in ("ERROR", "WARNING") and not _SUMMARY.search(line)
            if keep:
                out.append(line)
        elif keep and line.strip() and not _SUMMARY.search(line):
            out[-1] += "\n" + line
        else:
            keep = False
    return out


class Site:
    """The served folder, its staging folder and the build epoch the pages wait on."""

    def __init__(self, work: Path):
        self.served = work / "site"
        self.staging = work / "site.next"
        self.epoch = 0
        self.cond = threading.Condition()

    def publish(self) -> None:
        """Make the finished staging build the served site, then wake the waiting pages."""
        old = self.served.with_name("site.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.served.exists():
            os.rename(self.served, old)
        os.rename(self.staging, self.served)
        shutil.rmtree(old, ignore_errors=True)
        with self.cond:
            self.epoch += 1
            self.cond.notify_all()

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def wait(self, since: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.epoch != since, timeout=timeout)
            return self.epoch


def handler_for(site: Site, base: str):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(site.served), **kw)

        def log_message(self, *args):  # the terminal is for the author's build messages
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path == SCRIPT_PATH:
                return self._send(200, RELOAD_JS.encode(), "application/javascript")
            if url.path == POLL_PATH:
                since = parse_qs(url.query).get("since", ["-1"])[0]
                epoch = site.wait(int(since) if since.lstrip("-").isdigit() else -1,
                                  LONG_POLL_SECONDS)
                return self._send(200, str(epoch).encode(), "text/plain")
            if not url.path.startswith(base):
                if url.path in ("/", base.rstrip("/")):
                    self.send_response(302)
                    self.send_header("Location", base)
                    self.end_headers()
                    return None
                return self._not_found()
            if not site.served.is_dir():
                return self._send(503, b"The first build failed: see the terminal, fix the "
                                       b"problem and save.\n", "text/plain; charset=utf-8")
            rel = unquote(url.path[len(base):])
            target = (site.served / rel).resolve()
            if site.served.resolve() not in (target, *target.parents):
                return self._not_found()
            if target.is_dir():
                if not url.path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", url.path + "/")
                    self.end_headers()
                    return None
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._send(200, inject(target.read_bytes(), script_tag(site.epoch)),
                                  "text/html; charset=utf-8")
            if not target.is_file():
                return self._not_found()
            self.path = "/" + rel + (("?" + url.query) if url.query else "")
            return super().do_GET()

        def _not_found(self):
            page = site.served / "404.html"
            body = page.read_bytes() if page.is_file() else b"Not found\n"
            return self._send(404, inject(body, script_tag(site.epoch)),
                              "text/html; charset=utf-8")

    return Handler


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """mtime and size of every watched file (editor swap files and caches left out)."""
    seen: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else []
        if top.is_dir():
            for dirpath, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".")]
                paths += [Path(dirpath, f) for f in files
                          if not f.endswith((".swp", ".swx", "~", ".tmp", ".pyc"))
                          and not f.startswith(".#")]
        for p in paths:
            try:
                st = p.stat()
            except OSError:
                continue
            seen[str(p)] = (st.st_mtime_ns, st.st_size)
    return seen


class _Server(http.server.ThreadingHTTPServer):
    """A browser that leaves (a closed tab, a reload during a long poll) is no error."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError,
                                          ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


class Preview:
    def __init__(self, root: Path, python: str, port: int, host: str = "127.0.0.1",
                 out=None):
        self.root = root
        self.python = python
        self.out = out or sys.stdout
        self.work = Path(tempfile.mkdtemp(prefix="medsite-preview-"))
        self.site = Site(self.work)
        self.base = base_path(root)
        # Bind first: a busy port is reported before any build is started.
        try:
            self.server = _Server((host, port), handler_for(self.site, self.base))
        except OSError:
            shutil.rmtree(self.work, ignore_errors=True)
            raise
        self.url = f"http://{host}:{self.server.server_address[1]}{self.base}"

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def build(self) -> bool:
        """One strict build in a new process into the staging folder; publish it if good."""
        self.site.discard()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        start = time.monotonic()
        proc = subprocess.run([self.python, "-m", "mkdocs", "build", "--strict", "--clean",
                               "--site-dir", str(self.site.staging)],
                              cwd=self.root, env=env, capture_output=True, text=True)
        took = time.monotonic() - start
        output = proc.stdout + proc.stderr
        if proc.returncode == 0 and self.site.staging.is_dir():
            for p in problems_of(output):  # warnings a non-strict setting let through
                self.say(p)
            self.site.publish()
            self.say(f"built in {took:.1f} s")
            return True
        self.site.discard()
        found = problems_of(output)
        if not found:  # not an author's mistake MkDocs could name: show the end of it
            found = [line for line in output.strip().splitlines()[-15:]
                     if not _SUMMARY.search(line)] or [f"mkdocs exited with {proc.returncode}"]
            found = ["\n".join(found)]
        for p in found:
            self.say(p)
        n = len(found)
        last = LAST_GOOD if self.site.served.is_dir() else "nothing to show until a build succeeds"
        self.say(f"{n} error{'s' if n != 1 else ''} ({last})")
        return False

    def run(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        seen = snapshot(self.root)
        self.build()
        self.say(f"Serving on {self.url} (Ctrl+C stops)")
        try:
            while True:
                time.sleep(POLL_SECONDS)
                now = snapshot(self.root)
                if now != seen:
                    time.sleep(0.15)  # let an editor finish writing
                    seen = snapshot(self.root)
                    self.build()
        finally:
            self.server.shutdown()
            shutil.rmtree(self.work, ignore_errors=True)


def main(argv: list[str], python: str | None = None, root: Path | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev.py serve",
                                     description="Live preview of the site.")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (8000)")
    parser.add_argument("--python", default=python or sys.executable,
                        help="the Python that has MkDocs (.venv/bin/python)")
    args = parser.parse_args(argv)
    root = root or Path.cwd()
    try:
        preview = Preview(root, args.python, args.port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            print(f"dev.py serve: port {args.port} is "
                  f"{'already in use' if exc.errno == errno.EADDRINUSE else 'not allowed'} "
                  f"(another preview?); choose another: python3 dev.py serve --port "
                  f"{args.port + 1}", file=sys.stderr)
            return 1
        raise
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # clean up the staging folders
    try:
        preview.run()
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
