"""Fast checks of chapter sources that need no site build, for pre-commit and editors.

    PYTHONPATH=hooks .venv/bin/python -m medsite.lint docs/chapters/*.md

Runs on each chapter file given: its front matter and review dates (the same rules as the
build, medsite.reviews), leftover ``TODO`` placeholders from templates/chapter.md (which
the build lets through so that a half-written chapter can be previewed) and, where those
modules are present, the depth tabs (medsite.levels) and the readability targets
(medsite.readability). Prints ``file:line[:col]: message; fix`` per problem; exits 1 when
any is an error.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from medsite import clock, frontmatter, levels, mdsource, readability, reviews
from medsite.diagnostics import Problem, errors, line_col, register

TODO = register("chapter-todo", "a chapter still holds a TODO placeholder from the template")

def todos(path: str, text: str) -> list[Problem]:
    """One error per ``TODO`` outside code and HTML comments: the template's placeholders."""
    out = []
    for m in re.finditer(r"\bTODO\b", mdsource.prose(text)):
        line, col = line_col(text, m.start())
        out.append(Problem(path, line, col, TODO, "placeholder 'TODO' left from the template",
                           "replace it with the chapter's own text (or delete the line)"))
    return out


def grades(path: str, text: str) -> list[Problem]:
    """The readability targets of each depth (medsite.readability)."""
    return readability.check(readability.measure(path, text))


def depth_checks(path: str, text: str, grades=grades) -> list[Problem]:
    """The depth-tab rules and then, when the tabs are right, the readability targets
    (``grades``: this module's :func:`grades`, or a cached one)."""
    problems: list[Problem] = []
    problems += levels.check(path, text)
    if not any(p.severity == "error" for p in problems):
        problems += grades(path, text)
    return problems


def review_checks(path: str, text: str) -> list[Problem]:
    """Front matter readable, review dates valid (medsite.reviews)."""
    try:
        meta = frontmatter.read(text)
    except frontmatter.FrontMatterError as exc:
        return reviews.unreadable(path, exc.line, str(exc), exc.hint)
    return reviews.check(path, text, meta, clock.today())


def check_chapter(path: str, text: str, grades=grades) -> list[Problem]:
    return review_checks(path, text) + todos(path, text) + depth_checks(path, text, grades)


def main(argv: list[str]) -> int:
    problems: list[Problem] = []
    for name in argv:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{name}:1: cannot read the file: {exc}", file=sys.stderr)
            return 1
        problems += check_chapter(path.as_posix(), text)
    for p in sorted(problems, key=lambda p: (p.path, p.line, p.col or 0, p.message)):
        print(str(p) if p.severity == "error" else f"{p} (warning)")
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
