"""`python -m medsite check` (`python3 dev.py check`): the source checks without a build, and
the messages that point at the line to change with the right fix (issue 15, item 3)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medsite import check, glossary, images, lint
from tests.sitebuild import ROOT, build_fixture, error_lines

GLOSSARY = (ROOT / "data/glossary.yml").read_text(encoding="utf-8")


# --- glossary: the line of the entry that is wrong, and no quoting hint ------------------

def _entry_line(n: int) -> int:
    """Line (1-based) of the n-th '- term:' of the real glossary."""
    return [i for i, t in enumerate(GLOSSARY.splitlines(), 1) if t.startswith("- term:")][n]


def test_a_wrongly_indented_entry_is_named_at_its_own_line():
    at = _entry_line(5)
    lines = GLOSSARY.splitlines(keepends=True)
    lines[at - 1] = " " + lines[at - 1]
    _, problems = glossary.load("".join(lines))
    assert [str(p) for p in problems] == [
        f"data/glossary.yml:{at}: glossary entry is indented 1 space; start '- term:' at the "
        "beginning of the line, like the other entries"]


def test_a_misindented_definition_is_named_at_its_line():
    at = _entry_line(5) + 1
    lines = GLOSSARY.splitlines(keepends=True)
    assert lines[at - 1].startswith("  definition:")
    lines[at - 1] = " " + lines[at - 1].lstrip(" ")
    _, problems = glossary.load("".join(lines))
    assert [str(p) for p in problems] == [
        f"data/glossary.yml:{at}: 'definition:' is indented 1 space, not 2; indent "
        "'definition:' by two spaces, level with 'term:' above it"]


def test_a_colon_in_a_definition_still_gets_the_quoting_hint():
    _, problems = glossary.load("- term: a\n  definition: Note: a colon\n")
    assert [str(p) for p in problems] == [
        "data/glossary.yml:2: glossary is not valid YAML: mapping values are not allowed in "
        "this context; fix the YAML; quote a definition that contains ': ' or starts with a "
        "quote"]


# --- review dates that do not exist ------------------------------------------------------

CHAPTER = (ROOT / "docs/chapters/what-changes-with-age.md").read_text(encoding="utf-8")
REVIEWED_LINE = next(i for i, t in enumerate(CHAPTER.splitlines(), 1) if t.startswith("reviewed:"))


@pytest.mark.parametrize("date, message", [
    ("2026-11-31", "'reviewed: 2026-11-31' is not a date: November has 30 days; 30 November "
                   "is the last day: write 2026-11-30, or the date you meant"),
    ("2026-02-29", "'reviewed: 2026-02-29' is not a date: 2026 is not a leap year; 28 "
                   "February is the last day: write 2026-02-28, or the date you meant"),
    ("2026-13-01", "'reviewed: 2026-13-01' is not a date: there is no month 13; write the "
                   "month as 01 to 12 (YYYY-MM-DD)"),
])
def test_a_date_that_does_not_exist_says_which_day_is_the_last(date, message):
    text = re.sub(r"(?m)^reviewed:.*$", f"reviewed: {date}", CHAPTER, count=1)
    problems = [str(p) for p in lint.check_chapter("docs/chapters/a.md", text)]
    assert problems[0] == f"docs/chapters/a.md:{REVIEWED_LINE}: {message}"


# --- images and raw-HTML URLs --------------------------------------------------------------

def _exists(rel: str) -> bool:
    return (ROOT / "docs" / rel).is_file()


FIG = "assets/figures/trial-outcomes.svg"
IMAGES_PAGE = f"""# Images

![](../{FIG})

<img src="../../{FIG}">

<img alt="Bar chart" src="../{FIG}">

<a href="../about.md">About</a> and <a href="../../about/#how-to-read-a-claim">fine</a>.

`<img src="x.svg">` and `![](x.svg)` in code are not checked.
"""


def test_images_without_alt_and_raw_urls_that_do_not_resolve():
    problems = [str(p) for p in images.check("docs/chapters/x.md", "chapters/x.md",
                                             IMAGES_PAGE, _exists)]
    assert problems == [
        f"docs/chapters/x.md:3:1: image '../{FIG}' has no alt text; describe what it shows "
        f"between the brackets: ![what the image shows](../{FIG})",
        f"docs/chapters/x.md:5:1: <img src=\"../../{FIG}\"> has no alt attribute; add "
        "alt=\"what the image shows\" (alt=\"\" only for a purely decorative image)",
        f"docs/chapters/x.md:7:1: <img src=\"../{FIG}\"> does not resolve: MkDocs leaves raw "
        "HTML as written, so the browser reads it from the page's URL (chapters/x/) as "
        f"chapters/{FIG}, which the site does not have; write '../../{FIG}', or use "
        "Markdown, whose links MkDocs rewrites and checks",
        "docs/chapters/x.md:9:1: <a href=\"../about.md\"> does not resolve: MkDocs leaves raw "
        "HTML as written, so the browser reads it from the page's URL (chapters/x/) as "
        "chapters/about.md, which the site does not have; write '../../about/', or use "
        "Markdown, whose links MkDocs rewrites and checks",
    ]
    assert {p.code for p in images.check("docs/chapters/x.md", "chapters/x.md", IMAGES_PAGE,
                                         _exists)} == {"image-alt-missing", "html-url-unresolved"}


def test_images_fail_the_build_with_file_and_line(tmp_path):
    page = f"# Home\n\n![](assets/{FIG.split('/', 1)[1]})\n"
    b = build_fixture(tmp_path, {"index.md": page, "assets/figures/trial-outcomes.svg":
                                 (ROOT / "docs" / FIG).read_text(encoding="utf-8")})
    assert not b.ok
    assert error_lines(b)[0] == (
        f"docs/index.md:3:1: image 'assets/{FIG.split('/', 1)[1]}' has no alt text; describe "
        f"what it shows between the brackets: ![what the image shows]({FIG})")


# --- a page missing from nav ------------------------------------------------------------------

def test_a_page_missing_from_nav_names_mkdocs_yml_and_the_line_to_add_it_under(tmp_path):
    pages = {"index.md": "# Home\n", "topics/a.md": "# A\n", "topics/b.md": "# B\n"}
    nav = [{"Home": "index.md"}, {"Topics": ["topics/a.md"]}]
    b = build_fixture(tmp_path, pages, nav=nav)
    assert not b.ok
    cfg = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    under = next(i for i, t in enumerate(cfg, 1) if t.strip() == "- topics/a.md")
    indent = cfg[under - 1][:cfg[under - 1].index("-")]
    assert error_lines(b)[0] == (
        f"mkdocs.yml:{under}: The following pages exist in the docs directory, but are not "
        "included in the \"nav\" configuration: topics/b.md; add the line "
        f"'{indent}- topics/b.md' under line {under} (the Topics section), or list it "
        "under not_in_nav: if it should stay out of the menu")


# --- the command ----------------------------------------------------------------------------

def run_check(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "medsite", "check", *args], cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "hooks")),
                          capture_output=True, text=True, timeout=120)


def test_the_real_site_passes():
    """Its time is printed (pytest -s), not asserted: speed is measured, not a timed test."""
    run_check()  # the first run fills .cache/memo (the readability grades)
    start = time.perf_counter()
    r = run_check()
    took = time.perf_counter() - start
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    print(f"\npython -m medsite check on the real site, warm: {took:.2f} s")


def test_every_kind_of_source_is_checked(tmp_path):
    """Each check runs through the command: one mistake per kind, each named at its line."""
    for name in ("docs", "bib", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    bib = tmp_path / "bib/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").rstrip()[:-1], encoding="utf-8")
    gl = tmp_path / "data/glossary.yml"
    gl.write_text(gl.read_text(encoding="utf-8").replace("- term: anabolic\n",
                                                          " - term: anabolic\n"), encoding="utf-8")
    ch = tmp_path / "docs/chapters/what-changes-with-age.md"
    ch.write_text(re.sub(r"(?m)^reviewed:.*$", "reviewed: 2026-11-31", CHAPTER, count=1)
                  + "\n![](../x.svg) [@nosuchkey2020]\n", encoding="utf-8")
    r = run_check(cwd=tmp_path)
    assert r.returncode == 1
    codes = re.findall(r"^(\S+?):\d+", r.stdout, re.M)
    assert codes, r.stderr
    assert set(codes) == {"bib/references.bib", "data/glossary.yml",
                          "docs/chapters/what-changes-with-age.md"}, r.stdout
    for expected in ("is not closed", "glossary entry is indented 1 space", "November has 30 days",
                     "has no alt text", "unknown citation key 'nosuchkey2020'"):
        assert expected in r.stdout, expected


def test_lint_fails_on_a_new_chapters_todos_without_git_add(tmp_path):
    """`python3 dev.py new-chapter` then `python3 dev.py check` and `python3 dev.py lint`
    on a clone: the new file is untracked, and both still see its TODOs."""
    repo = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True, timeout=120)
    # The working tree as it is now (uncommitted edits too), the venv shared.
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, out.split("\0")):
        if (ROOT / rel).is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, repo / rel)
    (repo / ".venv").symlink_to((ROOT / ".venv").resolve())
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"), NO_COLOR="1",
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    r = subprocess.run([sys.executable, "dev.py", "new-chapter", "bone-scans", "Bone scans"],
                       cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    status = subprocess.run(["git", "status", "--porcelain", "docs/chapters/bone-scans.md"],
                            cwd=repo, capture_output=True, text=True).stdout
    assert status.startswith("??"), "the new chapter is untracked"
    todo = re.compile(r"^docs/chapters/bone-scans\.md:\d+:\d+: placeholder 'TODO' left from "
                      r"the template; replace it with the chapter's own text \(or delete the "
                      r"line\)$", re.M)
    r = subprocess.run([sys.executable, "dev.py", "check"], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and len(todo.findall(r.stdout)) >= 5, r.stdout + r.stderr
    r = subprocess.run([sys.executable, "dev.py", "lint"], cwd=repo, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stdout + r.stderr
    assert len(todo.findall(r.stdout)) >= 5, r.stdout


def test_registered_codes_are_in_the_catalogue():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for code in (images.NO_ALT, images.UNRESOLVED, check.UNREADABLE):
        assert f"### `{code}`" in text, code


def test_the_real_site_passes_on_the_builds_today(monkeypatch):
    """The build's today is the last commit's date (as in CI), not a date fixed in a test that
    a chapter's next review would overtake."""
    from tests.sitebuild import source_date_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch())
    assert check.main([]) == 0
