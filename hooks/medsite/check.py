"""The source checks, without a site build: what an author can run before every commit.

    PYTHONPATH=hooks .venv/bin/python -m medsite check            # every file of the project
    PYTHONPATH=hooks .venv/bin/python -m medsite check FILE ...   # only these (pre-commit)
    python3 dev.py check                                          # the same, set-up included

With no file named, it checks every file under docs/, bib/ and data/ that git tracks AND
every new file git does not ignore yet (``git add`` is not needed), so what the author sees
is what is checked. The checks are the build's own functions, run on the sources:

- bib/*.bib: the bibliography lint (medsite.bibcheck);
- data/glossary.yml: the glossary loader (medsite.glossary.load);
- every page under docs/: citation keys resolve (medsite.citations), images have alt text
  and raw-HTML URLs resolve (medsite.images);
- every chapter: front matter and review dates (medsite.reviews), the depth tabs
  (medsite.levels), readability (medsite.readability), template TODOs (medsite.lint).

Prints ``file:line[:col]: message; fix`` per problem (warnings end in ``(warning)``) and
exits 1 when any is an error, 0 otherwise. Links, anchors and nav need the built site:
``python3 dev.py build``.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from medsite.diagnostics import Problem, errors, kept, register

UNREADABLE = register("file-unreadable", "a source file cannot be read as UTF-8 text")

FOLDERS = ("docs", "bib", "data")
BIB = "bib/references.bib"


def project_files(root: Path) -> list[str]:
    """Files under docs/, bib/ and data/: tracked and untracked-but-not-ignored (git), or
    every file there when ``root`` is not a git work tree. Paths relative to ``root``."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--",
             *FOLDERS], cwd=root, capture_output=True, timeout=30)
        if out.returncode == 0:
            return sorted({p for p in out.stdout.decode("utf-8", "replace").split("\0")
                           if p and (root / p).is_file()})
    except OSError:
        pass
    found = []
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(root / folder):
            found += [Path(dirpath, n).relative_to(root).as_posix() for n in names]
    return sorted(found)


def _bib_keys(root: Path) -> set[str]:
    from medsite import bibcheck

    try:
        return set(bibcheck.check_file(str(root / BIB), BIB).keys)
    except OSError:
        return set()


def check_files(root: Path, files: list[str]) -> list[Problem]:
    """Every problem of ``files`` (paths relative to ``root``)."""
    from medsite import bibcheck, citations, frontmatter, glossary, images
    from medsite.pages import is_chapter

    problems: list[Problem] = []
    pages = [f for f in files if f.startswith("docs/") and f.endswith(".md")]
    keys = _bib_keys(root) if pages else set()
    docs = root / "docs"

    def exists(rel: str) -> bool:
        return (docs / rel).is_file()

    cited_on: dict[str, str] = {}
    nocite = []
    memo = _memo(root)
    for rel in files:
        path = root / rel
        if rel.endswith(".bib") and rel.startswith("bib/"):
            problems += bibcheck.check_file(str(path), rel).problems
        elif rel == glossary.SOURCE:
            problems += glossary.load(_read(path, rel, problems) or "", rel)[1]
        elif rel in pages:
            text = _read(path, rel, problems)
            if text is None:
                continue
            src = rel[len("docs/"):]
            scanned, found = citations.check(rel, text, keys, bib=BIB)
            problems += found
            for c in scanned.cites:
                cited_on.setdefault(c.key, rel)
            if "nocite" in text:
                try:
                    nocite.append((rel, text, frontmatter.read(text)))
                except frontmatter.FrontMatterError:
                    pass
            problems += images.check(rel, src, text, exists)
            if is_chapter(src):
                problems += _chapter(rel, text, memo)
    for rel, text, meta in nocite:
        problems += citations.check_nocite(rel, text, meta, keys, cited_on)
    memo.save()
    return sorted(set(problems), key=order)


def order(p: Problem) -> tuple:
    """File, line, column (a problem of a whole line first), then the message."""
    return (p.path, p.line, p.col or 0, p.code, p.message)


def _memo(root: Path):
    """Readability results kept between runs (.cache/memo), keyed by the chapter's text
    and the code that grades it: grading loads a 130,000-word dictionary, about a second."""
    from medsite import levels, readability
    from medsite.refcache import Memo

    code = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (levels, readability))
    return Memo(root / ".cache" / "memo", "check-readability", Memo.key(code))


def _chapter(rel: str, text: str, memo) -> list[Problem]:
    """medsite.lint.check_chapter, with the readability grades kept in ``memo``."""
    from medsite import lint

    def grades(path: str, text: str) -> list[Problem]:
        return kept(memo, memo.key(path + "\0" + text), lambda: lint.grades(path, text))

    return lint.check_chapter(rel, text, grades)


def _read(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, 1, None, UNREADABLE, f"cannot read the file: {exc}",
                                "save it as UTF-8 text"))
        return None


def main(argv: list[str], root: Path | None = None) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    root = (root or Path.cwd()).resolve()
    if argv:
        files = [Path(a).resolve().relative_to(root).as_posix()
                 if Path(a).is_absolute() else Path(a).as_posix() for a in argv]
    else:
        files = project_files(root)
    problems = check_files(root, files)
    for p in problems:
        print(str(p) if p.severity == "error" else f"{p} (warning)")
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
