"""A live preview that survives mistakes: rebuild into a staging folder, publish only good builds.

What MkDocs 1.6 ``serve`` does on its own when a rebuild fails (a bad date, an unknown
citation key, a broken bib file): the build has already emptied the served folder
(``clean_directory`` runs before the pages are read), and the server then holds every page
request until a build succeeds ("The server will appear stuck until build errors are
resolved"). The browser shows nothing useful until the mistake is fixed.

With the hook in ``hooks/preview.py``, every rebuild after the first is written to a sibling
staging folder; only a build that finishes without error replaces the served folder (two
renames), so the preview keeps showing the last good site while the terminal shows the error.
This module is the folder logic; it knows nothing of MkDocs.
"""
from __future__ import annotations

import os
import shutil

#: served folder -> staging folder, for the one ``mkdocs serve`` running in this process.
#: Module state on purpose: MkDocs re-imports hook files on every rebuild, but this module
#: is imported once (from sys.path), so it outlives them.
_STAGING: dict[str, str] = {}

SUFFIX = ".next"

#: True under `mkdocs serve --dirty`, which must rebuild in place (set by the hook).
IN_PLACE = False


def start(served: str) -> str:
    """Send later builds aimed at ``served`` to a staging folder; return the staging path."""
    served = os.path.abspath(served)
    staging = _STAGING.setdefault(served, served.rstrip(os.sep) + SUFFIX)
    return staging


def stop(served: str) -> None:
    """Build straight into ``served`` again, and remove any staging folder left behind."""
    staging = _STAGING.pop(os.path.abspath(served), None)
    if staging:
        shutil.rmtree(staging, ignore_errors=True)


def build_dir(site_dir: str) -> str:
    """Where a build configured for ``site_dir`` should write: the staging folder when
    ``site_dir`` is being served, else ``site_dir`` itself."""
    return _STAGING.get(os.path.abspath(site_dir), site_dir)


def publish(served: str) -> bool:
    """Make the finished staging build the served site. False when there is nothing to publish."""
    served = os.path.abspath(served)
    staging = _STAGING.get(served)
    if not staging or not os.path.isdir(staging):
        return False
    old = served.rstrip(os.sep) + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(served):
        os.rename(served, old)
    os.rename(staging, served)
    shutil.rmtree(old, ignore_errors=True)
    return True


def discard(served: str) -> None:
    """Throw away a failed (possibly half-written) staging build; the served site is untouched."""
    staging = _STAGING.get(os.path.abspath(served))
    if staging:
        shutil.rmtree(staging, ignore_errors=True)


def failure_message(reason: str) -> str:
    """What the terminal says after a failed rebuild (the problems themselves are logged above)."""
    reason = reason.strip().rstrip(".!") if reason else "The build failed"
    return (f"{reason}. The preview still shows the last good build; fix the problem named "
            "above and save: the site rebuilds by itself.")


# --- live reload under a Content-Security-Policy ------------------------------------------
#
# MkDocs injects its live-reload code into every served page as an inline <script>, which a
# CSP without 'unsafe-inline' (ours: script-src 'self' plus hashes) blocks, so the browser
# would never reload. The hook serves the same code as a same-origin file instead, and each
# page gets a <script src> carrying its epoch in data- attributes.

SCRIPT_PATH = "/livereload.js"
_CALL = "livereload(${epoch}, ${request_id});"
# A plain call statement: a line starting with "(" would be read as a call of the function
# expression above it.
_CALL_FROM_TAG = ("livereload(+document.currentScript.dataset.epoch, "
                  "+document.currentScript.dataset.requestId);")


def external_script(template: str) -> str | None:
    """MkDocs' live-reload template turned into a static file, or None when its shape is not
    the one this was written for (then MkDocs' inline script is left alone)."""
    if template.count(_CALL) != 1 or "$" in template.replace(_CALL, ""):
        return None
    return template.replace(_CALL, _CALL_FROM_TAG)


def script_tag(epoch: int, request_id: int) -> bytes:
    return (f'<script src="{SCRIPT_PATH}" data-epoch="{int(epoch)}" '
            f'data-request-id="{int(request_id)}"></script>').encode()


def inject(content: bytes, tag: bytes) -> bytes:
    """``tag`` before the last </body> (at the end when there is none), as MkDocs does."""
    end = content.rfind(b"</body>")
    end = len(content) if end < 0 else end
    return content[:end] + tag + content[end:]
