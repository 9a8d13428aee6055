"""Write the rendered site atomically.

Pages go to a fresh sibling folder; only when every page is written is it
swapped into place, so a failed build leaves the last good output untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_site(out: Path, files: dict[str, bytes], static: Path | None = None) -> None:
    """Replace out/ with exactly these files (paths relative to out, '/'-separated)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        if static is not None and static.is_dir():
            shutil.copytree(static, staging / "static", dirs_exist_ok=True)
        for rel, data in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    # Two renames: the old output exists until the new one is complete, and
    # the window with neither is two syscalls long.
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
