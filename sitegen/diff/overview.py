"""A diff's changes gathered for its page: by section, by agency kind, as filter keys and counts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import MappingProxyType

from sitegen.content.model import Plan, Section
from sitegen.diff.compare import by_kind
from sitegen.diff.lookups import Lookups
from sitegen.diff.model import Change, FilterKey, Group, KindDiff, KindItem

_KIND_LISTS = MappingProxyType({"added": "gained", "removed": "lost", "role": "role_changes", "renamed": "renames"})


def counts(statuses: tuple[str, ...], items: Iterable) -> dict[str, int]:
    out = dict.fromkeys(statuses, 0)
    for c in items:
        out[c.status] += 1
    return out


def filter_keys(all_changes: list[Change], changed: list[Change], get: Callable[[Change], tuple[str, ...]],
                key: Callable[[str], tuple], label: Callable[[str], str]) -> tuple[FilterKey, ...]:
    """Each key (agency kind or theme) the changes name, in order, with how many changed units name it."""
    present = {k for c in all_changes for k in get(c)}
    return tuple(FilterKey(k, label(k), sum(1 for c in changed if k in get(c))) for k in sorted(present, key=key))


def kind_diffs(measures: list[Change], lk: Lookups) -> list[KindDiff]:
    """By agency kind: the tasks it gained and lost, its role changes and renames, and the tasks it kept."""
    acc: dict[str, dict[str, list]] = {}
    kept: dict[str, int] = {}

    def add(kind: str, what: str, item: KindItem) -> None:
        acc.setdefault(kind, {"gained": [], "lost": [], "role_changes": [], "renames": []})[what].append(item)

    for c in measures:
        if c.status == "added":
            for m in by_kind(x for s in c.new for x in s.agencies).values():
                add(m.kind, "gained", KindItem(c, new_name=m.name, new_role=m.role))
            continue
        if c.status == "removed":
            for m in by_kind(x for s in c.old for x in s.agencies).values():
                add(m.kind, "lost", KindItem(c, old_name=m.name, old_role=m.role))
            continue
        for a in c.agency_changes:
            add(a.kind, _KIND_LISTS[a.change], KindItem(c, a.old_name, a.new_name, a.old_role, a.new_role))
        both = by_kind(x for s in c.old for x in s.agencies).keys() & \
            by_kind(x for s in c.new for x in s.agencies).keys()
        for k in both:
            kept[k] = kept.get(k, 0) + 1
    out = []
    for kind in sorted(acc, key=lk.kind_key):
        items = acc[kind]
        out.append(KindDiff(kind, lk.kind_labels.get(kind, kind), f"agency-{kind}", tuple(items["gained"]),
                            tuple(items["lost"]), tuple(items["role_changes"]), tuple(items["renames"]),
                            kept.get(kind, 0)))
    return out


Trail = tuple[Section, ...]  # a section with the sections above it, outermost first


def _placed(old: Plan, new: Plan, measures: list[Change], sections: dict[int, Section],
            new_paths: list[Trail], old_paths: list[Trail]) -> tuple[dict[int, list[Change]], dict[int, list[Change]]]:
    """The changes by the section they show under (by id): a new section, or, for a removed task
    whose section was not kept, its old one."""
    by_new: dict[int, list[Change]] = {id(path[-1]): [] for path in new_paths}
    by_old: dict[int, list[Change]] = {id(path[-1]): [] for path in old_paths}
    new_place = {m.id: s for _, s in new.sections() for m in s.measures}
    old_place = {m.id: s for _, s in old.sections() for m in s.measures}
    for c in measures:
        if c.new:
            by_new[id(new_place[c.new[0].id])].append(c)
        else:
            o = old_place[c.old[0].id]
            target = sections.get(id(o))
            (by_new[id(target)] if target is not None else by_old[id(o)]).append(c)
    return by_new, by_old


def section_groups(old: Plan, new: Plan, measures: list[Change], sections: dict[int, Section]) -> list[Group]:
    """The measures' changes by section of the new plan (with the old title where it changed),
    then by the old plan's sections that are gone."""
    back = {id(n): o for o in (s for _, s in old.sections()) for n in [sections.get(id(o))] if n is not None}
    new_paths = [(trail + (s,)) for trail, s in new.sections()]
    old_paths = [(trail + (s,)) for trail, s in old.sections()]
    by_new, by_old = _placed(old, new, measures, sections, new_paths, old_paths)
    old_path = {id(p[-1]): p for p in old_paths}
    out = []
    for k, path in enumerate(new_paths):
        s = path[-1]
        if not by_new[id(s)]:
            continue
        titles = tuple(x.title or "" for x in path)
        o = back.get(id(s))
        old_titles = tuple(x.title or "" for x in old_path[id(o)]) if o is not None else None
        out.append(Group(f"section-{s.id}" if s.id else f"section-{k + 1}", titles,
                         tuple(x.number or "" for x in path), old_titles if old_titles != titles else None,
                         tuple(by_new[id(s)])))
    for k, path in enumerate(old_paths):
        s = path[-1]
        if by_old[id(s)]:
            out.append(Group(f"section-old-{s.id}" if s.id else f"section-old-{k + 1}", (), (),
                             tuple(x.title or "" for x in path), tuple(by_old[id(s)])))
    return out
