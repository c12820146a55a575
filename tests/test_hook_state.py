"""No hook keeps per-build state in its module: MkDocs loads each hook file once per process
(its hook loader is cached), so a module variable would carry one build's findings into the
next. What a build learns lives on objects made in its on_config (medsite.buildstate, the
extensions' instances): a second build in the same process starts afresh."""
from __future__ import annotations

import __future__
import importlib.util
import json
import logging
import re
import sys
import types

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import CombinedEvent

from medsite import buildstate
from tests.depth_chapter import depth_chapter
from tests.sitebuild import ROOT, fixture_site

#: Module values that cannot hold state: what a hook file may define at its top level.
IMMUTABLE = (str, bytes, int, float, bool, type(None), frozenset, re.Pattern,
             types.ModuleType, types.FunctionType, type, logging.Logger, CombinedEvent)


def hook_modules() -> list[types.ModuleType]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    out = []
    for path in config["hooks"]:
        spec = importlib.util.spec_from_file_location(f"_state_hook_{path}", ROOT / path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # as MkDocs loads a hook
        spec.loader.exec_module(module)
        out.append(module)
    return out


def _immutable(value) -> bool:
    if value is __future__.annotations:
        return True
    if isinstance(value, tuple):
        return all(_immutable(v) for v in value)
    return isinstance(value, IMMUTABLE)


@pytest.mark.parametrize("module", hook_modules(), ids=lambda m: m.__file__.rsplit("/", 1)[-1])
def test_no_hook_module_holds_mutable_state(module):
    mutable = {name: type(value).__name__ for name, value in vars(module).items()
               if not name.startswith("__") and not _immutable(value)}
    assert mutable == {}


def test_a_second_build_in_the_same_process_starts_afresh(tmp_path, monkeypatch, caplog):
    """Two builds in one process (as `mkdocs serve` rebuilds): the first fails on a page the
    Content-Security-Policy would block; once the page is fixed the second passes, with
    the same search index as a third, and each build had its own state."""
    monkeypatch.setenv("MEDSITE_ALLOW_UNCITED", "1")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    chapter = depth_chapter("Bone: a chapter", {
        "Fundamentals": "## Bones\n\nBones thin with age [@snyder2017effect].",
        "Intermediate": "## Density\n\nDensity falls [@cauley2003effects].",
        "Academic": "## Cortex\n\nThe cortex thins [@snyder2017effect]."})
    bad = '# Home\n\n<p style="color: red">Red.</p>\n'
    (tmp_path / "p").mkdir()
    project = fixture_site(tmp_path / "p", {"index.md": bad, "chapters/bone.md": chapter})
    configs = []

    def run():
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        configs.append(config)
        build(config)
        return json.loads((tmp_path / "site/search/search_index.json").read_text())

    with pytest.raises(Abort):
        run()
    assert "index.md:3: style= attribute on <p> would be blocked" in caplog.text
    assert "1 Content-Security-Policy error" in caplog.text
    caplog.clear()
    (project / "docs/index.md").write_text("# Home\n\nPlain.\n", encoding="utf-8")
    second, third = run(), run()
    assert second == third
    assert "Content-Security-Policy" not in caplog.text
    locations = [d["location"] for d in second["docs"]]
    assert locations.count("chapters/bone/?depth=academic") == 1
    for hook in ("security", "searchdepth", "linkhints", "refstatus"):
        states = [id(buildstate.get(c, hook)) for c in configs]
        assert len(set(states)) == 3, hook
