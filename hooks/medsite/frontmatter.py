"""Front matter of a Markdown source, read the way MkDocs reads it, but with the error kept.

MkDocs silently drops front matter it cannot parse; authors then get confusing follow-on
errors. :func:`read` returns the YAML error (with its line in the file) instead.
"""
from __future__ import annotations

import re

import yaml

_BLOCK = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def read(text: str) -> dict:
    """The front matter as a dict ({} when there is none); raises FrontMatterError."""
    m = _BLOCK.match(text)
    if not m:
        return {}
    try:
        data = _fast_load(m.group(1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening ---
        raise FrontMatterError(line, f"{exc.problem or exc}") from None
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a date like 2026-13-01
        raise FrontMatterError(_bad_date_line(m.group(1)), str(exc)) from None
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


def _bad_date_line(block: str) -> int:
    """Line (in the file) of the first date-shaped value that is not a real date."""
    import datetime as dt

    for i, line in enumerate(block.splitlines(), start=2):
        m = re.match(r"\s*[\w-]+\s*:\s*['\"]?(\d{4}-\d{1,2}-\d{1,2})\b", line)
        if m:
            y, mo, d = (int(x) for x in m.group(1).split("-"))
            try:
                dt.date(y, mo, d)
            except ValueError:
                return i
    return 1
