"""Files the site carries besides its pages: sitemap, robots, redirects, data, feeds, search.

The data files are listed as `Output`s, each made on demand, with the content files it
depends on, so a rebuild remakes only those whose content changed (as it re-renders
pages) and a full build can make them on any core. A whole-site file that is the
concatenation of per-plan files is a `Joined`: it is assembled from those files once
they are made, so a plan's rows are encoded once, not twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Output:
    rel: str  # path under the output folder
    make: Callable[[], bytes] = field(compare=False)
    deps: frozenset[str] | None = None  # content files it reads; None: remade by every build
    weight: int = 1  # rough cost, so a parallel build starts the heavy ones first
    group: str = ""  # the district whose measures it holds, if one (as Page.group)


@dataclass(frozen=True)
class Joined:
    """head + part₁ + sep + part₂ … + tail, where each part is another output's bytes with its
    first `skip` bytes and last `trim` bytes cut and `lead` put in front."""

    rel: str
    parts: tuple[str, ...]
    head: bytes
    tail: bytes
    skip: int
    trim: int = 0
    lead: bytes = b""
    sep: bytes = b""

    def chunks(self, read: Callable[[str], bytes]) -> Iterator[bytes | memoryview]:
        # Views of the parts, not slices: a slice copies, and the all-plans files are 100 MB each.
        yield self.head
        between = self.sep + self.lead
        for i, rel in enumerate(self.parts):
            body = read(rel)
            yield between if i else self.lead
            yield memoryview(body)[self.skip:len(body) - self.trim]
        yield self.tail
