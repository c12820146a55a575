"""What kind of evidence each source is: the ``evidence`` field of every bib entry.

One table, :data:`KINDS`, is the source of the words readers see (the label on each
reference, the References page's sections by kind, the About page's list) and of the
groups the evidence-mix report counts. :func:`closest` names the kind a typo meant;
:func:`mix` counts, for one chapter, the citations of each depth by kind.

Command line (the table per chapter and depth; ``python3 dev.py evidence``)::

    PYTHONPATH=hooks python3 -m medsite.evidence [docs/chapters/*.md]
"""
from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from medsite.diagnostics import suggest
from medsite.mdcite import BIBLIOGRAPHY_MARK


@dataclass(frozen=True)
class Kind:
    label: str     # on each reference: "Randomized trial"
    plural: str    # section heading on the References page
    group: str     # what the evidence-mix report counts it as (see GROUPS)
    about: str     # one sentence for the About page


#: In the order the References page and the About page list them.
KINDS: dict[str, Kind] = {
    "rct": Kind("Randomized trial", "Randomized trials", "trials",
                "People were assigned to a treatment or a comparison by chance; includes "
                "follow-up and secondary analyses that compare the randomized groups."),
    "meta-analysis": Kind("Meta-analysis", "Meta-analyses", "trials",
                          "The results of several studies pooled into one estimate."),
    "systematic-review": Kind("Systematic review", "Systematic reviews", "trials",
                              "Every study on a question found by a stated search and "
                              "appraised by stated rules."),
    "guideline": Kind("Guideline", "Guidelines", "guidance",
                      "A professional society's clinical practice guideline, graded "
                      "from the evidence."),
    "position-statement": Kind("Position statement", "Position statements", "guidance",
                               "A society's position or an expert consensus statement."),
    "cohort": Kind("Cohort study", "Cohort studies", "other",
                   "People followed over time without a randomized treatment: shows "
                   "associations, not causes."),
    "review": Kind("Review", "Reviews", "other",
                   "A narrative review or a reference text: an expert's reading of the "
                   "literature, without a stated search."),
    "mechanistic": Kind("Mechanistic study", "Mechanistic studies", "other",
                        "An experiment on how the body responds (hormone levels, bone "
                        "turnover markers, signalling), not on health outcomes."),
    "regulatory": Kind("Regulatory document", "Regulatory documents", "other",
                       "A decision or list published by a regulator, dated."),
}

#: The report's columns: trials and systematic reviews, then guidance, then the rest.
GROUPS = {"trials": "trials and systematic reviews", "guidance": "guidelines and statements",
          "other": "other kinds"}

#: Words authors use for a kind, mapped to it (checked before difflib).
_ALIASES = {
    "randomized": "rct", "randomised": "rct", "trial": "rct", "randomized-trial": "rct",
    "randomised-trial": "rct", "randomized-controlled-trial": "rct", "rcts": "rct",
    "meta": "meta-analysis", "metaanalysis": "meta-analysis",
    "systematic": "systematic-review", "sr": "systematic-review",
    "narrative-review": "review", "consensus": "position-statement",
    "position": "position-statement", "statement": "position-statement",
    "cohort-study": "cohort", "observational": "cohort", "mechanism": "mechanistic",
    "regulator": "regulatory", "guidelines": "guideline",
}

#: Words in a title that say what kind of source it is (for the hint on a missing field).
_TITLE_HINTS = [
    (re.compile(r"meta-?analys", re.I), "meta-analysis"),
    (re.compile(r"systematic review", re.I), "systematic-review"),
    (re.compile(r"guideline", re.I), "guideline"),
    (re.compile(r"position statement|consensus", re.I), "position-statement"),
    (re.compile(r"randomi[sz]ed|controlled (?:clinical )?trial", re.I), "rct"),
    (re.compile(r"\breview\b", re.I), "review"),
]


def normal(value: str) -> str:
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def closest(value: str) -> str | None:
    """The kind ``value`` most likely meant (another case, an alias, a typo), or None."""
    v = normal(value)
    if v in KINDS:
        return v
    if v in _ALIASES:
        return _ALIASES[v]
    near = suggest(v, [*KINDS, *_ALIASES])
    return _ALIASES.get(near, near) if near else None


def from_title(title: str) -> str | None:
    """The kind a title says it is (``...: A Meta-Analysis``), or None."""
    for pattern, kind in _TITLE_HINTS:
        if pattern.search(title):
            return kind
    return None


def label_html(kind: str | None) -> str:
    """The label put in front of a formatted reference (empty for an unknown kind)."""
    k = KINDS.get(kind or "")
    if k is None:
        return ""
    return (f'<span class="evidence-label" data-evidence="{html.escape(kind)}">'
            f'{html.escape(k.label)}<span class="evidence-label__end">:</span></span> ')


def labelled(refs: dict[str, str], kinds: dict[str, str | None]) -> dict[str, str]:
    """Each reference's HTML with its kind's label in front."""
    return {k: label_html(kinds.get(k)) + v for k, v in refs.items()}


def _sort_key(html_text: str) -> tuple[str, str]:
    """A reference as it reads (tags, accents and a leading "The" dropped), for A to Z."""
    import unicodedata

    text = html.unescape(_TAG.sub("", html_text))
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    text = _THE.sub("", text.casefold())
    return _PUNCT.sub("", text).strip(), text


_TAG = re.compile(r"<[^>]*>")
_THE = re.compile(r"^\s*the\s+")
_PUNCT = re.compile(r"[^\w\s]")
#: Where a list of the "by kind" half goes, in the Markdown of the References page.
LATER = "<!-- medsite-by-kind {} -->"


def bibliography(refs: dict[str, str],
                 kinds: dict[str, str | None]) -> tuple[str, list[str], dict[str, str]]:
    """The References page's list: every entry A to Z, with no numbers (a chapter's
    citation numbers refer to the list at the foot of that chapter), one ``ref-<key>``
    anchor each, labelled; then the same entries by kind, one section per kind (left out
    of the search index, which has them once already). ``refs`` holds each entry's
    one-line HTML with its label (:func:`labelled`).

    Returns the Markdown, the keys A to Z and the by-kind lists. The A to Z list is the
    line :data:`medsite.mdcite.BIBLIOGRAPHY_MARK`, which the citation extension, given those
    keys, makes the list (real elements, so MkDocs knows their anchors). Each by-kind list
    is a :data:`LATER` comment in the Markdown with its HTML in the dict: they hold no
    anchor and no search text, so the hook puts them in after conversion and after the
    search plugin (:func:`fill`), and neither Markdown nor search parses them."""
    def bare(k: str) -> str:
        label = label_html(kinds.get(k))
        return refs[k][len(label):] if label and refs[k].startswith(label) else refs[k]

    order = sorted(refs, key=lambda k: (_sort_key(bare(k)), k.lower()))
    out = ["## A to Z {#a-to-z}", "", BIBLIOGRAPHY_MARK, "", "## By kind {#by-kind}", ""]
    later: dict[str, str] = {}
    groups = [(kind, [k for k in order if kinds.get(k) == kind]) for kind in KINDS]
    unlabelled = [k for k in order if kinds.get(k) not in KINDS]
    for kind, keys in groups + [(None, unlabelled)]:
        if not keys:
            continue
        title = KINDS[kind].plural if kind else "Not labelled"
        out += [f"### {title} ({len(keys)}) {{#kind-{kind or 'none'}}}", ""]
        if kind:
            out += [f'<p class="evidence-about">{html.escape(KINDS[kind].about)}</p>', ""]
        mark = LATER.format(kind or "none")
        later[mark] = "\n".join(['<ul class="references references--by-kind" data-search-exclude>',
                                 *(f"<li>{bare(k)}</li>" for k in keys), "</ul>"])
        out += [mark, ""]
    return "\n".join(out), order, later


def fill(page_html: str, later: dict[str, str]) -> str:
    """``page_html`` with the by-kind lists of :func:`bibliography` in their places."""
    for mark, lists in later.items():
        page_html = page_html.replace(mark, lists, 1)
    return page_html


# --- the evidence mix of a chapter, per depth --------------------------------------------

@dataclass
class Mix:
    """Citations (each ``@key`` in the text counts once) of one chapter, per depth."""
    path: str
    #: depth -> kind -> citations; "shared" is the text above the tabs, read at every depth
    counts: dict[str, dict[str, int]]

    def depth(self, name: str) -> dict[str, int]:
        """What a reader of ``name`` sees: the shared text and that depth's tab."""
        out: dict[str, int] = {}
        for part in ("shared", name):
            for kind, n in self.counts.get(part, {}).items():
                out[kind] = out.get(kind, 0) + n
        return out

    @staticmethod
    def grouped(counts: dict[str, int]) -> dict[str, int]:
        out = {g: 0 for g in GROUPS}
        for kind, n in counts.items():
            out[KINDS[kind].group if kind in KINDS else "other"] += n
        return out

    def line(self) -> str:
        """One line for the build log."""
        from medsite.levels import DEPTHS

        parts = []
        for i, d in enumerate(DEPTHS):
            g = self.grouped(self.depth(d))
            total = sum(g.values())
            parts.append(f"{d} {total} citations ({g['trials']} trials/systematic reviews, "
                         f"{g['guidance']} guidance, {g['other']} other)" if i == 0 else
                         f"{d} {total} ({g['trials']}, {g['guidance']}, {g['other']})")
        return f"{self.path}: " + "; ".join(parts)


def mix(path: str, text: str, kinds: dict[str, str | None], scanned=None) -> Mix:
    """Count the citations of a chapter per depth tab and kind (``scanned``: its
    ``citations.scan``, if already done). Unknown keys are left to the citation check."""
    from medsite import citations, levels

    s = scanned if scanned is not None else citations.scan(text)
    tabs = [t for t in levels.scan(path, text).top if t.depth]
    counts: dict[str, dict[str, int]] = {}
    for c in s.cites:
        if c.key not in kinds:
            continue
        part = "shared"
        for t in tabs:
            if c.line >= t.line:
                part = t.depth
        kind = kinds[c.key] or "unlabelled"
        bucket = counts.setdefault(part, {})
        bucket[kind] = bucket.get(kind, 0) + 1
    return Mix(path, counts)


def table(mixes: list[Mix]) -> str:
    """The evidence mix of every chapter and depth, as a Markdown table."""
    from medsite.levels import DEPTHS

    kinds = [k for k in KINDS if any(m.depth(d).get(k) for m in mixes for d in DEPTHS)]
    head = (["Chapter", "Depth", "Citations", "Trials + SR", "Guidance", "Other"]
            + [KINDS[k].label for k in kinds])
    rows = [head, ["---"] * len(head)]
    whole = Mix("whole guide", {})
    for m in mixes:
        for d in DEPTHS:
            for kind, n in m.depth(d).items():
                bucket = whole.counts.setdefault(d, {})
                bucket[kind] = bucket.get(kind, 0) + n
    for m in mixes + ([whole] if len(mixes) > 1 else []):
        for d in DEPTHS:
            c = m.depth(d)
            g = Mix.grouped(c)
            total = sum(g.values())
            pct = (lambda n: f"{n} ({round(100 * n / total)}%)") if total else str
            name = f"**{m.path}**" if m is whole else Path(m.path).stem
            rows.append([name, d, str(total), pct(g["trials"]),
                         pct(g["guidance"]), pct(g["other"])] + [str(c.get(k, 0)) for k in kinds])
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def bib_kinds(path: str) -> dict[str, str | None]:
    """key -> evidence kind of every entry of a bib file (None where it has none)."""
    from medsite import bibcheck

    return {e.key: normal(e.fields["evidence"][0]) if "evidence" in e.fields else None
            for e in bibcheck.check_file(path).entries}


def main(argv: list[str]) -> int:
    root = Path.cwd()
    bib = root / "bib" / "references.bib"
    pages = [Path(a) for a in argv] or sorted((root / "docs" / "chapters").glob("*.md"))
    kinds = bib_kinds(str(bib))
    mixes = []
    for p in pages:
        text = p.read_text(encoding="utf-8")
        shown = str(p.resolve().relative_to(root)) if p.resolve().is_relative_to(root) else str(p)
        mixes.append(mix(shown, text, kinds))
    print(table(mixes))
    print()
    print("Citations count each [@key] in the text; a reader of one depth sees the shared text "
          "above the tabs and that depth's tab. Trials + SR: " + ", ".join(
              KINDS[k].plural.lower() for k in KINDS if KINDS[k].group == "trials")
          + "; guidance: guidelines and position statements.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
