"""The glossary's data: ``data/glossary.yml`` read and checked (:func:`load`), its entries
(:class:`Entry`) and the terms no chapter uses (:func:`unused`). Nothing here imports
MkDocs or Python-Markdown."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import yaml

from medsite.diagnostics import WARNING, Problem, line_col, register

UNREADABLE = register("glossary-unreadable", "data/glossary.yml is not valid YAML or not a list")
INVALID = register("glossary-entry-invalid",
                   "a glossary entry lacks a term, has an unknown key or a value of the wrong type")
DUPLICATE = register("glossary-duplicate",
                     "a term or alias appears twice in the glossary (case is ignored)")
EMPTY = register("glossary-definition-empty", "a glossary term has no definition")
RELATED = register("glossary-related-unknown", "a related: name is not a term of the glossary")
UNUSED = register("glossary-unused", "a glossary term is used in no chapter (warning)")

#: A word of a term (letters and digits).
TOKEN = re.compile(r"[^\W_]+")

SOURCE = "data/glossary.yml"
#: The page (under docs/) that lists the glossary; the feature is on when it exists.
PAGE = "glossary.md"
#: Where on the Glossary page the entries go (appended at the end when absent).
MARKER = "<!-- glossary-entries -->"
KEYS = ("term", "definition", "aliases", "related")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it


@dataclass
class Entry:
    term: str
    definition: str
    line: int
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    term_line: int = 0
    alias_lines: list[int] = field(default_factory=list)
    related_lines: list[int] = field(default_factory=list)

    @cached_property
    def slug(self) -> str:
        return slug(self.term)

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.aliases]

    @property
    def title(self) -> str:
        """The term as a heading: first letter capitalised unless its case is significant."""
        t = self.term
        return t if case_sensitive(t) else t[:1].upper() + t[1:]


def slug(term: str) -> str:
    """A stable anchor for a term: ASCII lower case words joined by hyphens."""
    text = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def case_sensitive(form: str) -> bool:
    """Abbreviations such as HRT, mTOR or IGF-1 match exactly; ordinary words ignore case."""
    return any(c.isupper() for c in form[1:])


# Loading and checking -------------------------------------------------------------------


def load(text: str, path: str = SOURCE) -> tuple[list[Entry], list[Problem]]:
    """Parse and check the glossary file; every problem names ``path:line``."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        misplaced = _indentation(text, path)
        if misplaced:
            return [], [misplaced]
        what = f"{exc.context}: {exc.problem}" if exc.context else exc.problem
        if "mapping values" in (exc.problem or "") or "quote" in what or "scalar" in what:
            # Where the broken construct starts (e.g. an unclosed quote), else where it broke.
            mark = exc.context_mark or exc.problem_mark
            hint = "fix the YAML; quote a definition that contains ': ' or starts with a quote"
        else:
            mark = exc.problem_mark or exc.context_mark
            hint = ("check the indentation: each entry starts with '- term:' at the start of "
                    "a line, and its other keys are indented two spaces")
        line = mark.line + 1 if mark else 1
        return [], [Problem(path, line, None, UNREADABLE, f"glossary is not valid YAML: {what}",
                            hint)]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(path, _line(root), None, UNREADABLE,
                            "glossary must be a YAML list of entries",
                            "start each entry with '- term: ...'")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for node in root.value:
        entry, found = _entry(node, path)
        problems += found
        if entry is not None:
            entries.append(entry)
    problems += _duplicates(entries, path)
    problems += _related(entries, path)
    return entries, sorted(problems)


_ENTRY_LINE = re.compile(r"^(?P<indent> *)- +term *:")
_KEY_LINE = re.compile(rf"^(?P<indent> *)(?P<key>{'|'.join(KEYS)}) *:")


def _indentation(text: str, path: str) -> Problem | None:
    """The first line of an entry or key indented unlike the others (``- term:`` at the start
    of the line, the entry's other keys two spaces in), for a glossary YAML cannot read."""
    for n, raw in enumerate(text.splitlines(), start=1):
        if m := _ENTRY_LINE.match(raw):
            if m["indent"]:
                return Problem(path, n, None, UNREADABLE,
                               f"glossary entry is indented {len(m['indent'])} space"
                               f"{'s' if len(m['indent']) > 1 else ''}",
                               "start '- term:' at the beginning of the line, like the other "
                               "entries")
        elif (m := _KEY_LINE.match(raw)) and len(m["indent"]) != 2:
            return Problem(path, n, None, UNREADABLE,
                           f"'{m['key']}:' is indented {len(m['indent'])} space"
                           f"{'s' if len(m['indent']) != 1 else ''}, not 2",
                           f"indent '{m['key']}:' by two spaces, level with 'term:' above it")
    return None


def _line(node) -> int:
    return node.start_mark.line + 1


def _scalar(node) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
        return None
    return node.value


def _entry(node, path: str) -> tuple[Entry | None, list[Problem]]:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, line, None, INVALID, "glossary entry is not a mapping",
                              "write each entry as '- term: ...' with 'definition: ...' below it")]
    problems: list[Problem] = []
    values: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key not in KEYS:
            problems.append(Problem(path, _line(key_node), None, INVALID,
                                    f"unknown key '{key}' in glossary entry",
                                    f"use only {', '.join(KEYS)}"))
        elif key in values:
            problems.append(Problem(path, _line(key_node), None, INVALID,
                                    f"key '{key}' appears twice in one glossary entry",
                                    "keep one"))
        else:
            values[key] = value_node
    term_node = values.get("term")
    term = _scalar(term_node) if term_node is not None else None
    if not term or not term.strip() or not TOKEN.search(term):
        problems.append(Problem(path, line, None, INVALID, "glossary entry has no term",
                                "add 'term: the word or phrase' (letters or digits)"))
        return None, problems
    term = term.strip()
    def_node = values.get("definition")
    definition = _scalar(def_node) if def_node is not None else None
    if def_node is not None and definition is None and not def_node.tag.endswith(":null"):
        problems.append(Problem(path, _line(def_node), None, INVALID,
                                f"definition of '{term}' is not text",
                                "write one or two plain sentences"))
    elif not (definition or "").strip():
        at = _line(def_node) if def_node is not None else line
        problems.append(Problem(path, at, None, EMPTY,
                                f"glossary term '{term}' has an empty definition",
                                "write one or two plain sentences a lay reader understands"))
    entry = Entry(term, " ".join((definition or "").split()), line, term_line=_line(term_node))
    for key in ("aliases", "related"):
        lst = values.get(key)
        if lst is None or (isinstance(lst, yaml.ScalarNode) and lst.tag.endswith(":null")):
            continue  # absent, or written as an empty 'aliases:'
        if not isinstance(lst, yaml.SequenceNode):
            problems.append(Problem(path, _line(lst), None, INVALID,
                                    f"'{key}' of '{term}' is not a list",
                                    f"write {key}: [first, second]"))
            continue
        for item in lst.value:
            value = _scalar(item)
            if value is None or not value.strip() or not TOKEN.search(value):
                problems.append(Problem(path, _line(item), None, INVALID,
                                        f"'{key}' of '{term}' holds an empty or non-text item",
                                        "remove it or write the word"))
                continue
            getattr(entry, key).append(value.strip())
            lines = entry.alias_lines if key == "aliases" else entry.related_lines
            lines.append(_line(item))
    return entry, problems


def _duplicates(entries: list[Entry], path: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, tuple[str, Entry, int]] = {}  # folded form -> (form, entry, line)
    anchors: dict[str, Entry] = {}
    for e in entries:
        forms = [(e.term, e.term_line, True)]
        forms += [(a, ln, False) for a, ln in zip(e.aliases, e.alias_lines)]
        for form, ln, is_term in forms:
            key = fold(form)
            if key in seen:
                first, owner, first_line = seen[key]
                what = (f"'{first}'" if first == owner.term
                        else f"'{first}' (an alias of '{owner.term}')")
                if is_term:
                    msg = (f"duplicate glossary term '{form}': {what} "
                           f"is already at line {first_line}")
                    hint = "case is ignored; merge the two entries into one"
                else:
                    msg = (f"alias '{form}' of '{e.term}' repeats {what} at line {first_line}")
                    hint = "case is ignored; keep the word in one entry only"
                problems.append(Problem(path, ln, None, DUPLICATE, msg, hint))
            else:
                seen[key] = (form, e, ln)
        other = anchors.get(e.slug)
        if other is not None and fold(other.term) != fold(e.term):
            problems.append(Problem(path, e.term_line, None, DUPLICATE,
                                    f"glossary term '{e.term}' has the same anchor '#{e.slug}' as "
                                    f"'{other.term}' at line {other.term_line}",
                                    "merge the two entries or make one an alias of the other"))
        anchors.setdefault(e.slug, e)
    return problems


def _related(entries: list[Entry], path: str) -> list[Problem]:
    terms = {fold(e.term) for e in entries}
    problems = []
    for e in entries:
        for name, ln in zip(e.related, e.related_lines):
            if fold(name) not in terms or fold(name) == fold(e.term):
                problems.append(Problem(path, ln, None, RELATED,
                                        f"related '{name}' of '{e.term}' is not another "
                                        "term of the glossary",
                                        "name another entry's term exactly, or remove it"))
    return problems


def fold(form: str) -> str:
    return " ".join(form.casefold().split())


def unused(entries: list[Entry], used: dict[str, set[str]], path: str = SOURCE) -> list[Problem]:
    """A warning per term that no chapter uses (``used`` maps slug -> chapter sources)."""
    return [Problem(path, e.term_line, None, UNUSED,
                    f"glossary term '{e.term}' is used in no chapter",
                    "use the term (or one of its aliases) in a chapter's text, or remove the entry",
                    WARNING)
            for e in entries if not used.get(e.slug)]
