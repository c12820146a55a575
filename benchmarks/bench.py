#!/usr/bin/env python3
"""Build-time benchmark: the project's full configuration against bare Material.

Generates a synthetic site of N chapters (each with the three depth tabs), M references
(every one cited) and T glossary terms (used in the text, written to data/glossary.yml),
and builds the same Markdown twice:

  (a) bare  - Material with the project's theme settings (palette, features, no web fonts)
              and the same Markdown extensions; no bibtex, glossary, hooks, overrides/
              or extra CSS and JavaScript;
  (b) full  - this project's mkdocs.yml, hooks/, overrides/, docs/assets and data layout,
              whatever hooks exist at the time.

Cold: the full build's caches (.cache/: the formatted references, and what the citation
scan and the Content-Security-Policy pass found in each page) are emptied first. Warm
(--warm): an untimed full build fills them, then the timed one reads them. Each timed build is a
fresh `python -m mkdocs build` process, strict as configured; with --repeat, each round
builds bare then full back to back. Prints the median times (wall clock, and CPU for a
check on a busy machine), each round's ratio and, as its last line, the median of the
rounds' wall-clock ratios full/bare.

    .venv/bin/python benchmarks/bench.py --chapters 200 --refs 1000 --terms 100
    .venv/bin/python benchmarks/bench.py --chapters 200 --refs 1000 --terms 100 --warm
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LEVELS = ("Fundamentals", "Intermediate", "Academic")
EXTENSIONS_KEY = "markdown_extensions"

WORDS = """muscle bone strength mass density fracture trial therapy hormone estrogen testosterone
training load older adults women men risk effect dose week year placebo randomized group change
protein synthesis fibre tendon joint balance fall hip spine grip speed chair power resistance
exercise programme supervised progressive volume intensity recovery sleep diet calcium vitamin
marker scan outcome evidence review cohort sample measure decline loss gain function daily life
""".split()
SYLLABLES = "ana bol os teo sar co pe nia myo cyte fib ril gen ost ase kin ergo lip vas tro phy".split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:])


def make_terms(t: int, rng: random.Random) -> list[dict]:
    terms, seen = [], set()
    while len(terms) < t:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word in seen or word in WORDS:
            continue
        seen.add(word)
        terms.append({"term": word,
                      "definition": f"A made-up term for the benchmark; {_sentence(rng, 8).lower()}.",
                      "aliases": [word + "s"]})
    return terms


#: Every entry needs a kind (the bib lint); taken in turn, so the random draws stay the same.
EVIDENCE = ("rct", "meta-analysis", "systematic-review", "guideline", "position-statement",
            "cohort", "review", "mechanistic", "regulatory")


def make_bib(m: int, rng: random.Random) -> str:
    out = []
    for i in range(m):
        out.append(
            f"@article{{ref{i:05d},\n"
            f"  author  = {{{rng.choice(['Smith', 'Jones', 'Garcia', 'Chen', 'Okafor'])}, "
            f"{rng.choice(['Ann', 'Bo', 'Cy', 'Di'])} and Lee, Kim}},\n"
            f"  title   = {{{_sentence(rng, 9)} in the {{{rng.choice(['HERS', 'WHI', 'LIFTMOR'])}}} "
            f"trial}},\n"
            f"  journal = {{Journal of {rng.choice(['Bone', 'Muscle', 'Ageing'])} Research}},\n"
            f"  year    = {{{rng.randint(1990, 2025)}}}, volume = {{{rng.randint(1, 99)}}},\n"
            f"  pages   = {{{rng.randint(1, 500)}--{rng.randint(501, 999)}}},\n"
            f"  doi     = {{10.{rng.randint(1000, 9999)}/bench.{i}}},\n"
            f"  evidence = {{{EVIDENCE[i % len(EVIDENCE)]}}}\n}}\n")
    return "\n".join(out)


def make_chapter(i: int, n_refs: int, terms: list[dict], rng: random.Random,
                 today: dt.date, per_chapter: int) -> str:
    own = [(i * per_chapter + j) % n_refs for j in range(per_chapter)]
    title = f"Chapter {i + 1}: {_sentence(rng, 4).lower()}"
    lines = ["---", f'title: "{title}"',
             f"description: {_sentence(rng, 12)}.",
             f"reviewed: {today - dt.timedelta(days=30)}",
             f"next_review: {today + dt.timedelta(days=300)}", "---", "", f"# {title}", "",
             '!!! abstract "Key points"', ""]
    for _ in range(3):
        lines.append(f"    - {_sentence(rng, 14)} [@ref{rng.choice(own):05d}].")
    lines.append("")

    def paragraph() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(45, 70))]
        for _ in range(3):
            words.insert(rng.randrange(len(words)), rng.choice(terms)["term"])
        text = " ".join(words).capitalize()
        cites = rng.sample(own, 2) if rng.random() < 0.4 else [rng.choice(own)]
        cite = "; ".join(f"@ref{c:05d}" for c in cites)
        return f"{text} [{cite}]. {_sentence(rng, 12)}."

    for level in LEVELS:
        lines += [f'=== "{level}"', ""]
        for i in range(4):
            if i % 2 == 0:  # every depth is divided into ## sections, as the build requires
                lines += [f"    ## {_sentence(rng, 4)}", ""]
            lines += ["    " + paragraph(), ""]
    # every reference of this chapter cited at least once
    lines += ["    " + " ".join(f"Also [@ref{c:05d}]." for c in own), ""]
    return "\n".join(lines)


def generate(dest: Path, chapters: int, refs: int, terms_n: int) -> dict[str, Path]:
    """Write the two projects (bare/ and full/) under dest; return their paths."""
    rng = random.Random(20261127)
    today = dt.date.today()
    terms = make_terms(terms_n, rng)
    per_chapter = max(1, -(-refs // chapters))  # ceil: every reference gets cited
    pages = {f"chapters/ch{i:04d}.md": make_chapter(i, refs, terms, rng, today, per_chapter)
             for i in range(chapters)}
    pages["index.md"] = "# Benchmark\n\nA synthetic site.\n"
    pages["references.md"] = "# References\n\n<!-- full-bibliography -->\n"
    real_glossary = ROOT / "docs/glossary.md"
    pages["glossary.md"] = (real_glossary.read_text(encoding="utf-8") if real_glossary.exists()
                            else "# Glossary\n")
    nav = [{"Home": "index.md"},
           {"Chapters": [f"chapters/ch{i:04d}.md" for i in range(chapters)]},
           {"References": "references.md"}, {"Glossary": "glossary.md"}]
    real = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)

    if dest.exists():
        shutil.rmtree(dest)
    out = {}
    for kind in ("bare", "full"):
        proj = dest / kind
        for rel, text in pages.items():
            p = proj / "docs" / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        if kind == "bare":
            # Material as this project sets it up (palette, features, language, no web
            # fonts), nothing of the project's own: no custom_dir, extra CSS or JS.
            theme = {k: v for k, v in real["theme"].items() if k != "custom_dir"}
            cfg = {"site_name": "Bench", "theme": theme, "plugins": ["search"],
                   EXTENSIONS_KEY: real.get(EXTENSIONS_KEY, []), "nav": nav}
        else:
            cfg = dict(real, nav=nav)
            for name in ("hooks", "overrides"):
                if (ROOT / name).is_dir():
                    shutil.copytree(ROOT / name, proj / name,
                                    ignore=shutil.ignore_patterns("__pycache__"))
            if (ROOT / "data").is_dir():
                shutil.copytree(ROOT / "data", proj / "data")
            if (ROOT / "docs/assets").is_dir():
                shutil.copytree(ROOT / "docs/assets", proj / "docs/assets")
            (proj / "data").mkdir(exist_ok=True)
            (proj / "data/glossary.yml").write_text(
                yaml.safe_dump(terms, sort_keys=False, allow_unicode=True), encoding="utf-8")
            (proj / "bib").mkdir(exist_ok=True)
            (proj / "bib/references.bib").write_text(make_bib(refs, rng), encoding="utf-8")
        (proj / "mkdocs.yml").write_text(yaml.dump(cfg, sort_keys=False), encoding="utf-8")
        out[kind] = proj
    return out


def _one_cpu() -> None:
    """Run each build on the same one CPU (both sides alike): steadier timings."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})


def build(proj: Path, site: Path) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one strict build in a fresh process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-q",
                           "-d", str(site)], cwd=proj, env=env, capture_output=True, text=True,
                          preexec_fn=_one_cpu)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"bench: build of {proj} failed:\n{proc.stdout}{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def scaling(args) -> int:
    """Time both sizes in every round (bare and full, small and large back to back), so a
    slow spell of a shared machine hits all four alike; print the median per-round growth."""
    dest = args.dir or Path(tempfile.mkdtemp(prefix="medsite-bench-"))
    sizes = (args.against, args.chapters)
    projects = {n: generate(dest / f"n{n}", n, args.refs, args.terms) for n in sizes}
    print(f"generated {sizes[0]} and {sizes[1]} chapters x 3 depths, {args.refs} references, "
          f"{args.terms} terms in {dest}", flush=True)
    for n in sizes:  # untimed: OS file cache, imports, and for --warm the caches
        build(projects[n]["bare"], dest / f"n{n}" / "site-bare")
        build(projects[n]["full"], dest / f"n{n}" / "site-full")
    cpu = {(n, k): [] for n in sizes for k in ("bare", "full")}
    for _ in range(args.repeat):
        for n in sizes:
            for kind in ("bare", "full"):
                if kind == "full" and not args.warm:
                    shutil.rmtree(projects[n]["full"] / ".cache", ignore_errors=True)
                cpu[n, kind].append(build(projects[n][kind], dest / f"n{n}" / f"site-{kind}")[1])
    small, large = sizes
    mode = "warm" if args.warm else "cold"
    for kind in ("bare", "full"):
        growth = statistics.median(b / a for a, b in zip(cpu[small, kind], cpu[large, kind]))
        print(f"{kind:>4} ({mode}): {statistics.median(cpu[small, kind]):.2f} s CPU at {small} "
              f"chapters, {statistics.median(cpu[large, kind]):.2f} s at {large}: "
              f"x{growth:.2f} (median of {args.repeat} rounds)")
    print(f"full project, {large} vs {small} chapters, {mode} cache (CPU):")
    print(f"{statistics.median(b / a for a, b in zip(cpu[small, 'full'], cpu[large, 'full'])):.2f}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=200)
    ap.add_argument("--refs", type=int, default=1000)
    ap.add_argument("--terms", type=int, default=100)
    ap.add_argument("--warm", action="store_true", help="time a build with a filled cache")
    ap.add_argument("--repeat", type=int, default=1, help="timed builds per side (median)")
    ap.add_argument("--dir", type=Path, default=None,
                    help="where to generate (default: a fresh folder in the temp directory)")
    ap.add_argument("--against", type=int, default=None, metavar="N",
                    help="also build an N-chapter site, round by round, and print how the "
                         "time grows from N to --chapters (e.g. --chapters 400 --against 200)")
    args = ap.parse_args(argv)
    if args.against:
        return scaling(args)

    dest = args.dir or Path(tempfile.mkdtemp(prefix="medsite-bench-"))
    t0 = time.perf_counter()
    projects = generate(dest, args.chapters, args.refs, args.terms)
    print(f"generated {args.chapters} chapters x 3 depths, {args.refs} references, "
          f"{args.terms} terms in {dest} ({time.perf_counter() - t0:.1f} s)", flush=True)
    bare, full = projects["bare"], projects["full"]
    build(bare, dest / "site-bare")  # untimed: warms the OS file cache and imports
    if args.warm:
        build(full, dest / "site-full")  # untimed: fills .cache/citations
    times = {"bare": [], "full": []}
    for _ in range(args.repeat):
        times["bare"].append(build(bare, dest / "site-bare"))
        if not args.warm:
            shutil.rmtree(full / ".cache", ignore_errors=True)
        times["full"].append(build(full, dest / "site-full"))
    (a, a_cpu), (b, b_cpu) = (
        (statistics.median(t for t, _ in times[k]), statistics.median(c for _, c in times[k]))
        for k in ("bare", "full"))
    mode = "warm" if args.warm else "cold"
    print(f"(a) bare Material: {a:.2f} s (CPU {a_cpu:.2f} s)")
    print(f"(b) full project, {mode} cache: {b:.2f} s (CPU {b_cpu:.2f} s)")
    # Each round builds bare then full back to back, so a slow spell of a shared machine
    # (bare alone has swung 3.2 to 3.9 s from one run to the next) slows both sides of a
    # round alike: the ratio is taken per round, then the median of the rounds.
    walls = [f[0] / b_[0] for b_, f in zip(times["bare"], times["full"])]
    cpus = [f[1] / b_[1] for b_, f in zip(times["bare"], times["full"])]
    print("rounds' wall-clock ratios b/a: " + ", ".join(f"{r:.2f}" for r in walls))
    print(f"ratio of the medians: {b / a:.2f}; median of the rounds' CPU ratios: "
          f"{statistics.median(cpus):.2f}; median of the rounds' wall-clock ratios:")
    print(f"{statistics.median(walls):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
