"""The pre-commit checks: pass on the project as it is, catch each kind of mistake, offline.

They run with the pinned tools in .venv/ on a copy of the project in a fresh git repository
(pre-commit only sees tracked files), with pre-commit's cache in the temporary folder.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from medsite import lint
from tests.sitebuild import ROOT

BIN = ROOT / ".venv" / "bin"

GOOD_CHAPTER = """---
title: A chapter
reviewed: 2026-11-01
next_review: 2027-11-01
---

# A chapter

=== "Fundamentals"

    ## In short

    Plain words about heart attacks and weak muscles. Short lines help.

=== "Intermediate"

    ## What the trial counted

    The trial also counted each infarction and each case of sarcopenia as a second result.

=== "Academic"

    ## Endpoints

    Adjudicated myocardial infarction incidence and sarcopenia prevalence, ascertained
    through standardized diagnostic criteria, constituted prespecified secondary endpoints.
"""
END = len(GOOD_CHAPTER.splitlines())  # text appended after a blank line lands on END + 2


# --- the chapter lint, unit --------------------------------------------------------------

def test_lint_reports_todos_outside_code_and_comments():
    text = ("---\ntitle: T\n---\n<!-- TODO in a comment is fine -->\n\n=== \"Fundamentals\"\n\n"
            "    TODO: write this.\n\n    Keep `TODO` in code.\n\n```\nTODO\n```\n")
    problems = lint.todos("docs/chapters/t.md", text)
    assert [str(p) for p in problems] == [
        "docs/chapters/t.md:8:5: placeholder 'TODO' left from the template; "
        "replace it with the chapter's own text (or delete the line)"]
    assert problems[0].code == "chapter-todo"


def test_lint_checks_review_dates_like_the_build(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 27).timestamp())))
    bad = GOOD_CHAPTER.replace("reviewed: 2026-11-01", "reviewed: 2026-13-01")
    assert [str(p) for p in lint.check_chapter("docs/chapters/a.md", bad)] == [
        "docs/chapters/a.md:3: 'reviewed: 2026-13-01' is not a date: there is no month 13; "
        "write the month as 01 to 12 (YYYY-MM-DD)"]
    assert lint.check_chapter("docs/chapters/a.md", GOOD_CHAPTER) == []


def test_lint_exit_code_and_output(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 27).timestamp())))
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD_CHAPTER)
    bad.write_text(GOOD_CHAPTER + "\n    TODO\n")
    assert lint.main([str(good)]) == 0
    assert lint.main([str(good), str(bad)]) == 1
    assert (f"bad.md:{END + 2}:5: placeholder 'TODO' left from the template; replace it with "
            "the chapter's own text (or delete the line)") in capsys.readouterr().out


# --- pre-commit on a copy of the project ------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("precommit") / "repo")


def make_repo(repo: Path) -> Path:
    """The project's files (tracked, and new ones not ignored) in a fresh git repository."""
    files = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for rel in filter(None, files.split("\0")):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    (repo / ".venv").symlink_to((ROOT / ".venv").resolve())
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def pc_env(repo: Path) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"),
               PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pre-commit"), "run", "--color", "never", *args], cwd=repo,
                          env=pc_env(repo), capture_output=True, text=True, timeout=600)


def test_hooks_are_all_local_so_nothing_is_fetched():
    import yaml

    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in cfg["repos"]] == ["local"]
    ids = {h["id"] for h in cfg["repos"][0]["hooks"]}
    assert {"codespell", "trailing-whitespace", "end-of-file-fixer", "check-yaml",
            "medsite-check"} <= ids
    for hook in cfg["repos"][0]["hooks"]:
        assert hook["language"] == "system"
        assert not hook.get("additional_dependencies")


def test_pre_commit_passes_on_every_file_of_the_project(repo):
    r = pre_commit(repo, "--all-files")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Failed" not in r.stdout


def _stage(repo: Path, rel: str, content: str | bytes) -> None:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content) if isinstance(content, bytes) else p.write_text(content)
    _git(repo, "add", rel)


TYPO = "T" + "eh"  # spelled out here would fail codespell on this very file


def test_typo_is_caught_and_medical_words_are_not(repo):
    _stage(repo, "docs/chapters/typo.md",
           GOOD_CHAPTER + f"\n    {TYPO} risk of infarction, anastrozole and ipamorelin.\n")
    r = pre_commit(repo, "--files", "docs/chapters/typo.md")
    assert r.returncode == 1
    assert f"docs/chapters/typo.md:{END + 2}: {TYPO} ==> The" in r.stdout
    assert "infarction" not in r.stdout


def test_trailing_whitespace_and_missing_final_newline_are_fixed(repo):
    _stage(repo, "docs/chapters/space.md",
           GOOD_CHAPTER.replace("Plain words", "Plain   \n    words").rstrip("\n"))
    r = pre_commit(repo, "--files", "docs/chapters/space.md")
    assert r.returncode == 1
    assert "Fixing docs/chapters/space.md" in r.stdout
    fixed = (repo / "docs/chapters/space.md").read_text()
    assert "Plain\n" in fixed and fixed.endswith("endpoints.\n") and not fixed.endswith("\n\n")
    _git(repo, "add", "docs/chapters/space.md")
    assert pre_commit(repo, "--files", "docs/chapters/space.md").returncode == 0


def test_leftover_todo_and_bad_review_date_are_caught(repo):
    text = GOOD_CHAPTER.replace("reviewed: 2026-11-01", "reviewed: 2026-13-01") + "\n    TODO\n"
    _stage(repo, "docs/chapters/todo.md", text)
    r = pre_commit(repo, "--files", "docs/chapters/todo.md")
    assert r.returncode == 1
    assert "docs/chapters/todo.md:3: 'reviewed: 2026-13-01' is not a date: there is no month 13" \
        in r.stdout
    assert f"docs/chapters/todo.md:{END + 2}:5: placeholder 'TODO' left from the template" in r.stdout


def test_broken_yaml_is_caught(repo):
    _stage(repo, "data/broken.yml", "- term: a\n  definition: [unclosed\n")
    r = pre_commit(repo, "--files", "data/broken.yml")
    assert r.returncode == 1
    assert "data/broken.yml" in r.stdout


def test_mkdocs_yml_python_tags_are_allowed(repo):
    text = (repo / "mkdocs.yml").read_text()
    _stage(repo, "tagged/mkdocs.yml",
           text + "\nextra_tag: !!python/name:os.path.join\n")
    r = pre_commit(repo, "--files", "tagged/mkdocs.yml")
    assert r.returncode == 0, r.stdout


def test_bibliography_lint_runs_on_bib_files(repo):
    bib = (repo / "bib/references.bib").read_text()
    first = bib.index("@")
    dup = bib[first:bib.index("\n}\n", first) + 3]
    _stage(repo, "bib/dup.bib", bib + "\n" + dup)
    r = pre_commit(repo, "--files", "bib/dup.bib")
    assert r.returncode == 1
    assert "bib/dup.bib:" in r.stdout


def test_installed_hook_stops_a_commit_with_a_mistake(tmp_path):
    """`python3 dev.py hooks` (pre-commit install): `git commit` runs the checks."""
    repo = make_repo(tmp_path / "repo")
    env = pc_env(repo)
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env, check=True,
                   capture_output=True, text=True, timeout=120)
    commit = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit",
              "-q", "-m", "chapter"]
    assert subprocess.run(commit, cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600).returncode == 0  # the project itself commits cleanly
    _stage(repo, "docs/chapters/new.md", GOOD_CHAPTER + "\n    TODO\n")
    r = subprocess.run(commit, cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode != 0
    assert (f"docs/chapters/new.md:{END + 2}:5: placeholder 'TODO' left from the template"
            in r.stdout + r.stderr)




def test_lint_runs_the_depth_tab_and_readability_checks():
    bad_label = GOOD_CHAPTER.replace('=== "Fundamentals"', '=== "Fundamental"')
    assert "levels-label" in {p.code for p in lint.check_chapter("docs/chapters/a.md", bad_label)}
    hard = ("---\ntitle: A\nreviewed: 2026-11-01\nnext_review: 2027-11-01\n---\n\n# A\n\n"
            '=== "Fundamentals"\n\n    ## Part\n\n    Notwithstanding considerable methodological heterogeneity, '
            "contemporary randomized investigations demonstrate physiologically meaningful "
            "improvements.\n\n"
            '=== "Intermediate"\n\n    ## Part\n\n    Trials show gains.\n\n'
            '=== "Academic"\n\n    ## Part\n\n    Muscle grows.\n')
    codes = {p.code for p in lint.check_chapter("docs/chapters/a.md", hard)}
    assert "readability-too-hard" in codes
