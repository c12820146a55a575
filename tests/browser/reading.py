"""Helpers for the reading-mode browser tests (tests/browser/test_reading.py and others):
a fixture chapter in the shape every chapter has (title, then the three depths, each with
its own Key points and ## headings), a fixture site serving it with the project's
configuration, hooks and assets, and browser contexts at the two sizes we design for."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager


from tests.conftest import once_per_run
from tests.sitebuild import build_with_assets

DEPTHS = ["Fundamentals", "Intermediate", "Academic"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 1}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = ("default", "slate")  # Material's light and dark palettes

# The fixture chapter. Citations: cauley2003effects in all three depths (twice in Academic),
# snyder2024testosterone in Intermediate and Academic, watson2018high in Academic only,
# hildreth2013effects in Fundamentals only.
PARA = ("Bone is living tissue that is rebuilt all through life. After about forty the "
        "rebuilding falls behind, and muscle strength slowly declines with it. ")
CHAPTER = f"""---
title: "Reading fixture"
reviewed: 2026-11-27
next_review: 2027-11-27
---

# Reading fixture

=== "Fundamentals"

    !!! abstract "Key points"

        - Fundamentals summary: bones thin with age [@hildreth2013effects].

    ## What happens

    {PARA * 3}Hormone therapy helped bone in one large trial [@cauley2003effects].

    ## What you can do

    {PARA * 6}

=== "Intermediate"

    !!! abstract "Key points"

        - Intermediate summary with the numbers [@snyder2024testosterone].

    ## What happens

    {PARA * 3}Estrogen plus progestin lowered fractures [@cauley2003effects].

    ## Testosterone and fractures

    {PARA * 6}TRAVERSE found no fewer fractures [@snyder2024testosterone].

=== "Academic"

    !!! abstract "Key points"

        - Academic summary with trial detail [@watson2018high].

    ## Trial evidence

    {PARA * 3}WHI [@cauley2003effects] and LIFTMOR [@watson2018high].

    ![Bar chart of four trials.](../assets/figures/trial-outcomes.svg){{ width="400" }}

    | Trial | Population | Intervention | Outcome in bone density and fractures |
    | --- | --- | --- | --- |
    | WHI | 16,608 women aged 50 to 79 with a uterus | Estrogen plus progestin | Fewer hip fractures (hazard ratio 0.67) |
    | TRAVERSE | 5,204 men with cardiovascular disease or high risk | Testosterone gel | Fractures numerically more frequent |

    ## Deep dive

    {PARA * 6}The same trial again [@cauley2003effects] and testosterone [@snyder2024testosterone].
"""


@contextmanager
def serve(directory):
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def built_and_served(tmp_path_factory, name: str, make):
    """``make(folder)`` (a site folder) built once per test run, shared by the xdist
    workers, and served on 127.0.0.1 while the block runs; yields its URL."""
    site = once_per_run(tmp_path_factory, name, lambda folder: str(make(folder)))
    with serve(site) as url:
        yield url


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_reading_site(tmp):
    """The fixture chapter (and a second page) built with the project's mkdocs.yml, hooks,
    overrides and assets; returns the site folder."""
    return build_with_assets(tmp, {"index.md": "# Home\n\n[The chapter](chapters/reading.md).\n",
                                   "chapters/reading.md": CHAPTER})


@contextmanager
def page_at(pages, base: str, size: str = "desktop", scheme: str = "default",
            javascript: bool = True):
    """A page (``pages``: tests/conftest.py's ``Pages``) at a size ("desktop" 1280x800,
    "phone" 390x844 touch), with the palette chosen as Material stores it; only 127.0.0.1
    is reachable."""
    # Material's first palette follows the system's preference until the reader chooses.
    with pages.page(base, java_script_enabled=javascript,
                    color_scheme="dark" if scheme == "slate" else "light",
                    **SIZES[size]) as watched:
        yield watched


def scheme_of(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def open_depth(page) -> str:
    return page.evaluate("""() => {
      const set = document.querySelector('.md-content__inner > .tabbed-set');
      const inputs = [...set.querySelectorAll(':scope > input')];
      const i = inputs.findIndex(x => x.checked);
      return set.querySelectorAll(':scope > .tabbed-labels > label')[i].innerText.trim();
    }""")


def choose(page, depth: str):
    """Choose a depth as a reader does: a click (or tap) on its box."""
    label = page.locator(".md-content__inner > .tabbed-set > .tabbed-labels > label",
                         has_text=depth)
    if page.viewport_size["width"] < 500:
        label.tap()
    else:
        label.click()
    page.wait_for_function(
        "d => { const s = document.querySelector('.md-content__inner > .tabbed-set');"
        " const i = [...s.querySelectorAll(':scope > input')].findIndex(x => x.checked);"
        " return s.querySelectorAll(':scope > .tabbed-labels > label')[i].innerText.trim() === d; }",
        arg=depth)
