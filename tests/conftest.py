"""Fixtures shared by the test modules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path) -> Path:
    """A private copy of the project's content, free to break."""
    dst = tmp_path / "content"
    shutil.copytree(ROOT / "content", dst)
    return dst


def next_year(content: Path, district: str) -> int:
    """The first year after the district's latest plan: where `sitegen new` can start one
    (content/ may already hold a draft an editor made)."""
    return max(int(p.stem) for p in (content / "plans" / district).glob("*.y*ml")) + 1
