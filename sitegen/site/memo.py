"""Memos that hold one district's values at a time.

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


def _call(macro, view: dict):
    return macro(view)


class Fragments:
    """`view|cached(macro)` in a template: the macro's output for that view dict, made once
    (Hugo's partialCached). A district's measures are shown on its plan, duty and theme pages
    from the same view dicts (pages.common.measure_view), so each is rendered once while that
    district's pages are rendered. Keyed by the macro's name and the dict's identity, so the
    macro must read only that dict, and the dict must not change once shown; the dict is held
    with its output, so its id is not reused while the entry lives.

    One per Jinja environment, as its `cached` filter; `call` runs a macro on a view (what
    a template's `macro(view)` does, unless given another way to run it)."""

    def __init__(self, call: Callable[[Any, dict], Any] = _call) -> None:
        self._memo = DistrictMemo()
        self._call = call

    def enter(self, scope: str) -> None:
        """The page about to be rendered is of this group: another group's fragments are dropped."""
        self._memo.get(scope, None, lambda: None)

    def __call__(self, view: dict, macro):
        # A filter, not a global function: Jinja calls a filter directly, a function through
        # its context's call (about a microsecond more, for each of a million calls at 1,000 plans).
        values, key = self._memo.values, (macro.name, id(view))
        try:
            return values[key][1]
        except KeyError:
            values[key] = (view, self._call(macro, view))
            return values[key][1]
