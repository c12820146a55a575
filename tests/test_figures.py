"""The figures: committed SVGs are the script's fresh output, accessible, and true to the data."""
from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from pybtex.database import parse_file

from tests.sitebuild import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def load_script():
    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("figures", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


figures = load_script()
FRESH = figures.figures()


def test_there_are_at_least_two_figures():
    assert len(FRESH) >= 2


@pytest.mark.parametrize("name", sorted(FRESH))
def test_committed_svg_equals_fresh_output(name):
    path = ROOT / "docs" / "assets" / "figures" / name
    assert path.exists(), f"{name} missing: run python3 scripts/figures.py"
    assert path.read_text(encoding="utf-8") == FRESH[name], (
        f"{name} is stale: run python3 scripts/figures.py and commit the result")


@pytest.mark.parametrize("name", sorted(FRESH))
def test_svg_has_title_desc_and_a_light_card(name):
    root = ET.fromstring(FRESH[name])
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text.strip()
    assert desc is not None and len(desc.text.split()) >= 20
    assert root.get("role") == "img" and root.get("aria-labelledby") == "title desc"
    first_shape = root.find(f"{SVG}rect")
    card = "#1e2129" if name.endswith("-dark.svg") else "#ffffff"
    assert first_shape.get("fill") == card, "each figure sits on its own card"
    assert "http" not in FRESH[name].replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("name", sorted(FRESH))
def test_svg_text_is_legible_on_a_phone(name):
    root = ET.fromstring(FRESH[name])
    assert float(root.get("width")) <= 420, "wider figures shrink text too much on a phone"
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def test_every_trial_number_is_drawn_and_described():
    svg = FRESH["trial-outcomes.svg"]
    texts = " ".join(t.text for t in ET.fromstring(svg).iter(f"{SVG}text"))
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    for t in figures.read_trials():
        for value in (t.treatment_value, t.control_value):
            assert value.lstrip("-") in texts, (t.trial, value)
            assert value.lstrip("-") in desc, (t.trial, value)
        if t.n:
            assert f"{int(t.n):,}" in texts


def test_trial_data_cites_entries_of_the_bibliography():
    keys = set(parse_file(str(ROOT / "bib" / "references.bib")).entries)
    for t in figures.read_trials():
        assert t.citation_key in keys, t.trial
        assert re.fullmatch(r"-?\d+(\.\d+)?", t.treatment_value)
        assert re.fullmatch(r"-?\d+(\.\d+)?", t.control_value)


def test_bar_lengths_follow_the_data():
    """Within a panel, bar width is proportional to |value|: the chart cannot misdraw a row."""
    svg = FRESH["trial-outcomes.svg"]
    bars = [r for r in ET.fromstring(svg).iter(f"{SVG}rect")
            if r.get("height") == "24"]
    trials = figures.read_trials()
    values = [float(v) for t in trials for v in (t.treatment_value, t.control_value)]
    assert len(bars) == len(values)
    widths = [float(b.get("width")) for b in bars]
    for panel in {t.panel for t in trials}:
        idx = [i for i, t in enumerate(t for t in trials for _ in (0, 1)) if t.panel == panel]
        ratios = {round(widths[i] / abs(values[i]), 0) for i in idx}
        assert max(ratios) - min(ratios) <= 1, (panel, ratios)


def test_every_figure_has_a_dark_variant_with_the_same_text():
    light = sorted(n for n in FRESH if not n.endswith("-dark.svg"))
    assert light
    for name in light:
        dark = FRESH[name.replace(".svg", "-dark.svg")]
        texts = lambda svg: [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: E731
        assert texts(dark) == texts(FRESH[name])
        assert "#ffffff" not in dark and "#1f2328" not in dark  # no light card, no dark ink
    css = (ROOT / "docs/assets/stylesheets/site.css").read_text()
    for name in light:
        assert f'figures/{name}"]' in css and name.replace(".svg", "-dark.svg") in css, name


def rows_of(svg: str, panel_heading: str):
    """(label, y) of the source boxes and the arrows (colour, y) below a panel heading."""
    root = ET.fromstring(svg)
    texts = [(t.text, float(t.get("y"))) for t in root.iter(f"{SVG}text")]
    top = next(y for s, y in texts if s == panel_heading)
    nxt = min([y for s, y in texts if s in ("Muscle", "Bone") and y > top] + [1e9])
    labels = [(s, y) for s, y in texts if top < y < nxt]
    lines = [(ln.get("stroke"), float(ln.get("y1")), float(ln.get("y2")), ln.get("marker-end"))
             for ln in root.iter(f"{SVG}line") if top < float(ln.get("y1")) < nxt]
    return labels, lines


def test_the_diagram_does_not_draw_testosterone_stimulating_osteoblasts():
    svg = FRESH["hormones-load-muscle-bone.svg"]
    labels, lines = rows_of(svg, "Bone")
    t_y = next(y for s, y in labels if s == "Testosterone")  # label baseline, row centre + 3
    row = [ln for ln in lines if abs(ln[1] - (t_y + 3)) <= 6 and ln[1] == ln[2]]
    assert all(ln[0] != figures.TEAL for ln in row), row  # no "stimulates" arrow from it
    desc = ET.fromstring(svg).find(f"{SVG}desc").text
    assert "testosterone stimulate" not in desc.lower().replace("and the growth hormone", "")
    assert "made into estrogen" in desc


def test_ct_and_dxa_density_never_share_an_axis():
    trials = figures.read_trials()
    for panel in {t.panel for t in trials if t.panel.startswith("bone")}:
        assert len({t.method for t in trials if t.panel == panel}) == 1, panel
    assert {t.method for t in trials if t.panel.startswith("bone")} == {"quantitative CT", "DXA"}
    texts = " ".join(t.text for t in ET.fromstring(FRESH["trial-outcomes.svg"]).iter(f"{SVG}text"))
    assert "(CT)" in texts and "(DXA)" in texts


@pytest.mark.parametrize("trial, words", [
    ("Women's Health Initiative", ["aged 50 to 79", "with a uterus"]),
    ("TRAVERSE fracture study", ["cardiovascular disease or high risk"]),
    ("LIFTMOR", ["control group did light home exercise"]),
])
def test_the_chart_keeps_each_trials_population(trial, words):
    row = next(t for t in figures.read_trials() if t.trial == trial)
    svg = FRESH["trial-outcomes.svg"]
    drawn = " ".join(t.text for t in ET.fromstring(svg).iter(f"{SVG}text"))
    for w in words:
        assert w in row.population
        assert all(part in drawn for part in w.split()), w
        assert w in ET.fromstring(svg).find(f"{SVG}desc").text
