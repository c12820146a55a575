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


def kept(memo, key: str, make) -> list[Problem]:
    """``make()``'s problems through ``memo`` (a refcache.Memo): kept as plain lists between
    builds, so an unchanged input is not checked again and still reports what it had."""
    return [Problem(*values) for values in
            memo.through(key, lambda: [list(vars(p).values()) for p in make()])]


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def suggest(word: str, options: Iterable[str], *, cutoff: float = 0.6,
            fold_case: bool = False) -> str | None:
    """The option ``word`` most likely meant ("did you mean ...?"), or None: the closest by
    :func:`difflib.get_close_matches` at ``cutoff``. With ``fold_case``, the same letters in
    another case win, the likeness ignores case, and the option is returned as written."""
    import difflib

    if not fold_case:
        near = difflib.get_close_matches(word, list(dict.fromkeys(options)), n=1, cutoff=cutoff)
        return near[0] if near else None
    lower: dict[str, str] = {}
    for option in options:
        lower.setdefault(option.lower(), option)
    if word.lower() in lower:
        return lower[word.lower()]
    near = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=cutoff)
    return lower[near[0]] if near else None
