"""The glossary: one YAML file of terms, marked in chapter text and listed on one page.

``data/glossary.yml`` is a list of entries::

    - term: sarcopenia
      definition: One or two plain sentences.
      aliases: [sarcopenic]        # optional: other spellings, plurals, abbreviations
      related: [osteoporosis]      # optional: other terms of this file

:func:`load` reads and checks it (problems name ``data/glossary.yml:LINE``). :class:`Matcher`
finds terms with one regular expression shaped as a trie, built once per build, so the
cost grows with the length of the text, not with the number of terms. :func:`mark_tree`
marks the first use of each term per depth of a chapter (each tab panel), never inside a
proper name and at most :data:`MAX_PER_BLOCK` per paragraph, as a link to its Glossary
entry that carries the definition as its accessible description and, for readers without
JavaScript, as its ``title``; the definitions sit once per page in a hidden block marked
``data-search-exclude`` (Material's search skips it).
:func:`entries_markdown` writes the Glossary page. Nothing here imports MkDocs.
"""
from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import yaml
from markdown.util import AtomicString

from medsite.diagnostics import WARNING, Problem, line_col, register

UNREADABLE = register("glossary-unreadable", "data/glossary.yml is not valid YAML or not a list")
INVALID = register("glossary-entry-invalid",
                   "a glossary entry lacks a term, has an unknown key or a value of the wrong type")
DUPLICATE = register("glossary-duplicate",
                     "a term or alias appears twice in the glossary (case is ignored)")
EMPTY = register("glossary-definition-empty", "a glossary term has no definition")
RELATED = register("glossary-related-unknown", "a related: name is not a term of the glossary")
UNUSED = register("glossary-unused", "a glossary term is used in no chapter (warning)")

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

    @property
    def slug(self) -> str:
        cached = self.__dict__.get("_slug")
        if cached is None:
            cached = self.__dict__["_slug"] = slug(self.term)
        return cached

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.aliases]

    @property
    def title(self) -> str:
        """The term as a heading: first letter capitalised unless its case is significant."""
        t = self.term
        return t if _case_sensitive(t) else t[:1].upper() + t[1:]


def slug(term: str) -> str:
    """A stable anchor for a term: ASCII lower case words joined by hyphens."""
    text = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def _case_sensitive(form: str) -> bool:
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
    if not term or not term.strip() or not _TOKEN.search(term):
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
            if value is None or not value.strip() or not _TOKEN.search(value):
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
            key = _fold(form)
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
        if other is not None and _fold(other.term) != _fold(e.term):
            problems.append(Problem(path, e.term_line, None, DUPLICATE,
                                    f"glossary term '{e.term}' has the same anchor '#{e.slug}' as "
                                    f"'{other.term}' at line {other.term_line}",
                                    "merge the two entries or make one an alias of the other"))
        anchors.setdefault(e.slug, e)
    return problems


def _related(entries: list[Entry], path: str) -> list[Problem]:
    terms = {_fold(e.term) for e in entries}
    problems = []
    for e in entries:
        for name, ln in zip(e.related, e.related_lines):
            if _fold(name) not in terms or _fold(name) == _fold(e.term):
                problems.append(Problem(path, ln, None, RELATED,
                                        f"related '{name}' of '{e.term}' is not another "
                                        "term of the glossary",
                                        "name another entry's term exactly, or remove it"))
    return problems


def _fold(form: str) -> str:
    return " ".join(form.casefold().split())


def unused(entries: list[Entry], used: dict[str, set[str]], path: str = SOURCE) -> list[Problem]:
    """A warning per term that no chapter uses (``used`` maps slug -> chapter sources)."""
    return [Problem(path, e.term_line, None, UNUSED,
                    f"glossary term '{e.term}' is used in no chapter",
                    "use the term (or one of its aliases) in a chapter's text, or remove the entry",
                    WARNING)
            for e in entries if not used.get(e.slug)]


# Finding terms in text --------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")
_WORDCHAR = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s+")


def _sep(text: str) -> str:
    return _SPACE.sub(" ", text).replace("\u2019", "'")


class Matcher:
    """Finds glossary terms and aliases in text.

    All forms (terms, aliases and their plurals) are compiled once into one regular
    expression shaped as a trie (shared prefixes are written once), so matching runs in
    the regular expression engine at a cost that grows with the length of the text, not
    with the number of terms. A match is a whole-word match of the longest form; the last
    word may take a plural ending (s, es, is/es, y/ies); any run of white space matches a
    space; forms with a capital after the first letter (HRT, mTOR) match only as written.
    """

    def __init__(self, entries: list[Entry]):
        #: lower-cased form -> [(the form as written when its case matters, else None, entry)]
        self.lookup: dict[str, list[tuple[str | None, Entry]]] = {}
        for e in entries:
            for form in e.forms:
                spans = list(_TOKEN.finditer(form))
                if not spans:
                    continue
                exact = _case_sensitive(form)
                start, last = spans[0].start(), spans[-1]
                body = _sep(form[start:last.start()])
                for word in (last.group(), *_plurals(last.group())):
                    variant = body + word
                    self.lookup.setdefault(variant.lower(), []).append(
                        (variant if exact else None, e))
        self.regex = None
        #: texts shorter than this cannot hold a term (most are the newlines between tags)
        self.shortest = min(map(len, self.lookup), default=0)
        if self.lookup:
            # Matched against the lower-cased text without IGNORECASE and with no
            # look-behind in front, so the engine skips fast to a possible first letter
            # (4x faster); the left word boundary is checked on each match instead.
            pattern = _trie(self.lookup) + r"(?![^\W_])"
            self.regex = re.compile(pattern)
            self._fallback: re.Pattern | None = None  # compiled when first needed (rare)

    def __bool__(self) -> bool:
        return self.regex is not None

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """Non-overlapping ``(start, end, entry)`` matches, left to right."""
        return self.find_many([text])[0]

    def find_many(self, texts: list[str]) -> list[list[tuple[int, int, Entry]]]:
        """:meth:`find` for many texts at once: one pass of the engine over them all."""
        out: list[list[tuple[int, int, Entry]]] = [[] for _ in texts]
        if self.regex is None or not texts:
            return out
        joined = "\0".join(texts)  # NUL is no word character: no match crosses it
        low = joined.lower()
        # A few characters change length when lower-cased (e.g. U+0130); then the
        # positions would not line up, so match the text itself, ignoring case.
        if len(low) == len(joined):
            matches = self.regex.finditer(low)
        else:
            if self._fallback is None:
                self._fallback = re.compile(self.regex.pattern, re.IGNORECASE)
            matches = self._fallback.finditer(joined)
        slot, base = 0, 0
        ends = []
        pos = 0
        for t in texts:
            pos += len(t)
            ends.append(pos)
            pos += 1
        lookup, wordchar = self.lookup, _WORDCHAR.match
        keys = low if len(low) == len(joined) else None
        for m in matches:
            start, end = m.span()
            if start and wordchar(joined, start - 1):
                continue  # the match starts inside a word
            found = joined[start:end]
            hits = lookup.get(keys[start:end] if keys is not None else found.lower())
            if hits is None:
                # One space for any run of white space (a match never starts or ends with
                # one), and ' for a typographic apostrophe; the keys are written so.
                found = " ".join(found.split()).replace("\u2019", "'")
                hits = lookup.get(found.lower(), ())
            for exact, entry in hits:
                if exact is None or exact == found:
                    while ends[slot] < start:
                        slot += 1
                    base = ends[slot] - len(texts[slot])
                    out[slot].append((start - base, end - base, entry))
                    break
        return out


def _plurals(word: str) -> tuple[str, ...]:
    """English plural endings: osteoclast(s), (es), analysis/analyses, therapy/therapies."""
    forms = (word + "s", word + "es")
    if word.endswith("is"):
        forms += (word[:-2] + "es",)
    if word.endswith("y"):
        forms += (word[:-1] + "ies",)
    return forms


def _trie(words) -> str:
    """One regular expression matching any of ``words``, longest first, prefixes shared."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def char(ch: str) -> str:
        return r"\s+" if ch == " " else "['’]" if ch == "'" else re.escape(ch)

    def build(node: dict) -> str:
        alts = [char(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# Marking chapter HTML (an ElementTree, before serialisation) ------------------------------

#: Elements whose text is never marked: headings, code, links, citations (footnote
#: references and the footnote list), tab labels, admonition and details titles.
SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "samp",
                       "script", "style", "sup", "label", "abbr", "dfn", "button", "summary",
                       "svg", "math", "textarea", "select", "option", "title"})
SKIP_CLASSES = frozenset({"footnote", "tabbed-labels", "admonition-title", "gl-skip", "gl-defs",
                          "arithmatex", "headerlink"})
#: Elements that make a paragraph: each holds at most MAX_PER_BLOCK marks of its own.
BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "figcaption", "blockquote", "div",
                    "details", "table", "ul", "ol", "dl"})
#: At most this many terms are marked in one paragraph (list item, table cell...): enough
#: for the new words of a sentence or two, few enough that the text does not read as a
#: page of links. A term over the limit is marked at its next use instead.
MAX_PER_BLOCK = 3
CLASS = "gl-term"


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def glossary_href(src_uri: str, page: str = PAGE) -> str:
    """Relative Markdown link from a source file to the Glossary page (MkDocs resolves it)."""
    return posixpath.relpath(page, posixpath.dirname(src_uri) or ".")


# A proper name: a run of capitalised words ("Testosterone Trials", "Endocrine Society",
# "Study of Osteoporotic Fractures"). A capitalised word is a capital then a small letter:
# an abbreviation or a code after a term ("Lumbar spine BMD", "Ipamorelin and CJC-1295")
# does not make a name. Small linking words may sit inside a name.
_NEXT_CAP = re.compile(r"[ \t\n]+(?:(?:of|for|on|in|the|de|&)[ \t\n]+)?"
                       r"([^\W\d_][^\W\d_])")
_PREV_CAP = re.compile(r"([^\W\d_][\w'\u2019-]*)[ \t\n]+"
                       r"(?:(?:of|and|for|on|in|the|de|&)[ \t\n]+)?\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;(\"\u201c\u2018\u2014*|]|\s-)\s*\Z")


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1].islower()


def in_name(text: str, start: int, end: int, entry: Entry | None = None) -> bool:
    """Whether ``text[start:end]`` (a match of ``entry``) is a word of a proper name.

    The rule: the match is capitalised although the term is an ordinary word (a form the
    glossary itself writes with a capital, such as HRT or "Women's Health Initiative", is
    a name or an abbreviation, and is what it is), and a capitalised word follows it
    ("Testosterone Trials", "Study of Osteoporotic Fractures": "of", "for", "on", "in",
    "the", "de" or "&" may sit between) or precedes it other than at the start of a
    sentence ("the Endocrine Society", "Health and Retirement"; not "Testosterone falls").
    """
    if not text[start:start + 1].isupper():
        return False
    if entry is not None:
        found = _sep(text[start:end]).lower()
        if any(f[:1].isupper() and found.startswith(_sep(f).lower()) for f in entry.forms):
            return False
    nxt = _NEXT_CAP.match(text, end)
    if nxt is not None and _capitalised(nxt.group(1)):
        return True
    prev = _PREV_CAP.search(text, max(0, start - 80), start)
    if prev is None or not _capitalised(prev.group(1)):
        return False
    before = text[max(0, prev.start(1) - 40):prev.start(1)]
    return _SENTENCE_START.search(before) is None


def mark_tree(root, matcher: Matcher, mentioned: dict[str, Entry] | None = None,
              href: str = PAGE) -> dict[str, Entry]:
    """Mark the first use of each term per depth in ``root``; return the terms marked.

    Each tab panel (``div.tabbed-block``: a depth, or a tab inside one) starts with the
    terms marked before it (text above the tabs is seen at every depth) and marks its own
    first uses; headings do not reset it. A use inside a proper name (:func:`in_name`) is
    not marked, nor a term beyond :data:`MAX_PER_BLOCK` in one paragraph: the term is then
    marked at its next use. A marked term becomes a link to ``href#slug`` (``href``: the
    Glossary page relative to this one); the definitions of the terms marked are appended
    once, in a hidden ``div.gl-defs`` that search skips (:func:`definitions`). ``mentioned``,
    when given, also gets the terms used but left unmarked for the paragraph limit (the
    chapter uses them: the Glossary page lists it).
    """
    used: dict[str, Entry] = {}
    if not matcher:
        return used
    # Collect the markable texts in document order, each with its depth's set of terms
    # seen so far and its paragraph; find the terms in all of them at once; then wrap the
    # first ones.
    slots: list[tuple] = []
    _collect(root, [(set(),)], slots, matcher.shortest, root)
    found = matcher.find_many([slot[2] for slot in slots])
    per_block: dict[int, int] = {}
    for (parent, after, text, scope, block), hits in zip(slots, found):
        pieces = []
        seen = scope[0]
        for a, b, e in hits:
            s = e.slug
            if s in seen or (len(scope) > 1 and any(s in outer for outer in scope[1:])):
                continue
            n = per_block.get(id(block), 0)
            if n >= MAX_PER_BLOCK:
                if mentioned is not None and not in_name(text, a, b, e):
                    mentioned[s] = e
                continue
            if in_name(text, a, b, e):
                continue
            per_block[id(block)] = n + 1
            seen.add(s)
            used[s] = e
            pieces.append((a, b, s))
        if pieces:
            _wrap(parent, after, text, pieces, href, used)
    if used:
        root.append(definitions(used))
    return used


def _collect(el, section: list, slots: list, shortest: int, block) -> None:
    """Texts that may be marked: (parent, child before it or None, text, scope, paragraph
    element). A scope is a tuple of sets, innermost first: a tab panel's own marks, then
    those of what holds it (filled as marking goes, in document order)."""
    if el.text and len(el.text) >= shortest and not isinstance(el.text, AtomicString):
        slots.append((el, None, el.text, section[0], block))
    for child in el:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            cls = _classes(child) if "class" in child.attrib else _NO_CLASS
            if tag not in SKIP_TAGS and not cls & SKIP_CLASSES:
                inner = child if tag in BLOCKS else block
                if "tabbed-block" in cls:  # a tab panel starts from what was seen before it
                    outer = section[0]
                    section[0] = (set(), *outer)
                    _collect(child, section, slots, shortest, inner)
                    section[0] = outer
                else:
                    _collect(child, section, slots, shortest, inner)
        tail = child.tail
        if tail and len(tail) >= shortest and not isinstance(tail, AtomicString):
            slots.append((el, child, tail, section[0], block))


_NO_CLASS: frozenset = frozenset()


def _wrap(parent, after, text, pieces, href: str, entries: dict[str, Entry]) -> None:
    """Make each term of ``pieces`` in ``text`` (parent.text or after.tail) a link."""
    links = []
    pos = 0
    for a, b, s in pieces:
        link = etree.Element("a", {"href": f"{href}#{s}", "class": CLASS,
                                   "title": entries[s].definition,
                                   "aria-describedby": f"gl-def-{s}"})
        link.text = AtomicString(text[a:b])  # no other pattern reads a term again
        links.append((link, text[pos:a]))
        pos = b
    rest = text[pos:]
    if after is None:
        parent.text = links[0][1]
        at = 0
    else:
        after.tail = links[0][1]
        at = list(parent).index(after) + 1
    for i, (link, _) in enumerate(links):
        link.tail = links[i + 1][1] if i + 1 < len(links) else rest
        parent.insert(at + i, link)


def definitions(used: dict[str, Entry]) -> etree.Element:
    """The hidden block of the page's definitions, each the target of its terms'
    ``aria-describedby`` (text only: quotes, ``<`` and ``&`` stay text)."""
    box = etree.Element("div", {"class": "gl-defs", "hidden": "", "data-search-exclude": ""})
    for s, e in used.items():
        span = etree.SubElement(box, "span", {"id": f"gl-def-{s}"})
        span.text = AtomicString(e.definition)
    return box


# The Glossary page -------------------------------------------------------------------------


def _letter(term: str) -> str:
    first = unicodedata.normalize("NFKD", term)[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"


def sort_key(e: Entry) -> tuple:
    return (_letter(e.term) != "0-9", e.term.casefold())


def used_placeholder(s: str) -> str:
    return f'<p class="gl-used" data-gl-used="{s}"></p>'


#: Finds the placeholders of :func:`used_placeholder`; group 1 is the slug.
USED_PLACEHOLDER = re.compile(r'<p class="gl-used" data-gl-used="([a-z0-9-]+)"></p>')


def entries_markdown(entries: list[Entry], lists: dict[str, str] | None = None) -> str:
    """Markdown for the Glossary page: a heading per letter, then the entries in a list.

    Every value is HTML-escaped, so quotes, ``<`` and ``&`` in a definition display as
    written and never become markup. The "Used in" line of each entry is a placeholder
    filled by :func:`used_html` once every chapter has been rendered.
    """
    by_term = {_fold(e.term): e for e in entries}
    # Related goes both ways: naming B under A also lists A under B.
    related: dict[str, dict[str, Entry]] = {e.slug: {} for e in entries}
    for e in entries:
        for r in e.related:
            other = by_term.get(_fold(r))
            if other is not None and other is not e:
                related[e.slug][other.slug] = other
                related[other.slug][e.slug] = e
    related = {k: list(v.values()) for k, v in related.items()}
    # One <dl> per first letter, under its heading.
    groups: dict[str, list[str]] = {}
    esc = html.escape
    for e in sorted(entries, key=sort_key):
        parts = [f"<p>{esc(e.definition)}</p>"]
        if e.aliases:
            parts.append(f'<p class="gl-meta">Also written: {esc(", ".join(e.aliases))}</p>')
        if related[e.slug]:
            links = ", ".join(f'<a href="#{r.slug}">{esc(r.title)}</a>'
                              for r in sorted(related[e.slug], key=sort_key))
            parts.append(f'<p class="gl-meta">Related: {links}</p>')
        parts.append(used_placeholder(e.slug))
        groups.setdefault(_letter(e.term), []).append(
            f'<dt id="{e.slug}"><dfn>{esc(e.title)}</dfn></dt>\n<dd>{"".join(parts)}</dd>')
    out = []
    for letter, items in groups.items():
        dl = '<dl class="gl-list">\n' + "\n".join(items) + "\n</dl>"
        if lists is not None:
            # The HTML kept aside, a comment in its place: Python-Markdown would only copy
            # the raw HTML through, after parsing all of it (fill_lists puts it in).
            lists[str(len(lists))] = dl
            dl = f"<!--gl-list:{len(lists) - 1}-->"
        out.append(f"## {letter} {{ #glossary-{letter.lower()} }}\n\n{dl}\n")
    return "\n".join(out)


_LIST_MARK = re.compile(r"<!--gl-list:(\d+)-->")


def fill_lists(html_text: str, lists: dict[str, str]) -> str:
    """The Glossary page's HTML with the lists :func:`entries_markdown` kept aside."""
    return _LIST_MARK.sub(lambda m: lists.get(m.group(1), m.group(0)), html_text)


def used_html(s: str, chapters: list[tuple[str, str]]) -> str:
    """The filled "Used in" line: ``chapters`` are (title, url relative to the Glossary page)."""
    if not chapters:
        return '<p class="gl-meta gl-used">Used in no chapter yet.</p>'
    links = ", ".join(f'<a href="{html.escape(url)}">{html.escape(title)}</a>'
                      for title, url in chapters)
    return f'<p class="gl-meta gl-used" data-gl-used="{s}">Used in: {links}</p>'


def page_markdown(markdown: str, entries: list[Entry], lists: dict[str, str] | None = None
                  ) -> str:
    """The Glossary page source with the generated entries at the marker (or at the end);
    with ``lists``, see :func:`entries_markdown` and :func:`fill_lists`."""
    block = entries_markdown(entries, lists)
    if MARKER in markdown:
        return markdown.replace(MARKER, block, 1)
    return markdown.rstrip("\n") + "\n\n" + block


# Python-Markdown glue: one extension object for the whole build -----------------------------

from markdown.extensions import Extension  # noqa: E402  (Python-Markdown, not MkDocs)
from markdown.treeprocessors import Treeprocessor  # noqa: E402


class GlossaryExtension(Extension):
    """Marks terms while a page is converted; the definitions are indexed once per build.

    Before each page is converted the caller sets :attr:`page` (the page's source path,
    or ``None`` to leave the page alone) and may set :attr:`href` (the Glossary page's URL
    relative to it; by default :func:`glossary_href` of the page); :attr:`used` collects,
    per term slug, the pages where the term was marked.
    """

    def __init__(self, entries: list[Entry] | None = None, glossary_page: str = PAGE):
        super().__init__()
        self.glossary_page = glossary_page
        self.set_entries(entries or [])

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.matcher = Matcher(entries)
        self.page: str | None = None
        self.href: str | None = None
        self.by_slug = {e.slug: e for e in entries}
        self.used: dict[str, set[str]] = {}

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # Last: after inline markup (20), abbr (7), the table of contents (5) and the
        # unescaping of backslash escapes (0), so the text is final.
        md.treeprocessors.register(_GlossaryTreeprocessor(md, self), "medsite_glossary", -1)


class _GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md, ext: GlossaryExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root):
        page = self.ext.page
        if page is None:
            return None
        mentioned: dict[str, Entry] = {}
        href = self.ext.href if self.ext.href is not None \
            else glossary_href(page, self.ext.glossary_page)
        used = mark_tree(root, self.ext.matcher, mentioned, href)
        for s in (*used, *mentioned):
            self.ext.used.setdefault(s, set()).add(page)
        return None
