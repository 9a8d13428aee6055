"""`sitegen serve`: build (drafts included), serve on localhost, rebuild on change, errors in the page.

Changes are seen by watchfiles (the OS's file events, via the Rust notify
crate), so no save is missed however quickly it follows another. Every
served page carries the build version it shows; its reload script asks the
server to answer as soon as the version differs, so a save made right after a
page load still reloads it. Not for production; Netlify serves the real site.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import click

from sitegen.build.incremental import Builder
from sitegen.common.diagnostics import (
    ContentError,
    Diagnostic,
    format_diagnostics,
    read_lines,
)
from sitegen.common.project import Project
from sitegen.content.model import SiteInfo
from sitegen.site import urls
from sitegen.site.pages import Page
from sitegen.site.render import environment, render_page

RELOAD_JS = (Path(__file__).parent / "reload.js").read_bytes()
WAIT_SECONDS = 25.0  # a long poll is answered at the latest after this, and asked again


class PortBusy(Exception):
    """The port is taken (or not ours to use): the CLI says so and suggests --port."""


class _State:
    def __init__(self) -> None:
        self.version = 0
        self.error_page: bytes | None = None  # what every page shows while the content is broken
        self.changed = threading.Condition()
        self.building = threading.Lock()  # one build at a time: the watcher's first batch may come during the first

    def publish(self, error_page: bytes | None) -> None:
        with self.changed:
            self.error_page = error_page
            self.version += 1
            self.changed.notify_all()

    def read(self) -> tuple[int, bytes | None]:
        with self.changed:
            return self.version, self.error_page

    def wait_for_change(self, since: str, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: str(self.version) != since, timeout)
            return self.version


def rebuild(builder: Builder, state: _State) -> None:
    """One build after a change: the builder remakes only what the change touches."""
    with state.building:
        _rebuild(builder, builder.project, state)


def _rebuild(builder: Builder, project: Project, state: _State) -> None:
    started = time.perf_counter()
    first = builder.builds == 0
    try:
        # After the first build, the pages come first (the page reloads at once), then the data
        # files, feeds, SQLite and search index, whole-site files that take longer on a big site.
        result = builder.build(search=first, data=first)
        errors: list[Diagnostic] = []
        click.echo(f"已生成 {result.pages} 个页面（含草稿，其中重新渲染 {result.rendered} 个），"
                   f"用时 {time.perf_counter() - started:.2f} 秒")
    except ContentError as e:
        errors = e.diagnostics
        click.echo(format_diagnostics(errors), err=True)
    except Exception as e:  # a template bug must not kill the server an editor is watching
        errors = [Diagnostic("templates", 0, 0, f"生成失败：{type(e).__name__}: {e}", code="build-crashed")]
        click.echo(errors[0].message, err=True)
    state.publish(error_page(project, errors) if errors else None)
    if not errors and not first:
        try:
            builder.build()  # the data files and search index; no page is rendered again
        except Exception as e:  # the next save rebuilds everything that is out of date
            click.echo(f"数据文件未更新：{type(e).__name__}: {e}", err=True)


def _shown(errors: list[Diagnostic]) -> list[dict]:
    """Diagnostics for the error page, each with its line quoted as the terminal quotes it."""
    lines = read_lines(errors)
    out = []
    for d in errors:
        quoted = d.quote(lines[d.path])
        quote = None
        if quoted:
            text, at = quoted[0], max(d.col - 1, 0)
            quote = {"number": d.line, "before": text[:at], "at": text[at:]}
        out.append({"path": d.path, "line": d.line, "col": d.col, "message": d.message, "hint": d.hint,
                    "code": d.code, "quote": quote})
    return out


def error_page(project: Project, errors: list[Diagnostic]) -> bytes:
    shown = _shown(errors)
    try:
        env = environment(project.templates)
        page = Page("/", "error.html", "内容有误", "内容有误，网站未更新。", {"diagnostics": shown})
        return render_page(env, SiteInfo(), page).encode("utf-8")
    except Exception:  # the templates themselves may be what is broken: still show the errors
        items = "".join(
            "<li><code>{}</code> {}{}{}</li>".format(
                html.escape(f"{d['path']}:{d['line']}:{d['col']}"), html.escape(d["message"]),
                f"<pre>{d['quote']['number']:>4} | {html.escape(d['quote']['before'])}"
                f"<mark>{html.escape(d['quote']['at'])}</mark></pre>" if d["quote"] else "",
                f"<p>提示：{html.escape(d['hint'])}</p>" if d["hint"] else "")
            for d in shown)
        return (f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>内容有误</title></head>'
                f'<body><h1>内容有误，网站未更新</h1><ol>{items}</ol></body></html>').encode()


def _watch(builder: Builder, state: _State, stop: threading.Event) -> None:
    from watchfiles import watch

    project = builder.project
    folders = [str(p) for p in (project.content, project.templates, project.static) if p.is_dir()]
    if not folders:
        return
    # Each batch of changes (saves close together are one batch) is one rebuild; changes made
    # while a rebuild runs are queued by the watcher and come as the next batch.
    for _ in watch(*folders, stop_event=stop, debounce=1600, step=50, raise_interrupt=False):
        rebuild(builder, state)


def _reload_tag(version: int) -> bytes:
    return f'<script src="/__sitegen/reload.js" data-version="{version}" defer></script>'.encode()


def serve(project: Project, host: str, port: int) -> None:
    state = _State()
    handler = functools.partial(_Handler, state=state, directory=str(project.out))
    try:
        # Bind before building: a busy port is reported at once, not after a build.
        server = _Server((host, port), handler)
    except OSError as e:
        if e.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortBusy(str(e)) from None
        raise
    stop = threading.Event()
    # The watcher starts before the first build, so a save during that build is seen.
    # One builder for the session: it keeps what each build made, so a save re-renders only
    # the pages that depend on what was saved (incremental.py). Builds run one at a time.
    # Rendering stays in this process: forking a process that runs server threads is unsafe.
    builder = Builder(project, drafts=True, workers=1, background_cleanup=True)
    threading.Thread(target=_watch, args=(builder, state, stop), daemon=True).start()
    rebuild(builder, state)
    click.echo(f"正在预览 {project.out}：http://{host}:{port}/（按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser tab closed while its page or its reload poll was being answered: nothing
        # went wrong on this side, so no traceback in the editor's terminal.
        if isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, reset by peer
            return
        super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    # The published texts (/sources/*.txt) are UTF-8 Chinese: say so, or browsers guess.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8"}

    def __init__(self, *args, state: _State, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # quiet: the build log matters more
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, body: bytes, version: int) -> None:
        self._send(200, body.replace(b"</body>", _reload_tag(version) + b"</body>", 1))

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/__sitegen/reload.js":
            return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8")
        if url.path == "/__sitegen/wait":
            since = urllib.parse.parse_qs(url.query).get("since", [""])[0]
            return self._send(200, str(self.state.wait_for_change(since, WAIT_SECONDS)).encode(), "text/plain")
        # The version is read before the page: a page is never labelled newer than it is.
        version, broken = self.state.read()
        if url.path == "/__sitegen/version":
            return self._send(200, str(version).encode(), "text/plain")
        # While the content is broken every page shows the errors, styled by the last good build's files.
        if broken is not None and not url.path.startswith((urls.static_file(""), urls.ASSETS)):
            return self._page(broken, version)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._page(path.read_bytes(), version)
        return super().do_GET()
