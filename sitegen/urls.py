"""Every URL and output path of the site, and nothing else decides them.

URLs are built from slugs, years and ids only, never from titles or the
plan's own numbering, so they survive renumbering and rewording.
"""

from __future__ import annotations

from pathlib import PurePosixPath


def home() -> str:
    return "/"


def plan(district: str, year: int) -> str:
    return f"/plans/{district}/{year}/"


def measure(district: str, year: int, measure_id: str) -> str:
    return f"{plan(district, year)}#{measure_id}"


def district(slug: str) -> str:
    return f"/districts/{slug}/"


def output_path(url: str) -> PurePosixPath:
    """Where the page for url is written, relative to the output folder."""
    path = url.split("#", 1)[0].lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return PurePosixPath(path)
