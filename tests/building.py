"""Building a site in a test: through the real pipeline (`sitegen.build.build`), in one process
so the output is deterministic, and every file it wrote read back."""

from __future__ import annotations

from pathlib import Path

from sitegen.build import build
from sitegen.build.pipeline import prepare
from sitegen.common.project import Project
from sitegen.site.derive import DiffCache
from sitegen.site.pages import Page

ROOT = Path(__file__).resolve().parent.parent


def project_in(folder: Path, content: Path) -> Project:
    """The project's templates and static files, this content, its output in folder/public."""
    return Project(content, folder / "public", ROOT / "templates", ROOT / "static")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root by its '/'-separated path, as bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build_files(project: Project, *, drafts: bool = False, search: bool = False) -> dict[str, bytes]:
    """Build the site (without its search index unless asked) and return what it wrote."""
    build(project, drafts=drafts, search=search, workers=1)
    return tree(project.out)


def pages_of(project: Project, *, drafts: bool = False) -> list[Page]:
    """The pages a build of project renders (what the search index and the workers are given)."""
    return prepare(project, drafts, None, DiffCache(), parallel=False).pages
