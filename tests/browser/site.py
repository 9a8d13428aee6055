"""The harness of the site-quality checks: build, serve, find the browser, read pages.

Everything here works on whatever the build produces: pages are found by
walking the output folder and grouped into kinds by the shape of their URL,
so new kinds of page are checked without touching the tests.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.build.pipeline import Project, build

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "content"
MINIMAL = ROOT / "tests" / "fixtures" / "valid" / "minimal"

# --- build and serve ---------------------------------------------------------------


def build_site(content: Path, out: Path) -> Path:
    """Build content into out with the project's templates and static files."""
    build(Project.at(ROOT, content=content, out=out), drafts=True)  # every page a preview can show
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves a built folder like the production host: 404.html for what is missing."""

    def log_message(self, format: str, *args) -> None:  # the test output matters more
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


# Types the stdlib may not know or guesses differently per machine.
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
          ".wasm": "application/wasm", ".css": "text/css", ".atom": "application/atom+xml",
          ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
          ".pf_fragment": "application/octet-stream", ".pagefind": "application/octet-stream"}


class _Server(ThreadingHTTPServer):
    # Pagefind fetches many index chunks at once; the default backlog of 5 drops some
    # connections under load, and a dropped chunk reads as "no results".
    request_queue_size = 128


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder (a pagefind/ inside included) on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    _QuietHandler.extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser ---------------------------------------------------------------------


class BrowserMissing(RuntimeError):
    pass


CHROMIUM_FALLBACKS = ["/usr/bin/chromium"]


def chromium_path() -> str:
    """Debian's chromium (or $CHROMIUM); Playwright's own browser downloads are never used."""
    candidates = [os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                  *CHROMIUM_FALLBACKS]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    raise BrowserMissing(
        "Chromium not found: the browser checks need it and are never skipped. "
        "`make test` installs it (apt-get install chromium fonts-noto-cjk); "
        "elsewhere set CHROMIUM=/path/to/chromium.")


def launch(playwright):
    """One headless Chromium for the session."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                      args=["--disable-gpu", "--disable-dev-shm-usage"])


# --- the built pages -----------------------------------------------------------------------


# Folders of the output whose files are not our pages: Pagefind's, and the published texts.
NOT_OURS = {"pagefind", "sources"}


def ours(out: Path, file: Path) -> bool:
    return file.relative_to(out).parts[0] not in NOT_OURS


def html_files(out: Path) -> list[Path]:
    """Every page of the build."""
    return sorted(p for p in out.rglob("*.html") if ours(out, p))


def url_of(out: Path, file: Path) -> str:
    rel = file.relative_to(out).as_posix()
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel[: -len("index.html")]
    return "/" + rel


def file_of(out: Path, url_path: str) -> Path | None:
    """The built file a site-absolute path is served from, or None; folders need their slash."""
    path = unquote(url_path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    target = out / path
    return target if target.is_file() else None


def kind_of(url: str) -> str:
    """The kind of page, from the shape of its URL: the first segment, then one * a level.

    '/' is 'home', '/plans/hedong/2024/' is 'plans/*/*', '/districts/' is 'districts',
    '/404.html' is '404.html'. A new kind of page is a new shape, so it is checked too.
    """
    parts = [p for p in url.strip("/").split("/") if p]
    if not parts:
        return "home"
    return "/".join([parts[0], *("*" * (len(parts) - 1))])


def pages_by_kind(out: Path) -> dict[str, list[Path]]:
    kinds: dict[str, list[Path]] = {}
    for f in html_files(out):
        kinds.setdefault(kind_of(url_of(out, f)), []).append(f)
    return kinds


def representatives(out: Path) -> dict[str, str]:
    """One URL per kind of page: the biggest, the one with most to get wrong."""
    return {kind: url_of(out, max(files, key=lambda f: (f.stat().st_size, str(f))))
            for kind, files in sorted(pages_by_kind(out).items())}


# --- reading a page without a browser ---------------------------------------------------

LINK_ATTRS = {"href", "src", "action", "poster", "data"}
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:")
# Pages are resolved as if served here, so a link to another host is told apart.
_HOST = "site.invalid"
_ORIGIN = f"http://{_HOST}"


class Link(NamedTuple):
    line: int
    tag: str
    url: str
    rel: str  # the rel attribute's words, '' if none


@dataclass
class PageFacts:
    ids: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (line, level, text)
    landmarks: list[str] = field(default_factory=list)  # tag names and roles, in order
    unnamed: list[tuple[int, str]] = field(default_factory=list)  # (line, tag): links, buttons without a name
    first_link: str | None = None  # href of the first <a> in the body
    base: str | None = None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        # open links, buttons and headings: [tag, line, text, has a label of its own]
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        if a.get("id"):
            self.facts.ids.append(a["id"])
        if tag == "a" and a.get("name"):
            self.facts.ids.append(a["name"])
        if tag == "base" and a.get("href"):
            self.facts.base = a["href"]
        for name in LINK_ATTRS & a.keys():
            if a[name] is not None and not (tag == "object" and name != "data"):
                self.facts.links.append(Link(line, tag, a[name].strip(), (a.get("rel") or "").lower()))
        if a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.facts.links.append(Link(line, tag, candidate.split()[0], ""))
        if tag == "a" and self.facts.first_link is None and a.get("href") is not None:
            self.facts.first_link = a["href"]
        if tag in {"main", "header", "footer", "nav", "aside"} or a.get("role"):
            self.facts.landmarks.append(a.get("role") or tag)
        labelled = any((a.get(k) or "").strip() for k in ("aria-label", "aria-labelledby", "title"))
        if tag == "img" and (a.get("alt") or "").strip():
            for rec in self._open:
                rec[2] += a["alt"]
        elif labelled:
            for rec in self._open:
                rec[3] = True
        if (tag == "a" and a.get("href") is not None) or tag == "button" or re.fullmatch(r"h[1-6]", tag):
            self._open.append([tag, line, "", labelled])

    def handle_data(self, data):
        for rec in self._open:
            rec[2] += data

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, line, text, labelled = self._open.pop(i)
                text = " ".join(text.split())
                if name[0] == "h":
                    self.facts.headings.append((line, int(name[1]), text or ("(labelled)" if labelled else "")))
                elif not text and not labelled:
                    self.facts.unnamed.append((line, name))
                break


@functools.lru_cache(maxsize=4096)
def _read(path: str, version: tuple[int, int]) -> PageFacts:
    reader = _Reader()
    reader.feed(Path(path).read_text(encoding="utf-8"))
    reader.close()
    return reader.facts


def read_page(file: Path) -> PageFacts:
    st = file.stat()
    return _read(str(file), (st.st_mtime_ns, st.st_size))


def internal_target(page_url: str, link: str, base: str | None = None) -> tuple[str, str] | None:
    """(path, fragment) of a link within the site, or None for one that leaves it."""
    if not link or link.lower().startswith(_SKIP_SCHEMES):
        return None
    absolute = urljoin(urljoin(page_url, base) if base else page_url, link)
    parts = urlsplit(absolute)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", _HOST):
        return None
    return parts.path, unquote(parts.fragment) if "#" in link else None


def broken_links(out: Path, files: list[Path] | None = None) -> list[str]:
    """Every internal href/src of the given pages (all by default) that does not resolve."""
    problems: list[str] = []
    for f in files if files is not None else html_files(out):
        page_url = _ORIGIN + url_of(out, f)
        facts = read_page(f)
        rel = f.relative_to(out).as_posix()
        for line, tag, link, _ in facts.links:
            target = internal_target(page_url, link, facts.base)
            if target is None:
                continue
            if rel == "404.html" and not link.startswith(("/", "#")):
                # served at every missing URL, so a relative link would resolve elsewhere
                problems.append(f"{rel}:{line}: <{tag}> {link!r}: the 404 page needs site-absolute links")
            path, fragment = target
            file = file_of(out, path)
            if file is None:
                problems.append(f"{rel}:{line}: <{tag}> {link!r}: no file at {path}")
                continue
            if fragment is not None:
                if fragment == "" or (file.suffix == ".html" and fragment not in read_page(file).ids):
                    problems.append(f"{rel}:{line}: <{tag}> {link!r}: no id {fragment!r} on {path}")
    problems += _broken_css_urls(out)
    problems += _broken_feed_and_sitemap_urls(out)
    return problems


def _broken_feed_and_sitemap_urls(out: Path) -> list[str]:
    """Sitemap <loc>s, and feed links on the sitemap's host (or site-absolute), resolve.

    The site's own host is known only from the sitemap, so without one only
    site-absolute feed links are checked.
    """
    files = sorted(p for p in out.rglob("*") if p.suffix in {".xml", ".atom", ".rss"}
                   and ours(out, p))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    locs = [(f, html.unescape(m.group(1).strip())) for f, t in texts.items()
            for m in re.finditer(r"<loc>(.*?)</loc>", t, re.S)]
    origins = {urlsplit(u)._replace(path="", query="", fragment="").geturl() for _, u in locs}
    urls = list(locs)
    for f, t in texts.items():
        for m in re.finditer(r"""\shref\s*=\s*["']([^"']*)["']""", t):
            urls.append((f, html.unescape(m.group(1))))
    problems = []
    for f, u in urls:
        parts = urlsplit(u)
        origin = parts._replace(path="", query="", fragment="").geturl()
        if not (u.startswith("/") and not u.startswith("//")) and origin not in origins:
            continue
        if file_of(out, parts.path) is None:
            problems.append(f"{f.relative_to(out).as_posix()}: {u}: no file at {parts.path}")
    return problems


def css_urls(out: Path, css: Path) -> list[tuple[str, str | None]]:
    """(written url, site path or None when it leaves the site) of each url() in a stylesheet."""
    rel = css.relative_to(out).as_posix()
    found = []
    for m in re.finditer(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css.read_text(encoding="utf-8")):
        target = internal_target(_ORIGIN + "/" + rel, m.group(1))
        found.append((m.group(1), target[0] if target else None))
    return found


def _broken_css_urls(out: Path) -> list[str]:
    problems = []
    for css in sorted(out.rglob("*.css")):
        if not ours(out, css):
            continue
        for written, path in css_urls(out, css):
            if path is not None and file_of(out, path) is None:
                problems.append(f"{css.relative_to(out).as_posix()}: url({written}): no file at {path}")
    return problems


def heading_problems(out: Path) -> list[str]:
    """One h1, first; going down never skips a level (h2 → h4); every heading has text."""
    problems = []
    for f in html_files(out):
        rel = f.relative_to(out).as_posix()
        heads = read_page(f).headings
        h1s = [h for h in heads if h[1] == 1]
        if len(h1s) != 1:
            problems.append(f"{rel}: {len(h1s)} <h1>, want exactly one")
        if heads and heads[0][1] != 1:
            problems.append(f"{rel}:{heads[0][0]}: first heading is <h{heads[0][1]}>, want <h1>")
        for (_, prev, _), (line, level, text) in zip(heads, heads[1:]):
            if level > prev + 1:
                problems.append(f"{rel}:{line}: <h{level}> {text!r} follows <h{prev}>: a level skipped")
        for line, level, text in heads:
            if not text:
                problems.append(f"{rel}:{line}: <h{level}> is empty")
    return problems


def unnamed_control_problems(out: Path) -> list[str]:
    """Every link and button has text (or an alt, aria-label, title) a screen reader can say."""
    return [f"{f.relative_to(out).as_posix()}:{line}: <{tag}> has no text or label"
            for f in html_files(out) for line, tag in read_page(f).unnamed]


def landmark_problems(out: Path) -> list[str]:
    """One main with id=main, a banner and a contentinfo, and a skip link to main first."""
    problems = []
    for f in html_files(out):
        rel = f.relative_to(out).as_posix()
        facts = read_page(f)
        marks = facts.landmarks
        if marks.count("main") != 1:
            problems.append(f"{rel}: {marks.count('main')} <main>, want exactly one")
        if "main" not in facts.ids:
            problems.append(f"{rel}: no element with id=\"main\" for the skip link")
        if "header" not in marks and "banner" not in marks:
            problems.append(f"{rel}: no <header> (banner) landmark")
        if "footer" not in marks and "contentinfo" not in marks:
            problems.append(f"{rel}: no <footer> (contentinfo) landmark")
        if facts.first_link != "#main":
            problems.append(f"{rel}: first link is {facts.first_link!r}, want the skip link '#main'")
    return problems
