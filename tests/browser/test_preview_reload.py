"""The live preview in a real Chromium: a save reloads the open page by itself, with no
console error (so a Content-Security-Policy does not block the live-reload code), and a
bad save leaves the page as it was."""
from __future__ import annotations

import re

import pytest

from tests.test_serve import CHAPTER, Preview, Source, url_of, with_marker

pytestmark = pytest.mark.browser
WAIT_MS = 180_000  # a guard against a hang, not a timing requirement


def test_saving_a_chapter_reloads_the_open_page(preview: Preview, context):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    with page.expect_console_message(lambda m: "Enabled live reload" in m.text, timeout=WAIT_MS):
        page.goto(preview.base + url_of(CHAPTER))
    src = Source(preview, f"docs/{CHAPTER}")
    try:
        src.write(with_marker(src.original, "Otters reload this page."))
        page.get_by_text("Otters reload this page.").wait_for(timeout=WAIT_MS)
        # A bad save: the error is printed, the open page stays as it was.
        since = src.write(re.sub(r"(?m)^reviewed:.*$", "reviewed: 2026-13-01", src.original,
                                 count=1))
        preview.wait_for_output("(the site still shows the last good build)", since)
        assert page.get_by_text("Otters reload this page.").is_visible()
    finally:
        src.restore()
        page.get_by_text("Otters reload this page.").wait_for(state="detached", timeout=WAIT_MS)
    assert errors == []
