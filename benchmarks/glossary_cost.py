#!/usr/bin/env python3
"""What the glossary adds to a build: a generated 200-chapter site, 0 / 100 / 500 terms.

    .venv/bin/python benchmarks/glossary_cost.py [--chapters 200] [--runs 3]

Every configuration builds the same pages (copies of the real chapter plus words that
may be glossary terms); only the glossary differs:

* ``no hook``  - hooks/glossary.py removed from mkdocs.yml (the baseline);
* ``N terms``  - the hook on, data/glossary.yml holding N generated terms (each a one-,
  two- or three-word phrase with an alias), every term used by some chapters.

Each configuration is its own copy of the site with its own .cache/, built once untimed;
then each build runs in a fresh process (not strict: the baseline's Glossary page has no
entries) and is timed in CPU seconds around MkDocs' build. Each of ``--runs`` rounds
builds every configuration once, back to back; the cost reported is the median over the
rounds of (configuration / no hook - 1), with its range. Warm (the default) keeps .cache/
as the untimed build left it, as a rebuild finds it; ``--cold`` empties it before every
build (pandoc formats the references again, every page is checked afresh).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = ["ka", "lo", "mi", "nor", "pe", "qua", "ri", "sen", "tu", "vel", "xo", "zan"]


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))


def make_terms(n: int, rng: random.Random) -> list[dict]:
    seen, out = set(), []
    while len(out) < n:
        words = [pseudo_word(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
        term = " ".join(words)
        alias = term.upper().replace(" ", "")[:6] + str(len(out))
        if term in seen:
            continue
        seen.add(term)
        out.append({"term": term, "aliases": [alias],
                    "definition": f"A made-up word, number {len(out)}, for timing only."})
    return out


def make_site(dest: Path, chapters: int, terms: list[dict], rng: random.Random) -> None:
    for name in ("hooks", "overrides", "bib"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    docs = dest / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for page in ("index.md", "references.md", "about.md", "glossary.md"):
        shutil.copy2(ROOT / "docs" / page, docs / page)
    base = (ROOT / "docs/chapters/what-changes-with-age.md").read_text(encoding="utf-8")
    (docs / "chapters").mkdir()
    names = []
    for i in range(chapters):
        used = rng.sample(terms, min(40, len(terms)))
        extra = " ".join(f"The {t['term']} and the {t['aliases'][0]} matter here." for t in used)
        text = base.replace("# What changes with age", f"# Chapter {i}: what changes", 1)
        text = text.replace('title: "What changes with age', f'title: "Chapter {i}: what changes')
        # The same paragraph in each depth tab.
        text = text.replace("\n=== \"Intermediate\"\n", f"\n    {extra}\n\n=== \"Intermediate\"\n")
        text = text.replace("\n=== \"Academic\"\n", f"\n    {extra}\n\n=== \"Academic\"\n")
        text += f"\n    {extra}\n"
        (docs / "chapters" / f"c{i:03}.md").write_text(text, encoding="utf-8")
        names.append(f"chapters/c{i:03}.md")
    cfg = yaml.load((dest / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    cfg["nav"] = ["index.md", {"Chapters": names}, "references.md", "glossary.md", "about.md"]
    (dest / "mkdocs.yml").write_text(yaml.dump(cfg, sort_keys=False), encoding="utf-8")
    (dest / "data").mkdir()


def configure(site: Path, terms: list[dict] | None) -> None:
    """terms=None: no glossary hook; else the hook with these terms."""
    cfg_path = site / "mkdocs.yml"
    cfg = yaml.load(cfg_path.read_text(), Loader=yaml.Loader)
    hooks = [h for h in cfg.get("hooks", []) if h != "hooks/glossary.py"]
    if terms is not None:
        hooks.append("hooks/glossary.py")
    cfg["hooks"] = hooks
    cfg_path.write_text(yaml.dump(cfg, sort_keys=False), encoding="utf-8")
    (site / "data" / "glossary.yml").write_text(yaml.dump(terms or [], sort_keys=False),
                                                encoding="utf-8")


def build(site: Path) -> float:
    """CPU seconds (user + system) that one `mkdocs build` spends building.

    The build runs in a fresh Python process (hooks and caches start cold, as in a real
    build); the child measures its own CPU time around MkDocs' build function, leaving out
    interpreter start-up and imports. CPU time, not wall clock: on a shared machine other
    work stretches wall time by several times, while the CPU a build needs barely moves.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, __file__, "--child", str(site)],
                          cwd=site, env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"build failed:\n{proc.stdout}{proc.stderr}")
    return float(proc.stdout.strip().splitlines()[-1])


def child(site: Path) -> None:
    import logging
    import time

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logging.disable(logging.WARNING)
    if hasattr(os, "sched_setaffinity"):  # one CPU for every build: steadier timings
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    start = time.process_time()
    mkdocs_build(load_config(str(site / "mkdocs.yml"), site_dir=str(site / "site")))
    print(time.process_time() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true", help="empty .cache/ before every build")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(Path(args.child))
        return 0
    rng = random.Random(4)
    all_terms = make_terms(500, rng)
    configs = {"no hook": None, "0 terms": [], "100 terms": all_terms[:100],
               "500 terms": all_terms}
    with tempfile.TemporaryDirectory(prefix="glossary-bench-") as tmp:
        # Chapters use the 500 words whatever the glossary holds, so pages are identical.
        first = Path(tmp) / "site-0"
        make_site(first, args.chapters, all_terms, rng)
        sites = {}
        for n, (name, terms) in enumerate(configs.items()):
            sites[name] = Path(tmp) / f"site-{n}"
            if n:
                shutil.copytree(first, sites[name], ignore=shutil.ignore_patterns(".cache"))
            configure(sites[name], terms)
            build(sites[name])  # untimed: imports, pandoc's references, the kept results
        times: dict[str, list[float]] = {k: [] for k in configs}
        marks: dict[str, float] = {}
        for _ in range(args.runs):
            for name, site in sites.items():
                if args.cold:
                    shutil.rmtree(site / ".cache", ignore_errors=True)
                times[name].append(build(site))
                pages = list((site / "site/chapters").glob("*/index.html"))
                marks[name] = sum(p.read_text(encoding="utf-8").count('class="gl-term"')
                                  for p in pages) / len(pages)
        base = times["no hook"]
        print(f"{args.chapters} chapters, {'cold' if args.cold else 'warm'} cache, "
              f"{args.runs} rounds (CPU seconds):")
        for name, ts in times.items():
            # Each round builds every configuration back to back, so a slow spell of a
            # shared machine slows all of them: the ratio within a round is the steady one.
            ratios = sorted(t / b - 1 for t, b in zip(ts, base))
            print(f"  {name:>10}: {statistics.median(ts):5.2f} s median;"
                  f" {statistics.median(ratios) * 100:+5.1f}% vs no hook (median of the rounds,"
                  f" {ratios[0] * 100:+.1f}% to {ratios[-1] * 100:+.1f}%);"
                  f" {marks[name]:5.1f} terms marked per chapter"
                  f"   runs: {', '.join(f'{t:.2f}' for t in ts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
