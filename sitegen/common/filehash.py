"""File hashes, remembered by the file's stat signature.

A rebuild asks for the hash of every content file (about 2,000 at 1,000 plans); one
unchanged since the last call (same size, modification time to the nanosecond, inode)
is not read again: the test make and git's index use. A save always moves the
modification time, so an edited file is always read.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_memo: dict[str, tuple[tuple[int, int, int], bytes]] = {}


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def file_digest(path: Path | str) -> bytes:
    """The hash of a file's bytes (OSError if it cannot be read)."""
    key = os.fspath(path)
    st = os.stat(key)
    sig = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _memo.get(key)
    if hit is not None and hit[0] == sig:
        return hit[1]
    with open(key, "rb") as f:
        sha = digest(f.read())
    _memo[key] = (sig, sha)
    return sha


def remembered(besides: dict | None = None) -> dict:
    """The hashes known here (but those in `besides`), with the stat signatures they hold for:
    what a worker hands over."""
    return {k: v for k, v in _memo.items() if besides is None or besides.get(k) != v}


def remember(hashes: dict) -> None:
    """Hashes another process made; each is used only while its file's signature is unchanged."""
    _memo.update(hashes)
