"""What kind of page a source file is."""
from __future__ import annotations

#: Chapters are the Markdown files under this folder of docs/. Each has the three depth
#: tabs, a reviewed date and the medical notice; every other page is exempt.
CHAPTER_DIR = "chapters/"


def is_chapter(src_uri: str) -> bool:
    return src_uri.startswith(CHAPTER_DIR) and src_uri.endswith(".md")
