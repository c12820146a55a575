"""Review dates of chapters: ``reviewed:`` and ``next_review:`` in front matter.

Health information goes stale. Every chapter states when it was last reviewed against its
sources and when it is due again; the build fails on a missing or malformed date and warns
(so a strict build fails) once a review is overdue.
"""
from __future__ import annotations

import datetime as dt
import re

from medsite.diagnostics import WARNING, Problem, register

MISSING = register("review-date-missing", "a chapter has no reviewed: or next_review: date")
BAD = register("review-date-invalid", "a review date is not a real YYYY-MM-DD date")
ORDER = register("review-date-order", "next_review is not after reviewed")
FUTURE = register("review-date-future", "reviewed is later than today")
OVERDUE = register("review-overdue", "today is past next_review")

FIELDS = ("reviewed", "next_review")


def _key_line(text: str, key: str) -> int:
    """Line of ``key:`` in the front matter, or 1 when it is absent."""
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def check(path: str, text: str, meta: dict, today: dt.date) -> list[Problem]:
    """Problems with the review dates of one chapter.

    ``text`` is the raw file (for line numbers), ``meta`` its parsed front matter.
    """
    problems: list[Problem] = []
    dates: dict[str, dt.date] = {}
    for key in FIELDS:
        line = _key_line(text, key)
        value = meta.get(key)
        if value is None:
            problems.append(Problem(path, line, None, MISSING, f"chapter has no '{key}:' date",
                                    f"add '{key}: YYYY-MM-DD' to the front matter"))
        elif isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            problems.append(Problem(path, line, None, BAD,
                                    f"'{key}: {value}' is not a date",
                                    "write a real calendar date as YYYY-MM-DD, e.g. 2026-11-27"))
        else:
            dates[key] = value
    if len(dates) == 2:
        reviewed, due = dates["reviewed"], dates["next_review"]
        if due <= reviewed:
            problems.append(Problem(path, _key_line(text, "next_review"), None, ORDER,
                                    f"next_review {due} is not after reviewed {reviewed}",
                                    "set next_review to a later date (usually one year on)"))
        if reviewed > today:
            problems.append(Problem(path, _key_line(text, "reviewed"), None, FUTURE,
                                    f"reviewed {reviewed} is in the future (today is {today})",
                                    "use the date the review actually happened"))
        if due < today:
            problems.append(Problem(path, _key_line(text, "next_review"), None, OVERDUE,
                                    f"review overdue since {due}",
                                    "re-check the chapter against its sources, then update "
                                    "reviewed and next_review", WARNING))
    return problems


def unreadable(path: str, line: int, error: str, hint: str | None = None) -> list[Problem]:
    """The front matter could not be read at all: a date that does not exist (``hint`` says
    the fix, e.g. ``reviewed: 2026-11-31``), or bad YAML."""
    if hint:
        return [Problem(path, line, None, BAD, error, hint)]
    return [Problem(path, line, None, BAD, f"front matter cannot be read: {error}",
                    "fix the YAML; quote titles that contain a colon and write dates as YYYY-MM-DD")]
