"""Per-build state of the MkDocs hooks, kept on the build's own config.

MkDocs imports each hook file once per process (its hook loader is cached), so a
module-level variable outlives the build that filled it. A hook that must remember
something between the events of one build makes a fresh object in ``on_config`` with
:func:`start` and finds it again with :func:`get`: the object lives in that build's config
(one key per hook), and the next build, which has a new config, starts with nothing.
The citation and glossary hooks keep theirs on their Markdown extension instead (also made
in ``on_config``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from medsite.refcache import Memo

T = TypeVar("T")

PREFIX = "medsite_state_"


def start(config, hook: str, state: T) -> T:
    """Keep ``state`` as ``hook``'s state for this build (replacing none: a new config)."""
    config[PREFIX + hook] = state
    return state


def get(config, hook: str):
    """``hook``'s state for this build (made by its on_config)."""
    return config[PREFIX + hook]


def memo(config, name: str, *modules) -> Memo:
    """The build's :class:`Memo` ``name`` in the project's ``.cache/memo/``: results of a pure
    function of a page kept for the next build, versioned by the source of ``modules`` (the
    code those results depend on: an edit to it starts afresh)."""
    folder = Path(os.path.dirname(config.config_file_path or "."), ".cache", "memo")
    code = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in modules)
    return Memo(folder, name, Memo.key(code))
