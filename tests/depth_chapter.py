"""A chapter in the per-depth shape (each depth: its own Key points box, then ## headings),
for the tests of search, reading time, headings and the glossary."""
from __future__ import annotations

import json

DEPTHS = ("Fundamentals", "Intermediate", "Academic")


def depth_chapter(title: str, bodies: dict[str, str] | None = None, *,
                  description: str = "One line about it.") -> str:
    """A chapter whose depth ``d`` holds ``bodies[d]`` (Markdown, unindented) after its
    Key points box; by default one ``## Section`` per depth."""
    bodies = bodies or {}
    out = [f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\n"
           "reviewed: 2026-11-01\n"
           f"next_review: 2027-11-01\n---\n\n# {title}\n"]
    for d in DEPTHS:
        body = bodies.get(d, f"## About {d.lower()}\n\nText written for the {d.lower()} reader.")
        indented = "\n".join(("    " + ln) if ln.strip() else "" for ln in body.splitlines())
        out.append(f'\n=== "{d}"\n\n    !!! abstract "Key points"\n\n'
                   f"        - The {d.lower()} summary.\n\n{indented}\n")
    return "".join(out)
