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
    assert first_shape.get("fill") == "#ffffff", "the card keeps the figure legible on dark pages"
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
