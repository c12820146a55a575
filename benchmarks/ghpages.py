"""Serve a built site as GitHub Pages serves it, for measurements on 127.0.0.1.

What matters for page weight and Lighthouse, copied from how Pages answers:
  * the site lives under the path of ``site_url`` (here /guide/), as a project site does;
  * text responses are gzip-compressed when the browser accepts it (Vary: Accept-Encoding);
  * every response may be cached for 10 minutes (Cache-Control: max-age=600) and carries
    an ETag and Last-Modified, so a revalidation gets a 304;
  * ``/dir`` redirects to ``/dir/``, which serves ``dir/index.html``;
  * a missing file gets the site's 404.html with status 404.

It also counts the bytes it writes per request (status line, headers and body), so a
measurement taken in the browser can be checked against what went over the socket.

    python3 benchmarks/ghpages.py site/            # serve until Ctrl-C
"""
from __future__ import annotations

import email.utils
import gzip
import hashlib
import http.server
import mimetypes
import posixpath
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/manifest+json")
MAX_AGE = 600

mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("image/svg+xml", ".svg")


def site_prefix(config: Path = ROOT / "mkdocs.yml") -> str:
    """The path part of site_url in mkdocs.yml, e.g. '/guide/' ('/' when none)."""
    cfg = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.Loader)
    path = urlsplit(cfg.get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Path
    prefix: str
    sent: list  # (path, bytes) per response
    _gz_cache: dict
    _lock: threading.Lock

    def log_message(self, *args):
        pass

    # Count every byte written to the socket for this request.
    def setup(self):
        super().setup()
        raw = self.wfile
        counter = [0]

        class Counting:
            def write(self_inner, b):
                counter[0] += len(b)
                return raw.write(b)

            def flush(self_inner):
                return raw.flush()

            def __getattr__(self_inner, name):
                return getattr(raw, name)

        self.wfile = Counting()
        self._counter = counter

    def _file_for(self, urlpath: str) -> tuple[Path | None, str | None]:
        """(file, redirect location) for a request path."""
        path = unquote(urlsplit(urlpath).path)
        if not path.startswith(self.prefix):
            if path + "/" == self.prefix:
                return None, self.prefix
            return None, None
        rel = posixpath.normpath(path[len(self.prefix):]).lstrip("/")
        if rel in (".", ""):
            rel = ""
        if rel.startswith(".."):
            return None, None
        target = self.site / rel
        if target.is_dir():
            if not path.endswith("/"):
                return None, path + "/"
            target = target / "index.html"
        return (target if target.is_file() else None), None

    def _body(self, f: Path, gz: bool) -> bytes:
        data = f.read_bytes()
        if not gz:
            return data
        key = (str(f), f.stat().st_mtime_ns)
        with self._lock:
            if key not in self._gz_cache:
                self._gz_cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
            return self._gz_cache[key]

    def _respond(self, head_only: bool):
        f, location = self._file_for(self.path)
        if location:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self._done()
        status = 200
        if f is None:
            status, f = 404, self.site / "404.html"
            if not f.is_file():
                self.send_error(404)
                return self._done()
        ctype = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
        raw = f.read_bytes()
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
            self.end_headers()
            return self._done()
        gz = ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", "")
        body = self._body(f, gz)
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/")
                                                   else ""))
        self.send_header("Content-Length", str(len(body)))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        if ctype.startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(f.stat().st_mtime, usegmt=True))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        self._done()

    def _done(self):
        self.wfile.flush()
        self.sent.append((self.path, self._counter[0]))
        self._counter[0] = 0

    def do_GET(self):
        self._respond(False)

    def do_HEAD(self):
        self._respond(True)


class Server:
    """A running GitHub-Pages-like server in a background thread."""

    def __init__(self, site: Path, prefix: str | None = None, port: int = 0):
        handler = type("Handler", (_Handler,), {
            "site": Path(site).resolve(), "prefix": prefix or site_prefix(), "sent": [],
            "_gz_cache": {}, "_lock": threading.Lock()})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The site's root URL, e.g. http://127.0.0.1:8123/guide/."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.handler.prefix}"

    @property
    def sent(self) -> list[tuple[str, int]]:
        return self.handler.sent

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    with Server(site, port=port) as s:
        print(f"serving {site} at {s.url} (gzip, max-age={MAX_AGE}); Ctrl-C stops", flush=True)
        try:
            s.thread.join()
        except KeyboardInterrupt:
            pass
