"""The pipeline in one place: load → validate → derive → pages → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import urls
from .derive import Indexes, derive
from .diagnostics import ContentError, Diagnostic
from .diff import to_json
from .load import display_path
from .model import Site, Status
from .outputs.data import data_files
from .outputs.feeds import feed_files, feed_list
from .outputs.filters import filters_css
from .outputs.redirects import redirects
from .outputs.search import search_files
from .outputs.sitemap import robots, sitemap
from .outputs.sqlite import sqlite_file
from .pages import Page, build_pages
from .render import environment, render_page
from .validate import load_site
from .write import write_site


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
    """Everything the site is but its search index, as output path -> bytes; raises ContentError on bad content."""
    files, result, _ = _render(project, drafts)
    return files, result


def _render(project: Project, drafts: bool) -> tuple[dict[str, bytes], BuildResult, list[Page]]:
    check_project(project)
    loaded = load_site(project.content)
    site = published(loaded.site, drafts)
    left_out = len(loaded.site.plans) - len(site.plans)
    idx = derive(site)
    pages = build_pages(site, idx, site.about)
    env = environment(project.templates)
    files = {str(p.out_path): render_page(env, site.info, p).encode("utf-8") for p in pages}
    files.update(extra_files(project, site, idx, pages))
    measures = sum(len(p.measures()) for p in site.plans)
    return files, BuildResult(len(site.plans), measures, len(pages), left_out), pages


def extra_files(project: Project, site: Site, idx: Indexes, pages: list[Page]) -> dict[str, bytes]:
    base = site.info.base_url
    listed = [p.url for p in pages if p.url != urls.not_found()]
    files = {str(urls.output_path(urls.sitemap())): sitemap(base, listed),
             str(urls.output_path(urls.robots())): robots(base),
             str(urls.output_path(urls.static(FILTERS_CSS))): filters_css(site),
             "_redirects": redirects(site).encode("utf-8")}
    # The published texts, so every plan links to what it was transcribed from.
    for name in sorted({p.source.file for p in site.plans if p.source}):
        files[str(urls.output_path(urls.source(name)))] = (project.content / "sources" / name).read_bytes()
    # The data behind the pages and the feeds (docs/data.md).
    diffs = [(spec, to_json(diff)) for spec, diff in idx.diffs]
    files.update(data_files(site, idx, diffs=diffs, feeds=[f.url for f in feed_list(site, idx)]))
    files.update(sqlite_file(site, idx))
    files.update(feed_files(site, idx))
    return files


def build(project: Project, *, drafts: bool = False, search: bool = True) -> BuildResult:
    """Render, index for search (unless search=False), then write atomically.

    The index is made before anything is written, so a failed Pagefind run
    leaves the previous output as it was.
    """
    files, result, pages = _render(project, drafts)
    if search:
        files.update(search_files(pages, files))
    write_site(project.out, files, project.static)
    return result
