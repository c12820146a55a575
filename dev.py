#!/usr/bin/env python3
"""One entry point for every developer task; needs nothing but Python 3.11 and pip.

    python3 dev.py serve [--port N]  # set up, then preview on http://127.0.0.1:8000/guide/
    python3 dev.py build      # set up, then build the site strictly into site/
    python3 dev.py test       # set up (Chromium included), then run the whole test suite
    python3 dev.py test --fast   # the same without the browser tests (-m "not browser")
    python3 dev.py new-chapter <slug> "<Title>"   # start docs/chapters/<slug>.md, add it to nav
    python3 dev.py check      # set up, then the source checks, no build (python -m medsite check)
    python3 dev.py lint       # set up, then every pre-commit check on every file, new ones too
    python3 dev.py hooks      # set up, then run those checks on every `git commit`
    python3 dev.py lock       # re-pin requirements.txt from requirements.in
    python3 dev.py check-references   # online: each DOI's record (Crossref) and PMID (PubMed) vs the bib
    python3 dev.py evidence   # the kinds of evidence cited, per chapter and depth (a table)

Set-up is idempotent: a virtual environment in .venv/ is created from the pinned
requirements.txt (the first time takes about a minute) and refreshed only when that file
changes. Extra arguments after the command go to the tool underneath (mkdocs or pytest).
Every tool runs with NO_MKDOCS_2_WARNING=1 (no end-of-life banner from Material).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".requirements.sha256"
#: The headless shell first: the same Blink as the full browser without its browser layer
#: (what Playwright itself runs headless), it halves a page load's CPU and cuts the browser
#: tests' CPU by a fifth. Debian packages it as chromium-headless-shell.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                       "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
HEADLESS_SHELL = CHROMIUM_CANDIDATES[0]


def say(msg: str) -> None:
    print(f"dev.py: {msg}", flush=True)


def run(*cmd: str | Path, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def ensure_venv() -> None:
    """Create .venv and install the pinned requirements when they changed."""
    want = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == want and PY.exists():
        return
    if not PY.exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    say("installing pinned requirements (requirements.txt)")
    rc = run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", "requirements.txt")
    if rc:
        sys.exit(f"dev.py: pip install failed with exit code {rc}")
    STAMP.write_text(want)


def find_chromium() -> str | None:
    env = os.environ.get("CHROMIUM")
    if env and Path(env).exists():
        return env
    for c in CHROMIUM_CANDIDATES:
        if Path(c).exists():
            return c
    return shutil.which("chromium")


def ensure_chromium() -> str:
    """The browser tests need a system Chromium; as root where apt-get works, install Debian's
    headless shell when it is missing (a full chromium still works, only slower); else fail
    loudly."""
    env = os.environ.get("CHROMIUM")
    if env and Path(env).exists():
        return env
    if (not Path(HEADLESS_SHELL).exists() and shutil.which("apt-get")
            and hasattr(os, "geteuid") and os.geteuid() == 0):
        say("installing Debian's chromium-headless-shell package for the browser tests")
        aptenv = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run("apt-get", "update", "-qq", env=aptenv) == 0:
            run("apt-get", "install", "-y", "-qq", "chromium-headless-shell", env=aptenv)
    found = find_chromium()
    if found:
        return found
    sys.exit("dev.py: the browser tests need Chromium and none was found.\n"
             "  Install it (Debian: sudo apt-get install chromium-headless-shell, or chromium)\n"
             "  or set CHROMIUM=/path/to/chrome, then run `python3 dev.py test` again.\n"
             "  Browser tests are never skipped.")


def cores() -> int:
    """The cores this process may run on (its CPU affinity: a cpuset narrows it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def mkdocs(*args: str) -> int:
    return run(BIN / "mkdocs", *args)


def worktree_files() -> list[str]:
    """Every file git tracks plus every new one it does not ignore (no `git add` needed)."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return sorted(p for p in set(out.split("\0")) if p and (ROOT / p).is_file())


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    os.environ["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner, on every run
    if cmd == "new-chapter":  # standard library only: no set-up needed
        sys.path.insert(0, str(ROOT / "hooks"))
        from medsite import scaffold

        return scaffold.main(rest, ROOT)
    if cmd == "lock":
        ensure_venv()
        rc = run(PY, "-m", "pip", "install", "--quiet", "-r", "requirements.in")
        if rc:
            return rc
        frozen = subprocess.check_output([str(PY), "-m", "pip", "freeze", "--exclude-editable"],
                                         cwd=ROOT, text=True)
        header = "# Pinned by `python3 dev.py lock` from requirements.in. Do not edit by hand.\n"
        (ROOT / "requirements.txt").write_text(header + frozen)
        STAMP.write_text(hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest())
        return 0
    ensure_venv()
    if cmd == "serve":
        sys.path.insert(0, str(ROOT / "hooks"))
        from medsite import serve  # standard library only: runs here, builds with .venv

        return serve.main(rest, python=str(PY), root=ROOT)
    if cmd == "check":
        env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
        return run(PY, "-m", "medsite", "check", *rest, env=env)
    if cmd == "build":
        return mkdocs("build", "--strict", "--clean", *rest)
    if cmd == "test":
        if "--fast" in rest:
            rest = [a for a in rest if a != "--fast"] + ["-m", "not browser"]
        else:
            os.environ["CHROMIUM"] = ensure_chromium()
        if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in rest):
            # One worker more than there are cores: a browser test waits on Chromium part of
            # the time, and the spare worker fills it (2 cores: 129 s with 3, 155 s with 2).
            # The workers share one build of each site (tests/conftest.py).
            rest = ["-n", str(cores() + 1), *rest]
        if not any(a.startswith("--dist") for a in rest):
            rest = ["--dist", "loadgroup", *rest]  # the live-preview tests share one worker
        return run(PY, "-m", "pytest", *rest)
    if cmd in ("check-references", "evidence"):
        module = "medsite.crossref" if cmd == "check-references" else "medsite.evidence"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
        return run(PY, "-m", module, *rest, env=env)
    if cmd == "lint":
        # --files with the untracked files too: --all-files would see tracked files only.
        return run(BIN / "pre-commit", "run", *rest, "--files", *worktree_files())
    if cmd == "hooks":
        return run(BIN / "pre-commit", "install", *rest)
    sys.exit(f"dev.py: unknown command {cmd!r}; try `python3 dev.py help`")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
