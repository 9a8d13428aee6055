"""The pipeline in one place: load → validate → derive → pages → render → write."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .derive import DiffCache, Indexes, derive
from .diagnostics import ContentError, Diagnostic
from .diff import to_json
from .load import display_path
from .model import Site, Status
from .outputs.data import iter_data_files
from .outputs.feeds import feed_files, feed_list
from .outputs.filters import filters_css
from .outputs.redirects import redirects
from .outputs.search import search_files
from .outputs.sitemap import robots, sitemap
from .outputs.sqlite import sqlite_file
from .pages import Page, build_pages
from .render import environment, render_page
from .validate import PlanCache, load_site
from .write import Staging, write_site


FILTERS_CSS = "filters.css"  # generated, next to the hand-written stylesheet


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes; defaults are the project's own folders."""

    content: Path
    out: Path
    templates: Path
    static: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None, out: Path | None = None) -> Project:
        return cls(content or root / "content", out or root / "public", root / "templates", root / "static")


@dataclass(frozen=True)
class BuildResult:
    plans: int
    measures: int
    pages: int
    drafts_left_out: int = 0
    rendered: int = 0  # pages rendered by this build; the others were kept from the last one


def published(site: Site, drafts: bool = False) -> Site:
    """The site as built: 草稿 plans are left out unless drafts are wanted (as Hugo's --buildDrafts)."""
    if drafts:
        return site
    plans = tuple(p for p in site.plans if p.status is not Status.draft)
    keys = {p.key for p in plans}
    # A configured comparison waits until both its plans are published.
    comparisons = tuple(c for c in site.comparisons if c.old in keys and c.new in keys)
    return site.model_copy(update={"plans": plans, "comparisons": comparisons})


def check_project(project: Project) -> None:
    """A build needs the project's templates/ folder; say so instead of failing inside Jinja."""
    if (project.templates / "base.html").is_file():
        return
    hint = "请在项目文件夹（含 content/、templates/、static/ 的那个文件夹）中运行 sitegen"
    diags = [Diagnostic(display_path(project.templates), 0, 0, "找不到模板文件夹 templates/", hint,
                        "no-templates-folder")]
    if not project.content.is_dir():
        diags.append(Diagnostic(display_path(project.content), 0, 0, "找不到内容文件夹 content/", hint,
                                "no-content-folder"))
    raise ContentError(diags)


def render_site(project: Project, *, drafts: bool = False) -> tuple[dict[str, bytes], BuildResult]:
    """Everything the site is but its search index, as output path -> bytes; raises ContentError on bad content.
    One process, all in memory: what tests compare; `build` writes the same files."""
    files, result, _ = _render(project, drafts)
    return files, result


def _render(project: Project, drafts: bool = False) -> tuple[dict[str, bytes], BuildResult, list[Page]]:
    check_project(project)
    site, idx, pages, left_out = _prepare(project, drafts)
    env = environment(project.templates)
    files = {str(p.out_path): render_page(env, site.info, p).encode("utf-8") for p in pages}
    files.update(extra_files(project, site, idx, pages))
    return files, _result(site, pages, left_out, len(pages)), pages


def _prepare(project: Project, drafts: bool, plans: PlanCache | None = None, diffs: DiffCache | None = None):
    loaded = load_site(project.content, plans)
    site = published(loaded.site, drafts)
    left_out = len(loaded.site.plans) - len(site.plans)
    idx = derive(site, diffs)
    return site, idx, build_pages(site, idx, site.about), left_out


def _result(site: Site, pages: list[Page], left_out: int, rendered: int) -> BuildResult:
    measures = sum(len(p.measures()) for p in site.plans)
    return BuildResult(len(site.plans), measures, len(pages), left_out, rendered)


def extra_files(project: Project, site: Site, idx: Indexes, pages: list[Page]) -> dict[str, bytes]:
    return dict(iter_extra_files(project, site, idx, pages))


def iter_extra_files(project: Project, site: Site, idx: Indexes, pages: list[Page],
                     data: bool = True, sources: bool = True) -> Iterator[tuple[str, bytes]]:
    """The files besides the pages, one at a time (a build writes each as it comes);
    without data, only the quick ones (not the data files, SQLite and feeds)."""
    base = site.info.base_url
    listed = [p.url for p in pages if p.url != urls.not_found()]
    yield str(urls.output_path(urls.sitemap())), sitemap(base, listed)
    yield str(urls.output_path(urls.robots())), robots(base)
    yield str(urls.output_path(urls.static(FILTERS_CSS))), filters_css(site)
    yield "_redirects", redirects(site).encode("utf-8")
    # The published texts, so every plan links to what it was transcribed from.
    for name in sorted({p.source.file for p in site.plans if p.source} if sources else ()):
        yield str(urls.output_path(urls.source(name))), (project.content / "sources" / name).read_bytes()
    if data:
        yield from iter_data_outputs(site, idx)


def iter_data_outputs(site: Site, idx: Indexes) -> Iterator[tuple[str, bytes]]:
    """The data behind the pages and the feeds (docs/data.md); each diff's document is made when written."""
    diffs = [(spec, functools.partial(to_json, diff)) for spec, diff in idx.diffs]
    yield from iter_data_files(site, idx, diffs=diffs, feeds=[f.url for f in feed_list(site, idx)])
    yield from sqlite_file(site, idx).items()
    yield from feed_files(site, idx).items()


def build(project: Project, *, drafts: bool = False, search: bool = True,
          cache: PlanCache | None = None) -> BuildResult:
    """Render, index for search (unless search=False), then write atomically.

    The index is made before the swap, so a failed Pagefind run leaves the
    previous output as it was.
    """
    return Builder(project, drafts=drafts, plans=cache).build(search=search)


# -- the builder: full builds across both cores, and rebuilds of only what changed ---------------


def _hash_tree(root: Path) -> dict[str, bytes]:
    """Every file under root (relative, '/'-separated) -> hash of its bytes."""
    out: dict[str, bytes] = {}
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    return out


PARALLEL_MIN_PAGES = 64  # below this, starting workers costs more than it saves
_JOB: tuple | None = None  # what forked workers render: (templates, info, pages, staging root)


def _render_share(share: int, shares: int) -> int:
    templates, info, pages, root = _JOB  # type: ignore[misc]
    env = environment(templates)
    for page in pages[share::shares]:
        target = root / page.out_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render_page(env, info, page).encode("utf-8"))
    return len(pages[share::shares])


class Builder:
    """Builds the site, and rebuilds it after a change re-rendering only what the change touches.

    The first build renders every page (forked workers share the pages, one per
    core). The builder then remembers each content file's hash, the templates'
    and static files' hash, and each page's dependencies (`Page.deps`). A later
    build reloads the content (a plan whose file, source and registries are
    unchanged comes from the plan cache, checked), re-derives (diffs of unchanged
    plan pairs come from the diff cache), and re-renders a page only when it is
    new, its dependencies changed, or one of the files it depends on changed;
    `site.yaml`, templates or static files changing re-renders every page. Pages
    not re-rendered are hard-linked from the output folder into the new one, so
    the write stays atomic. The data files, feeds, sitemap and search index are
    made anew each time (they are whole-site files), unless the build is asked
    for pages only (data=False, the editor's preview): then the last build's data
    files and search index are kept as they were, until a build with data.
    """

    def __init__(self, project: Project, *, drafts: bool = False, plans: PlanCache | None = None,
                 workers: int | None = None, background_cleanup: bool = False):
        self.project = project
        self.drafts = drafts
        self.plans = plans if plans is not None else PlanCache()
        self.diffs = DiffCache()
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self._content: dict[str, bytes] | None = None  # of the last good build
        self._code: dict[str, bytes] | None = None
        self._deps: dict[str, frozenset[str]] = {}  # out path -> deps of each page in the output now
        self._data: set[str] = set()  # the data files and search index in the output now
        self.rendered: set[str] = set()  # out paths of the pages the last build rendered
        self.builds = 0  # successful builds so far
        self.background_cleanup = background_cleanup  # serve: the old output is deleted after the swap

    def build(self, *, search: bool = True, data: bool = True) -> BuildResult:
        project = self.project
        check_project(project)
        content = _hash_tree(project.content)
        code = {**{"templates/" + k: v for k, v in _hash_tree(project.templates).items()},
                **{"static/" + k: v for k, v in _hash_tree(project.static).items()}}
        site, idx, pages, left_out = _prepare(project, self.drafts, self.plans, self.diffs)
        if self._content is None or self._code != code or content.get("site.yaml") != self._content.get("site.yaml"):
            changed = None  # everything
        else:
            changed = {k for k in content.keys() | self._content.keys() if content.get(k) != self._content.get(k)}
        render, keep = [], []
        for p in pages:
            rel = str(p.out_path)
            if changed is None or self._deps.get(rel) != p.deps or p.deps & changed \
                    or not (project.out / rel).is_file():
                render.append(p)
            else:
                keep.append(rel)
        staging = Staging(project.out, project.static)
        try:
            self._render(site, render, staging.root)
            for rel in keep:
                staging.link(rel)
            for rel, body in iter_extra_files(project, site, idx, pages, data=False, sources=False):
                staging.write(rel, body)
            for name in sorted({p.source.file for p in site.plans if p.source}):
                rel, src = str(urls.output_path(urls.source(name))), f"sources/{name}"
                if changed is not None and src not in changed and (project.out / rel).is_file():
                    staging.link(rel)  # a published text, unchanged since the last build
                else:
                    staging.write(rel, (project.content / src).read_bytes())
            if data:
                made = set()
                for rel, body in iter_data_outputs(site, idx):
                    staging.write(rel, body)
                    made.add(rel)
            else:
                made = {rel for rel in self._data if (project.out / rel).is_file()}
                for rel in made:
                    staging.link(rel)
            if search and data:  # it reads the pages back from the staging folder
                for rel, body in search_files(pages, _Overlay({}, staging.root)).items():
                    staging.write(rel, body)
                    made.add(rel)
            staging.commit(background_cleanup=self.background_cleanup)
        except BaseException:
            staging.abort()
            raise
        self._content, self._code = content, code
        self._deps = {str(p.out_path): p.deps for p in pages}
        self._data = made
        self.builds += 1
        self.rendered = {str(p.out_path) for p in render}
        return _result(site, pages, left_out, len(render))

    def _render(self, site: Site, pages: list[Page], root: Path) -> None:
        global _JOB
        shares = self.workers if len(pages) >= PARALLEL_MIN_PAGES and _can_fork() else 1
        _JOB = (self.project.templates, site.info, pages, root)
        try:
            if shares == 1:
                _render_share(0, 1)
                return
            # Forked workers inherit the pages as they are (nothing is pickled but two ints);
            # each writes its share straight into the staging folder.
            with multiprocessing.get_context("fork").Pool(shares) as pool:
                pool.starmap(_render_share, [(i, shares) for i in range(shares)])
        finally:
            _JOB = None


class _Overlay(Mapping):
    """The files in memory, and the rendered pages read back from staging (what the search index reads)."""

    def __init__(self, files: dict[str, bytes], root: Path):
        self.files, self.root = files, root

    def __getitem__(self, rel: str) -> bytes:
        if rel in self.files:
            return self.files[rel]
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            raise KeyError(rel) from None

    def __iter__(self):
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def _can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()
