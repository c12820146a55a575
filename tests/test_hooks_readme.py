"""hooks/README.md's table of events is the build: every hook event function of mkdocs.yml's
hooks, with its priority, is a row, and every row is one of them."""
from __future__ import annotations

import importlib.util
import re

import yaml
from mkdocs.plugins import CombinedEvent

from tests.sitebuild import ROOT


def actual() -> list[tuple[str, int, str]]:
    """(event, priority, hook) of every event function of the hooks mkdocs.yml lists."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    rows = []
    for path in config["hooks"]:
        name = path.rsplit("/", 1)[-1].removesuffix(".py")
        spec = importlib.util.spec_from_file_location(f"_readme_hook_{name}", ROOT / path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for event in sorted(n for n in vars(module) if n.startswith("on_")):
            handler = getattr(module, event)
            for f in handler.methods if isinstance(handler, CombinedEvent) else [handler]:
                rows.append((event, getattr(f, "mkdocs_priority", 0), name))
    return rows


def documented() -> list[tuple[str, int, str]]:
    text = (ROOT / "hooks/README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- events -->\n(.*?)<!-- /events -->", text, re.S).group(1)
    rows = []
    for line in table.splitlines()[2:]:
        event, priority, hook = (c.strip() for c in line.strip("|").split("|")[:3])
        if event.startswith("on_"):
            rows.append((event, int(priority), hook))
    return rows


def test_the_table_lists_every_event_and_priority_of_the_hooks():
    assert sorted(documented()) == sorted(actual())


def test_the_table_is_in_build_order():
    """Events in the order MkDocs fires them; within one, higher priority first, then the
    order of mkdocs.yml's hooks."""
    order = ["on_config", "on_files", "on_page_markdown", "on_page_content", "on_env",
             "on_page_context", "on_post_page", "on_post_template", "on_post_build"]
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    hooks = [p.rsplit("/", 1)[-1].removesuffix(".py") for p in config["hooks"]]
    rows = documented()
    assert rows == sorted(rows, key=lambda r: (order.index(r[0]), -r[1], hooks.index(r[2])))
