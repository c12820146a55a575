"""The preview's staging folders (medsite.preview) and the serve hook's builder wrapper,
without a server (tests/test_serve.py runs the real one)."""
from __future__ import annotations

import importlib.util
import threading

import pytest
from mkdocs.exceptions import Abort

from medsite import preview
from tests.sitebuild import ROOT


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "mkdocs_site"
    site.mkdir()
    (site / "index.html").write_text("good")
    yield site
    preview.stop(str(site))


def test_builds_go_to_staging_only_while_serving(served, tmp_path):
    other = str(tmp_path / "elsewhere")
    assert preview.build_dir(str(served)) == str(served)
    staging = preview.start(str(served))
    assert staging == str(served) + ".next"
    assert preview.build_dir(str(served)) == staging
    assert preview.build_dir(other) == other  # `mkdocs build` elsewhere is untouched
    preview.stop(str(served))
    assert preview.build_dir(str(served)) == str(served)


def test_publish_swaps_in_the_finished_build(served):
    staging = preview.start(str(served))
    (tmp := served.parent / "mkdocs_site.next").mkdir()
    (tmp / "index.html").write_text("new")
    assert preview.publish(str(served))
    assert (served / "index.html").read_text() == "new"
    assert not (served.parent / "mkdocs_site.next").exists()
    assert not (served.parent / "mkdocs_site.old").exists()
    assert preview.build_dir(str(served)) == staging  # the next rebuild stages again


def test_discard_keeps_the_last_good_build(served):
    preview.start(str(served))
    (served.parent / "mkdocs_site.next").mkdir()
    (served.parent / "mkdocs_site.next" / "half.html").write_text("half")
    preview.discard(str(served))
    assert (served / "index.html").read_text() == "good"
    assert not (served.parent / "mkdocs_site.next").exists()
    assert not preview.publish(str(served))  # nothing to publish after a discard


def test_failure_message():
    assert preview.failure_message("Aborted with a BuildError!") == (
        "Aborted with a BuildError. The preview still shows the last good build; fix the "
        "problem named above and save: the site rebuilds by itself.")


# --- the hook's wrapper around the server's builder --------------------------------------

def load_hook():
    spec = importlib.util.spec_from_file_location("preview_hook", ROOT / "hooks/preview.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeServer:
    """What the hook touches of mkdocs.livereload.LiveReloadServer."""

    def __init__(self, root, builder):
        self.root = str(root)
        self.builder = builder
        self._epoch_cond = threading.Condition()
        self._visible_epoch = 1
        self._wanted_epoch = 2  # a rebuild is under way: page requests wait for it


def test_a_failed_rebuild_keeps_the_site_releases_requests_and_says_so(served):
    def failing_build():
        (served.parent / "mkdocs_site.next").mkdir()
        raise Abort("Aborted with a BuildError!")

    hook = load_hook()
    server = hook.on_serve(FakeServer(served, failing_build), config=None, builder=failing_build)
    with pytest.raises(Abort) as exc:
        server.builder()
    assert str(exc.value).startswith("Aborted with a BuildError. The preview still shows")
    assert server._wanted_epoch == server._visible_epoch  # held requests now get the old site
    assert (served / "index.html").read_text() == "good"
    assert not (served.parent / "mkdocs_site.next").exists()


def test_a_crash_in_a_rebuild_is_one_line_not_a_traceback(served):
    def crashing_build():
        raise KeyError("bib")

    hook = load_hook()
    server = hook.on_serve(FakeServer(served, crashing_build), config=None, builder=crashing_build)
    with pytest.raises(Abort) as exc:
        server.builder()
    assert str(exc.value).startswith("The build stopped with KeyError: 'bib'. The preview still")


def test_a_good_rebuild_is_published(served):
    def good_build():
        (served.parent / "mkdocs_site.next").mkdir()
        (served.parent / "mkdocs_site.next" / "index.html").write_text("new")

    hook = load_hook()
    server = hook.on_serve(FakeServer(served, good_build), config=None, builder=good_build)
    server.builder()
    assert (served / "index.html").read_text() == "new"


def test_mkdocs_stuck_notice_is_dropped_once_serving(served, caplog):
    import logging

    hook = load_hook()
    hook.on_serve(FakeServer(served, lambda: None), config=None, builder=None)
    log = logging.getLogger("mkdocs.livereload")
    with caplog.at_level(logging.INFO, logger="mkdocs.livereload"):
        log.error("An error happened during the rebuild. The server will appear stuck until "
                  "build errors are resolved.")
        log.info("Reloading browsers")
    assert [r.getMessage() for r in caplog.records] == ["Reloading browsers"]
    for f in list(log.filters):
        log.removeFilter(f)


# --- live reload as a file ---------------------------------------------------------------

def test_external_script_comes_from_mkdocs_template():
    from mkdocs import livereload

    js = preview.external_script(livereload._SCRIPT_TEMPLATE_STR)
    assert js is not None and "${" not in js
    assert js.rstrip().endswith("livereload(+document.currentScript.dataset.epoch, "
                                "+document.currentScript.dataset.requestId);")
    assert preview.external_script("livereload(${epoch}); ${other}") is None


def test_script_tag_goes_before_the_last_body_end():
    tag = preview.script_tag(12, 34)
    assert tag == b'<script src="/livereload.js" data-epoch="12" data-request-id="34"></script>'
    assert preview.inject(b"<body>a</body></html>", tag) == b"<body>a" + tag + b"</body></html>"
    assert preview.inject(b"no body", tag) == b"no body" + tag


def test_serve_dirty_keeps_building_in_place(served):
    hook = load_hook()
    build = lambda: None  # noqa: E731
    try:
        hook.on_startup(command="serve", dirty=True)
        server = hook.on_serve(FakeServer(served, build), config=None, builder=build)
        assert server.builder is build
        assert preview.build_dir(str(served)) == str(served)
    finally:
        hook.on_startup(command="serve", dirty=False)
