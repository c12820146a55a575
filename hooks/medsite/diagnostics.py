"""Problems found in the sources, reported as ``file:line:col: message; fix``.

Each kind of problem has a stable code registered with :func:`register`; the catalogue
in CONTRIBUTING.md documents every registered code (a test keeps the two in agreement).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"

#: code -> one-line summary, filled by the modules that raise each problem.
CODES: dict[str, str] = {}


def register(code: str, summary: str) -> str:
    """Declare a problem code (e.g. ``citation-unknown-key``) and return it."""
    CODES[code] = summary
    return code


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int | None
    code: str
    message: str
    hint: str = ""
    severity: str = ERROR

    @property
    def location(self) -> str:
        loc = f"{self.path}:{self.line}"
        return f"{loc}:{self.col}" if self.col is not None else loc

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
