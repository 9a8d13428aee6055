"""A big site's index in shards of whole districts, each made by its own Pagefind run.

Pagefind holds a whole index in memory while it builds it, 11-13 bytes for each byte of the
copies it reads (1.9 GB for the 166 MB of copies of 1,000 plans; 614 MB for a third of them),
so a bigger site is indexed a few districts at a time, and the search page merges the shards
(Pagefind's mergeIndex). The first shard is the bundle pagefind.js is loaded from; each other
lives in shards/<hash of its files>/ under it, named by its content, and shards.json lists them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from sitegen.site.pages import Page

SHARD_BYTES = 64 * 2**20  # of index copies a shard: at most about 800 MB of Pagefind's memory
SHARDS = "shards/"  # under the bundle: shards/<hash of its files>/
SHARD_LIST = "shards.json"  # under the bundle: the other shards' folders, for the search page
# The loader and WebAssembly come from the first shard only: a merged index uses them.
_LOADER = re.compile(r"^(pagefind[^/]*\.js|wasm\.[^/]*)$")


def shard_pages(pages: list[Page], sizes: Mapping[str, int], limit: int) -> list[list[str]]:
    """The pages' output paths in shards of whole districts (pages grouped by district, in order),
    as few as keep each near or under `limit` bytes of index copies, of about equal size."""
    groups: dict[str, list[str]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(str(page.out_path))
    total = sum(sizes.values())
    n = max(1, -(-total // limit))
    target = total / n
    out: list[list[str]] = [[] for _ in range(n)]
    done = 0
    for rels in groups.values():
        size = sum(sizes[r] for r in rels)
        out[min(n - 1, int((done + size / 2) / target))].extend(rels)  # by the district's midpoint
        done += size
    return [s for s in out if s]


def later_shard(bundle: Mapping[str, bytes], prefix: str) -> tuple[str, dict[str, bytes]]:
    """A shard after the first, as Pagefind made it ({prefix + path: bytes}): its folder under the
    bundle, named by its content, and its files under that folder, less the loader and WebAssembly."""
    kept = {rel.removeprefix(prefix): body for rel, body in bundle.items()
            if not _LOADER.search(rel.removeprefix(prefix))}
    name = hashlib.sha256(b"".join(k.encode() + b"\0" + v for k, v in sorted(kept.items()))).hexdigest()[:12]
    folder = f"{SHARDS}{name}/"
    return folder, {f"{folder}{rel}": body for rel, body in kept.items()}
