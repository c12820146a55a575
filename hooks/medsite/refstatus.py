"""The reference check's status for readers: ``data/references-checked.yml`` (written by the
weekly workflow from ``python3 dev.py check-references --stamp``) and the evidence labels.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from medsite.diagnostics import Problem, register

DATA = "data/references-checked.yml"
CHECKED = "<!-- references-checked -->"
KINDS_MARK = "<!-- evidence-kinds -->"

INVALID = register("references-checked-invalid",
                   "data/references-checked.yml cannot be read or a value has the wrong type")

_COUNTS = ("entries", "with_doi", "compared", "pmids", "problems", "unreachable")


def load(root: str | Path) -> tuple[dict | None, list[Problem]]:
    """The status (None when the file is absent), and its problems with their lines."""
    import yaml

    path = Path(root) / DATA
    if not path.exists():
        return None, []
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [Problem(DATA, line, None, INVALID, f"cannot read the file: {exc.problem}"
                              if hasattr(exc, "problem") else str(exc),
                              "it is written by the weekly workflow: restore it with git "
                              "checkout, or run python3 dev.py check-references --stamp " + DATA)]
    if data is None:
        return None, []
    lines = {}
    if isinstance(node, yaml.MappingNode):
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    problems = []
    if not isinstance(data, dict):
        return None, [Problem(DATA, 1, None, INVALID, "the file is not a mapping of names to values",
                              "write checked: YYYY-MM-DD and the counts, one per line")]
    checked = data.get("checked")
    if checked is not None and not isinstance(checked, dt.date):
        problems.append(Problem(DATA, lines.get("checked", 1), None, INVALID,
                                f"checked: '{checked}' is not a date",
                                "write the date as YYYY-MM-DD, e.g. checked: 2026-11-30"))
    for name in _COUNTS:
        value = data.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            problems.append(Problem(DATA, lines.get(name, 1), None, INVALID,
                                    f"{name}: '{value}' is not a count",
                                    f"write a whole number, e.g. {name}: 0"))
    return (None if problems else data), problems


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def checked_html(status: dict | None) -> str:
    """One paragraph: when every reference was last checked, and what the check found."""
    if not status or not status.get("checked"):
        return ('<p class="references-checked">The weekly check of every reference against '
                "its DOI's record has not run yet; its date will appear here after its first "
                "run.</p>")
    d: dt.date = status["checked"]
    when = f'<time datetime="{d.isoformat()}">{d.day} {d:%B %Y}</time>'
    parts = []
    if status.get("compared") is not None and status.get("entries") is not None:
        parts.append(f"{status['compared']} of {status['entries']} references were compared "
                     "with their DOI's record")
    if status.get("pmids"):
        parts.append(f"{_plural(status['pmids'], 'PubMed ID', 'PubMed IDs')} with PubMed")
    found = status.get("problems")
    result = ("" if found is None else
              "; nothing disagreed" if found == 0 else
              f"; {_plural(found, 'difference is', 'differences are')} being looked into")
    if status.get("unreachable"):
        result += (f" ({_plural(status['unreachable'], 'record', 'records')} could not be "
                   "fetched that day)")
    return (f'<p class="references-checked">References last checked on {when}'
            + (": " + ", ".join(parts) if parts else "") + result + ".</p>")


def kinds_html() -> str:
    """The labels readers see, each with what it means."""
    from medsite.evidence import KINDS, label_html

    items = "\n".join(f"<dt>{label_html(k).strip()}</dt>\n<dd>{html.escape(kind.about)}</dd>"
                      for k, kind in KINDS.items())
    return f'<dl class="evidence-kinds">\n{items}\n</dl>'
