"""Assertions on the HTML of the real site, built strictly once per session."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.sitebuild import ROOT, nav_sources

LEVELS = ["Fundamentals", "Intermediate", "Academic"]


def nav_pages() -> list[str]:
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    return nav_sources(cfg["nav"])


def chapters() -> list[str]:
    return [p for p in nav_pages() if p.startswith("chapters/")]


def html_of(site: Path, src: str) -> BeautifulSoup:
    rel = "index.html" if src == "index.md" else src[:-3] + "/index.html"
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_every_docs_page_is_in_nav():
    on_disk = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk == set(nav_pages())


@pytest.mark.parametrize("src", chapters())
def test_chapter_has_three_depth_tabs_in_order(site_dir, src):
    body = html_of(site_dir, src).select_one("article.md-content__inner")
    sets = body.select(".tabbed-set")
    top = [s for s in sets if s.find_parent(class_="tabbed-set") is None]
    assert top, f"{src}: no depth tabs"
    labels = [lab.get_text(strip=True) for lab in top[0].select(":scope > .tabbed-labels > label")]
    assert labels == LEVELS


@pytest.mark.parametrize("src", chapters())
def test_chapter_shows_notice_and_review_date(site_dir, src):
    page = html_of(site_dir, src)
    notice = page.select_one("aside.mb-notice")
    assert notice is not None
    assert "not medical advice" in notice.get_text()
    meta = yaml.safe_load((ROOT / "docs" / src).read_text().split("---")[1])
    assert notice.select_one("time")["datetime"] == str(meta["reviewed"])


@pytest.mark.parametrize("src", chapters())
def test_every_citation_links_to_an_entry_in_the_page_bibliography(site_dir, src):
    page = html_of(site_dir, src)
    refs = page.select("sup[id^='fnref'] a.footnote-ref")
    assert refs, f"{src} cites nothing"
    for a in refs:
        target = a["href"].lstrip("#")
        entry = page.find(id=target)
        assert entry is not None and entry.find_parent(class_="footnote"), f"{src}: {target}"
        assert entry.get_text(strip=True), f"{src}: empty reference {target}"


def test_no_citation_left_as_raw_text(site_dir):
    for src in nav_pages():
        text = html_of(site_dir, src).select_one("article").get_text()
        assert not re.search(r"\[@[\w-]+", text), src


def test_references_page_lists_every_bib_entry(site_dir):
    from pybtex.database import parse_file

    keys = set(parse_file(str(ROOT / "bib/references.bib")).entries)
    page = html_of(site_dir, "references.md")
    listed = {el["id"][4:] for el in page.select("[id^='ref-']")}
    assert listed == keys


def test_search_index_holds_every_page(site_dir):
    index = json.loads((site_dir / "search/search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    for src in nav_pages():
        loc = "" if src == "index.md" else src[:-3] + "/"
        assert loc in locations, src


def test_no_third_party_fonts_or_scripts(site_dir):
    for html in site_dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, html
        loads = re.findall(r'<script[^>]+src="(https?://[^"]+)"', text) + [
            href for tag in re.findall(r"<link[^>]+>", text)
            if not re.search(r'rel="(canonical|alternate)"', tag)
            for href in re.findall(r'href="(https?://[^"]+)"', tag)]
        assert loads == [], f"{html} loads from another host"


def test_every_page_links_to_its_source_from_the_footer_not_beside_the_title(site_dir):
    for src in nav_pages():
        page = html_of(site_dir, src)
        edit = page.select_one("footer a[href*='/edit/main/docs/']")
        assert edit is not None and edit["href"].endswith(src), src
        assert page.select_one("article a.md-content__button") is None, src
