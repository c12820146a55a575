"""Citations in Markdown: pandoc's syntax, read once, and checked.

A citation is a bracketed list of ';'-separated parts, each ``[prefix] [-]@key[, locator]``:
``[@a]``, ``[@a; @b]``, ``[see @a, p. 12]``, ``[-@a]`` (author suppressed), wrapped over
lines if need be. :func:`read_block` reads one bracket's text; medsite.mdcite (the Markdown
extension) calls it where Python-Markdown reads inline text, and :func:`scan` calls it over
a whole source file (code blocks, code spans, HTML comments and e-mail addresses masked,
offsets kept) to give every citation its line and column without a build. :func:`check`
turns unknown keys, keys with characters we do not accept, and text the reader would see
unconverted into :class:`Problem`\\ s.

A bare ``@key`` outside brackets is not a citation, nor is an '@' inside a word
(an e-mail address).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from medsite.diagnostics import WARNING, Problem, line_col, register, suggest
from medsite.mdsource import blank, block_code_spans, body_start, inline_spans  # noqa: F401

FORMAT_FAILED = register("citation-format-failed", "pandoc gave no formatted reference for an entry")
UNKNOWN = register("citation-unknown-key", "a citation names a key that is not in the bibliography")
UNSUPPORTED = register("citation-key-unsupported",
                       "a cited key holds ':' or '.' (keys are letters, digits, '-' and '_')")
DROPPED = register("citation-text-dropped", "text inside a citation's brackets that would keep "
                   "it from showing as a citation")
NOT_CONVERTED = register("citation-not-converted", "a citation the reader would see as text "
                         "(e.g. in raw HTML that Markdown does not read)")
LOST = register("citation-lost", "a citation the scan found that shows nowhere on the rendered "
                "page (its block was dropped by Markdown)")
NOCITE_REDUNDANT = register("citation-nocite-redundant",
                            "a nocite: key is also cited on a page (warning)")
BUILD_MARK = register("citation-build-mark", "a line of a page is the build's own mark for "
                      "the References page's list, which would show there as an empty list")

#: A bracketed text on one line or wrapped over lines (no blank line inside).
BLOCK_RE = re.compile(r"\[((?:[^\]\n]|\n(?![ \t]*\n))*?)\]")
#: One ';'-separated part: prefix, '@', key (the word characters; see FULL_KEY_RE), locator.
CITATION_RE = re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>[\w-]+)(?:,\s*(?P<suffix>[^;]+))?")
EMAIL_PIECE_RE = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")

#: A key as an author means it: pandoc's syntax, internal punctuation allowed.
FULL_KEY_RE = re.compile(r"[\w-]+(?:[:.#$%&+?<>~/][\w-]+)*")
#: An e-mail address anywhere in the text.
EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

#: Stands in for an ``@`` that does not cite (in code, a comment, an e-mail) while scanning.
_HIDDEN = "\ue000"



@dataclass(frozen=True)
class Cite:
    key: str        # the key as written (may hold ':' or '.')
    read_as: str    # its word characters (the key up to any ':' or '.')
    offset: int     # of the '@' in the scanned text
    line: int
    col: int


@dataclass
class Block:
    """A citation block ``[...]`` (offsets in the scanned text) and its parts."""
    start: int
    end: int
    cites: list[Cite] = field(default_factory=list)
    #: (prefix, key, suffix) of each citation (a suppressed author reads as a plain one)
    parts: list[tuple[str, str, str]] = field(default_factory=list)
    dropped: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class Scan:
    blocks: list[Block] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)
    #: offsets of '@' signs that do not cite (code, comments, e-mail, escaped)
    hidden: list[int] = field(default_factory=list)
    #: offsets of backslashes in ``\\@`` (Markdown shows ``\\@`` as ``@``)
    escapes: list[int] = field(default_factory=list)
    #: (offset, text, why) of text inside a citation block that keeps it from being one
    dropped: list[tuple[int, str, str]] = field(default_factory=list)

    def to_json(self) -> list:
        """Plain lists, for a cache (``Scan.from_json`` gives an equal Scan back)."""
        cite = lambda c: [c.key, c.read_as, c.offset, c.line, c.col]  # noqa: E731
        return [[[b.start, b.end, [cite(c) for c in b.cites], b.parts, b.dropped]
                 for b in self.blocks], self.hidden, self.escapes]

    @classmethod
    def from_json(cls, data: list) -> "Scan":
        blocks, hidden, escapes = data
        out = cls(hidden=hidden, escapes=escapes)
        for start, end, cites, parts, dropped in blocks:
            b = Block(start, end, [Cite(*c) for c in cites], [tuple(x) for x in parts],
                      [tuple(x) for x in dropped])
            out.blocks.append(b)
            out.cites += b.cites
            out.dropped += b.dropped
        return out


def scan(text: str, *, front_matter: bool = True) -> Scan:
    """The citations of a source file, and the '@' signs that do not cite."""
    import bisect

    result = Scan()
    start = body_start(text) if front_matter else 0
    blocks = [b for b in BLOCK_RE.finditer(text, start) if "@" in b.group(1)
              and not (b.end() < len(text) and text[b.end()] == "(")]  # a link's text
    if not blocks:
        return result  # most pages of most sites: no citation
    code = block_code_spans(text, start)
    blanked = blank(text, code)
    protected = code + inline_spans(blanked)
    blanked = blank(blanked, protected)
    protected += email_spans(blanked, start)
    protected.sort()
    starts = [a for a, _ in protected]

    def is_protected(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and protected[k][0] <= i < protected[k][1]

    hidden: set[int] = set()
    for b in blocks:
        escaped_bracket = _escaped(text, b.start())
        i = text.find("@", b.start(1), b.end(1))
        while i >= 0:
            if escaped_bracket or is_protected(i):
                hidden.add(i)
            elif _escaped(text, i):
                hidden.add(i)
                result.escapes.append(i - 1)
            i = text.find("@", i + 1, b.end(1))
    result.hidden = sorted(hidden)
    for b in blocks:
        inner, at = b.group(1), b.start(1)
        masked = inner
        if hidden:
            masked = "".join(_HIDDEN if at + j in hidden else c for j, c in enumerate(inner))
        block = Block(b.start(), b.end())
        off = 0
        for piece in masked.split(";"):
            _read_piece(text, piece, at + off, b.end(1), block)
            off += len(piece) + 1
        if block.cites:
            result.blocks.append(block)
            result.cites += block.cites
            result.dropped += block.dropped
    return result


_EMAIL_CHAR = re.compile(r"[\w.%+-]")


def email_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """``[m.span() for m in EMAIL_RE.finditer(text, start)]``, found from each '@' (an
    address holds one, and starts where the run of address characters before it starts)
    instead of trying the pattern at every character: 30x faster on a chapter."""
    spans: list[tuple[int, int]] = []
    pos = start
    at = text.find("@", pos)
    while at >= 0:
        s = at
        while s > 0 and _EMAIL_CHAR.match(text, s - 1):
            s -= 1
        m = EMAIL_RE.match(text, s) if pos <= s < at else None
        if m:
            spans.append(m.span())
            pos = m.end()
        at = text.find("@", max(pos, at + 1))
    return spans


def read_block(inner: str) -> Block:
    """The text between a citation's brackets, read: ``Block.parts`` and ``Block.dropped``
    (offsets into ``inner``); no ``cites`` when it is no citation at all."""
    block = Block(0, len(inner))
    off = 0
    for piece in inner.split(";"):
        _read_piece(inner, piece, off, len(inner), block)
        off += len(piece) + 1
    return block


def _read_piece(text: str, piece: str, at: int, limit: int, block: "Block") -> None:
    """One ';'-separated part of a citation block."""
    if EMAIL_PIECE_RE.match(piece):
        return  # an address alone in brackets: no citation, shown as written
    m = CITATION_RE.match(piece)
    if m:
        before = piece[:m.start("key") - 1]
        if before.endswith("-"):  # [-@a]: the author suppressed
            before = before[:-1]
        if before and (before[-1].isalnum() or before[-1] in "._%+-@"):
            m = None  # '@' inside a word: an address, not a citation
    if not m:
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            block.dropped.append((at + lead, piece.strip(), "text"))
        return
    k = at + m.start("key")
    full = FULL_KEY_RE.match(text, k, limit)
    key = full.group(0) if full else m.group("key")
    line, col = line_col(text, k - 1)
    block.cites.append(Cite(key, m.group("key"), k - 1, line, col))
    after = piece[m.start("key") + len(key):]
    suffix = None
    if after.startswith(","):
        suffix = after[1:].strip()
        if re.search(r"@[\w-]", suffix):
            block.dropped.append((k - 1, suffix, "comma"))
    elif after.strip():
        lead = len(after) - len(after.lstrip())
        block.dropped.append((at + len(piece) - len(after) + lead, after.strip(), "nocomma"))
    prefix = (m.group("prefix") or "").strip()
    if prefix == "-" or prefix.endswith((" -", "\t-", "\n-")):
        prefix = prefix[:-1].strip()
    if "[" in prefix:  # e.g. ![alt [@a]](img.png)
        block.dropped.append((k - 1, f"[{key}]", "nested"))
    block.parts.append((prefix, key, suffix or ""))


def _escaped(text: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def suggestion(key: str, keys) -> str | None:
    """The existing key closest to ``key``: same letters in another case first, else difflib."""
    return suggest(key, keys, fold_case=True)


def check(path: str, text: str, keys, *, bib: str = "bib/references.bib",
          front_matter: bool = True, scanned: Scan | None = None) -> tuple[Scan, list[Problem]]:
    """The citations of one page (a :class:`Scan`) and their problems.

    ``keys``: the bibliography's keys. ``text``: the whole source file, front matter and all,
    so lines and columns are the file's own. ``scanned``: ``scan(text)`` if already known
    (hooks/citations.py keeps it between builds)."""
    from medsite.bibcheck import bad_key_chars, suggested_key

    keys = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)
    s = scanned if scanned is not None else scan(text, front_matter=front_matter)
    problems = []
    for c in s.cites:
        bad = bad_key_chars(c.key)
        if bad:
            new = suggested_key(c.key)
            where = f"here and in {bib}" if c.key in keys else "here"
            problems.append(Problem(
                path, c.line, c.col, UNSUPPORTED,
                f"citation key '{c.key}' contains {_chars(bad)}, which mkdocs-bibtex cannot read",
                f"rename the key to '{new}' {where}"))
        elif c.key not in keys:
            near = suggestion(c.key, keys)
            hint = (f"did you mean '{near}'?" if near
                    else f"add an entry with this key to {bib}, or fix the key")
            problems.append(Problem(path, c.line, c.col, UNKNOWN,
                                    f"unknown citation key '{c.key}'", hint))
    for off, dropped, why in s.dropped:
        line, col = line_col(text, off)
        if why == "comma":
            problems.append(Problem(path, line, col, DROPPED,
                                    f"'{dropped}' after a comma would be read as a page note "
                                    "and its citation dropped",
                                    "separate citations with ';', e.g. [@a; @b]"))
        elif why == "nested":
            problems.append(Problem(path, line, col, DROPPED,
                                    "a citation inside other brackets (a link or image text) "
                                    "would break both",
                                    "move the citation after the link or image"))
        elif why == "nocomma":
            problems.append(Problem(path, line, col, DROPPED,
                                    f"'{dropped}' after the key would be dropped from the page",
                                    "put a comma after the key, e.g. [@key, p. 12]"))
        else:
            problems.append(Problem(path, line, col, DROPPED,
                                    f"'{dropped}' inside a citation's brackets would be "
                                    "dropped from the page",
                                    "start each ';'-separated part with @key, or move the "
                                    "text outside the brackets"))
    return s, problems + _build_marks(path, text, front_matter)


def _build_marks(path: str, text: str, front_matter: bool) -> list[Problem]:
    """Lines (outside code) that are only :data:`medsite.mdcite.BIBLIOGRAPHY_MARK`, the line
    the build writes where the References page lists every entry: written by an author, the
    citation extension would make it a list of nothing."""
    from medsite.mdcite import BIBLIOGRAPHY_MARK

    if BIBLIOGRAPHY_MARK not in text:
        return []
    start = body_start(text) if front_matter else 0
    code = block_code_spans(text, start)
    line = re.compile(rf"^[ \t>]*({re.escape(BIBLIOGRAPHY_MARK)})[ \t]*$", re.M)
    problems = []
    for m in line.finditer(text, start):
        if any(a <= m.start(1) < b for a, b in code):
            continue
        ln, col = line_col(text, m.start(1))
        problems.append(Problem(
            path, ln, col, BUILD_MARK,
            f"'{BIBLIOGRAPHY_MARK}' is the build's own mark for the References page's list "
            "and would show here as an empty list",
            "to list every reference, write <!-- full-bibliography --> on a line of its own; "
            "otherwise remove the line"))
    return problems


def _chars(chars: str) -> str:
    quoted = [f"'{c}'" for c in chars]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def nocite_keys(meta: dict) -> list[str]:
    """Keys listed under ``nocite:`` in front matter (a list, or pandoc's '@a, @b' string)."""
    value = meta.get("nocite") if isinstance(meta, dict) else None
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", str(value))
    return [str(k).strip().lstrip("@") for k in items if str(k).strip().lstrip("@")]


def check_nocite(path: str, text: str, meta: dict, keys, cited_on: dict[str, str]
                 ) -> list[Problem]:
    """Unknown keys under ``nocite:``, and keys there that a page cites anyway (warning).

    ``cited_on`` maps each key cited in the text of some page to that page's path.
    """
    problems = []
    for k in nocite_keys(meta):
        m = re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)
        line, col = line_col(text, m.start()) if m else (1, None)
        if k not in keys:
            near = suggestion(k, keys)
            problems.append(Problem(path, line, col, UNKNOWN, f"unknown citation key '{k}'",
                                    f"did you mean '{near}'?" if near
                                    else "remove it from nocite: or add the entry"))
        elif k in cited_on:
            problems.append(Problem(path, line, col, NOCITE_REDUNDANT,
                                    f"'{k}' is listed under nocite: but {cited_on[k]} cites it",
                                    "remove it from nocite:", WARNING))
    return problems


#: What Python-Markdown unescapes after a backslash; pandoc escapes more than that.
_MD_ESCAPES = set("\\`*_{}[]()>#+-.!")


def clean_reference(md: str) -> str:
    """A reference formatted by pandoc (as Markdown), made right for Python-Markdown.

    Pandoc escapes characters Python-Markdown does not know as escapes, which would show a
    stray backslash (``Endocrinology\\ & Metabolism``). Every ``<`` from a bib field reaches
    here escaped as ``\\<`` and leaves as the entity ``&lt;``, so HTML in a bib field shows
    as text and never runs.
    """
    def unescape(m: re.Match) -> str:
        c = m.group(1)
        if c in _MD_ESCAPES:
            return m.group(0)
        return {" ": "\u00a0", "<": "&lt;", "&": "&amp;", "\n": " "}.get(c, c)

    # Pandoc's bracketed spans, e.g. [Women's Health Initiative]{.nocase} for a braced
    # proper noun: keep the words (already cased right), drop the markup.
    prev = None
    while prev != md:
        prev, md = md, re.sub(r"(?<!\\)\[([^\[\]]*)\]\{[^{}]*\}", r"\1", md)
    md = re.sub(r"\\([^\w])", unescape, md)
    # Defence in depth: outside link targets, a '<' that does not open an autolink is
    # text, never a tag.
    parts = re.split(r"(\]\((?:[^()\s]|\([^()\s]*\))*\))", md)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"<(?![a-z][a-z0-9+.-]*:[^<>\s]*>)(?=[A-Za-z/!?])", "&lt;", parts[i])
    return "".join(parts)


_BETWEEN = "<!--medsite-reference-->"
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]*\]:", re.M)


def references_html(refs: dict[str, str]) -> dict[str, str]:
    """Each reference's Markdown (after :func:`clean_reference`) as inline HTML, the outer
    ``<p>`` dropped: what one Python-Markdown conversion per reference gives, in ONE
    conversion of them all, kept apart by an HTML comment between blank lines. (Such a
    text cannot open a raw HTML block or a fenced block that would run on: clean_reference
    escapes every '<' that could open a tag.) Should the pieces not come out one per
    reference, each is converted alone."""
    import markdown

    md = markdown.Markdown()
    # A link definition ("[x]: url") would serve every entry after it, and white space at
    # either end reads differently after a blank line: such entries alone.
    alone = {k for k, v in refs.items() if _BETWEEN in v or _LINK_DEFINITION.search(v)
             or v[:1].isspace() or v[-1:].isspace()}
    together = [k for k in refs if k not in alone]
    out = {}
    if len(together) > 1:
        pieces = md.convert(f"\n\n{_BETWEEN}\n\n".join(refs[k] for k in together)
                            ).split(_BETWEEN)
        if len(pieces) == len(together):
            out = {k: _inline(piece) for k, piece in zip(together, pieces)}
    return {k: out[k] if k in out else _inline(md.reset().convert(refs[k])) for k in refs}


def _inline(html: str) -> str:
    return html.strip().removeprefix("<p>").removesuffix("</p>")
