"""`python3 dev.py new-chapter`: the template, the slug and title checks, the nav edit."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from medsite import scaffold
from medsite.scaffold import ScaffoldError, add_to_nav, check_slug, new_chapter, render
from tests.sitebuild import ROOT, nav_sources

TODAY = dt.date(2026, 11, 27)


def load(text: str) -> dict:
    return yaml.load(text, Loader=yaml.Loader)  # mkdocs.yml may hold python tags


def chapters_in_nav(cfg: dict) -> list[str]:
    return [src for src in nav_sources(cfg["nav"]) if src.startswith("chapters/")]


# --- slug and title ---------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["bone-scans", "vitamin-d", "a", "hrt-2024"])
def test_good_slugs_pass(slug):
    check_slug(slug)


@pytest.mark.parametrize("slug, message", [
    ("Bone_Scans", "'Bone_Scans' is not a valid chapter slug: use lower-case letters, digits "
                   "and single hyphens, at most 60 characters (e.g. 'bone-scans')"),
    ("bone--scans", None), ("-bone", None), ("bone-", None), ("bone scans", None),
    ("../evil", None), ("bone.md", None), ("", None), ("x" * 61, None), ("ökologie", None),
])
def test_bad_slugs_are_refused_with_a_suggestion(slug, message):
    with pytest.raises(ScaffoldError) as exc:
        check_slug(slug)
    assert f"'{slug}' is not a valid chapter slug" in str(exc.value)
    if message:
        assert str(exc.value) == message


def test_one_year_on_handles_leap_day():
    assert scaffold.one_year_on(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert scaffold.one_year_on(TODAY) == dt.date(2027, 11, 27)


# --- the template ------------------------------------------------------------------------

def template() -> str:
    return (ROOT / "templates/chapter.md").read_text(encoding="utf-8")


def test_template_is_outside_docs_so_it_is_never_built():
    assert not (ROOT / "docs" / "templates").exists()
    assert (ROOT / "templates/chapter.md").is_file()


def test_rendered_template_has_front_matter_key_points_and_three_tabs_in_order():
    title = 'Bone "density": what a DXA scan measures & why'
    text = render(template(), title, TODAY)
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == title
    assert meta["reviewed"] == TODAY and meta["next_review"] == dt.date(2027, 11, 27)
    assert meta["description"]
    assert f"\n# {title}\n" in text
    assert '!!! abstract "Key points"' in text
    tabs = [line for line in text.splitlines() if line.startswith("=== ")]
    assert tabs == ['=== "Fundamentals"', '=== "Intermediate"', '=== "Academic"']
    assert "{{" not in text


def test_unknown_placeholder_in_template_is_an_error():
    with pytest.raises(ScaffoldError, match=r"templates/chapter.md: unknown placeholder \{\{subtitle\}\}"):
        render("---\ntitle: {{title}}\nsub: {{subtitle}}\n---\n", "T", TODAY)


def test_template_placeholders_read_at_increasing_difficulty():
    """The placeholder text already meets the readability targets (Fundamentals <= 8,
    Intermediate <= 12, increasing), so a new chapter previews cleanly from the start."""
    import textstat

    text = render(template(), "T", TODAY)
    blocks = text.split("=== ")[1:]
    grades = [textstat.flesch_kincaid_grade(" ".join(b.splitlines()[1:])) for b in blocks]
    assert grades[0] <= 8.0 and grades[1] <= 12.0
    assert grades[0] < grades[1] < grades[2]


# --- the nav edit ------------------------------------------------------------------------

def test_nav_entry_goes_after_the_last_chapter_and_keeps_every_other_line():
    before = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    after = add_to_nav(before, "bone-scans", "Bone scans")
    old, new = before.splitlines(), after.splitlines()
    assert len(new) == len(old) + 1
    added = [line for line in new if line not in old]
    assert [a.strip() for a in added] == ["- chapters/bone-scans.md"]
    i = new.index(added[0])
    assert new[:i] + new[i + 1:] == old  # comments and layout untouched
    chapters = chapters_in_nav(load(after))
    assert chapters == chapters_in_nav(load(before)) + ["chapters/bone-scans.md"]


def test_nav_entry_copies_the_labelled_style():
    cfg = ("nav:\n  - Home: index.md  # home\n  - Chapters:\n      - 'One': chapters/one.md\n"
           "      - Two: chapters/two.md\n  - About: about.md\n# after\nextra: {}\n")
    after = add_to_nav(cfg, "three", 'Three: "quoted"')
    assert after == cfg.replace("      - Two: chapters/two.md\n",
                                "      - Two: chapters/two.md\n"
                                '      - "Three: \\"quoted\\"": chapters/three.md\n')
    assert chapters_in_nav(load(after))[-1] == "chapters/three.md"


def test_first_chapter_goes_under_the_chapters_section():
    cfg = "nav:\n  - Home: index.md\n  - Chapters:\n  - About: about.md\n"
    after = add_to_nav(cfg, "first", "First")
    assert after == ("nav:\n  - Home: index.md\n  - Chapters:\n      - chapters/first.md\n"
                     "  - About: about.md\n")
    assert load(after)["nav"][1] == {"Chapters": ["chapters/first.md"]}


def test_windows_line_endings_are_kept():
    cfg = "nav:\r\n  - chapters/one.md\r\n"
    assert add_to_nav(cfg, "two", "Two") == "nav:\r\n  - chapters/one.md\r\n  - chapters/two.md\r\n"


@pytest.mark.parametrize("cfg, message", [
    ("site_name: x\n", "mkdocs.yml has no 'nav:' block; add one listing the chapters"),
    ("nav:\n  - chapters/bone-scans.md\n", "mkdocs.yml already lists chapters/bone-scans.md in nav"),
    ("nav:\n  - Home: index.md\n",
     "mkdocs.yml: found no chapter and no 'Chapters:' section in nav; "
     "add '- chapters/bone-scans.md' to nav by hand"),
])
def test_nav_problems_are_explained(cfg, message):
    with pytest.raises(ScaffoldError) as exc:
        add_to_nav(cfg, "bone-scans", "Bone scans")
    assert str(exc.value) == message


# --- the command -------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    """A copy of what new-chapter touches: dev.py, hooks, the template, docs, mkdocs.yml."""
    for name in ("dev.py", "mkdocs.yml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    for name in ("hooks", "templates", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def dev_py(project, *args, epoch: str | None = None, python: list[str] | None = None):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([*(python or [sys.executable]), "dev.py", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


def test_new_chapter_command_writes_the_chapter_with_todays_dates_and_lists_it(project):
    epoch = str(int(dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc).timestamp()))
    r = dev_py(project, "new-chapter", "bone-scans", "Bone scans", epoch=epoch)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("new-chapter: wrote docs/chapters/bone-scans.md (reviewed today, "
                               "next review in a year) and listed it in the nav of mkdocs.yml.")
    text = (project / "docs/chapters/bone-scans.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["reviewed"] == TODAY and meta["next_review"] == dt.date(2027, 11, 27)
    cfg = load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert chapters_in_nav(cfg)[-1] == "chapters/bone-scans.md"


def test_new_chapter_refuses_to_overwrite_and_writes_nothing(project):
    cfg_before = (project / "mkdocs.yml").read_bytes()
    existing = project / "docs/chapters/what-changes-with-age.md"
    text_before = existing.read_bytes()
    r = dev_py(project, "new-chapter", "what-changes-with-age", "Again")
    assert r.returncode == 1
    assert r.stderr.strip() == ("new-chapter: docs/chapters/what-changes-with-age.md already "
                                "exists; pick another slug or edit that file")
    assert existing.read_bytes() == text_before
    assert (project / "mkdocs.yml").read_bytes() == cfg_before


def test_new_chapter_with_a_bad_slug_writes_nothing(project):
    cfg_before = (project / "mkdocs.yml").read_bytes()
    r = dev_py(project, "new-chapter", "Bone Scans", "Bone scans")
    assert r.returncode == 1
    assert "'Bone Scans' is not a valid chapter slug" in r.stderr
    assert "(e.g. 'bone-scans')" in r.stderr
    assert not list((project / "docs/chapters").glob("*one*cans*"))
    assert (project / "mkdocs.yml").read_bytes() == cfg_before


def test_new_chapter_without_arguments_prints_usage(project):
    r = dev_py(project, "new-chapter")
    assert r.returncode == 2
    assert 'usage: python3 dev.py new-chapter <slug> "<Title>"' in r.stderr


def test_new_chapter_needs_no_virtual_environment(project):
    """It runs on the standard library alone (-S: no site-packages), before any set-up."""
    assert not (project / ".venv").exists()
    r = dev_py(project, "new-chapter", "bone-scans", "Bone scans", python=[sys.executable, "-S"])
    assert r.returncode == 0, r.stderr
    assert not (project / ".venv").exists()
