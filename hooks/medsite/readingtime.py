"""Reading time per depth, computed once per build from each chapter's Markdown.

A depth's reading time is the number of words a reader reads in it (its own Markdown, as
:func:`medsite.levels.scan` finds it: prose, lists, tables, box titles; not citation keys,
link addresses, attribute lists, HTML tags, comments or code) at :data:`WORDS_PER_MINUTE`,
rounded to the nearest minute and at least one. 200 words a minute is a steady reading
pace for health information read with care (adults read easy prose at about 240).

:func:`insert` puts it as the first element of each depth's panel, as
``<p class="depth-time" id="depth-academic" data-search-exclude>About 6 minutes to read</p>``,
so it changes with the depth and a link can open the depth at its top; the home page's cards (medsite.home) show the three figures. Pure; the
MkDocs side is hooks/readingtime.py.
"""
from __future__ import annotations

import functools
import re

from medsite.depthhtml import depth_set
from medsite.levels import scan

WORDS_PER_MINUTE = 200
CLASS = "depth-time"

_DROP = re.compile(
    # Every branch starts with one of these characters: the engine tries the eight
    # branches only there, not at each character of the text (this sub 1.8x faster).
    r"(?=[<\[\]{ `~!?*])(?:"
    r"<!--.*?-->"                          # comments
    r"|^ *(`{3,}|~{3,}).*?^ *\1 *$"        # fenced code
    r"|\[[^\]\n]*@[^\]\n]*\]"              # citations [@key], [see @a, p. 3; @b]
    r"|\]\([^)\n]*\)"                      # link and image addresses
    r"|\{[^}\n]*\}"                        # attribute lists { #id .class }
    r"|<[^>\n]+>"                          # HTML tags
    r"|^ *(?:!!!|\?\?\?\+?) *[\w-]+"       # admonition markers (their titles are read)
    r"|^\*\[[^\]]*\]:.*$)",                # abbreviation definitions
    re.S | re.M)
_WORD = re.compile(r"[^\W_]+(?:['\u2019.,-][^\W_]+)*")


def words(markdown: str) -> int:
    """Words a reader reads in a piece of chapter Markdown."""
    return len(_WORD.findall(_DROP.sub(" ", markdown)))


def minutes(n_words: int) -> int:
    return max(1, round(n_words / WORDS_PER_MINUTE))


@functools.lru_cache(maxsize=1024)  # one computation per chapter text per process
def depth_minutes(chapter_text: str) -> dict[str, int]:
    """Minutes to read each depth of a chapter (its whole source file); {} without tabs.

    Text above the tabs after the title (a summary shared by every depth) is read at every
    depth, so it counts in each."""
    found = scan("", chapter_text)
    depths = {t.depth: t.markdown() for t in found.top if t.depth and t.depth == t.label}
    if not depths:
        return {}
    lines = chapter_text.splitlines()
    shared = "\n".join(ln for ln in lines[found.body_line - 1:found.top[0].line - 1]
                       if not ln.startswith("# "))
    common = words(shared)
    return {d: minutes(common + words(md)) for d, md in depths.items()}


def label(n: int) -> str:
    return f"About {n} minute{'' if n == 1 else 's'} to read"


def short(n: int) -> str:
    """For the home page's cards: "6 min"."""
    return f"{n} min"


def anchor(depth: str) -> str:
    """The id of a depth's first element (its reading time): a link to ``#depth-academic``
    opens that depth (levels.js opens the depth holding a link's target)."""
    return f"depth-{depth.lower()}"


def insert(page_html: str, times: dict[str, int]) -> str:
    """``page_html`` with each depth's reading time as the first element of its panel."""
    found = depth_set(page_html) if times else None
    if found is None:
        return page_html
    out = page_html
    for panel in reversed(found.panels):
        if panel.depth in times:
            tag = (f'\n<p class="{CLASS}" id="{anchor(panel.depth)}" data-search-exclude>'
                   f'{label(times[panel.depth])}</p>')
            out = out[:panel.inner] + tag + out[panel.inner:]
    return out
