"""Front matter of a Markdown source, read the way MkDocs reads it, but with the error kept.

MkDocs silently drops front matter it cannot parse; authors then get confusing follow-on
errors. :func:`read` returns the YAML error (with its line in the file) instead.
"""
from __future__ import annotations

import re

import yaml

from medsite.mdsource import FRONT_MATTER


class FrontMatterError(ValueError):
    """``line``: where in the file; ``hint``: the fix, when the problem is known exactly
    (e.g. a date that does not exist), else None (a YAML error)."""

    def __init__(self, line: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.line = line
        self.hint = hint


def read(text: str) -> dict:
    """The front matter as a dict ({} when there is none); raises FrontMatterError."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}
    try:
        data = _fast_load(m.group(1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening ---
        raise FrontMatterError(line, f"{exc.problem or exc}") from None
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a date like 2026-13-01
        found = _bad_date(m.group(1))
        if found:
            raise FrontMatterError(*found) from None
        raise FrontMatterError(1, str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front matter must be a mapping of key: value lines")
    return data


def _fast_load(block: str):
    """yaml.safe_load with PyYAML's C parser when it has one (several times faster). Any
    error is left to safe_load itself, so messages and line numbers stay the same."""
    if _C_LOADER is not None:
        try:
            return yaml.load(block, Loader=_C_LOADER)
        except Exception:
            pass
    return yaml.safe_load(block)


_C_LOADER = getattr(yaml, "CSafeLoader", None)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _bad_date(block: str) -> tuple[int, str, str] | None:
    """The first date-shaped value that is not a real date: (line in the file, what is
    wrong, the fix), or None."""
    import calendar

    for i, line in enumerate(block.splitlines(), start=2):
        m = re.match(r"\s*([\w-]+)\s*:\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})\b", line)
        if not m:
            continue
        key, (y, mo, d) = m.group(1), (int(x) for x in m.group(2, 3, 4))
        written = f"'{key}: {m.group(2)}-{m.group(3)}-{m.group(4)}'"
        if not 1 <= mo <= 12:
            return (i, f"{written} is not a date: there is no month {mo}",
                    "write the month as 01 to 12 (YYYY-MM-DD)")
        last = calendar.monthrange(y, mo)[1]
        if not 1 <= d <= last:
            why = (f"{y} is not a leap year" if mo == 2 and d == 29
                   else f"{MONTHS[mo - 1]} has {last} days")
            return (i, f"{written} is not a date: {why}",
                    f"{last} {MONTHS[mo - 1]} is the last day: write {y}-{mo:02d}-{last:02d}, "
                    "or the date you meant")
    return None
