"""Lint of a BibTeX file: every problem named as ``file:line: message; fix``.

mkdocs-bibtex parses the bibliography with pybtex and stops at the first problem with a
Python traceback. :func:`check` reuses pybtex's own parser, but collects every problem
with its line: syntax errors, duplicate keys (case-insensitive, as BibTeX treats them),
duplicate fields, keys the plugin cannot read, missing required fields, malformed DOIs,
plain ``http:`` URLs, a missing or unknown ``evidence`` kind (medsite.evidence), a
``pmid`` that is not a PubMed ID and a file that is not UTF-8. :func:`uncited` lists the entries no
page cites (a warning).

Command line (exit 1 when there is an error)::

    PYTHONPATH=hooks .venv/bin/python -m medsite.bibcheck bib/references.bib
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Iterable

from medsite.diagnostics import ERROR, WARNING, Problem, register

NOT_UTF8 = register("bib-not-utf8", "the bibliography file is not UTF-8 text")
PARSE = register("bib-parse-error", "the bibliography cannot be parsed as BibTeX")
DUPLICATE = register("bib-duplicate-key", "two entries share a key (BibTeX ignores case)")
DUP_FIELD = register("bib-duplicate-field", "an entry gives the same field twice")
BAD_KEY = register("bib-key-unsupported", "an entry key holds a character mkdocs-bibtex cannot read")
MISSING = register("bib-missing-field", "an entry lacks a field its type requires")
BAD_DOI = register("bib-doi-invalid", "a doi field is not a bare DOI (10.NNNN/suffix)")
HTTP = register("bib-url-insecure", "a URL uses plain http:")
BAD_NAME = register("bib-name-invalid", "an author or editor list cannot be read")
UNCITED = register("bib-entry-uncited", "an entry is never cited (warning)")
NO_EVIDENCE = register("bib-evidence-missing", "an entry has no evidence field (its kind of source)")
BAD_EVIDENCE = register("bib-evidence-unknown", "an entry's evidence field is not a known kind")
BAD_PMID = register("bib-pmid-invalid", "a pmid field is not a PubMed ID, or a PMID is written "
                    "in note")

#: Problems on which pybtex (and so mkdocs-bibtex) stops with a traceback.
FATAL = frozenset({NOT_UTF8, PARSE, DUPLICATE, DUP_FIELD, BAD_NAME})

#: What mkdocs-bibtex reads as a key after ``@`` (its regex is ``[\w-]+``).
KEY_RE = re.compile(r"[\w-]+")
DOI_RE = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_RUNAWAY = re.compile(r"\n[ \t]*(?:(@)[A-Za-z]+[ \t]*[{(]|([A-Za-z][\w-]*)[ \t]*=[ \t]*[{\"\w])")
_HTTP_IN_TEXT = re.compile(r"\\(?:url|href)\{\s*(http://[^}\s]*)")

#: Required fields per entry type (BibTeX's standard styles; biblatex names accepted as
#: alternatives). Each item is a set of alternatives, one of which must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "booklet": (("title",),),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",),
               ("year", "date")),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "conference": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "proceedings": (("title",), ("year", "date")),
    "techreport": (("author",), ("title",), ("institution",), ("year", "date")),
    "unpublished": (("author",), ("title",), ("note",)),
    "misc": (("title",),),
    "online": (("title",), ("url",)),
}


@dataclass
class Entry:
    key: str
    type: str
    line: int
    #: field name (lower case) -> (value, line)
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: a syntax error inside the entry: its fields are unreliable, skip the field checks
    broken: bool = False


@dataclass
class Result:
    entries: list[Entry]
    problems: list[Problem]

    @property
    def keys(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}


def suggested_key(key: str) -> str:
    """The key with every character mkdocs-bibtex cannot read turned into ``-``."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w-]", "-", key)).strip("-") or "ref"


def bad_key_chars(key: str) -> str:
    """The characters of ``key`` that mkdocs-bibtex cannot read, in order, once each."""
    if KEY_RE.fullmatch(key):
        return ""  # every key of a good site: one match, not one per character
    return "".join(dict.fromkeys(c for c in key if not KEY_RE.fullmatch(c)))


def check(path: str, data: bytes | str) -> Result:
    """Lint one bibliography. ``path`` is used in messages only; ``data`` is the file."""
    problems: list[Problem] = []
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            problems.append(Problem(
                path, line, col, NOT_UTF8,
                f"file is not UTF-8: byte 0x{data[exc.start]:02X} is not a UTF-8 character",
                "save it as UTF-8 (e.g. iconv -f latin1 -t utf-8), or write the character "
                "as a LaTeX accent such as {\\'e}"))
            text = data.decode("utf-8", "replace")
    else:
        text = data
    if text.startswith("\ufeff"):
        text = text[1:]
    entries, parse_problems, pybtex_errors = _parse(path, text)
    problems += parse_problems
    problems += _duplicates(path, entries)
    by_key = {e.key.lower(): e for e in entries}
    for e in entries:
        problems += _check_entry(path, e, by_key)
    if not any(p.code == PARSE for p in problems):
        problems += _pybtex_leftovers(path, entries, problems, pybtex_errors)
    return Result(entries, problems)


def check_file(path: str, display: str | None = None) -> Result:
    with open(path, "rb") as fh:
        return check(display or path, fh.read())


def _parse(path: str, text: str) -> tuple[list[Entry], list[Problem], list[Exception]]:
    """Entries with their lines, via pybtex's low-level BibTeX parser; syntax errors kept.

    Also what pybtex's full parse (``Parser().parse_string(text)``, as mkdocs-bibtex reads
    a bib) reports, in its order: that parse is this low-level one with each entry then
    handed to ``Parser.process_entry`` (names, fields), so each entry read here is handed
    to it too, instead of reading the file a second time."""
    import pybtex.errors
    from pybtex.database.input.bibtex import LowLevelParser, Parser, month_names
    from pybtex.scanner import PybtexSyntaxError
    from pybtex.utils import CaseInsensitiveDict

    problems: list[Problem] = []
    broken: set[int] = set()  # command_start of entries with a syntax error

    class FullParse(Parser):
        """pybtex's full parse, handed the entries one by one (its parse_string sets this
        before its loop)."""
        unnamed_entry_counter = 1

    full = FullParse()
    pybtex_errors: list[Exception] = []  # what pybtex's full parse reports, in its order
    reading = True  # until pybtex raises instead of reporting (a full parse stops there)

    def on_error(error):
        if reading:
            pybtex_errors.append(error)  # a full parse's parser reports the same
        if isinstance(error, PybtexSyntaxError):
            if parser.command_start is not None:
                broken.add(parser.command_start)
            lineno = error.lineno or 1
            msg = str(error.args[0]) if error.args else str(error)
            start_line = (text.count("\n", 0, parser.command_start) + 1
                          if parser.command_start is not None else lineno)
            where = (f"the entry starting on line {start_line}" if start_line != lineno
                     else "this entry")
            name = parser.current_field_name
            if "premature end" in msg and name and parser.command_start is not None:
                m = re.compile(rf"(?<![\w-]){re.escape(name)}\s*=\s*", re.I).search(
                    text, parser.command_start)
                if m and _value_closes(text, m.end()):
                    problems.append(_unclosed_entry(path, text, parser.command_start,
                                                    parser.current_entry_key or "?"))
                    return
                if m:
                    problems.append(_runaway(path, text, m.end(), name,
                                             parser.current_entry_key or "?"))
                    return
            hint = _syntax_hint(msg, where)
            problems.append(Problem(path, lineno, None, PARSE, f"BibTeX syntax error: {msg}", hint))
        # anything else (e.g. an undefined @string) is reported from pybtex_errors

    parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=on_error)
    entries: list[Entry] = []
    counted, line = 0, 1  # the line of text[counted]
    try:
        with pybtex.errors.capture() as reported:
            for command, body in parser:
                if reading and command.lower() not in ("string", "preamble"):
                    try:  # as Parser.parse_string does with each entry
                        full.process_entry(command, *body)
                    except Exception as exc:  # raised, not reported: a full parse stops
                        reported.append(exc)
                        reading = False
                    pybtex_errors += reported
                    reported.clear()
                start = parser.command_start
                if command.lower() in ("string", "preamble", "comment"):
                    continue
                key, fields = body
                if key is None:
                    continue
                line += text.count("\n", counted, start)  # from the last entry (it reads forward)
                counted = start
                entry = Entry(key, command.lower(), line, broken=start in broken)
                span = text[start:parser.pos]
                cursor, ran_away = 0, False
                for name, value in fields:
                    lname = name.lower()
                    m = re.compile(rf"(?<![\w-]){re.escape(name)}\s*=", re.I).search(span, cursor)
                    cursor = m.end() if m else cursor
                    fline = line + (span.count("\n", 0, m.start()) if m else 0)
                    if _RUNAWAY.search("".join(value)) and not ran_away and m:
                        entry.broken = ran_away = True
                        problems.append(_runaway(path, text, start + m.end(), lname, key))
                    if lname in entry.fields:
                        problems.append(Problem(
                            path, fline, None, DUP_FIELD,
                            f"entry '{key}' has the field '{lname}' twice "
                            f"(first on line {entry.fields[lname][1]})",
                            "keep one of them"))
                        continue
                    entry.fields[lname] = ("".join(value).strip(), fline)
                entries.append(entry)
    except Exception as exc:  # the parser gave up: report where, never a traceback
        line = getattr(parser, "lineno", None) or 1
        problems.append(Problem(path, line, None, PARSE, f"BibTeX syntax error: {exc}",
                                "check the braces and commas of this entry"))
    return entries, problems, pybtex_errors


def _value_closes(text: str, start: int) -> bool:
    """True when the field value starting at ``start`` ends before the file does without
    swallowing a following field (so the brace missing at the end of the file is the
    entry's, not the value's)."""
    end = _value_end(text, start)
    return end is not None and not _RUNAWAY.search(text, start, end)


def _value_end(text: str, start: int) -> int | None:
    i = start
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    if i >= len(text):
        return None
    if text[i] == '"':
        depth, i = 0, i + 1
        while i < len(text):
            c = text[i]
            depth += (c == "{") - (c == "}")
            if c == '"' and depth == 0:
                return i + 1
            i += 1
        return None
    if text[i] != "{":
        return i  # a number or a macro name
    depth = 0
    for j in range(i, len(text)):
        depth += (text[j] == "{") - (text[j] == "}")
        if depth == 0:
            return j + 1
    return None


def _unclosed_entry(path: str, text: str, start: int, key: str) -> Problem:
    """The last entry of the file lacks its closing brace: named at its last line."""
    last = len(text.rstrip())
    line = text.count("\n", 0, last) + 1
    first = text.count("\n", 0, start) + 1
    return Problem(path, line, None, PARSE,
                   f"entry '{key}' (line {first}) is not closed: the file ends before its "
                   "closing brace",
                   f"add '}}' on a line of its own after line {line}")


def _runaway(path: str, text: str, value_start: int, name: str, key: str) -> Problem:
    """A field value whose closing brace or quote is missing, named at the field's line."""
    line = text.count("\n", 0, value_start) + 1
    nxt = _RUNAWAY.search(text, value_start)
    if nxt:
        what = ("the next entry" if nxt.group(1)
                else f"the field '{nxt.group(2).lower()}'")
        found = f"swallows {what} on line {text.count(chr(10), 0, nxt.start()) + 2}"
    else:
        found = "runs to the end of the file"
    return Problem(path, line, None, PARSE,
                   f"the value of '{name.lower()}' in entry '{key}' does not end: it {found}",
                   "add the missing closing brace (or quote) at the end of the value")


def _syntax_hint(msg: str, where: str) -> str:
    if "premature end" in msg:
        return f"a closing brace is missing in {where}"
    if "unbalanced" in msg:
        return f"a closing brace has no opening brace in {where}"
    if "entry key" in msg:
        return f"write the key after the opening brace of {where}, followed by a comma"
    if "=" in msg:
        return f"write each field as name = {{value}}, separated by commas, in {where}"
    return f"check the braces, quotes and commas of {where}"


def _duplicates(path: str, entries: list[Entry]) -> list[Problem]:
    problems = []
    first: dict[str, Entry] = {}
    for e in entries:
        k = e.key.lower()
        if k in first:
            f = first[k]
            same = "" if f.key == e.key else f" as '{f.key}'"
            problems.append(Problem(
                path, e.line, None, DUPLICATE,
                f"duplicate key '{e.key}': also defined on line {f.line}{same}",
                "BibTeX keys ignore case: remove one entry or give it another key"))
        else:
            first[k] = e
    return problems


def _crossref_fields(e: Entry, entries: dict[str, Entry]) -> dict[str, str]:
    """Fields ``e`` takes from the entry its ``crossref`` names, as BibTeX does: every field
    the parent has, and the parent's title as ``booktitle`` (a paper in proceedings)."""
    parent_key = e.fields.get("crossref", ("", 0))[0].strip()
    parent = entries.get(parent_key.lower()) if parent_key else None
    if parent is None:
        return {}
    got = {name: value for name, (value, _) in parent.fields.items()}
    if "title" in got:
        got.setdefault("booktitle", got["title"])
    return got


def _check_entry(path: str, e: Entry, entries: dict[str, Entry] | None = None) -> list[Problem]:
    problems = []
    bad = bad_key_chars(e.key)
    if bad:
        new = suggested_key(e.key)
        problems.append(Problem(
            path, e.line, None, BAD_KEY,
            f"key '{e.key}' contains {_chars(bad)}, which mkdocs-bibtex cannot read",
            f"rename it to '{new}' here and cite it as [@{new}]"))
    inherited = _crossref_fields(e, entries or {})
    for alternatives in () if e.broken else REQUIRED.get(e.type, ()):
        if not any(e.fields.get(a, ("", 0))[0] or inherited.get(a) for a in alternatives):
            wanted = " or ".join(f"'{a}'" for a in alternatives)
            problems.append(Problem(
                path, e.line, None, MISSING,
                f"@{e.type} entry '{e.key}' has no {wanted} field",
                f"add {alternatives[0]} = {{...}} (required for @{e.type})"))
    if "doi" in e.fields:
        doi, line = e.fields["doi"]
        bare = _DOI_PREFIX.sub("", doi).strip()
        if bare != doi and DOI_RE.fullmatch(bare):
            problems.append(Problem(path, line, None, BAD_DOI,
                                    f"doi '{doi}' of entry '{e.key}' is a link, not a DOI",
                                    f"write the bare DOI: doi = {{{bare}}}"))
        elif not DOI_RE.fullmatch(doi):
            problems.append(Problem(path, line, None, BAD_DOI,
                                    f"doi '{doi}' of entry '{e.key}' is not a DOI",
                                    "a DOI looks like 10.1234/suffix; copy it from the "
                                    "publisher's page"))
    if not e.broken:
        problems += _check_evidence(path, e) + _check_pmid(path, e)
    for name, (value, line) in e.fields.items():
        urls = [value] if name == "url" and value.lower().startswith("http://") else []
        urls += _HTTP_IN_TEXT.findall(value)
        for url in urls:
            problems.append(Problem(path, line, None, HTTP,
                                    f"URL '{url}' of entry '{e.key}' uses plain http:",
                                    "use https:// (check that the page loads with it)"))
    return problems


def _check_evidence(path: str, e: Entry) -> list[Problem]:
    """Every entry says what kind of evidence it is (medsite.evidence.KINDS)."""
    from medsite import evidence

    kinds = ", ".join(evidence.KINDS)
    if "evidence" not in e.fields or not e.fields["evidence"][0]:
        line = e.fields["evidence"][1] if "evidence" in e.fields else e.line
        guess = evidence.from_title(e.fields.get("title", ("", 0))[0])
        hint = (f"add evidence = {{{guess}}} if that is what it is (its title says so); the kinds: "
                f"{kinds}" if guess else f"add evidence = {{...}} with one of: {kinds}")
        return [Problem(path, line, None, NO_EVIDENCE,
                        f"entry '{e.key}' has no 'evidence' field", hint)]
    value, line = e.fields["evidence"]
    if value in evidence.KINDS:
        return []
    near = evidence.closest(value)
    if near and evidence.normal(value) == near:  # only the case or the spaces differ
        hint = f"write evidence = {{{near}}}"
    elif near:
        hint = f"did you mean evidence = {{{near}}}? the kinds: {kinds}"
    else:
        hint = f"use one of: {kinds}"
    return [Problem(path, line, None, BAD_EVIDENCE,
                    f"evidence '{value}' of entry '{e.key}' is not a known kind", hint)]


_PMID_IN_NOTE = re.compile(r"\bPMID\s*:?\s*(\d+)", re.I)


def _check_pmid(path: str, e: Entry) -> list[Problem]:
    """A PubMed ID goes in a ``pmid`` field, digits only: one form across the bib."""
    problems = []
    if "pmid" in e.fields:
        value, line = e.fields["pmid"]
        if not re.fullmatch(r"[1-9]\d{0,8}", value):
            digits = re.sub(r"^\s*PMID\s*:?\s*", "", value, flags=re.I)
            hint = ("a PMCID (PMC...) is not a PMID: look the PMID up in PubMed"
                    if value.upper().startswith("PMC")
                    else f"write the digits only: pmid = {{{digits}}}"
                    if re.fullmatch(r"[1-9]\d{0,8}", digits)
                    else "a PMID is digits only, e.g. pmid = {14519707}")
            problems.append(Problem(path, line, None, BAD_PMID,
                                    f"pmid '{value}' of entry '{e.key}' is not a PubMed ID", hint))
    if "note" in e.fields:
        value, line = e.fields["note"]
        m = _PMID_IN_NOTE.search(value)
        if m:
            problems.append(Problem(path, line, None, BAD_PMID,
                                    f"entry '{e.key}' gives its PMID in note",
                                    f"write it as pmid = {{{m.group(1)}}} and take it out of note"))
    return problems


def _chars(chars: str) -> str:
    quoted = [f"'{c}'" if not c.isspace() else repr(c) for c in chars]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _pybtex_leftovers(path: str, entries: list[Entry], found: list[Problem],
                      captured: list[Exception]) -> list[Problem]:
    """What pybtex's full parse (as mkdocs-bibtex runs it) rejects (``captured``, from
    :func:`_parse`) that the checks above did not already name: bad name lists, undefined
    @string macros, ..."""
    from pybtex.database import BibliographyDataError, InvalidNameString
    from pybtex.database.input.bibtex import DuplicateField

    by_key = {e.key.lower(): e for e in entries}
    problems = []
    for err in captured:
        msg = str(err)
        if isinstance(err, DuplicateField) or (isinstance(err, BibliographyDataError)
                                               and "repeated" in msg):
            continue  # named with both lines above
        if isinstance(err, InvalidNameString):
            line = _line_of_value(entries, err.args[0] if err.args else "")
            problems.append(Problem(path, line, None, BAD_NAME,
                                    f"cannot read the name list: {msg}",
                                    "separate people with ' and ', write each as "
                                    "'Last, First'; put an organisation in double braces"))
            continue
        line = getattr(err, "lineno", None)
        if line is None:
            key = next((k for k in by_key if k in msg.lower()), None)
            line = by_key[key].line if key else 1
        problems.append(Problem(path, line, None, PARSE, f"BibTeX error: {msg}",
                                "fix this entry so pybtex can read it"))
    return problems


def _line_of_value(entries: list[Entry], message: str) -> int:
    for e in entries:
        for name in ("author", "editor"):
            value, line = e.fields.get(name, ("", 0))
            if value and value.split(" and ")[0][:20] and any(
                    part.strip() and part.strip() in message for part in value.split(" and ")):
                return line
    return 1


def uncited(path: str, entries: Iterable[Entry], cited: set[str]) -> list[Problem]:
    """A warning for each entry no page cites (``cited`` holds keys in any case)."""
    cited_lower = {k.lower() for k in cited}
    return [Problem(path, e.line, None, UNCITED, f"entry '{e.key}' is never cited",
                    f"cite it as [@{e.key}], add it to nocite: in docs/references.md, "
                    "or remove it", WARNING)
            for e in entries if e.key.lower() not in cited_lower]


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    try:
        import pybtex  # noqa: F401
    except ImportError:
        print("medsite.bibcheck needs pybtex: run it with the project's Python, e.g. "
              "PYTHONPATH=hooks .venv/bin/python -m medsite.bibcheck bib/references.bib",
              file=sys.stderr)
        return 2
    n_err = 0
    for path in argv:
        try:
            result = check_file(path)
        except OSError as exc:
            print(f"{path}: cannot read the file: {exc.strerror}", file=sys.stderr)
            n_err += 1
            continue
        for p in sorted(result.problems):
            print(str(p) if p.severity == ERROR else f"{p} (warning)")
            n_err += p.severity == ERROR
    return 1 if n_err else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
