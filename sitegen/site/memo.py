"""A memo that holds one district's values at a time.

A build hands its pages and data files to the workers grouped by district
(`Page.group`, `Output.group`): a district's plan pages, duty pages, theme pages
and data files all show the same measures, so each measure's view, rendered
HTML and CSV rows are worth making once and reusing while that district's items
are made, then dropping, so memory stays at one district's worth.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class DistrictMemo:
    def __init__(self) -> None:
        self.scope: Hashable = None
        self.values: dict = {}

    def get(self, scope: Hashable, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value for key in scope, made on first use; asking for another scope drops this one's."""
        if scope != self.scope:
            self.scope, self.values = scope, {}
        try:
            return self.values[key]
        except KeyError:
            value = self.values[key] = make()
            return value
