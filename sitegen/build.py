"""The pipeline in one place: load → validate → derive → pages → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import urls
from .derive import derive
from .model import Site
from .outputs.search import search_files
from .outputs.sitemap import robots, sitemap
from .pages import Page, build_pages
from .render import environment, render_page
from .validate import load_site
from .write import write_site


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


def render_site(project: Project) -> tuple[dict[str, bytes], BuildResult]:
    """Everything the site is but its search index, as output path -> bytes; raises ContentError on bad content."""
    files, result, _ = _render(project)
    return files, result


def _render(project: Project) -> tuple[dict[str, bytes], BuildResult, list[Page]]:
    site = load_site(project.content).site
    pages = build_pages(site, derive(site), site.about)
    env = environment(project.templates)
    files = {str(p.out_path): render_page(env, site.info, p).encode("utf-8") for p in pages}
    files.update(extra_files(project, site, pages))
    measures = sum(len(p.measures()) for p in site.plans)
    return files, BuildResult(len(site.plans), measures, len(pages)), pages


def extra_files(project: Project, site: Site, pages: list[Page]) -> dict[str, bytes]:
    base = site.info.base_url
    listed = [p.url for p in pages if p.url != urls.not_found()]
    files = {str(urls.output_path(urls.sitemap())): sitemap(base, listed),
             str(urls.output_path(urls.robots())): robots(base)}
    # The published texts, so every plan links to what it was transcribed from.
    for name in sorted({p.source.file for p in site.plans if p.source}):
        files[str(urls.output_path(urls.source(name)))] = (project.content / "sources" / name).read_bytes()
    return files


def build(project: Project, search: bool = True) -> BuildResult:
    """Render, index for search (unless search=False), then write atomically.

    The index is made before anything is written, so a failed Pagefind run
    leaves the previous output as it was.
    """
    files, result, pages = _render(project)
    if search:
        files.update(search_files(pages, files))
    write_site(project.out, files, project.static)
    return result
