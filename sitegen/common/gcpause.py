"""Loading and indexing a big site allocates millions of objects that live until the build
ends, and none of them forms a reference cycle the build needs freed. CPython's cyclic
collector would scan all of them again and again as they pile up (a third of loading time
and half of deriving at 1,000 plans); so those stages run with it paused, and what they made
is then frozen out of its sight (objects still go when their last reference does)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()  # the long-lived site model: never scanned, and forked workers share its pages
        if enabled:
            gc.enable()


WORKER_THRESHOLD = 50_000  # allocations between young collections in a forked worker


def worker_start() -> None:
    """A forked worker's initializer. Rendering and indexing allocate millions of short-lived
    objects and free them by reference count; the default threshold (700) ran a young collection
    every few hundred. Cycles are still collected, just less often."""
    gc.set_threshold(WORKER_THRESHOLD, 20, 100)
