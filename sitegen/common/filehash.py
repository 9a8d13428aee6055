"""File hashes, remembered by the file's stat signature.

A rebuild asks for the hash of every content file (about 2,000 at 1,000 plans); one
unchanged since the last call (same size, modification time to the nanosecond, inode)
is not read again: the test make and git's index use. A save always moves the
modification time, so an edited file is always read. Whoever keeps a FileHashes
(the plan cache, for as long as it lives) decides how long the memory lasts.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

Signature = tuple[int, int, int]


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class FileHashes:
    def __init__(self) -> None:
        self._known: dict[str, tuple[Signature, bytes]] = {}

    def file(self, path: Path | str) -> bytes:
        """The hash of a file's bytes (OSError if it cannot be read)."""
        key = os.fspath(path)
        st = os.stat(key)
        sig = (st.st_size, st.st_mtime_ns, st.st_ino)
        hit = self._known.get(key)
        if hit is not None and hit[0] == sig:
            return hit[1]
        with open(key, "rb") as f:
            sha = digest(f.read())
        self._known[key] = (sig, sha)
        return sha

    def known(self, besides: dict | None = None) -> dict[str, tuple[Signature, bytes]]:
        """The hashes known here (but those in `besides`), with the stat signatures they hold for:
        what a worker hands back to the process that forked it."""
        return {k: v for k, v in self._known.items() if besides is None or besides.get(k) != v}

    def add(self, hashes: dict[str, tuple[Signature, bytes]]) -> None:
        """Hashes another process made; each is used only while its file's signature is unchanged."""
        self._known.update(hashes)
