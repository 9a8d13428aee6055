"""The pipeline in one place: load → validate → derive → pages → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .derive import derive
from .pages import build_pages
from .render import environment, render
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
    """Everything the site is, as output path -> bytes; raises ContentError on bad content."""
    loaded = load_site(project.content)
    site = loaded.site
    pages = build_pages(site, derive(site))
    env = environment(project.templates)
    files = {str(p.out_path): render(env, p.template, p.context).encode("utf-8") for p in pages}
    measures = sum(len(p.measures()) for p in site.plans)
    return files, BuildResult(len(site.plans), measures, len(pages))


def build(project: Project) -> BuildResult:
    files, result = render_site(project)
    write_site(project.out, files, project.static)
    return result
