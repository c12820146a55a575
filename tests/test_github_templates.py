"""The pull-request checklist and the content-error issue form (GitHub's issue-form syntax)."""
from __future__ import annotations

import re

import yaml

from tests.sitebuild import ROOT

GH = ROOT / ".github"
FIELD_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def form() -> dict:
    return yaml.safe_load((GH / "ISSUE_TEMPLATE/content-error.yml").read_text(encoding="utf-8"))


def fields() -> dict[str, dict]:
    return {f["id"]: f for f in form()["body"] if f["type"] != "markdown"}


def test_issue_form_has_the_top_level_keys_github_requires():
    f = form()
    assert f["name"] == "Content error"  # the About page and CONTRIBUTING name it so
    assert f["description"] and len(f["description"]) <= 200
    assert isinstance(f["labels"], list) and f["title"]
    for field in f["body"]:
        assert field["type"] in FIELD_TYPES
        if field["type"] == "markdown":
            assert field["attributes"]["value"]
        else:
            assert re.fullmatch(r"[A-Za-z0-9_-]+", field["id"])
            assert field["attributes"]["label"]


def test_issue_form_asks_page_depth_what_and_source():
    by_id = fields()
    assert list(by_id) == ["page", "depth", "what", "source"]
    assert by_id["page"]["type"] == "input" and by_id["page"]["validations"]["required"]
    assert by_id["what"]["type"] == "textarea" and by_id["what"]["validations"]["required"]
    assert by_id["source"]["type"] in {"input", "textarea"}
    assert by_id["source"]["validations"]["required"] is False


def test_depth_is_a_dropdown_of_the_three_depths():
    depth = fields()["depth"]
    assert depth["type"] == "dropdown" and depth["validations"]["required"]
    options = depth["attributes"]["options"]
    assert options[:3] == ["Fundamentals", "Intermediate", "Academic"]
    assert len(options) == len(set(options))


def test_issue_chooser_config_is_valid_and_links_to_the_guide():
    cfg = yaml.safe_load((GH / "ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8"))
    assert isinstance(cfg["blank_issues_enabled"], bool)
    for link in cfg["contact_links"]:
        assert {"name", "url", "about"} <= set(link) and link["url"].startswith("https://")
    site = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    assert any(link["url"].startswith(site["repo_url"]) for link in cfg["contact_links"])


def test_about_page_names_the_form():
    assert '"Content error" form' in (ROOT / "docs/about.md").read_text(encoding="utf-8")


def test_pull_request_checklist_covers_every_rule():
    text = (GH / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] \*\*([^*]+)\*\*", text, re.M)
    assert items == ["Three depths", "Citations resolve", "Terms in the glossary",
                     "Reviewed dates", "Tests pass", "No medical advice"]
    for command in ("python3 dev.py lint", "python3 dev.py test"):
        assert command in text
