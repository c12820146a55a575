"""Bad input fails the strict build with the file named (tiny fixture sites)."""
from __future__ import annotations

from tests.sitebuild import build_fixture, error_lines

CHAPTER = """---
title: A chapter
reviewed: 2026-11-01
next_review: 2027-11-01
---

# A chapter

=== "Fundamentals"

    Plain words.

=== "Intermediate"

    More detail.

=== "Academic"

    All the detail.
"""


def test_broken_link_fails_with_file_named(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nSee [nowhere](missing.md).\n"})
    assert not b.ok
    assert any("Doc file 'index.md' contains a link 'missing.md', but the target is not found"
               in line for line in error_lines(b)), b.output


def test_broken_anchor_fails_with_file_named(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n\nSee [there](other.md#nope).\n",
                                 "other.md": "# Other\n"})
    assert not b.ok
    assert ("docs/index.md:3:13: Doc file 'index.md' contains a link 'other.md#nope', but the "
            "doc 'other.md' does not contain an anchor '#nope'; use the anchor of an existing "
            "heading: hover the heading in the preview and copy its ¶ link") in error_lines(b), b.output


def test_page_missing_from_nav_fails(tmp_path):
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "stray.md": "# Stray\n"},
                      nav=["index.md"])
    assert not b.ok
    cfg = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(cfg, 1) if t.strip() == "- index.md")
    assert (f"mkdocs.yml:{line}: The following pages exist in the docs directory, but are not "
            "included in the \"nav\" configuration: stray.md; add the line '- stray.md' under "
            f"line {line}, or list it under not_in_nav: if it should stay out of the menu"
            ) in error_lines(b), b.output


def test_bad_review_date_fails_with_file_and_line(tmp_path):
    bad = CHAPTER.replace("reviewed: 2026-11-01", "reviewed: 2026-13-01")
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "chapters/a.md": bad})
    assert not b.ok
    assert ("docs/chapters/a.md:3: 'reviewed: 2026-13-01' is not a date: there is no month "
            "13; write the month as 01 to 12 (YYYY-MM-DD)") in error_lines(b), b.output
    assert "Traceback" not in b.output


def test_missing_review_date_fails_with_file_and_line(tmp_path):
    bad = CHAPTER.replace("next_review: 2027-11-01\n", "")
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "chapters/a.md": bad})
    assert not b.ok
    assert ("docs/chapters/a.md:1: chapter has no 'next_review:' date; "
            "add 'next_review: YYYY-MM-DD' to the front matter") in error_lines(b), b.output


def test_overdue_review_warns_and_strict_build_fails(tmp_path):
    old = CHAPTER.replace("2026-11-01", "2024-01-01").replace("2027-11-01", "2025-01-01")
    b = build_fixture(tmp_path, {"index.md": "# Home\n", "chapters/a.md": old})
    assert not b.ok
    assert ("docs/chapters/a.md:4: review overdue since 2025-01-01; re-check the chapter "
            "against its sources, then update reviewed and next_review") in error_lines(b)
