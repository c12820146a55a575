"""A Markdown source as text: where its front matter, code and HTML comments are, so the
checks read only what the reader reads, at the offsets of the file (for file:line:col).

One reader for every check (citations, links, images, the chapter lint): code blocks,
fenced or indented, with tabs, admonitions, list items and footnotes understood as
containers; code spans and HTML comments as Python-Markdown reads them. The front
matter's YAML is read by medsite.frontmatter. Pure.
"""
from __future__ import annotations

import re

#: The YAML front matter block at the top of a file; group 1 is the YAML.
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CONTAINER = re.compile(
    r"(?:={3}[!+]?[ \t]+\S"           # pymdown tabs: === "Tab"
    r"|(?:!{3}|\?{3}\+?)[ \t]+\S"     # admonitions and details: !!! note / ??? note
    r"|[-*+][ \t]+\S|\d{1,9}[.)][ \t]+\S"  # list items
    r"|\[\^[^\]]+\]:[ \t]"            # footnote definitions
    r")")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")


def body_start(text: str) -> int:
    """Offset where the Markdown starts, after any YAML front matter."""
    m = FRONT_MATTER.match(text)
    return m.end() if m else 0


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def block_code_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Fenced and indented code blocks, as (start, end) offsets, containers understood.

    Tabs, admonitions, list items and footnotes indent their content by four spaces; an
    indented code block is four more spaces than the container it is in, after a blank line.
    """
    spans: list[tuple[int, int]] = []
    stack: list[int] = []          # content indent of each open container
    fence: tuple[str, int] | None = None
    fence_start = 0
    indented_start: int | None = None
    prev_blank, prev_text = True, False
    pos = start
    for line in _LINES.findall(text, start):  # '\n' only, as Python-Markdown splits lines
        here, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        if fence:
            m = _FENCE.match(body)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] \
                    and not body.strip().strip(fence[0]):
                spans.append((fence_start, pos))
                fence = None
            continue
        if not body.strip():
            prev_blank, prev_text = True, False
            continue
        ind = _indent(body)
        while stack and ind < stack[-1] and not prev_text:
            stack.pop()
        base = stack[-1] if stack else 0
        if indented_start is not None:
            if ind >= base + 4:
                continue
            spans.append((indented_start, here))
            indented_start = None
        elif ind >= base + 4 and prev_blank:
            indented_start = here
            prev_blank, prev_text = False, False
            continue
        m = _FENCE.match(body)
        if m:
            fence, fence_start = (m.group(1)[0], len(m.group(1))), here
            prev_blank, prev_text = False, False
            continue
        if _CONTAINER.match(body, len(body) - len(body.lstrip())):
            while stack and stack[-1] > ind:
                stack.pop()
            stack.append(ind + 4)
        prev_blank, prev_text = False, True
    if fence:
        spans.append((fence_start, len(text)))
    if indented_start is not None:
        spans.append((indented_start, len(text)))
    return spans


def blank(text: str, spans) -> str:
    """``text`` with the spans replaced by spaces (newlines kept), so offsets stay valid."""
    out, pos = [], 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if b <= a:
            continue
        out += [text[pos:a], _NOT_NEWLINE.sub(" ", text[a:b])]
        pos = b
    out.append(text[pos:])
    return "".join(out)


_NOT_NEWLINE = re.compile(r"[^\n]")
_INLINE = re.compile(r"(?<!\\)(?:\\\\)*(`+)|<!--")


def inline_spans(text: str) -> list[tuple[int, int]]:
    """Code spans and HTML comments of text whose code blocks are already blanked."""
    spans = []
    if "`" not in text and "<!--" not in text:
        return spans
    pos = 0
    while True:
        m = _INLINE.search(text, pos)
        if not m:
            return spans
        if m.group(0) == "<!--":
            end = text.find("-->", m.end())
            end = len(text) if end < 0 else end + 3
            spans.append((m.start(), end))
            pos = end
            continue
        opener = m.start(1)
        # As Python-Markdown reads it: a run of N backticks opens a span closed by N; with no
        # such closer, its first N-1, N-2 ... backticks may open one (the rest are content).
        for n in range(len(m.group(1)), 0, -1):
            c = re.compile(rf"(?<!`)`{{{n}}}(?!`)").search(text, opener + n + 1)
            if c and not _BLANK_LINE.search(text, opener + n, c.start()):
                spans.append((opener, c.end()))
                pos = c.end()
                break
        else:
            pos = m.end()  # a lone run of backticks is literal text


def prose(text: str, *, front_matter: bool = False) -> str:
    """``text`` with code blocks, code spans and HTML comments (and, with ``front_matter``,
    the front matter) blanked out: same length, same line breaks, so offsets stay valid."""
    start = body_start(text) if front_matter else 0
    code = block_code_spans(text, start)
    blanked = blank(text, code)
    return blank(blanked, inline_spans(blanked) + ([(0, start)] if start else []))
