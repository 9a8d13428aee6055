"""The pipeline in one place: load → validate → derive → pages → render → write."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.build.write import Staging, put
from sitegen.common.diagnostics import ContentError, Diagnostic
from sitegen.common.filehash import FileHashes
from sitegen.common.gcpause import paused, worker_start
from sitegen.common.project import Project
from sitegen.content.load import display_path
from sitegen.content.model import Site, Status
from sitegen.content import PlanCache, load_site
from sitegen.diff import to_json
from sitegen.outputs import Joined, Output
from sitegen.outputs.data import data_outputs
from sitegen.outputs.feeds import feed_list, feed_outputs
from sitegen.outputs.filters import filters_css
from sitegen.outputs.redirects import redirects
from sitegen.outputs.search import search_files
from sitegen.outputs.sitemap import robots, sitemap
from sitegen.outputs.sqlite import sqlite_bytes
from sitegen.site import urls
from sitegen.site.derive import DiffCache, Indexes, derive
from sitegen.site.pages import Page, build_pages
from sitegen.site.render import environment, render_page

FILTERS_CSS = "filters.css"  # generated, next to the hand-written stylesheet


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
    static = assets(project, site)  # before rendering: the pages link the fingerprinted copies
    env = environment(project.templates)
    files = {str(p.out_path): render_page(env, site.info, p).encode("utf-8") for p in pages}
    files.update(extra_files(project, site, idx, pages, static))
    return files, _result(site, idx, pages, left_out, len(pages)), pages


def _prepare(project: Project, drafts: bool, plans: PlanCache | None = None, diffs: DiffCache | None = None,
             parallel: bool = True):
    with paused(freeze=True):
        loaded = load_site(project.content, plans, parallel)
        site = published(loaded.site, drafts)
        left_out = len(loaded.site.plans) - len(site.plans)
        idx = derive(site, diffs)
        pages = build_pages(site, idx, site.about)
    return site, idx, pages, left_out


def _result(site: Site, idx: Indexes, pages: list[Page], left_out: int, rendered: int) -> BuildResult:
    measures = sum(len(placed) for placed in idx.placed.values())
    return BuildResult(len(site.plans), measures, len(pages), left_out, rendered)


def extra_files(project: Project, site: Site, idx: Indexes, pages: list[Page],
                static: dict[str, bytes]) -> dict[str, bytes]:
    return dict(iter_extra_files(project, site, idx, pages, static))


def iter_extra_files(project: Project, site: Site, idx: Indexes, pages: list[Page], static: dict[str, bytes],
                     data: bool = True, sources: bool = True) -> Iterator[tuple[str, bytes]]:
    """The files besides the pages, one at a time (`static`: what assets() made); without data,
    only the quick ones (not the data files, SQLite and feeds)."""
    base = site.info.base_url
    listed = [p.url for p in pages if p.url != urls.not_found()]
    yield str(urls.output_path(urls.sitemap())), sitemap(base, listed)
    yield str(urls.output_path(urls.robots())), robots(base)
    yield from static.items()
    yield "_redirects", redirects(site).encode("utf-8")
    # The published texts, so every plan links to what it was transcribed from.
    for name in sorted({p.source.file for p in site.plans if p.source} if sources else ()):
        yield str(urls.output_path(urls.source(name))), (project.content / "sources" / name).read_bytes()
    if data:
        outputs, joined = site_outputs(site, idx)
        files = {o.rel: o.make() for o in outputs}
        for j in joined:
            files[j.rel] = b"".join(j.chunks(files.__getitem__))
        yield from files.items()


def assets(project: Project, site: Site) -> dict[str, bytes]:
    """The fingerprinted copies of the static files and filters.css (assets/<stem>.<hash><ext>),
    and filters.css beside the static files, as output path -> bytes; pages link the
    fingerprinted copies from now on (urls.static)."""
    files = {path.relative_to(project.static).as_posix(): path.read_bytes()
             for path in sorted(project.static.rglob("*")) if path.is_file()} if project.static.is_dir() else {}
    files[FILTERS_CSS] = filters_css(site)
    names = {}
    for name, body in files.items():
        stem, dot, ext = name.rpartition(".")
        digest = hashlib.blake2b(body, digest_size=5).hexdigest()
        names[name] = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
    urls.use_assets(names)
    out = {str(urls.output_path(urls.static(name))): body for name, body in files.items()}
    out[str(urls.output_path(urls.static_file(FILTERS_CSS)))] = files[FILTERS_CSS]
    return out


def site_outputs(site: Site, idx: Indexes) -> tuple[list[Output], list[Joined]]:
    """The data behind the pages, the SQLite file and the feeds (docs/data.md), each made when
    asked; each diff's document too."""
    diffs = [(spec, functools.partial(_diff_json, idx, spec)) for spec in idx.diffs]
    feeds = feed_list(site, idx)
    outputs, joined = data_outputs(site, idx, diffs=diffs, feeds=[f.url for f in feeds])
    outputs.append(Output(str(urls.output_path(urls.data_all("sqlite"))),
                          functools.partial(sqlite_bytes, site, idx), weight=1000))
    outputs += feed_outputs(site, idx, feeds)
    return outputs, joined


def build(project: Project, *, drafts: bool = False, search: bool = True,
          cache: PlanCache | None = None) -> BuildResult:
    """Render, index for search (unless search=False), then write atomically.

    The index is made before the swap, so a failed Pagefind run leaves the
    previous output as it was.
    """
    return Builder(project, drafts=drafts, plans=cache).build(search=search)


# -- the builder: full builds across both cores, and rebuilds of only what changed ---------------


def _hash_tree(root: Path, hashes: FileHashes) -> dict[str, bytes]:
    """Every file under root (relative, '/'-separated) -> hash of its bytes."""
    out: dict[str, bytes] = {}
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = hashes.file(path)
    return out


PARALLEL_MIN_ITEMS = 400  # below this, forking a big process costs more than it saves (a one-plan rebuild is ~110 pages)
CHUNKS_PER_WORKER = 16  # work is handed out in this many pieces per worker, so both finish together
_JOB: tuple | None = None  # what forked workers make: (environment, info, items, staging root, diff cache)


def _diff_json(idx: Indexes, spec) -> dict:
    return to_json(idx.diff(spec))


def _make_range(start: int, stop: int) -> int:
    """Render the pages and make the data files items[start:stop], straight into the staging folder."""
    env, info, items, root, _ = _JOB  # type: ignore[misc]
    for item in items[start:stop]:
        if isinstance(item, Page):
            rel, body = str(item.out_path), render_page(env, info, item).encode("utf-8")
        else:
            rel, body = item.rel, item.make()
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        put(target, body)
    return stop - start


class Builder:
    """Builds the site, and rebuilds it after a change remaking only what the change touches.

    The first build renders every page and makes every data file, forked workers
    sharing the work (one per core). The builder then remembers each content file's
    hash, the templates' and static files' hash, and what each page and data file
    depends on (`Page.deps`, `Output.deps`). A later build reloads the content (a
    plan whose file, source and registries are unchanged comes from the plan cache,
    checked), re-derives (diffs of unchanged plan pairs come from the diff cache),
    and remakes a page or data file only when it is new, its dependencies changed, or
    one of the files it depends on changed; `site.yaml`, templates or static files
    changing re-renders every page. What is not remade is hard-linked from the output
    folder into the new one, so the write stays atomic. Whole-site files (SQLite,
    feeds, index.json, the all-plans files joined from the per-plan ones, the search
    index) are made anew by every build with data; a build asked for pages only
    (data=False, the editor's preview) keeps the last build's data files and search
    index as they were, until a build with data.
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
        self._deps: dict[str, frozenset[str] | None] = {}  # out path -> deps of each page and data file now
        self._data: set[str] = set()  # the data files and search index in the output now
        self._data_content: dict[str, bytes] | None = None  # content as the data files in the output read it
        self._files: set[str] | None = None  # every file in the output now
        self._env = None  # the Jinja environment, while the templates are unchanged
        self.rendered: set[str] = set()  # out paths of the pages the last build rendered
        self.made: set[str] = set()  # out paths of the data files the last build made (not linked)
        self.builds = 0  # successful builds so far
        self.background_cleanup = background_cleanup  # serve: the old output is deleted after the swap

    def build(self, *, search: bool = True, data: bool = True) -> BuildResult:
        project = self.project
        check_project(project)
        content = _hash_tree(project.content, self.plans.hashes)
        code = {**{"templates/" + k: v for k, v in _hash_tree(project.templates, self.plans.hashes).items()},
                **{"static/" + k: v for k, v in _hash_tree(project.static, self.plans.hashes).items()}}
        site, idx, pages, left_out = _prepare(project, self.drafts, self.plans, self.diffs, self.workers > 1)
        static = assets(project, site)  # before rendering: the pages link the fingerprinted copies
        if self._code != code:
            self._env = None
        if self._content is None or self._code != code or content.get("site.yaml") != self._content.get("site.yaml"):
            changed = None  # everything
        else:
            changed = {k for k in content.keys() | self._content.keys() if content.get(k) != self._content.get(k)}

        # The data files are as of the last build with data, which may be older than the pages.
        data_changed = None if self._data_content is None else \
            {k for k in content.keys() | self._data_content.keys() if content.get(k) != self._data_content.get(k)}

        # What the output holds: as the last build left it (one set lookup a file, not a stat), unless
        # the folder went away since.
        present = self._files if self._files is not None and project.out.is_dir() else None

        def exists(rel: str) -> bool:
            return rel in present if present is not None else (project.out / rel).is_file()

        def stale(rel: str, deps: frozenset[str] | None, changed: set[str] | None) -> bool:
            return (changed is None or deps is None or self._deps.get(rel, ()) != deps or bool(deps & changed)
                    or not exists(rel))

        outputs, joined = site_outputs(site, idx) if data else ([], [])
        render = [p for p in pages if stale(str(p.out_path), p.deps, changed)]
        make = [o for o in outputs if stale(o.rel, o.deps, data_changed)]
        # A first build, or one after a template, static file or site.yaml changed, fills a new folder
        # and swaps it in. A rebuild (sitegen serve) makes only what changed in a side folder, then moves
        # each file into place and deletes what is gone: linking the thousands of unchanged files into
        # a new folder, and deleting the old one, cost more than the rebuild itself at 1,000 plans.
        patch = changed is not None and present is not None
        staging = Staging(project.out, None if patch else project.static, reuse=not patch)
        out = project.out

        def read(rel: str) -> bytes:  # a file of the new output: made now, else kept from the last build
            target = staging.root / rel
            return (target if not patch or target.is_file() else out / rel).read_bytes()

        files = {str(p.out_path) for p in pages} | {k for k in code if k.startswith("static/")}
        try:
            self._make(site, idx, render, make, staging.root)
            staging.written.update([str(p.out_path) for p in render] + [o.rel for o in make])
            if not patch:
                for rel in [str(p.out_path) for p in pages if not stale(str(p.out_path), p.deps, changed)] + \
                        [o.rel for o in outputs if not stale(o.rel, o.deps, data_changed)]:
                    staging.link(rel)
            for rel, body in iter_extra_files(project, site, idx, pages, static, data=False, sources=False):
                staging.write(rel, body)
                files.add(rel)
            for name in sorted({p.source.file for p in site.plans if p.source}):
                rel, src = str(urls.output_path(urls.source(name))), f"sources/{name}"
                files.add(rel)
                if changed is not None and src not in changed and exists(rel):
                    if not patch:
                        staging.link(rel)  # a published text, unchanged since the last build
                else:
                    staging.write(rel, (project.content / src).read_bytes())
            if data:
                for j in joined:  # the per-plan files are made (or kept) now
                    staging.write_chunks(j.rel, j.chunks(read))
                made = {o.rel for o in outputs} | {j.rel for j in joined}
            else:
                made = {rel for rel in self._data if exists(rel)}
                if not patch:
                    for rel in made:
                        staging.link(rel)
            if search and data:  # it reads the pages back from the new output
                for rel, body in search_files(pages, _Written(read), workers=self._workers_for(len(pages))).items():
                    staging.write(rel, body)
                    made.add(rel)
            files |= made
            if patch:
                staging.patch(self._files - files)  # type: ignore[operator]
            else:
                staging.commit(background_cleanup=self.background_cleanup)
        except BaseException:
            staging.abort()
            raise
        self._files = files
        self._content, self._code = content, code
        if data:
            self._data_content = content
        deps: dict[str, frozenset[str] | None] = {str(p.out_path): p.deps for p in pages}
        if data:
            deps.update((o.rel, o.deps) for o in outputs)
        else:  # the data files kept from the last build keep what they depend on
            deps.update((rel, d) for rel, d in self._deps.items() if rel in made)
        self._deps = deps
        self._data = made
        self.builds += 1
        self.rendered = {str(p.out_path) for p in render}
        self.made = {o.rel for o in make}
        return _result(site, idx, pages, left_out, len(render))

    def _workers_for(self, items: int) -> int:
        return self.workers if items >= PARALLEL_MIN_ITEMS and _can_fork() else 1

    def _make(self, site: Site, idx: Indexes, pages: list[Page], outputs: list[Output], root: Path) -> None:
        global _JOB
        items = _ordered(pages, outputs)
        # Pages that read every diff's summary come after the pages that make the diffs, in this process.
        late = [i for i in items if isinstance(i, Page) and i.late]
        if late:
            items = [i for i in items if not (isinstance(i, Page) and i.late)]
        workers = self._workers_for(len(items))
        if self._env is None:
            # One environment a session, its templates compiled before the fork: every worker and
            # every rebuild uses them as they are (compiling them is a good part of a small rebuild).
            self._env = environment(self.project.templates)
            for name in self._env.list_templates(extensions=["html"]):
                self._env.get_template(name)
        _JOB = (self._env, site.info, items, root, idx.diff_cache)
        try:
            if workers == 1:
                _make_range(0, len(items))
            else:
                # Forked workers inherit the items as they are (nothing is pickled but two ints a
                # piece, and the summaries of the diffs made); each piece is written straight into
                # the staging folder.
                pieces = _pieces(items, max(1, len(items) // (workers * CHUNKS_PER_WORKER)))
                with multiprocessing.get_context("fork").Pool(workers, worker_start) as pool:
                    for summaries in pool.imap_unordered(_star_make_range, pieces):
                        idx.diff_cache.add_summaries(summaries)
            _JOB = (self._env, site.info, late, root, idx.diff_cache)
            _make_range(0, len(late))
        finally:
            _JOB = None


HEAVY = 100  # an Output this heavy (SQLite: seconds) is made first, so no worker is left with it at the end


def _ordered(pages: list[Page], outputs: list[Output]) -> list[Page | Output]:
    """The heavy data files first, then the whole-site pages and files, then each district's
    pages and files together: they show the same measures, and a worker makes each measure's
    view, HTML and rows once for all of them (memo.DistrictMemo)."""
    heavy = sorted((o for o in outputs if o.weight >= HEAVY), key=lambda o: -o.weight)
    rest: list[Page | Output] = [o for o in outputs if o.weight < HEAVY] + pages
    return heavy + [i for i in rest if not i.group] + sorted((i for i in rest if i.group), key=lambda i: i.group)


def _pieces(items: list[Page | Output], step: int) -> list[tuple[int, int]]:
    """items cut into ranges of about `step`, each cut between two districts, never inside one."""
    pieces, start = [], 0
    for i in range(1, len(items)):
        if i - start >= step and (not items[i].group or items[i].group != items[i - 1].group):
            pieces.append((start, i))
            start = i
    if items:
        pieces.append((start, len(items)))
    return pieces


def _star_make_range(piece: tuple[int, int]) -> dict:
    """A worker's piece; what it hands back: the summaries of the diffs it made. The diffs
    themselves are dropped: a piece holds whole districts, so no later piece needs them (but for
    an editor's comparison of two districts, made again by the other district's piece)."""
    _make_range(*piece)
    return _JOB[4].drain()  # type: ignore[index]


class _Written(Mapping):
    """The new output's files by path, read when asked (what the search index reads)."""

    def __init__(self, read: Callable[[str], bytes]):
        self.read = read

    def __getitem__(self, rel: str) -> bytes:
        try:
            return self.read(rel)
        except OSError:
            raise KeyError(rel) from None

    def __iter__(self):
        return iter(())  # not listed: the search index asks for its pages by path

    def __len__(self) -> int:
        return 0


def _can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


