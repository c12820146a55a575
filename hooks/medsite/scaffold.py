"""Start a new chapter from ``templates/chapter.md`` and list it in the nav of mkdocs.yml.

    python3 dev.py new-chapter <slug> "<Title>"

Standard library only, so ``dev.py`` can run it before any virtual environment exists.
The nav is edited as text, not re-dumped as YAML, so the comments and layout of
mkdocs.yml survive: the new entry goes on the line after the last chapter already listed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from medsite import clock

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEMPLATE = "templates/chapter.md"
CHAPTER_DIR = "docs/chapters"


class ScaffoldError(ValueError):
    """A reason not to create the chapter; the message says what to do instead."""


def check_slug(slug: str) -> None:
    if not SLUG.fullmatch(slug) or len(slug) > 60:
        hint = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:60] or "muscle-and-bone"
        raise ScaffoldError(
            f"'{slug}' is not a valid chapter slug: use lower-case letters, digits and single "
            f"hyphens, at most 60 characters (e.g. '{hint}')")


def check_title(title: str) -> str:
    title = title.strip()
    if not title or "\n" in title:
        raise ScaffoldError("the title must be one non-empty line, e.g. \"Bone density scans\"")
    return title


def one_year_on(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def render(template: str, title: str, today: dt.date) -> str:
    """The template with its ``{{placeholders}}`` filled in."""
    values = {
        "title": title,
        "title_yaml": json.dumps(title, ensure_ascii=False),  # a YAML double-quoted string
        "reviewed": today.isoformat(),
        "next_review": one_year_on(today).isoformat(),
    }
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), template)
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ScaffoldError(f"{TEMPLATE}: unknown placeholder {left[0]}; "
                            f"use one of {', '.join('{{' + k + '}}' for k in values)}")
    return text


_NAV = re.compile(r"nav:[ \t]*(#.*)?")
_TOP_LEVEL = re.compile(r"[^\s#-]")
_CHAPTER_ITEM = re.compile(
    r"(?P<indent>[ \t]*)-[ \t]+(?:(?P<label>\"[^\"]*\"|'[^']*'|[^:#\n]+?):[ \t]+)?"
    r"[\"']?chapters/(?P<slug>[^\s\"'#]+)\.md[\"']?[ \t]*(#.*)?")
_CHAPTERS_SECTION = re.compile(r"(?P<indent>[ \t]*)-[ \t]+[\"']?Chapters[\"']?:[ \t]*(#.*)?")


def add_to_nav(mkdocs_yml: str, slug: str, title: str) -> str:
    """mkdocs.yml with ``chapters/<slug>.md`` listed after the last chapter in ``nav:``."""
    lines = mkdocs_yml.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _NAV.fullmatch(line.rstrip("\r\n"))),
                 None)
    if start is None:
        raise ScaffoldError("mkdocs.yml has no 'nav:' block; add one listing the chapters")
    end = start + 1
    while end < len(lines) and not _TOP_LEVEL.match(lines[end]):
        end += 1
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    last = None
    for i in range(start + 1, end):
        m = _CHAPTER_ITEM.fullmatch(lines[i].rstrip("\r\n"))
        if m:
            if m.group("slug") == slug:
                raise ScaffoldError(f"mkdocs.yml already lists chapters/{slug}.md in nav")
            last = (i, m)
    if last:
        i, m = last
        label = f"{json.dumps(title, ensure_ascii=False)}: " if m.group("label") else ""
        entry = f"{m.group('indent')}- {label}chapters/{slug}.md{newline}"
    else:
        section = next(((i, m) for i in range(start + 1, end)
                        if (m := _CHAPTERS_SECTION.fullmatch(lines[i].rstrip("\r\n")))), None)
        if section is None:
            raise ScaffoldError("mkdocs.yml: found no chapter and no 'Chapters:' section in nav; "
                                f"add '- chapters/{slug}.md' to nav by hand")
        i, m = section
        entry = f"{m.group('indent')}    - chapters/{slug}.md{newline}"
    if not lines[i].endswith(("\n", "\r")):
        lines[i] += newline
    lines.insert(i + 1, entry)
    return "".join(lines)


def new_chapter(root: Path, slug: str, title: str, today: dt.date | None = None) -> Path:
    """Write docs/chapters/<slug>.md from the template and list it in nav; return its path.

    Nothing is written when any check fails.
    """
    check_slug(slug)
    title = check_title(title)
    target = root / CHAPTER_DIR / f"{slug}.md"
    if target.exists():
        raise ScaffoldError(f"{CHAPTER_DIR}/{slug}.md already exists; pick another slug "
                            "or edit that file")
    template = (root / TEMPLATE).read_text(encoding="utf-8")
    cfg_path = root / "mkdocs.yml"
    with open(cfg_path, encoding="utf-8", newline="") as f:
        cfg = f.read()
    text = render(template, title, today or clock.today())
    new_cfg = add_to_nav(cfg, slug, title)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:
        f.write(text)
    with open(cfg_path, "w", encoding="utf-8", newline="") as f:
        f.write(new_cfg)
    return target


def main(argv: list[str], root: Path) -> int:
    if len(argv) != 2:
        print('usage: python3 dev.py new-chapter <slug> "<Title>"\n'
              '  e.g. python3 dev.py new-chapter bone-density-scans "Bone density scans"',
              file=sys.stderr)
        return 2
    try:
        path = new_chapter(root, argv[0], argv[1])
    except ScaffoldError as exc:
        print(f"new-chapter: {exc}", file=sys.stderr)
        return 1
    rel = path.relative_to(root).as_posix()
    print(f"new-chapter: wrote {rel} (reviewed today, next review in a year) and listed it "
          "in the nav of mkdocs.yml.\n"
          f"  Next: replace every TODO in {rel} (its description is its summary on the "
          "home page) and preview with `python3 dev.py serve`. See CONTRIBUTING.md.")
    return 0
