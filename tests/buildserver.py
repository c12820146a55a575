"""`mkdocs build` for the tests, without paying for the start-up each time.

A fixture build spends about half its time importing MkDocs, Material, Python-Markdown,
pymdown-extensions and pybtex (0.5 of about 1.0 CPU-s, measured on this project). This
module is a small fork server: one process per test worker imports them once, then forks a
child per build that runs MkDocs' own command line (`mkdocs.__main__.cli`) in the build's
folder, with its arguments and environment, stdout and stderr captured apart, and exits with
the command's status. Nothing of MkDocs is changed; the child is the same command in a
process that has already imported it. The project's hooks are not imported ahead: each
build loads its own copy, as `python -m mkdocs` does.

Run as ``python -m tests.buildserver``; it reads one JSON request per line on stdin
({"cwd", "args", "env", "out", "err"}) and answers each with its exit status.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

#: What `python -m mkdocs build` imports before it reads a config, and what the project's
#: configuration loads (theme, plugins, Markdown extensions).
PRELOAD = ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults",
           "material.plugins.search.plugin", "material.extensions.emoji", "markdown",
           "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.highlight", "pymdownx.details",
           "pymdownx.snippets", "pygments.lexers.python", "pybtex.database", "mkdocs_bibtex",
           "yaml", "jinja2", "lxml.html")


def _child(req: dict) -> None:
    """In the forked child: become `python -m mkdocs <args>` in ``req["cwd"]``."""
    status = 1
    try:
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, req["out"]), (2, req["err"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        sys.path[0] = req["cwd"]  # as `python -m` puts the working folder first
        sys.argv = ["mkdocs", *req["args"]]
        from mkdocs.__main__ import cli

        try:
            cli.main(args=req["args"], prog_name="mkdocs")
            status = 0
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # anything else is what `python -m mkdocs` would print
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def main() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional one this project does not use: loaded if needed
            pass
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(req)
        _, wait_status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(wait_status), flush=True)


class Client:
    """The test side: one server per test process, started on first use."""

    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def build(self, cwd: Path, args: list[str], env: dict,
              timeout: float = 600) -> tuple[int, str, str]:
        """``mkdocs <args>`` in ``cwd``: (exit status, stdout, stderr)."""
        with tempfile.TemporaryDirectory() as tmp, self.lock:
            out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "tests.buildserver"], cwd=self.root, env=self.env,
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            self.proc.stdin.write(json.dumps({"cwd": str(cwd), "args": args, "env": env,
                                              "out": str(out), "err": str(err)}) + "\n")
            self.proc.stdin.flush()
            timer = threading.Timer(timeout, self.proc.kill)
            timer.start()
            try:
                answer = self.proc.stdout.readline()
            finally:
                timer.cancel()
            if not answer:
                self.proc = None
                raise RuntimeError(f"the build server stopped while building {cwd}")
            return int(answer), out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")


if __name__ == "__main__":
    main()
