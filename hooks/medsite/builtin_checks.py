"""Codes for the checks MkDocs makes itself, so the error catalogue covers them too.

MkDocs prints these messages in its own words, without our codes and without a line
number; hooks/linkhints.py puts ``file:line:col:`` in front of the link, anchor and nav
ones and a fix behind (medsite.linkhints). Each code here carries a pattern that matches
MkDocs' words; the catalogue in CONTRIBUTING.md shows a real example for each, and
tests/test_contributing.py builds a tiny site per code to prove the pattern (and so the
catalogue) still matches what the build prints.
"""
from __future__ import annotations

import re

from medsite.diagnostics import register

LINK_MISSING = register("link-target-missing", "a link points to a page or file that does not exist")
ANCHOR_MISSING = register("link-anchor-missing", "a link points to a heading anchor that does not exist")
LINK_UNRECOGNIZED = register("link-unrecognized", "a relative link is neither a page nor a file")
LINK_ABSOLUTE = register("link-absolute", "a link starts with / and would break under the site's path")
NAV_MISSING = register("nav-target-missing", "mkdocs.yml nav lists a page that does not exist")
NAV_OMITTED = register("nav-page-omitted", "a page in docs/ is not listed in the nav")
CONFIG_INVALID = register("config-invalid", "mkdocs.yml has a setting MkDocs cannot use")
ABORTED = register("build-aborted", "the summary line: the strict build stopped after the problems above")

#: code -> regular expression matching the message MkDocs prints (after the level prefix).
MESSAGES: dict[str, str] = {
    LINK_MISSING: r"Doc file '[^']+' contains a link '[^']+', but the target( '[^']+')? is not "
                  r"found among documentation files[.;]",
    ANCHOR_MISSING: r"Doc file '[^']+' contains a link '[^']+', but the doc '[^']+' does not "
                    r"contain an anchor '#[^']+'[.;]",
    LINK_UNRECOGNIZED: r"Doc file '[^']+' contains an unrecognized relative link '[^']+', it was "
                       r"left as is[.;]",
    LINK_ABSOLUTE: r"Doc file '[^']+' contains an absolute link '[^']+', it was left as is[.;]",
    NAV_MISSING: r"A reference to '[^']+' is included in the 'nav' configuration, which is not "
                 r"found in the documentation files[.;]",
    NAV_OMITTED: r"The following pages exist in the docs directory, but are not included in the "
                 r"\"nav\" configuration:",
    CONFIG_INVALID: r"Config value '[^']+': .+",
    ABORTED: r"Aborted with (a BuildError|a configuration error|[\d\w ,]+ in '?strict'? mode)!",
}


_LOCATION = re.compile(r"[^\s:]+:\d+(?::\d+)?: ")


def code_of(message: str) -> str | None:
    """The catalogue code of a message MkDocs printed, or None when it is not one of these."""
    message = _LOCATION.sub("", message, count=1) if _LOCATION.match(message) else message
    for code, pattern in MESSAGES.items():
        if re.match(pattern, message):
            return code
    return None
