"""CONTRIBUTING.md agrees with the code, and its walkthrough works from a copy of the project.

- Every problem code registered in hooks/medsite/ has a `### \\`code\\`` entry in the error
  catalogue, every entry names a registered code, and each entry gives an example and a fix.
- The examples of the problems MkDocs reports itself are the messages MkDocs really prints
  (a tiny fixture site per code).
- The newcomer walkthrough (new chapter, a reference, a citation, a glossary term, a link
  from the home page) builds strictly and passes the pre-commit chapter checks.
"""
from __future__ import annotations

import datetime as dt
import os
import importlib
import importlib.util
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

import medsite
from medsite import builtin_checks, diagnostics, lint
from tests.sitebuild import ROOT, build_fixture, env, error_lines, mkdocs_build

GUIDE = ROOT / "CONTRIBUTING.md"


def all_codes() -> dict[str, str]:
    """Import every module of hooks/medsite so each one registers its codes (and the thin
    hooks too, so a code registered there by mistake is still seen)."""
    for mod in pkgutil.iter_modules(medsite.__path__):
        importlib.import_module(f"medsite.{mod.name}")
    for hook in sorted((ROOT / "hooks").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_catalogue_hook_{hook.stem}", hook)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    return dict(diagnostics.CODES)


def catalogue() -> dict[str, str]:
    """code -> the text of its entry, from the '## Error catalogue' section."""
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(r"^## Error catalogue\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, "CONTRIBUTING.md has no '## Error catalogue' section"
    parts = re.split(r"^### `([^`]+)`[ \t]*\n", m.group(1), flags=re.M)
    entries = {}
    for code, body in zip(parts[1::2], parts[2::2]):
        assert code not in entries, f"catalogue lists `{code}` twice"
        entries[code] = body.strip()
    return entries


def example_of(entry: str) -> str:
    """The example message of an entry: inline code after 'Example', or its first code block."""
    m = re.search(r"Example:?\**\s*`([^`]+)`", entry) or re.search(r"```\w*\n(.*?)\n```", entry, re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


# --- the catalogue and the code agree ----------------------------------------------------

def test_every_registered_code_has_a_catalogue_entry():
    missing = sorted(set(all_codes()) - set(catalogue()))
    assert not missing, ("add a `### `code`` entry (meaning, example, fix) under "
                         f"'## Error catalogue' in CONTRIBUTING.md for: {', '.join(missing)}")


def test_every_catalogue_entry_names_a_registered_code():
    unknown = sorted(set(catalogue()) - set(all_codes()))
    assert not unknown, (f"CONTRIBUTING.md catalogues codes no module registers: "
                         f"{', '.join(unknown)}; register them or remove the entries")


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_every_entry_has_a_meaning_an_example_and_a_fix(code):
    entry = catalogue()[code]
    meaning = entry.split("\n", 1)[0]
    assert meaning and not meaning.startswith(("Example", "Fix")), f"{code}: no meaning line"
    assert example_of(entry), f"{code}: no example message"
    assert re.search(r"\bfix\b", entry, re.I), f"{code}: no fix"


def test_thin_hooks_register_no_codes_of_their_own():
    """By convention codes live in the pure modules of hooks/medsite/, beside the checks
    that raise them; move a register() call found in a hook file there."""
    for hook in (ROOT / "hooks").glob("*.py"):
        assert not re.search(r"\bregister\(", hook.read_text(encoding="utf-8")), hook.name


# --- MkDocs' own messages are what the catalogue shows -----------------------------------

ABOUT = "# About\n\n## How to read a claim\n\nText.\n"
_MKDOCS_CASES = {
    builtin_checks.LINK_MISSING: dict(pages={"index.md": "# Home\n\nSee [about](abut.md).\n",
                                             "about.md": ABOUT}),
    builtin_checks.ANCHOR_MISSING: dict(pages={
        "index.md": "# Home\n\nSee [claims](about.md#how-to-read-claims).\n", "about.md": ABOUT}),
    builtin_checks.LINK_UNRECOGNIZED: dict(pages={"index.md": "# Home\n\nSee [about](about/).\n",
                                                  "about.md": ABOUT}),
    builtin_checks.LINK_ABSOLUTE: dict(pages={"index.md": "# Home\n\nSee [about](/about.md).\n",
                                              "about.md": ABOUT}),
    builtin_checks.NAV_MISSING: dict(pages={"index.md": "# Home\n", "about.md": ABOUT},
                                     nav=["index.md", "abut.md"]),
    builtin_checks.NAV_OMITTED: dict(pages={"index.md": "# Home\n", "stray.md": "# Stray\n"},
                                     nav=["index.md"]),
    builtin_checks.CONFIG_INVALID: dict(pages={"index.md": "# Home\n"}, config={"use_directory_urls": "maybe"}),
    builtin_checks.ABORTED: dict(pages={"index.md": "# Home\n\nSee [nowhere](missing.md).\n"}),
}


def test_every_mkdocs_code_has_a_case_here():
    assert set(_MKDOCS_CASES) == set(builtin_checks.MESSAGES)


@pytest.mark.parametrize("code", sorted(_MKDOCS_CASES))
def test_catalogue_example_is_what_mkdocs_prints(tmp_path, code):
    build = build_fixture(tmp_path, **_MKDOCS_CASES[code])
    assert not build.ok
    printed = [line.split("-  ", 1)[-1].strip() for line in build.output.splitlines()]
    ours = [line for line in printed if builtin_checks.code_of(line) == code]
    assert ours, f"MkDocs printed nothing matching {code}:\n{build.output}"
    # Line and column numbers vary with mkdocs.yml and the fixture; the words must not.
    def numbers_out(s: str) -> str:
        s = re.sub(r"^([^\s:]+):\d+(?::\d+)?: ", r"\1:N: ", s)
        return re.sub(r"under line \d+", "under line N", s)

    assert numbers_out(example_of(catalogue()[code])) in map(numbers_out, ours), (
        f"the catalogue's example for {code} is not what the build prints: {ours[0]!r}")


# --- the guide's own links and commands --------------------------------------------------

def _github_slug(heading: str) -> str:
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return s.replace(" ", "-")


def test_guide_links_to_its_own_sections_resolve():
    text = GUIDE.read_text(encoding="utf-8")
    slugs = {_github_slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in slugs, f"CONTRIBUTING.md links to #{target}, which is no heading"


def test_every_dev_py_command_the_guide_names_exists():
    text = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"python3 dev\.py ([a-z][\w-]*)", text))
    help_text = subprocess.run([sys.executable, "dev.py", "help"], cwd=ROOT, capture_output=True,
                               text=True, timeout=60).stdout
    offered = set(re.findall(r"python3 dev\.py ([a-z][\w-]*)", help_text)) | {"help"}
    assert named and named <= offered, f"not in `dev.py help`: {named - offered}"


def test_files_the_guide_names_exist():
    text = GUIDE.read_text(encoding="utf-8")
    for rel in ["templates/chapter.md", ".pre-commit-config.yaml", ".codespell-words.txt",
                "hooks/medsite/serve.py", "bib/references.bib", ".ci/run"]:
        assert rel in text and (ROOT / rel).exists(), rel


# --- the walkthrough, end to end ---------------------------------------------------------

GLOSSARY = ROOT / "data" / "glossary.yml"

NEW_KEY = "nguyen2021trabecular"
NEW_ENTRY = """
@article{nguyen2021trabecular,
  author  = {Nguyen, Anh T. and Okafor, Chidi and Lindqvist, Eva},
  title   = {Trabecular Bone Score and Fracture Risk in Older Adults: The {Walkthrough} Cohort},
  journal = {Journal of Test Fixtures},
  year    = {2021}, volume = {12}, number = {3}, pages = {101--109},
  doi     = {10.5555/walkthrough.2021.101}, pmid = {10000001},
  evidence = {cohort}
}
"""
TERM = {"term": "trabecular bone score",
        "definition": "A number read from a spine scan that shows how sound the spongy inside "
                      "of a bone is."}

BODY = f"""
# Bone density scans

=== "Fundamentals"

    !!! abstract "Key points"

        - A bone scan shows how dense bones are. Low density means bones break more easily
          [@cauley2003effects].
        - A trabecular bone score from the same scan shows the inside of the bone
          [@{NEW_KEY}].

    ## What the scan shows

    A bone scan shows how dense your bones are. It is quick and it does not hurt. Low
    density means a bone can break more easily. The scan can also give a trabecular bone
    score. This number shows the state of the inside of the bone [@{NEW_KEY}].

    ## What a trial found

    In one big trial, hormone therapy after menopause led to fewer broken bones
    [@cauley2003effects].

=== "Intermediate"

    !!! abstract "Key points"

        - Estrogen plus progestin reduced total fractures from 11.1% to 8.6%
          [@cauley2003effects].

    ## Density and texture

    Dual-energy X-ray absorptiometry measures bone mineral density at the hip and spine and
    compares the result with that of healthy young adults. The trabecular bone score adds
    information about bone structure from the same spine image
    [see @{NEW_KEY}, p. 104].

    ## Fractures

    In the Women's Health Initiative, estrogen plus progestin
    reduced total fractures from 11.1% to 8.6% over about five years
    [@cauley2003effects; @{NEW_KEY}].

=== "Academic"

    !!! abstract "Key points"

        - Randomized evidence for fracture reduction (hazard ratio 0.76) predates texture
          indices [@cauley2003effects].

    ## Texture beyond density

    Areal bone mineral density derived from dual-energy X-ray absorptiometry incompletely
    characterizes skeletal fragility, because microarchitectural deterioration of
    trabecular bone contributes independently to fracture susceptibility; the trabecular
    bone score, a textural index computed from lumbar spine projections, partially captures
    this heterogeneity [@{NEW_KEY}].

    ## Randomized evidence

    Randomized evidence that estrogen-progestin therapy
    reduces fracture incidence (hazard ratio 0.76, 95% confidence interval 0.69 to 0.83)
    nevertheless derives from trials that did not stratify participants by trabecular
    texture [@cauley2003effects].
"""


def project_copy(dest: Path) -> Path:
    """The project as a fresh clone has it: tracked files plus new files not ignored."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, out.split("\0")):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_newcomer_walkthrough(tmp_path):
    project = project_copy(tmp_path / "clone")
    slug = "bone-density-scans"
    chapter = project / f"docs/chapters/{slug}.md"

    # 1. Start the chapter from the template.
    r = subprocess.run([sys.executable, "dev.py", "new-chapter", slug, "Bone density scans"],
                       cwd=project, env=env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    # 2. It previews (builds strictly) straight away; the lint lists the TODOs left.
    fresh = mkdocs_build(project, tmp_path / "site0")
    assert fresh.ok, fresh.output
    assert lint.main([str(chapter)]) == 1

    # 3. Write the depths and Key points in place of the TODOs (front matter kept).
    front = chapter.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    front = front.replace("TODO: one sentence for the home page card and search results.",
                          "What a bone density scan measures and what it cannot tell.")
    chapter.write_text(front + "\n---\n" + BODY, encoding="utf-8")
    # 4. Add the reference (checked metadata) and cite it (done in BODY).
    bib = project / "bib/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + NEW_ENTRY, encoding="utf-8")
    # 5. Add the glossary term the chapter uses.
    gl = project / "data/glossary.yml"
    entries = yaml.safe_load(gl.read_text(encoding="utf-8"))
    names = {n.lower() for e in entries for n in [e["term"], *e.get("aliases", [])]}
    assert TERM["term"] not in names
    entries.append(TERM)
    gl.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True),
                  encoding="utf-8")
    # 6. The home page lists it by itself (a card from the nav and its description).
    # 7. Check: the chapter lint and spelling pass, then the strict build.
    assert lint.main([str(chapter)]) == 0
    spell = subprocess.run([str(ROOT / ".venv/bin/codespell"), str(chapter.relative_to(project))],
                           cwd=project, capture_output=True, text=True, timeout=60)
    assert spell.returncode == 0, spell.stdout
    from medsite import bibcheck

    assert bibcheck.main([str(bib)]) == 0
    build = mkdocs_build(project, tmp_path / "site")
    assert build.ok, build.output
    assert [line for line in error_lines(build)] == []

    site = build.site
    page = soup(site, f"chapters/{slug}/index.html")
    top = [s for s in page.select(".tabbed-set") if s.find_parent(class_="tabbed-set") is None]
    labels = [lab.get_text(strip=True) for lab in top[0].select(":scope > .tabbed-labels > label")]
    assert labels == ["Fundamentals", "Intermediate", "Academic"]
    assert page.select_one(".admonition.abstract .admonition-title").get_text(strip=True) == "Key points"
    cited = {a["href"].split(":", 1)[1] for a in page.select("sup a.footnote-ref")}
    assert cited == {NEW_KEY, "cauley2003effects"}
    entry = page.find(id=f"fn:{NEW_KEY}")
    assert "Trabecular bone score and fracture risk" in entry.get_text()
    assert not re.search(r"\[@", page.select_one("article").get_text())
    assert soup(site, "references/index.html").find(id=f"ref-{NEW_KEY}") is not None
    assert soup(site, "index.html").find("a", href=f"chapters/{slug}/") is not None
    today = dt.datetime.fromtimestamp(int(env()["SOURCE_DATE_EPOCH"]), tz=dt.timezone.utc).date()
    assert page.select_one("aside.mb-notice time")["datetime"] == today.isoformat()
    glossary = soup(site, "glossary/index.html")
    assert TERM["definition"] in glossary.get_text(" ", strip=True)
    assert glossary.find("a", href=re.compile(rf"chapters/{slug}/")) is not None
    assert page.find(string=re.compile("trabecular bone score", re.I)) is not None


def test_catalogue_examples_of_our_chapter_checks_are_what_they_print():
    from medsite import frontmatter, reviews

    def printed(front: str, today=dt.date(2026, 11, 27)) -> list[str]:
        text = f"---\ntitle: A\n{front}---\n\n# A\n"
        try:
            meta = frontmatter.read(text)
        except frontmatter.FrontMatterError as exc:
            return [str(p) for p in reviews.unreadable("docs/chapters/a.md", exc.line, str(exc),
                                                        exc.hint)]
        return [str(p) for p in reviews.check("docs/chapters/a.md", text, meta, today)]

    cat = catalogue()
    cases = {
        "review-date-missing": "reviewed: 2026-11-01\n",
        "review-date-invalid": "reviewed: 2026-11-31\nnext_review: 2027-11-01\n",
        "review-date-order": "reviewed: 2026-11-01\nnext_review: 2026-10-01\n",
        "review-date-future": "reviewed: 2027-01-05\nnext_review: 2028-01-05\n",
        "review-overdue": "reviewed: 2024-01-01\nnext_review: 2025-01-01\n",
    }
    for code, front in cases.items():
        assert example_of(cat[code]) in printed(front), code
    todo = lint.todos("docs/chapters/bone-density-scans.md",
                      "\n" * 20 + '=== "Fundamentals"\n' + "    TODO: write.\n")
    assert example_of(cat["chapter-todo"]) == str(todo[0])


def test_tests_the_guide_cites_exist():
    text = GUIDE.read_text(encoding="utf-8")
    cited = re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", text)
    assert cited
    for path, name in cited:
        assert (ROOT / path).is_file(), path
        if name:
            assert re.search(rf"^def {name}\(", (ROOT / path).read_text(), re.M), f"{path}::{name}"


# --- every command README and CONTRIBUTING give is one that works -------------------------

DOCS = (ROOT / "README.md", GUIDE)
_COMMAND = re.compile(r"^(?:[A-Z_]+=\S+ )*(?:python3|\.venv/bin/\S+|bash)(?=\s|$)")


def documented_commands() -> list[tuple[str, str]]:
    """(file, command) for every shell command in inline code or a sh block of the docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
        lines = [ln.split("  #", 1)[0].strip() for b in blocks for ln in b.splitlines()]
        inline = [re.sub(r"\s+", " ", c) for c in re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", text)]
        for cmd in lines + inline:
            if _COMMAND.match(cmd) and "<command>" not in cmd:
                found.append((doc.name, cmd.strip()))
    return sorted(set(found))


def test_the_docs_name_commands():
    cmds = [c for _, c in documented_commands()]
    assert "python3 dev.py serve --port 8001" in cmds
    assert "PYTHONPATH=hooks .venv/bin/python -m medsite.bibcheck bib/references.bib" in cmds
    assert len(cmds) >= 15


@pytest.mark.parametrize("doc, cmd", documented_commands())
def test_every_documented_command_works(doc, cmd):
    """Each command is checked for what it claims: dev.py commands and their options exist,
    modules run with the project's Python (the system one lacks the packages) and the cheap
    ones really pass, and every script and tool named exists."""
    words = cmd.replace("<slug>", "slug").split()
    env_vars = [w for w in words if re.match(r"[A-Z_]+=", w)]
    words = words[len(env_vars):]
    assert words[0] not in ("pytest", "mkdocs"), (
        f"{doc}: `{cmd}`: a bare tool may not be the project's; use python3 dev.py or .venv/bin/")
    if words[0] == "python3" and words[1] == "dev.py":
        help_text = subprocess.run([sys.executable, "dev.py", "help"], cwd=ROOT,
                                   capture_output=True, text=True, timeout=60).stdout
        assert f"python3 dev.py {words[2] if len(words) > 2 else 'help'}" in help_text + \
            "python3 dev.py help", f"{doc}: `{cmd}`"
        if len(words) > 2 and words[2] == "serve" and len(words) > 3:
            from medsite import serve

            with pytest.raises(SystemExit) as out:  # --help after the options: parsed, not run
                serve.main(words[3:] + ["--help"])
            assert out.value.code == 0
        if len(words) > 3 and words[2] == "test":
            assert words[3] in ("--fast", "-k", "tests/test_links.py"), f"{doc}: `{cmd}`"
        return
    if words[0] == "bash":
        assert (ROOT / words[1]).is_file(), f"{doc}: `{cmd}`"
        return
    if words[0] == "python3":  # a script that needs nothing but the standard library
        assert (ROOT / words[1]).is_file(), f"{doc}: `{cmd}`"
        return
    tool = ROOT / words[0]
    assert words[0].startswith(".venv/bin/") and tool.exists(), f"{doc}: `{cmd}`: no {tool}"
    if words[1:2] == ["-m"]:
        module = words[2]
        r = subprocess.run([str(tool), "-c", f"import importlib.util as u; "
                            f"assert u.find_spec({module!r})"], cwd=ROOT,
                           env=dict(os.environ, PYTHONPATH=str(ROOT / "hooks")),
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"{doc}: `{cmd}`: {module} is not importable: {r.stderr}"
        if module in ("medsite.bibcheck", "medsite"):  # cheap: really run it
            r = subprocess.run([str(tool), *words[1:]], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=str(ROOT / "hooks")),
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, f"{doc}: `{cmd}`:\n{r.stdout}{r.stderr}"
    elif len(words) > 1 and words[1].endswith(".py"):
        assert (ROOT / words[1]).is_file(), f"{doc}: `{cmd}`"
        flags = {w.strip("[]") for w in words[2:] if w.strip("[]").startswith("--")}
        if flags:  # every option the docs give is one the script's --help offers
            r = subprocess.run([str(tool), words[1], "--help"], cwd=ROOT, capture_output=True,
                               text=True, timeout=120)
            assert r.returncode == 0, f"{doc}: `{words[1]} --help` failed: {r.stderr}"
            assert not {f for f in flags if f not in r.stdout}, f"{doc}: `{cmd}`"
