"""MkDocs hook: ``mkdocs serve`` keeps serving the last good site while a rebuild fails.

See medsite.preview for what MkDocs does on its own and why. ``mkdocs build`` is unaffected.
"""
from __future__ import annotations

import logging

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from medsite import preview

log = logging.getLogger("mkdocs.plugins.preview")

#: MkDocs' own notice after a failed rebuild; no longer true with this hook, so it is dropped.
STUCK_NOTICE = "The server will appear stuck"


class _DropStuckNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return STUCK_NOTICE not in record.getMessage()


def on_startup(command, dirty):
    # `serve --dirty` rewrites only changed pages into the served folder, so it cannot
    # build into an empty staging folder: it keeps MkDocs' own behaviour.
    preview.IN_PLACE = bool(dirty)


@event_priority(100)  # before any other on_config reads site_dir
def on_config(config):
    config.site_dir = preview.build_dir(config.site_dir)
    return config


def on_serve(server, config, builder):
    if preview.IN_PLACE:
        log.info("serve --dirty: a failed rebuild leaves the preview incomplete until fixed")
        return server
    served = server.root
    rebuild = server.builder
    preview.start(served)

    def build_or_keep_last_good(config=None):
        try:
            rebuild() if config is None else rebuild(config)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # Abort is a SystemExit
            preview.discard(served)
            _stop_holding_requests(server)
            if isinstance(exc, SystemExit):
                reason = str(exc)
            else:  # a bug, not an author's mistake: one line, the traceback with --verbose
                log.debug("rebuild failed", exc_info=exc)
                reason = f"The build stopped with {type(exc).__name__}: {exc}"
            raise Abort(preview.failure_message(reason)) from None
        preview.publish(served)

    server.builder = build_or_keep_last_good
    _serve_reload_script_as_a_file(server)
    livereload_log = logging.getLogger("mkdocs.livereload")
    if not any(type(f).__name__ == "_DropStuckNotice" for f in livereload_log.filters):
        livereload_log.addFilter(_DropStuckNotice())
    return server


def on_shutdown():
    for served in list(preview._STAGING):
        preview.stop(served)


def _serve_reload_script_as_a_file(server) -> None:
    """Live reload that a Content-Security-Policy allows (see medsite.preview)."""
    from mkdocs import livereload

    js = preview.external_script(getattr(livereload, "_SCRIPT_TEMPLATE_STR", ""))
    if js is None or not all(hasattr(x, y) for x, y in [
            (server, "_serve_request"), (server, "_inject_js_into_html"), (livereload, "_timestamp")]):
        log.debug("live-reload script left inline: MkDocs' template has changed")
        return
    body = js.encode()
    serve_request = server._serve_request

    def serve_script_or_page(environ, start_response):
        if environ.get("PATH_INFO") == preview.SCRIPT_PATH:
            start_response("200 OK", [("Content-Type", "application/javascript"),
                                      ("Content-Length", str(len(body))),
                                      ("Cache-Control", "no-store")])
            return [body]
        return serve_request(environ, start_response)

    def inject_script_tag(content, epoch):
        return preview.inject(content, preview.script_tag(epoch, livereload._timestamp()))

    server._serve_request = serve_script_or_page
    server._inject_js_into_html = inject_script_tag


def _stop_holding_requests(server) -> None:
    """The server holds page requests until the build it is waiting for succeeds; a failed
    build will never arrive, so let them through to the last good site."""
    cond = getattr(server, "_epoch_cond", None)
    if cond is None or not hasattr(server, "_visible_epoch"):
        return
    with cond:
        server._wanted_epoch = server._visible_epoch
        cond.notify_all()
