"""The search index of a rendered site: index copies written, Pagefind run a shard at a time,
the bundles made reproducible and gathered under one folder."""

from __future__ import annotations

import functools
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from sitegen.common.parallel import fork_map
from sitegen.outputs.search import pagefind, shards
from sitegen.outputs.search.cjk import Spacer
from sitegen.outputs.search.copy import index_copy
from sitegen.site.pages import Page

PIECES_PER_WORKER = 8  # pieces of pages a worker is handed, so uneven pieces still finish together
# Below this many searchable pages the copies are made in this process: forking a worker costs
# about 0.1 CPU-s. Measured on two cores, as the parent's plus the busiest worker's CPU time (what
# an idle machine would wait): the seed's 224 pages 0.20-0.27 s in one process, 0.18-0.20 s on
# two; 150 synthetic pages (bigger) 0.55 s, 0.35-0.42 s; 1,614 synthetic pages 8.2-9.0 s, 5.6-5.8 s;
# the 5,380 pages of 1,000 plans 19.5 s, 10.3 s.
PARALLEL_MIN_PAGES = 100


def search_files(pages: list[Page], files: Mapping[str, bytes], *, workers: int = 1,
                 shard_bytes: int | None = None) -> dict[str, bytes]:
    """The search index of the rendered site ({output path: bytes}; `files` gives each page's HTML
    by its output path) as {output path: bytes}. The index copies are made by up to `workers`
    forked processes; Pagefind indexes them a shard at a time (shards.SHARD_BYTES)."""
    # A district's pages together: their page facts read the same measure views (memo.py),
    # and a shard holds whole districts.
    searchable = sorted((p for p in pages if p.searchable), key=lambda p: p.group)
    if not searchable:
        return {}
    out: dict[str, bytes] = {}
    more: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-copies-") as tmp:
        copies = Path(tmp)
        sizes = write_copies(searchable, files, copies, workers)
        for i, rels in enumerate(shards.shard_pages(searchable, sizes, shard_bytes or shards.SHARD_BYTES)):
            bundle = pagefind.canonical(pagefind.run_pagefind(functools.partial(_move, copies, rels)))
            if i == 0:  # the first shard is the bundle pagefind.js is loaded from
                out.update(bundle)
                continue
            folder, kept = shards.later_shard(bundle, pagefind.BUNDLE + "/")
            more.append(folder)
            out.update((f"{pagefind.BUNDLE}/{rel}", body) for rel, body in kept.items())
    out[f"{pagefind.BUNDLE}/{shards.SHARD_LIST}"] = (json.dumps(more) + "\n").encode()
    return out


def write_copies(pages: list[Page], files: Mapping[str, bytes], folder: Path, workers: int = 1) -> dict[str, int]:
    """Writes each page's index copy under folder, by its output path; returns {output path: bytes
    written}. Forked workers (up to `workers`, from PARALLEL_MIN_PAGES pages) each take a run of
    pages at a time."""
    spacer = Spacer()  # inherited by each worker, which fills its own copy of the table
    if len(pages) < PARALLEL_MIN_PAGES:
        workers = 1

    def copy(piece: tuple[int, int]) -> list[tuple[str, int]]:
        sizes = []
        for page in pages[piece[0]:piece[1]]:
            rel = str(page.out_path)
            data = index_copy(page, files[rel].decode("utf-8"), spacer).encode("utf-8")
            pagefind.write_doc(folder, rel, data)
            sizes.append((rel, len(data)))
        return sizes

    step = max(1, len(pages) // (workers * PIECES_PER_WORKER))
    pieces = [(i, min(i + step, len(pages))) for i in range(0, len(pages), step)]
    return {rel: size for piece in fork_map(copy, pieces, workers) for rel, size in piece}


def _move(copies: Path, rels: list[str], site: Path) -> None:
    """A write_site for run_pagefind: these index copies, moved from where the workers wrote them."""
    for rel in rels:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (copies / rel).replace(target)
