#!/usr/bin/env python3
"""Draw the site's figures as SVG, from data in the repository, with no network.

    python3 scripts/figures.py           # (re)write docs/assets/figures/*.svg
    python3 scripts/figures.py --check   # exit 1 if a committed figure is out of date

Figures:
- ``hormones-load-muscle-bone.svg``: how mechanical load and hormones act on muscle protein
  synthesis and on bone remodelling (osteoblasts and osteoclasts). A hand-laid diagram.
- ``trial-outcomes.svg``: treatment against control in four trials, drawn from
  ``data/trials.csv``; every number in the chart is a cell of that file. Bone density
  measured by CT (volumetric) and by DXA (areal) are different quantities, so each method
  has its own panel and axis; each trial keeps its population as the paper describes it.

Each figure is drawn twice: ``NAME.svg`` on a light card and ``NAME-dark.svg`` on a dark one
(the site shows the dark one in its dark palette: docs/assets/stylesheets/site.css). Each
SVG carries a <title> and <desc> (its text alternative) and is laid out 400 units wide so
its text stays legible when a phone shrinks it. Output is deterministic: same input, same
bytes.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "trials.csv"
OUT = ROOT / "docs" / "assets" / "figures"

W = 400  # viewBox width: narrow, so a phone scales the text down as little as possible
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
CARD = "#ffffff"
EDGE = "#d0d7de"
TEAL = "#00695c"  # treatment bars; "stimulates" arrows
GREY = "#b8bec6"  # control bars
RUST = "#b0350b"  # "restrains" arrows
ON_TEAL = "#fff"  # text on a treatment bar

# The dark variant: every colour of the light figure, swapped one for one (each light
# colour is written exactly one way in the SVG, so a plain replacement is exact).
DARK = {
    CARD: "#1e2129", INK: "#e6edf3", MUTED: "#a8b3bf", EDGE: "#3d444d", TEAL: "#4db6ac",
    GREY: "#5f6873", RUST: "#ff8a65", ON_TEAL: "#0d1117",
    "#d7efec": "#1f3d3a", "#ece6f6": "#2e2940", "#fff1dc": "#3d3220", "#dcecfb": "#1f3347",
    "#fbe3dc": "#432a22", "#e3e6ea": "#343a43",
}


def dark(svg: str) -> str:
    """The same figure on a dark card."""
    for light, night in DARK.items():
        svg = svg.replace(f'"{light}"', f'"{night}"')
    return svg


# -- SVG helpers ------------------------------------------------------------------------

def num(x: float) -> str:
    """A coordinate without float noise: 12, 12.5, never 12.500000001."""
    r = round(x, 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def text(x: float, y: float, s: str, size: int = 14, *, weight: str = "normal",
         anchor: str = "start", fill: str = INK, italic: bool = False) -> str:
    attrs = f'x="{num(x)}" y="{num(y)}" font-size="{size}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if fill != INK:
        attrs += f' fill="{fill}"'
    if italic:
        attrs += ' font-style="italic"'
    return f"<text {attrs}>{escape(s, quote=False)}</text>"


def rect(x: float, y: float, w: float, h: float, fill: str, *, stroke: str | None = None,
         rx: float = 0, dash: bool = False) -> str:
    s = f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{fill}"'
    if rx:
        s += f' rx="{num(rx)}"'
    if stroke:
        s += f' stroke="{stroke}"'
    if dash:
        s += ' stroke-dasharray="4 3"'
    return s + "/>"


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, *, width: float = 1,
         marker: str | None = None, dash: bool = False) -> str:
    s = (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
         f'stroke="{stroke}" stroke-width="{num(width)}"')
    if dash:
        s += ' stroke-dasharray="5 4"'
    if marker:
        s += f' marker-end="url(#{marker})"'
    return s + "/>"


def text_width(s: str, size: int) -> float:
    """A generous estimate of rendered width for a sans-serif face (no font metrics here)."""
    return len(s) * size * 0.56


def wrap(s: str, size: int, width: float) -> list[str]:
    lines, cur = [], ""
    for word in s.split():
        trial = f"{cur} {word}".strip()
        if cur and text_width(trial, size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + [cur] if cur else lines


def document(title: str, desc: str, height: float, body: list[str], defs: str = "") -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {num(height)}" '
            f'width="{W}" height="{num(height)}" role="img" aria-labelledby="title desc" '
            f'font-family="{escape(FONT)}" fill="{INK}">')
    parts = [head,
             f'<title id="title">{escape(title, quote=False)}</title>',
             f'<desc id="desc">{escape(desc, quote=False)}</desc>']
    if defs:
        parts.append(f"<defs>{defs}</defs>")
    # The card: the figure's own background (light here; dark() swaps every colour).
    parts.append(rect(0.5, 0.5, W - 1, height - 1, CARD, stroke=EDGE, rx=10))
    return "\n".join(parts + body + ["</svg>"]) + "\n"


# -- Figure (a): hormones and load on muscle and bone -------------------------------------

MARKERS = (
    f'<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
    f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
    f'fill="{TEAL}"/></marker>'
    f'<marker id="arrow-muted" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
    f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
    f'fill="{MUTED}"/></marker>'
    f'<marker id="block" viewBox="0 0 4 12" refX="3" refY="6" markerWidth="4" '
    f'markerHeight="12" orient="auto"><rect x="0" y="0" width="4" height="12" '
    f'fill="{RUST}"/></marker>'
)

SOURCES = [  # (label, sub-label, fill)
    ("Mechanical load", "lifting, impact", "#d7efec"),
    ("Testosterone", "in men and women", "#ece6f6"),
    ("GH → IGF-1", "growth hormone axis", "#ece6f6"),
    ("Estrogen", "in women and men", "#ece6f6"),
]

SRC_X, SRC_W = 16, 156
TGT_X, TGT_W = 240, 144
ROW_H, BOX_H = 50, 42


def source_boxes(top: float, order: tuple[int, ...] = (0, 1, 2, 3)) -> list[str]:
    out = []
    for i, (label, sub, fill) in enumerate(SOURCES[k] for k in order):
        y = top + i * ROW_H
        out.append(rect(SRC_X, y, SRC_W, BOX_H, fill, stroke=EDGE, rx=6))
        out.append(text(SRC_X + 10, y + 18, label, 15, weight="bold"))
        out.append(text(SRC_X + 10, y + 34, sub, 12, fill=MUTED))
    return out


def arrow(top: float, row: int, kind: str) -> str:
    y = top + row * ROW_H + BOX_H / 2
    x1, x2 = SRC_X + SRC_W + 4, TGT_X - 4
    if kind == "stimulates":
        return line(x1, y, x2, y, TEAL, width=2.5, marker="arrow")
    if kind == "restrains":
        return line(x1, y, x2 - 2, y, RUST, width=2.5, marker="block")
    return line(x1, y, x2, y, MUTED, width=2, marker="arrow-muted", dash=True)


def diagram() -> str:
    body: list[str] = []
    y = 30
    body.append(text(W / 2, y, "Load and hormones on muscle and bone", 16,
                     weight="bold", anchor="middle"))

    # Panel 1: muscle.
    y = 62
    body.append(text(16, y, "Muscle", 16, weight="bold", fill=TEAL))
    top = y + 12
    body += source_boxes(top)
    span = 4 * ROW_H - (ROW_H - BOX_H)
    body.append(rect(TGT_X, top, TGT_W, span, "#fff1dc", stroke=EDGE, rx=6))
    cx = TGT_X + TGT_W / 2
    for i, s in enumerate(["Muscle", "protein", "synthesis"]):
        body.append(text(cx, top + 62 + i * 19, s, 16, weight="bold", anchor="middle"))
    for i, s in enumerate(["builds and", "repairs muscle"]):
        body.append(text(cx, top + 132 + i * 17, s, 13, anchor="middle", fill=MUTED))
    for row, kind in enumerate(["stimulates", "stimulates", "stimulates", "uncertain"]):
        body.append(arrow(top, row, kind))
    y = top + span + 24
    for s in ["With age, the same load or protein builds less",
              "muscle than before (anabolic resistance)."]:
        body.append(text(16, y, s, 13, italic=True))
        y += 17

    # Panel 2: bone.
    y += 22
    body.append(text(16, y, "Bone", 16, weight="bold", fill=TEAL))
    top = y + 12
    body += source_boxes(top, (0, 2, 1, 3))  # load, GH -> IGF-1, testosterone, estrogen
    # Testosterone is not drawn acting on osteoblasts: in the trials cited, much of its
    # effect on bone comes after it is made into estradiol, which restrains osteoclasts.
    ob_h = 2 * ROW_H - (ROW_H - BOX_H)
    body.append(rect(TGT_X, top, TGT_W, ob_h, "#dcecfb", stroke=EDGE, rx=6))
    body.append(text(cx, top + 36, "Osteoblasts", 16, weight="bold", anchor="middle"))
    body.append(text(cx, top + 56, "lay down new bone", 13, anchor="middle", fill=MUTED))
    oc_y = top + 3 * ROW_H
    body.append(rect(TGT_X, oc_y, TGT_W, BOX_H, "#fbe3dc", stroke=EDGE, rx=6))
    body.append(text(cx, oc_y + 18, "Osteoclasts", 15, weight="bold", anchor="middle"))
    body.append(text(cx, oc_y + 34, "remove old bone", 12, anchor="middle", fill=MUTED))
    for row, kind in [(0, "stimulates"), (1, "uncertain"), (3, "restrains")]:
        body.append(arrow(top, row, kind))
    # Testosterone -> estrogen: a muted arrow down the right of the source column.
    tx = SRC_X + SRC_W + 14
    t_y = top + 2 * ROW_H + BOX_H / 2
    e_y = top + 3 * ROW_H + 4
    body.append(line(SRC_X + SRC_W + 4, t_y, tx, t_y, MUTED, width=2))
    body.append(line(tx, t_y, tx, e_y, MUTED, width=2, marker="arrow-muted"))
    body.append(text(tx + 10, t_y - 2, "much of it acts after", 12, fill=MUTED))
    body.append(text(tx + 10, t_y + 13, "being made into estrogen", 12, fill=MUTED))
    y = top + 4 * ROW_H + 16
    for s in ["Bone density rises when building outpaces",
              "removal, and falls when removal wins."]:
        body.append(text(16, y, s, 13, italic=True))
        y += 17

    # Legend.
    y += 16
    body.append(line(16, y, 52, y, TEAL, width=2.5, marker="arrow"))
    body.append(text(58, y + 5, "stimulates", 13))
    body.append(line(140, y, 174, y, RUST, width=2.5, marker="block"))
    body.append(text(182, y + 5, "restrains", 13))
    body.append(line(258, y, 292, y, MUTED, width=2, marker="arrow-muted", dash=True))
    body.append(text(298, y + 5, "uncertain", 13))
    height = y + 22

    title = "How mechanical load and hormones act on muscle and bone"
    desc = ("Diagram in two panels. Muscle: mechanical load, testosterone and the growth "
            "hormone to IGF-1 axis each stimulate muscle protein synthesis, which builds and "
            "repairs muscle; whether estrogen does so is uncertain. With age the same load or "
            "protein builds less muscle (anabolic resistance). Bone: mechanical load "
            "stimulates osteoblasts, which lay down new bone; whether the growth hormone to "
            "IGF-1 axis does so in older adults is uncertain. Estrogen restrains osteoclasts, "
            "which remove old bone; much of testosterone's effect on bone comes after it is "
            "made into estrogen. Bone density rises when building outpaces removal and falls "
            "when removal wins.")
    return document(title, desc, height, body, MARKERS)


# -- Figure (b): trial outcomes from data/trials.csv --------------------------------------

@dataclass(frozen=True)
class Trial:
    trial: str
    citation_key: str
    population: str
    n: str
    duration: str
    panel: str
    method: str
    outcome: str
    unit: str
    treatment: str
    treatment_value: str
    control: str
    control_value: str
    effect: str


def read_trials(path: Path = DATA) -> list[Trial]:
    with path.open(newline="", encoding="utf-8") as f:
        return [Trial(**{k: (v or "").strip() for k, v in row.items()})
                for row in csv.DictReader(f)]


PANELS = {  # panel id: (heading, reading hint). One method per bone panel: CT and DXA
    # density are different quantities and never share an axis.
    "bone-ct": ("Bone density change (CT)", "higher is better"),
    "bone-dxa": ("Bone density change (DXA)", "higher is better"),
    "fracture": ("People with a fracture", "lower is better"),
}


def shown(value: str, unit: str, signed: bool) -> str:
    """The CSV cell as written (so 3.50 stays 3.50), with a sign for changes."""
    v = float(value)
    sign = "+" if signed and v > 0 else ""
    return f"{sign}{value.replace('-', '−')}{unit}"


def chart(trials: list[Trial]) -> str:
    body: list[str] = []
    x0, x1 = 16, W - 16
    bar_h, gap = 24, 4
    y = 30
    body.append(text(W / 2, y, "What four trials found", 16, weight="bold", anchor="middle"))
    y += 20
    body.append(rect(x0, y, 14, 14, TEAL, rx=2))
    body.append(text(x0 + 20, y + 12, "treatment", 13))
    body.append(rect(x0 + 110, y, 14, 14, GREY, rx=2))
    body.append(text(x0 + 130, y + 12, "placebo or control", 13))
    y += 22

    for panel, (heading, hint) in PANELS.items():
        rows = [t for t in trials if t.panel == panel]
        if not rows:
            continue
        values = [float(v) for t in rows for v in (t.treatment_value, t.control_value)]
        lo = min(0.0, float(int(min(values)) - 1)) if min(values) < 0 else 0.0
        hi = float(int(max(values) * 1.08) + 1)
        step = 2.0 if hi - lo <= 12 else 5.0
        scale = (x1 - x0) / (hi - lo)
        xv = lambda v: x0 + (v - lo) * scale  # noqa: E731
        signed = panel.startswith("bone")

        ticks = []
        tick = lo
        while tick <= hi + 1e-9:
            ticks.append(tick)
            tick += step

        y += 26
        body.append(text(x0, y, heading, 15, weight="bold", fill=TEAL))
        body.append(text(x1, y, hint, 13, anchor="end", fill=MUTED, italic=True))
        y += 4
        for t in rows:
            y += 18
            body.append(text(x0, y, t.trial, 14, weight="bold"))
            n = f"{int(t.n):,} " if t.n else ""
            how = f"{t.outcome} ({t.method})" if t.method else t.outcome
            for s in wrap(f"{n}{t.population}", 13, x1 - x0) + wrap(f"{t.duration} · {how}", 13, x1 - x0):
                y += 17
                body.append(text(x0, y, s, 13, fill=MUTED))
            y += 8
            group_top, group_h = y - 3, 2 * bar_h + gap + 6
            for tk in ticks:  # gridlines behind this row's bars only
                gx = xv(tk)
                body.append(line(gx, group_top, gx, group_top + group_h,
                                 INK if tk == 0 else "#e3e6ea", width=1.5 if tk == 0 else 1))
            for name, value, fill, ink in ((t.treatment, t.treatment_value, TEAL, ON_TEAL),
                                           (t.control, t.control_value, GREY, INK)):
                v = float(value)
                a, b = sorted((xv(0), xv(v)))
                body.append(rect(a, y, max(b - a, 1), bar_h, fill))
                label = f"{name} {shown(value, t.unit, signed)}"
                wlab = text_width(label, 13)
                ty = y + bar_h / 2 + 4.5
                if v >= 0 and b - a >= wlab + 12:
                    body.append(text(b - 6, ty, label, 13, weight="bold", anchor="end", fill=ink))
                else:
                    body.append(text(max(b, xv(0)) + 6, ty, label, 13, weight="bold"))
                y += bar_h + gap
            y += 2
            if t.effect:
                y += 14
                body.append(text(x0, y, t.effect, 13, fill=MUTED))
            y += 4
        y += 14
        for tk in ticks:
            body.append(text(xv(tk), y, f"{int(tk)}%".replace("-", "−"), 12, anchor="middle",
                             fill=MUTED))
        y += 8

    y += 22
    body.append(text(x0, y, "Trials differ in people, length and measure:", 13, italic=True,
                     fill=MUTED))
    body.append(text(x0, y + 17, "compare treatment with control within a trial.", 13,
                     italic=True, fill=MUTED))
    height = y + 32

    title = "What four trials found for bone density and fractures"
    sentences = []
    for t in trials:
        n = f"{int(t.n):,} " if t.n else ""
        sentences.append(
            f"{t.trial} ({n}{t.population}, {t.duration}), "
            + (f"{t.outcome} by {t.method}: " if t.method else f"{t.outcome}: ") +
            f"{t.treatment.lower()} {shown(t.treatment_value, t.unit, t.panel.startswith('bone'))}, "
            f"{t.control.lower()} {shown(t.control_value, t.unit, t.panel.startswith('bone'))}"
            + (f"; {t.effect}" if t.effect else "") + ".")
    desc = "Bar chart of treatment against control. " + " ".join(sentences)
    return document(title, desc.replace("−", "minus "), height, body)


# -- Entry point --------------------------------------------------------------------------

def figures() -> dict[str, str]:
    """Every figure's file name and its SVG text, each with its dark variant."""
    light = {
        "hormones-load-muscle-bone.svg": diagram(),
        "trial-outcomes.svg": chart(read_trials()),
    }
    out = {}
    for name, svg in light.items():
        out[name] = svg
        out[name.replace(".svg", "-dark.svg")] = dark(svg)
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, svg in figures().items():
        path = OUT / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for name in stale:
        print(f"docs/assets/figures/{name}: out of date; run `python3 scripts/figures.py`",
              file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
