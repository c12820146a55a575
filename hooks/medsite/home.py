"""The home page's chapter cards, generated from the chapters themselves.

``docs/index.md`` holds the marker ``<!-- chapter-cards -->``; the build puts there one card
per chapter, in the order of the navigation: its number, its title (a link to it), the
front matter's ``description`` as the one-line summary, and the reading time of each depth
(medsite.readingtime). A new chapter listed in ``nav`` gets its card without an edit to the
home page. A chapter without a ``description`` fails the build (``home-description-missing``),
since its card would have no summary. Pure: the MkDocs side is hooks/home.py.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from medsite import readingtime
from medsite.diagnostics import Problem, register
from medsite.frontmatter import FrontMatterError, read
from medsite.levels import DEPTHS

MARKER = "<!-- chapter-cards -->"
NO_DESCRIPTION = register("home-description-missing",
                          "a chapter has no description: for its card on the home page")

_H1 = re.compile(r"^# +(.+?)(?: +#+)? *(?:\{[^}]*\})? *$", re.M)


@dataclass
class Card:
    number: int
    title: str
    url: str  # relative to the home page
    description: str
    minutes: dict[str, int]


def nav_sources(nav) -> list[str]:
    """Every Markdown source named in a MkDocs ``nav`` setting, in order."""
    out: list[str] = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            out += nav_sources(value)
        elif isinstance(value, str) and value.endswith(".md"):
            out.append(value)
    return out


def title_of(text: str, meta: dict) -> str:
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    m = _H1.search(text)
    return m.group(1).strip() if m else ""


def card(number: int, path: str, text: str, url: str) -> tuple[Card, list[Problem]]:
    """The card of one chapter (``text`` its source; ``path`` as authors see it)."""
    try:
        meta = read(text)
    except FrontMatterError:
        meta = {}  # reported with its line by the review-date check
    description = meta.get("description")
    problems = []
    if not isinstance(description, str) or not description.strip():
        problems.append(Problem(
            path, 1, None, NO_DESCRIPTION, "chapter has no description for its home-page card",
            "add 'description: <one sentence on what the chapter covers>' to its front matter"))
        description = ""
    return Card(number, title_of(text, meta), url, " ".join(description.split()),
                readingtime.depth_minutes(text)), problems


def cards_html(cards: list[Card]) -> str:
    """The cards as one block of HTML (a list: screen readers announce how many)."""
    esc = html.escape
    items = []
    for c in cards:
        times = "".join(
            f'<li><span class="mb-card__depth">{d}</span> {readingtime.short(c.minutes[d])}</li>'
            for d in DEPTHS if d in c.minutes)
        items.append(
            '<li class="mb-card">\n'
            f'<p class="mb-card__number">Chapter {c.number}</p>\n'
            f'<h3 class="mb-card__title"><a href="{esc(c.url)}">{esc(c.title)}</a></h3>\n'
            + (f'<p class="mb-card__summary">{esc(c.description)}</p>\n' if c.description else "")
            + (f'<div class="mb-card__time" data-search-exclude><p>Reading time</p>'
               f'<ul>{times}</ul></div>\n' if times else "")
            + "</li>")
    return '<ul class="mb-cards">\n' + "\n".join(items) + "\n</ul>"


def fill(markdown: str, cards: list[Card]) -> str:
    """The home page's Markdown with the cards at the marker (unchanged without it)."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, "\n" + cards_html(cards) + "\n", 1)
