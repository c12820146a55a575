#!/usr/bin/env python3
"""Flesch-Kincaid grade of each depth of each chapter; exit 1 if any depth is too hard.

    python3 scripts/readability.py                    # every chapter in docs/chapters/
    python3 scripts/readability.py docs/chapters/x.md # some chapters

Prints a table of grades per chapter and depth, then one `file:line: message; fix` line per
problem: Fundamentals above grade 8.0, Intermediate above 12.0, or depths that do not get
harder from Fundamentals to Intermediate to Academic. The rules and what text is measured:
hooks/medsite/readability.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from medsite import readability  # noqa: E402


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "docs" / "chapters").glob("*.md"))
    results, problems = [], []
    for p in paths:
        shown = p.resolve().relative_to(ROOT).as_posix() if p.resolve().is_relative_to(ROOT) \
            else str(p)
        d = readability.measure(shown, p.read_text(encoding="utf-8"))
        results.append(d)
        problems += readability.check(d)
    print(readability.table(results))
    for problem in sorted(problems):
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
