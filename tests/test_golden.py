"""Golden pages: the built fixture site must match the committed pages byte for byte.

A change to a golden page is made on purpose: rerun with SITEGEN_UPDATE_GOLDEN=1,
read the diff, and say why in the commit message.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from building import build_files, project_in

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "minimal"
GOLDEN = ROOT / "tests" / "golden" / "minimal"


# Copied verbatim from content (sources) or static/ (both copies of its files: the pages pin the
# fingerprinted names, test_build.py their bytes), or binary and tested in test_data.py (the SQLite
# file): not golden. filters.css is made by the build: golden.
NOT_GOLDEN = ("sources/", "assets/", "data/all.sqlite")
STATIC = {"static/" + p.relative_to(ROOT / "static").as_posix() for p in (ROOT / "static").rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    # With drafts: the fixture's 2024 plan is a 草稿, and its page is part of what is pinned.
    files = build_files(project_in(tmp_path_factory.mktemp("golden"), FIXTURE), drafts=True)
    return {k: v for k, v in files.items() if not k.startswith(NOT_GOLDEN) and k not in STATIC}


def test_golden_pages_match(built):
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(built) == sorted(expected), "pages added or removed"
    for rel, data in built.items():
        assert data.decode("utf-8") == expected[rel].decode("utf-8"), f"{rel} differs from its golden copy"
