"""The built site in a real Chromium: loads clean, stays local, keeps the reader's depth."""
from __future__ import annotations

import pytest

from tests.test_site import chapters, nav_pages

pytestmark = pytest.mark.browser


def url_of(src: str) -> str:
    return "" if src == "index.md" else src[:-3] + "/"


@pytest.mark.parametrize("src", nav_pages())
def test_page_loads_without_console_errors_or_external_requests(web, src):
    resp = web.goto(url_of(src))
    assert resp.status == 200
    assert web.console_errors == []
    assert web.external_requests == []


def test_academic_choice_follows_the_reader_to_the_next_chapter(web):
    first, second = chapters()[:2]
    web.goto(url_of(first))
    web.page.get_by_role("tab", name="Academic").first.click() \
        if web.page.get_by_role("tab", name="Academic").count() \
        else web.page.locator(".tabbed-labels label", has_text="Academic").first.click()
    web.goto(url_of(second))
    checked = web.page.locator(".tabbed-set").first.locator("input:checked")
    label = web.page.locator(f"label[for='{checked.get_attribute('id')}']").first
    assert label.inner_text().strip() == "Academic"
    assert web.page.locator(".tabbed-set").first.locator(".tabbed-block").nth(2).is_visible()
