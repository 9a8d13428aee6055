"""What the checks across plan files read of a checked plan, and where its parts are in its file."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from sitegen.content.model import Plan, Section, Status


class Facts(typing.NamedTuple):
    """What the checks across plan files, and `sitegen validate`'s summary, read of a checked
    plan: kept beside it in the plan cache, so a cached plan is not unpickled to be counted."""

    district: str
    year: int
    draft: bool
    measures: int
    ids: frozenset[str]  # its measures' and goals' ids, which the next year's `was` may name
    was: tuple[tuple[tuple, str], ...]  # (location, old id) of each of its `was` ids


def facts(plan: Plan) -> Facts:
    measures = plan.measures()
    return Facts(plan.district, plan.year, plan.status is Status.draft, len(measures),
                 frozenset([m.id for m in measures] + [g.id for g in plan.all_goals()]) - {None},
                 tuple(was_links(plan)))


def sections_at(plan: Plan) -> Iterator[tuple[tuple, Section]]:
    """(location, section) for every section, depth first, with locations as in the YAML file."""
    return _sections_at(plan.parts, ("parts",))


def _sections_at(sections: tuple[Section, ...], loc: tuple) -> Iterator[tuple[tuple, Section]]:
    # A module function, not a closure that calls itself: such a closure is a reference cycle,
    # garbage for the collector on every call.
    for i, s in enumerate(sections):
        here = loc + (i,)
        yield here, s
        yield from _sections_at(s.items, here + ("items",))


def was_links(plan: Plan) -> Iterator[tuple[tuple, str]]:
    """(location, old id) for every `was` id of the plan's goals and measures."""
    lists = [((), "goals", plan.goals)]
    for loc, section in sections_at(plan):
        lists += [(loc, "goals", section.goals), (loc, "measures", section.measures)]
    for loc, key, units in lists:
        for i, unit in enumerate(units):
            for j, id_ in enumerate(unit.was):  # most have none: no location made for them
                yield loc + (key, i, "was", j), id_
