"""Where a build reads and writes: a module of its own, so commands that only check content
(`sitegen validate`) start without importing the renderer and its outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
