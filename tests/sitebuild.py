"""Build sites for tests: the real one once per session, and tiny fixture sites.

A fixture site is a temporary copy of this project's configuration (mkdocs.yml, hooks/,
overrides/, bib/, data/) with only the Markdown files a test gives, so each failure case
is a few lines of input plus the exact message expected.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests import buildserver

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("mkdocs.yml", "hooks", "overrides", "bib", "data")
#: `mkdocs build` without its start-up (tests/buildserver.py), one per test process.
_server: buildserver.Client | None = None


def env() -> dict:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    e.setdefault("SOURCE_DATE_EPOCH", source_date_epoch())
    return e


def source_date_epoch() -> str:
    """The last commit's time, so a build of one commit is the same every time."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT,
                             capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        out = ""
    return out if out.isdigit() else str(int(__import__("time").time()))


@dataclass
class Build:
    returncode: int
    output: str  # stdout and stderr together, as an author sees them
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def mkdocs_build(project: Path, site: Path, *extra: str, environ: dict | None = None) -> Build:
    """Build ``project`` strictly. A fixture site (any project but this one) holds the whole
    bibliography but only a few pages, so its uncited entries are not reported by default."""
    base = env()
    if Path(project).resolve() != ROOT:
        base["MEDSITE_ALLOW_UNCITED"] = "1"
    global _server
    if _server is None:
        _server = buildserver.Client(ROOT, env())
    code, out, err = _server.build(project, ["build", "--strict", "--clean", "-d", str(site),
                                             *extra], {**base, **(environ or {})})
    return Build(code, out + err, site)


def fixture_site(tmp: Path, pages: dict[str, str], *, nav: list | None = None,
                 files: dict[str, str] | None = None, config: dict | None = None) -> Path:
    """Lay out a tiny site in ``tmp``: the project's config with only ``pages`` under docs/.

    ``files`` overwrite project files (e.g. ``{"bib/references.bib": ...}``); ``config``
    entries replace top-level keys of mkdocs.yml. With no ``nav``, every page is listed.
    """
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, tmp / name)
    for rel, text in {**pages}.items():
        p = tmp / "docs" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for rel, text in (files or {}).items():
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text) if isinstance(text, bytes) else p.write_text(text, encoding="utf-8")
    if "bib/references.bib" not in (files or {}):
        # The project's own bibliography: its references, formatted by pandoc once, are
        # shared with the real site's builds (.cache/citations is keyed by bib, style and
        # pandoc, and written atomically). A test with a bib of its own formats its own.
        shared = ROOT / ".cache" / "citations"
        shared.mkdir(parents=True, exist_ok=True)
        (tmp / ".cache").mkdir(exist_ok=True)
        (tmp / ".cache" / "citations").symlink_to(shared, target_is_directory=True)
    cfg_path = tmp / "mkdocs.yml"
    cfg = yaml.load(cfg_path.read_text(), Loader=yaml.Loader)
    cfg["nav"] = nav if nav is not None else sorted(pages)
    # A fixture has no docs/assets: no extra stylesheets or scripts, nothing to minify.
    cfg.pop("extra_css", None)
    cfg.pop("extra_javascript", None)
    cfg["plugins"] = [p for p in cfg.get("plugins", [])
                      if not (isinstance(p, dict) and "minify" in p)]
    cfg.update(config or {})
    cfg_path.write_text(yaml.dump(cfg, sort_keys=False), encoding="utf-8")
    return tmp


def build_fixture(tmp: Path, pages: dict[str, str], *, uncited: bool = False, **kw) -> Build:
    """Build a fixture site. It holds the whole bibliography but only a few pages, so
    entries no page cites are not reported unless ``uncited=True``."""
    project = fixture_site(tmp, pages, **kw)
    environ = {"MEDSITE_ALLOW_UNCITED": "0"} if uncited else {}
    return mkdocs_build(project, tmp / "site", environ=environ)


def build_with_assets(tmp: Path, pages: dict[str, str]) -> Path:
    """A fixture site with the project's stylesheets, scripts and figures too (for the
    browser tests), built strictly; returns the built site's folder."""
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    project = fixture_site(tmp, pages, nav=list(pages), config={
        "extra_css": cfg.get("extra_css", []), "extra_javascript": cfg.get("extra_javascript", [])})
    shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets")
    build = mkdocs_build(project, tmp / "site")
    assert build.ok, build.output
    return build.site


def error_lines(build: Build) -> list[str]:
    """The ERROR and WARNING lines of a build, without the level prefix."""
    out = []
    for line in build.output.splitlines():
        for level in ("ERROR", "WARNING"):
            if line.startswith(level):
                out.append(line.split("-  ", 1)[-1].strip())
    return out


def nav_sources(nav: list) -> list[str]:
    """Every Markdown source named in a MkDocs ``nav`` list, in order."""
    out: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += nav_sources(value) if isinstance(value, list) else [value]
    return out
