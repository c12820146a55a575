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

from typing import TypeVar

T = TypeVar("T")

PREFIX = "medsite_state_"


def start(config, hook: str, state: T) -> T:
    """Keep ``state`` as ``hook``'s state for this build (replacing none: a new config)."""
    config[PREFIX + hook] = state
    return state


def get(config, hook: str):
    """``hook``'s state for this build (made by its on_config)."""
    return config[PREFIX + hook]
