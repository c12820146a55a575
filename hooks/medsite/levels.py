"""The three depth tabs of a chapter: exactly "Fundamentals", "Intermediate", "Academic".

A chapter (see :mod:`medsite.pages`) is written three times, once per depth, as one set of
pymdown tabs at the top level of the page body::

    === "Fundamentals"

        Plain words...

    === "Intermediate"
    ...

Text above the tabs (title, "Key points") is shared by every depth. :func:`check` reports,
with the line and what to change, every way a chapter can break that shape; :func:`scan`
returns the tabs themselves (also used by the readability check to get each depth's text).
Fenced code blocks are ignored when looking for tabs. Python-Markdown's rules apply: a tab
header is ``=== "Label"`` at column 1, and its text is every following line indented by
4 spaces; the first non-blank line indented less ends the tab set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from medsite.diagnostics import Problem, register, suggest
from medsite.mdsource import FRONT_MATTER

DEPTHS = ("Fundamentals", "Intermediate", "Academic")
INDENT = 4  # Python-Markdown's tab_length: tab text is indented by this many spaces

NONE = register("levels-none", "a chapter has no depth tabs")
LABEL = register("levels-label", "a top-level tab label is a misspelt depth name")
SYNTAX = register("levels-syntax", "a line looks like a tab header but pymdown does not read it as one")
EXTRA = register("levels-extra", "a top-level tab that is not one of the three depths")
DUPLICATE = register("levels-duplicate", "the same depth tab appears twice")
MISSING = register("levels-missing", "one of the three depth tabs is missing")
ORDER = register("levels-order", "the depth tabs are not in the order Fundamentals, Intermediate, Academic")
NESTED = register("levels-nested", "a depth tab is indented (inside a list, admonition or tab)")
SPLIT = register("levels-split", "unindented text or '===!' between depth tabs splits them into two sets")
INDENTED = register("levels-indent", "a line in a tab is indented 1 to 3 spaces, so it falls out of the tab")
AFTER = register("levels-after", "text after the last depth tab is outside every depth")
EMPTY = register("levels-empty", "a depth tab has no text")
NO_HEADING = register("levels-no-heading", "a depth tab has no ## heading of its own")
SKIPPED = register("levels-heading-skip",
                  "a heading in a depth skips a level (### before any ##, #### under no ###) "
                  "or is a # title")

ALL_LABELS = ", ".join(f'"{d}"' for d in DEPTHS)

# pymdownx.tabbed: ={3}(\+|\+!|!\+|!)? +"(.*?)" *  at the very start of a line.
_HEADER = re.compile(r'^( *)===(\+|\+!|!\+|!)? +"(.*?)" *$')
_HEADERISH = re.compile(r"^( *)===(?!=)[+!]*(.*)$")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})(.*)$")
# Lines after the last tab that render nothing a reader sees as text of the page.
_INVISIBLE = re.compile(r"^(\[\^[^\]]+\]:|\*\[[^\]]+\]:|\[[^\]]+\]:\s*\S|<!--)")


@dataclass
class Tab:
    line: int  # 1-based line of the === header
    indent: int
    label: str  # the text between the quotes (or after ===, for a malformed header)
    marker: str = ""  # "+", "!", "+!" ...
    well_formed: bool = True
    depth: str | None = None  # the depth this label is (or is a misspelling of)
    body: list[tuple[int, str]] = field(default_factory=list)  # (line, text) inside the tab
    open: bool = True  # still reading its text (no line indented less than INDENT yet)
    misindented: bool = False  # its text starts with a line indented 1 to 3 spaces

    @property
    def has_text(self) -> bool:
        return any(text.strip() for _, text in self.body)

    def markdown(self) -> str:
        """The tab's own Markdown, dedented."""
        return "\n".join(t[INDENT:] if t.startswith(" " * INDENT) else t.lstrip()
                         for _, t in self.body)


@dataclass
class Scan:
    body_line: int  # first non-blank line after the front matter
    top: list[Tab]  # tabs at column 1, in order
    nested: list[Tab]  # tab headers that are indented
    problems: list[Problem]


def resolve(label: str) -> str | None:
    """The depth a label names or misspells ("Fundamental" -> "Fundamentals"), else None."""
    if label in DEPTHS:
        return label
    norm = re.sub(r"[^a-z]", "", label.lower())
    if not norm:
        return None
    return suggest(norm, DEPTHS, fold_case=True)


def _lines(text: str) -> tuple[int, list[str]]:
    """Index of the first body line (after front matter) and all lines, tabs expanded."""
    lines = [ln.expandtabs(INDENT) for ln in text.splitlines()]
    m = FRONT_MATTER.match(text)  # as MkDocs reads it
    return (text.count("\n", 0, m.end()) if m else 0), lines


def scan(path: str, text: str) -> Scan:
    """Find the tabs of a page, reporting problems with how they are laid out."""
    start, lines = _lines(text)
    problems: list[Problem] = []
    top: list[Tab] = []
    nested: list[Tab] = []
    body_line = next((i + 1 for i in range(start, len(lines)) if lines[i].strip()), start + 1)

    fence: str | None = None  # the open fence's marker, e.g. "```"
    comment = False  # inside a multi-line <!-- comment -->
    current: Tab | None = None  # the last top-level tab seen
    outside: list[tuple[int, str]] = []  # column-1 lines after `current` ended, not in a tab

    for i in range(start, len(lines)):
        n, raw = i + 1, lines[i]
        indent = len(raw) - len(raw.lstrip(" "))
        if fence is not None or comment:  # code or comment: belongs to what holds it
            if current is not None and not outside and current.open:
                current.body.append((n, raw))
            if fence is not None:
                m = _FENCE.match(raw)
                if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                        and not m.group(2).strip():
                    fence = None
            elif "-->" in raw:
                comment = False
            continue
        if not raw.strip():
            if current is not None and current.open:
                current.body.append((n, raw))
            continue

        tab = _header(raw, n)
        if tab is not None and not tab.well_formed:
            problems.append(_syntax(path, tab, raw))
        if tab is not None and tab.indent == 0:
            if current is not None and outside:
                problems.append(Problem(
                    path, outside[0][0], None, SPLIT,
                    f'text at column 1 between tabs "{current.label}" and "{tab.label}" '
                    "splits the depth tabs into two sets",
                    f'indent it {INDENT} spaces to keep it in "{current.label}", '
                    "or move it above the tabs"))
            elif current is not None and current.open and "!" in tab.marker:
                problems.append(Problem(
                    path, n, None, SPLIT,
                    f"'==={tab.marker}' starts a new tab set, splitting the depth tabs",
                    f'write === "{tab.label}"'))
            top.append(tab)
            current, outside = tab, []
            continue
        if tab is not None:
            nested.append(tab)

        if _FENCE.match(raw) and not (raw.lstrip().startswith("`") and
                                      "`" in _FENCE.match(raw).group(2)):
            fence = _FENCE.match(raw).group(1)
        elif raw.lstrip().startswith("<!--") and "-->" not in raw:
            comment = True

        if current is None:
            continue  # text above the tabs
        if current.open and indent >= INDENT:
            current.body.append((n, raw))
            continue
        if current.open:
            current.open = False
            if indent > 0 and tab is None:
                current.misindented = True
                problems.append(Problem(
                    path, n, None, INDENTED,
                    f'line is indented {indent} space{"s" if indent > 1 else ""}, '
                    f'so it falls out of tab "{current.label}"',
                    f"indent tab text by {INDENT} spaces, or move it above the tabs"))
        if indent == 0:
            outside.append((n, raw))

    visible = [(n, raw) for n, raw in outside if not _INVISIBLE.match(raw)]
    if current is not None and visible:
        problems.append(Problem(
            path, visible[0][0], None, AFTER,
            f'text after the last tab ("{current.label}") is outside every depth, '
            "so readers of every depth see it",
            f'indent it {INDENT} spaces to put it in "{current.label}", or move it above the tabs'))
    return Scan(body_line, top, nested, problems)


def _header(raw: str, n: int) -> Tab | None:
    m = _HEADER.match(raw)
    if m:
        label = m.group(3)
        return Tab(n, len(m.group(1)), label, m.group(2) or "", True, resolve(label))
    m = _HEADERISH.match(raw)
    if m and m.group(2).strip():
        rest = m.group(2).strip()
        q = re.search(r'["\'“”‘’](.*?)["\'“”‘’]', rest)
        label = (q.group(1) if q else rest).strip()
        return Tab(n, len(m.group(1)), label, "", False, resolve(label))
    return None


def _syntax(path: str, tab: Tab, raw: str) -> Problem:
    label = tab.depth or tab.label
    return Problem(path, tab.line, None, SYNTAX,
                   f"'{raw.strip()}' is not a tab header",
                   f'write === "{label}": three equals signs, a space, the label in straight '
                   "double quotes, nothing after it")


def check(path: str, text: str) -> list[Problem]:
    """Every problem with the depth tabs of one chapter (``text`` is the whole file)."""
    s = scan(path, text)
    problems = list(s.problems)
    nested_depths = {t.depth for t in s.nested if t.depth}
    for t in s.nested:
        if t.depth:
            problems.append(Problem(
                path, t.line, None, NESTED,
                f'tab "{t.label}" is indented {t.indent} spaces, so it is not at the top level '
                "of the page",
                "depth tabs cannot sit inside a list, admonition or another tab: start the line "
                f"with === at column 1 and indent its text {INDENT} spaces"))
    if not s.top:
        if not nested_depths:
            problems.append(Problem(
                path, s.body_line, None, NONE, "chapter has no depth tabs",
                'write its text in three top-level tabs, === "Fundamentals", === "Intermediate" '
                f'and === "Academic", each followed by its text indented {INDENT} spaces'))
        return problems

    seen: dict[str, Tab] = {}
    order: list[Tab] = []
    for t in s.top:
        if t.depth is None:
            problems.append(Problem(
                path, t.line, None, EXTRA, f'extra top-level tab "{t.label}"',
                f"a chapter has exactly three tabs, {ALL_LABELS}: move this text into one of "
                "them, or above the tabs"))
            continue
        if t.well_formed and t.label != t.depth:
            problems.append(Problem(
                path, t.line, None, LABEL, f'tab "{t.label}" is not a depth label',
                f'rename it "{t.depth}" (the labels are exactly {ALL_LABELS})'))
        if t.depth in seen:
            problems.append(Problem(
                path, t.line, None, DUPLICATE,
                f'second "{t.depth}" tab (the first is on line {seen[t.depth].line})',
                f'merge the two into one "{t.depth}" tab'))
            continue
        seen[t.depth] = t
        order.append(t)
        if t.well_formed and not t.has_text and not t.misindented:
            problems.append(Problem(
                path, t.line, None, EMPTY, f'tab "{t.depth}" is empty',
                f"write its text on the lines below it, indented {INDENT} spaces"))

    rank = {d: i for i, d in enumerate(DEPTHS)}
    for prev, t in zip(order, order[1:]):
        if rank[t.depth] < rank[prev.depth]:
            problems.append(Problem(
                path, t.line, None, ORDER, f'tab "{t.depth}" comes after "{prev.depth}"',
                f"put the tabs in the order {ALL_LABELS}"))
            break

    for i, d in enumerate(DEPTHS):
        if d in seen or d in nested_depths:
            continue
        before = [x for x in DEPTHS[:i] if x in seen]
        after = [x for x in DEPTHS[i + 1:] if x in seen]
        if before and after:
            where = f'between "{before[-1]}" and "{after[0]}"'
        elif after:
            where = f'before "{after[0]}"'
        elif before:
            where = f'after "{before[-1]}"'
        else:
            where = "at the top level"
        line = seen[after[0]].line if after else (seen[before[-1]].line if before else s.top[0].line)
        problems.append(Problem(
            path, line, None, MISSING, f'no "{d}" tab',
            f'add === "{d}" {where}, with its text indented {INDENT} spaces'))
    if not problems:
        for d in DEPTHS:
            problems += headings(path, seen[d])
    return problems


_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING = re.compile(r"[ \t]+#+[ \t]*$")


def headings(path: str, tab: Tab) -> list[Problem]:
    """A depth's own headings: at least one ``##``, and no level skipped.

    Each depth is read on its own, as the reader sees it: the page title is the ``#`` above
    the tabs, so a depth's sections start at ``##``, a ``###`` needs a ``##`` before it in
    the same depth and a ``####`` a ``###`` below the last ``##``. Only headings directly in
    the depth count (not in boxes, lists or nested tabs); code blocks are skipped.
    """
    problems: list[Problem] = []
    level = 1  # the page title
    found = False
    fence: str | None = None
    for n, raw in tab.body:
        line = raw[INDENT:] if raw.startswith(" " * INDENT) else raw.lstrip()
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not m.group(2).strip():
                fence = None
            continue
        if m and not (line.lstrip().startswith("`") and "`" in m.group(2)):
            fence = m.group(1)
            continue
        h = _ATX.match(line)
        if h is None:
            continue
        new = len(h.group(1))
        title = _CLOSING.sub("", h.group(2) or "").strip()
        shown = f"{h.group(1)} {title}".strip()
        if new == 1:
            problems.append(Problem(
                path, n, None, SKIPPED,
                f"'{shown}' is a page title (#) inside the \"{tab.depth}\" tab",
                "the title is the # above the tabs; make this a ## section heading"))
        elif new > level + 1:
            wrong = (f"'{shown}' is a level-{new} heading with no level-{new - 1} heading "
                     f"above it in \"{tab.depth}\"")
            fix = (f"make it '{'#' * (level + 1)} {title}', "
                   f"or add a {'#' * (new - 1)} heading above it")
            problems.append(Problem(path, n, None, SKIPPED, wrong, fix))
        if new == 2:
            found = True
        if new > 1:
            level = new  # after a skip, go on from the level written (one error, not a cascade)
    if not found and not tab.misindented and tab.has_text:
        problems.append(Problem(
            path, tab.line, None, NO_HEADING,
            f'tab "{tab.depth}" has no ## heading, so its readers get no table of contents',
            f"after its Key points box, divide its text into sections under '## A heading' "
            f"lines, indented {INDENT} spaces like the rest of the tab"))
    return problems


def depth_markdown(text: str) -> dict[str, tuple[int, str]]:
    """Each depth's own Markdown (dedented) with the line of its tab, for well-formed chapters."""
    out: dict[str, tuple[int, str]] = {}
    for t in scan("", text).top:
        if t.depth and t.depth == t.label and t.depth not in out:
            out[t.depth] = (t.line, t.markdown())
    return out
