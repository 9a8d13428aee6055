"""The build, stage by stage.

check the project → load and check the content → leave drafts out → derive
the indexes → list the pages → the static files → render the pages and make
the data files (forked workers share them) → the other files → the search
index → swap the new output in.

Each stage is a function given what it needs. `build()` runs them all for a
whole site; the incremental rebuild (incremental.py) runs the same functions
on what a change touched.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.build.write import NewFolder, Staging, put
from sitegen.common.diagnostics import ContentError, Diagnostic
from sitegen.common.gcpause import paused
from sitegen.common.parallel import can_fork, cores, fork_map
from sitegen.common.project import Project
from sitegen.content import PlanCache, load_site
from sitegen.content.load import display_path
from sitegen.content.model import Site, Status
from sitegen.diff import to_json
from sitegen.outputs import Joined, Output
from sitegen.outputs.assets import Assets, assets
from sitegen.outputs.data import data_outputs
from sitegen.outputs.feeds import feed_list, feed_outputs
from sitegen.outputs.redirects import redirects
from sitegen.outputs.search import search_files
from sitegen.outputs.sitemap import robots, sitemap
from sitegen.outputs.sqlite import sqlite_bytes
from sitegen.site import urls
from sitegen.site.derive import DiffCache, Indexes, derive
from sitegen.site.pages import Page, build_pages
from sitegen.site.render import environment, render_page

# Below this, forking a big process costs more than it saves (a one-plan rebuild is ~110 pages).
PARALLEL_MIN_ITEMS = 400
CHUNKS_PER_WORKER = 16  # work is handed out in this many pieces per worker, so both finish together
HEAVY = 100  # an Output this heavy (SQLite: seconds) is made first, so no worker is left with it at the end


@dataclass(frozen=True)
class BuildResult:
    plans: int
    measures: int
    pages: int
    drafts_left_out: int = 0
    rendered: int = 0  # pages rendered by this build; the others were kept from the last one


@dataclass(frozen=True)
class Prepared:
    """The site as it will be built: the published plans, their indexes, the pages to render."""

    site: Site
    idx: Indexes
    pages: list[Page]
    drafts_left_out: int

    def result(self, rendered: int) -> BuildResult:
        measures = sum(len(placed) for placed in self.idx.placed.values())
        return BuildResult(len(self.site.plans), measures, len(self.pages), self.drafts_left_out, rendered)


def build(project: Project, *, drafts: bool = False, search: bool = True, cache: PlanCache | None = None,
          workers: int | None = None) -> BuildResult:
    """Build the whole site into a new folder and swap it in for project.out; raises ContentError
    on bad content, and then (as on any failure) the last output stays as it was. The search index
    (unless search=False) is made before the swap, so a failed Pagefind run changes nothing either."""
    check_project(project)
    workers = cores() if workers is None else workers
    # The site model lives until the command ends: frozen, it is never scanned by the collector
    # again, and forked workers share its memory pages instead of copying them.
    with paused(freeze=True):
        prepared = prepare(project, drafts, cache, DiffCache(), parallel=workers > 1)
    static = assets(project.static, prepared.site)
    env = templates(project.templates, static)
    outputs, joined = data_files(prepared.site, prepared.idx)
    with Staging(project.out) as staging:
        render_and_make(env, prepared, prepared.pages, outputs, staging, workers)
        staging.write_all(other_files(prepared.site, prepared.pages, static))
        staging.copy_all(published_texts(project, prepared.site))
        for j in joined:
            staging.write_chunks(j.rel, j.chunks(staging.read))
        if search:
            # The search stage decides whether its pages are worth the workers' forks.
            staging.write_all(search_files(prepared.pages, staging.files(), workers=workers))
        staging.commit()
    return prepared.result(rendered=len(prepared.pages))


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


def prepare(project: Project, drafts: bool, plans: PlanCache | None, diffs: DiffCache, *,
            parallel: bool) -> Prepared:
    """Load and check the content (ContentError if it is bad), leave drafts out, derive the
    indexes, list the pages. `plans` and `diffs` hand back what an earlier build checked and
    diffed, for the files that did not change."""
    loaded = load_site(project.content, plans, parallel)
    site = published(loaded.site, drafts)
    idx = derive(site, diffs)
    pages = build_pages(site, idx, site.about)
    return Prepared(site, idx, pages, len(loaded.site.plans) - len(site.plans))


def published(site: Site, drafts: bool = False) -> Site:
    """The site as built: 草稿 plans are left out unless drafts are wanted (as Hugo's --buildDrafts)."""
    if drafts:
        return site
    plans = tuple(p for p in site.plans if p.status is not Status.draft)
    keys = {p.key for p in plans}
    # A configured comparison waits until both its plans are published.
    comparisons = tuple(c for c in site.comparisons if c.old in keys and c.new in keys)
    return site.model_copy(update={"plans": plans, "comparisons": comparisons})


def templates(folder: Path, static: Assets) -> jinja2.Environment:
    """The template environment, its pages linking the static files' fingerprinted copies, with
    every template compiled now: before a fork, so each worker uses them as they are."""
    env = environment(folder)
    env.globals["urls"] = urls.for_templates(static.names)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return env


def data_files(site: Site, idx: Indexes) -> tuple[list[Output], list[Joined]]:
    """The data behind the pages, the SQLite file, the feeds and each diff's document
    (docs/data.md), each made when asked; the whole-site files joined from per-plan ones."""
    diffs = [(spec, functools.partial(_diff_json, idx, spec)) for spec in idx.diffs]
    feeds = feed_list(site, idx)
    outputs, joined = data_outputs(site, idx, diffs=diffs, feeds=[f.url for f in feeds])
    outputs.append(Output(str(urls.output_path(urls.data_all("sqlite"))),
                          functools.partial(sqlite_bytes, site, idx), weight=1000))
    outputs += feed_outputs(site, idx, feeds)
    return outputs, joined


def _diff_json(idx: Indexes, spec) -> dict:
    return to_json(idx.diff(spec))


def render_and_make(env: jinja2.Environment, prepared: Prepared, pages: list[Page], outputs: list[Output],
                    folder: NewFolder, workers: int) -> None:
    """Render these pages and make these data files straight into the folder, shared between
    forked workers when there are enough of them to pay for the forks."""
    info, cache, root = prepared.site.info, prepared.idx.diff_cache, folder.root
    items = ordered(pages, outputs)
    # Pages that read every diff's summary come after the pages that make the diffs, in this process.
    late = [i for i in items if isinstance(i, Page) and i.late]
    items = [i for i in items if not (isinstance(i, Page) and i.late)]
    parent = os.getpid()

    def make(piece: tuple[int, int]) -> dict:
        for item in items[piece[0]:piece[1]]:
            _write_item(env, info, item, root)
        # A worker sends back the summaries of the diffs it made, and drops the diffs: a piece
        # holds whole districts, so no later piece needs them.
        return cache.drain() if os.getpid() != parent else {}

    workers = workers if len(items) >= PARALLEL_MIN_ITEMS and can_fork() else 1
    step = max(1, len(items) // (workers * CHUNKS_PER_WORKER))
    cut = pieces(items, step) if workers > 1 else [(0, len(items))]
    for summaries in fork_map(make, cut, workers):
        cache.add_summaries(summaries)
    for item in late:
        _write_item(env, info, item, root)
    folder.made([str(p.out_path) for p in pages] + [o.rel for o in outputs])


def _write_item(env: jinja2.Environment, info, item: Page | Output, root: Path) -> None:
    if isinstance(item, Page):
        rel, body = str(item.out_path), render_page(env, info, item).encode("utf-8")
    else:
        rel, body = item.rel, item.make()
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    put(target, body)


def ordered(pages: list[Page], outputs: list[Output]) -> list[Page | Output]:
    """The heavy data files first, then the whole-site pages and files, then each district's
    pages and files together: they show the same measures, and a worker makes each measure's
    view, HTML and rows once for all of them (memo.DistrictMemo)."""
    heavy = sorted((o for o in outputs if o.weight >= HEAVY), key=lambda o: -o.weight)
    rest: list[Page | Output] = [o for o in outputs if o.weight < HEAVY] + pages
    return heavy + [i for i in rest if not i.group] + sorted((i for i in rest if i.group), key=lambda i: i.group)


def pieces(items: list[Page | Output], step: int) -> list[tuple[int, int]]:
    """items cut into ranges of about `step`, each cut between two districts, never inside one."""
    cut, start = [], 0
    for i in range(1, len(items)):
        if i - start >= step and (not items[i].group or items[i].group != items[i - 1].group):
            cut.append((start, i))
            start = i
    if items:
        cut.append((start, len(items)))
    return cut


def other_files(site: Site, pages: list[Page], static: Assets) -> Iterator[tuple[str, bytes]]:
    """The sitemap, robots.txt, both copies of every static file, and _redirects."""
    base = site.info.base_url
    listed = [p.url for p in pages if p.url != urls.not_found()]
    yield str(urls.output_path(urls.sitemap())), sitemap(base, listed)
    yield str(urls.output_path(urls.robots())), robots(base)
    yield from static.files.items()
    yield "_redirects", redirects(site).encode("utf-8")


def published_texts(project: Project, site: Site) -> dict[str, Path]:
    """The texts the plans were transcribed from (content/sources/), by output path, so every
    plan links to its source."""
    names = sorted({p.source.file for p in site.plans if p.source})
    return {str(urls.output_path(urls.source(name))): project.content / "sources" / name for name in names}
