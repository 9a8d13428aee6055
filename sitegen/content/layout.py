"""Where things are in a content folder: the registries, the plans, the optional files."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from pydantic import BaseModel

from sitegen.content.model import AgencyKind, District, Metric, Theme

# Every site has these four; a plan is checked against them.
REGISTRIES: MappingProxyType[str, type[BaseModel]] = MappingProxyType({
    "districts.yaml": District,
    "agencies.yaml": AgencyKind,
    "themes.yaml": Theme,
    "metrics.yaml": Metric,
})
PLANS = "plans"  # plans/<district>/<year>.yaml
SOURCES = "sources"  # the published texts the plans name in `source.file`
PLAN_SUFFIXES = (".yaml", ".yml")
SITE_FILE = "site.yaml"  # optional: the site's title, description and address
ABOUT_FILE = "pages/about.md"  # optional: the about page, Markdown
COMPARISONS = "comparisons.yaml"  # optional: editor-configured diffs of any two plans


def plan_files(content: Path) -> list[Path]:
    """Every plan file under content/plans/, sorted."""
    root = content / PLANS
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in PLAN_SUFFIXES and p.is_file())


def plan_file_keys(files: list[Path]) -> set[tuple[str, int]]:
    """(district folder, year) of every plan file named as one, loaded or not."""
    return {(p.parent.name, int(p.stem)) for p in files if p.stem.isascii() and p.stem.isdigit()}
