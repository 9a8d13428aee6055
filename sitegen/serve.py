"""`sitegen serve`: build, serve on localhost, rebuild on change, show errors in the page.

Standard library only: a polling watcher (no platform file-event APIs to
install) and http.server. Not for production; Netlify serves the real site.
"""

from __future__ import annotations

import functools
import html
import http.server
import threading
import time
from pathlib import Path

import click

from .build import Project, build
from .diagnostics import ContentError, Diagnostic, format_diagnostics
from .model import SiteInfo
from .pages import Page
from .render import environment, render_page

POLL_SECONDS = 0.5
# Injected into served HTML only (never into built files): reload when a rebuild finishes.
_RELOAD = b"""<script>(function(){var v=null;setInterval(function(){fetch('/__sitegen/version').then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})()</script>"""


class _State:
    def __init__(self) -> None:
        self.version = 0
        self.error_page: bytes | None = None  # what every page shows while the content is broken
        self.lock = threading.Lock()


def snapshot(folders: list[Path]) -> dict[str, float]:
    out = {}
    for folder in folders:
        if folder.is_dir():
            for p in folder.rglob("*"):
                if p.is_file():
                    out[str(p)] = p.stat().st_mtime_ns
    return out


def rebuild(project: Project, state: _State) -> None:
    started = time.perf_counter()
    try:
        result = build(project)
        errors: list[Diagnostic] = []
        click.echo(f"built {result.pages} pages in {time.perf_counter() - started:.2f}s")
    except ContentError as e:
        errors = e.diagnostics
        click.echo(format_diagnostics(errors), err=True)
    except Exception as e:  # a template bug must not kill the server an editor is watching
        errors = [Diagnostic("templates", 0, 0, f"build failed: {type(e).__name__}: {e}")]
        click.echo(errors[0].message, err=True)
    page = error_page(project, errors) if errors else None
    with state.lock:
        state.error_page = page
        state.version += 1


def error_page(project: Project, errors: list[Diagnostic]) -> bytes:
    try:
        env = environment(project.templates)
        page = Page("/", "error.html", "内容有误", "内容有误，网站未更新。", {"diagnostics": errors})
        return render_page(env, SiteInfo(), page).encode("utf-8")
    except Exception:  # the templates themselves may be what is broken: still show the errors
        items = "".join(f"<li>{html.escape(f'{d.path}:{d.line}:{d.col}: {d.message}')}</li>" for d in errors)
        return f'<!doctype html><html lang="zh-Hans"><body><h1>内容有误</h1><ol>{items}</ol></body></html>'.encode()


def serve(project: Project, host: str, port: int) -> None:
    state = _State()
    rebuild(project, state)
    watched = [project.content, project.templates, project.static]

    def watch() -> None:
        seen = snapshot(watched)
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(watched)
            if now != seen:
                seen = now
                rebuild(project, state)

    threading.Thread(target=watch, daemon=True).start()
    handler = functools.partial(_Handler, state=state, directory=str(project.out))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    click.echo(f"serving {project.out} on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class _Handler(http.server.SimpleHTTPRequestHandler):
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

    def do_GET(self) -> None:
        with self.state.lock:
            version, broken = self.state.version, self.state.error_page
        if self.path == "/__sitegen/version":
            return self._send(200, str(version).encode(), "text/plain")
        if broken is not None and not self.path.startswith("/static/"):
            return self._send(200, broken.replace(b"</body>", _RELOAD + b"</body>"))
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(200, path.read_bytes().replace(b"</body>", _RELOAD + b"</body>"))
        return super().do_GET()
