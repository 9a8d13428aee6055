"""The cyclic garbage collector while a site is loaded and built.

Loading and indexing a big site allocates millions of objects that live until
the build ends, and none of them forms a reference cycle the build needs freed.
CPython's collector would scan all of them again and again as they pile up; so
those stages run with it paused (`paused`), and what they made can then be
frozen out of its sight: never scanned again, and forked workers share its
memory pages instead of copying them as a scan touches each object. Objects
still go when their last reference does; only cycles among frozen objects stay.

A process that builds again and again (`sitegen serve`) cannot leave each
build's model frozen: the cycles of every model it replaced would stay for
good. `Rebuilds` gives each model back to the collector when the next build
starts, and sees that the garbage they left is collected.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """The collector off for the block (as it was after), and with freeze=True every object
    then alive moved out of its sight (gc.freeze)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


class Rebuilds:
    """The collector across the builds of one process.

    `start()` before each build unfreezes the last build's objects. Unfrozen objects go
    straight to the oldest generation without counting toward CPython's trigger for a full
    collection (a quarter more objects there than after the last one), so the cycles of the
    models each build replaced would never be collected; `loaded()`, once the build's model is
    made and frozen, applies that same rule to the memory blocks Python has allocated and
    collects when they grew by a quarter since the last full collection. (Counting the frozen
    objects instead walks them all, a tenth of a one-plan rebuild at 1,000 plans; the count of
    allocated blocks is kept by the allocator.) A full collection takes about a second at
    1,000 plans; most builds need none.
    """

    GROWTH = 1.25

    def __init__(self) -> None:
        self.live: int | None = None  # blocks after the last full collection (or the first build)

    def start(self) -> None:
        gc.unfreeze()

    def loaded(self) -> None:
        blocks = sys.getallocatedblocks()
        if self.live is None:
            self.live = blocks
        elif blocks > self.live * self.GROWTH:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.live = sys.getallocatedblocks()
