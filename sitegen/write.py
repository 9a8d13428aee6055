"""Write the rendered site atomically.

Pages go to a fresh sibling folder; only when every page is written is it
swapped into place, so a failed build leaves the last good output untouched.
A rebuild hard-links the pages it did not re-render from the current output
into the new folder (a link costs a directory entry, not a copy).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path


class Staging:
    """The next output folder, filled file by file, then swapped in for out/."""

    def __init__(self, out: Path, static: Path | None = None):
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        self._dirs: set[Path] = set()
        # Static files first: a generated file of the same name (filters.css) is written over them.
        if static is not None and static.is_dir():
            try:
                shutil.copytree(static, self.root / "static", dirs_exist_ok=True)
            except BaseException:
                self.abort()
                raise

    def _parent(self, target: Path) -> None:
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)

    def write(self, rel: str, data: bytes) -> None:
        target = self.root / rel
        self._parent(target)
        target.write_bytes(data)

    def write_chunks(self, rel: str, chunks) -> None:
        """A big file written as it is made, never held whole in memory."""
        target = self.root / rel
        self._parent(target)
        with open(target, "wb") as f:
            for chunk in chunks:
                f.write(chunk)

    def link(self, rel: str) -> None:
        """The current output's file, unchanged, into the new folder."""
        target = self.root / rel
        self._parent(target)
        if target.exists():
            target.unlink()
        try:
            os.link(self.out / rel, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(self.out / rel, target)

    def commit(self, *, background_cleanup: bool = False) -> None:
        """Swap the new folder in; the old one is deleted after (in a thread if asked: a big
        site's old output takes seconds to delete, and nothing waits for it)."""
        _swap(self.root, self.out, background_cleanup)

    def patch(self, gone: set[str]) -> None:
        """Move every file made here into the output, in place of its old version, and delete the
        files that are gone; each file is replaced atomically (a reader sees the old page or the new,
        never half of one), and nothing in the output changes before everything was made."""
        for dirpath, _, filenames in os.walk(self.root):
            rel_dir = Path(dirpath).relative_to(self.root)
            for name in filenames:
                target = self.out / rel_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(Path(dirpath) / name, target)
        parents = set()
        for rel in sorted(gone):
            target = self.out / rel
            target.unlink(missing_ok=True)
            parents.add(target.parent)
        for folder in sorted(parents, key=lambda p: len(p.parts), reverse=True):  # deepest first
            while folder != self.out and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shutil.rmtree(self.root, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_site(out: Path, files: dict[str, bytes], static: Path | None = None) -> None:
    """Replace out/ with exactly these files (paths relative to out, '/'-separated)."""
    staging = Staging(out, static)
    try:
        for rel, data in sorted(files.items()):
            staging.write(rel, data)
        staging.commit()
    except BaseException:
        staging.abort()
        raise


def _swap(staging: Path, out: Path, background_cleanup: bool = False) -> None:
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
        if background_cleanup:
            threading.Thread(target=shutil.rmtree, args=(old, True), name="sitegen-cleanup").start()
        else:
            shutil.rmtree(old, ignore_errors=True)
