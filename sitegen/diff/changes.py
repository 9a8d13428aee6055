"""Each paired, added and removed measure (or goal) of two plans as a Change, in the new plan's order."""

from __future__ import annotations

from sitegen.content.model import Plan, Section
from sitegen.diff import match as M
from sitegen.diff.compare import agency_changes, char_ops, mentions
from sitegen.diff.lookups import Lookups
from sitegen.diff.model import Change, Side

_NO_FLAGS = (False, False, (), ())  # text_changed, moved, ops, agency_changes of an added or removed unit


class PlanUnits:
    """A plan's measures and goals as units, and each unit's Side once made (by id of the unit)."""

    def __init__(self, plan: Plan):
        self.measures, self.goals = M.units(plan, "measure"), M.units(plan, "goal")
        self.sides: dict[int, Side] = {}


def _shown(sides: tuple[Side, ...]) -> str:
    return "\n".join((f"{s.label}\n" if s.label else "") + s.text for s in sides)


class UnitChanges:
    """The changes between two plans, their units (PlanUnits) and their sections paired (id(old) -> new)."""

    def __init__(self, lk: Lookups, old: Plan, new: Plan, old_units: PlanUnits, new_units: PlanUnits,
                 sections: dict[int, Section]):
        self.lk, self.old, self.new = lk, old, new
        self.old_units, self.new_units = old_units, new_units
        self.sections = sections

    def side(self, u: M.Unit, plan: Plan) -> Side:
        sides = (self.old_units if plan is self.old else self.new_units).sides
        made = sides.get(id(u))
        if made is None:
            refs = getattr(u.obj, "agencies", ())
            made = sides[id(u)] = Side(u.id, u.obj.number, getattr(u.obj, "label", None), u.obj.text,
                                       tuple(s.title or "" for s in u.trail), tuple(s.number or "" for s in u.trail),
                                       mentions(refs, plan.district, self.lk.registry, self.lk.mentions),
                                       tuple(getattr(u.obj, "themes", ())), u.position)
        return made

    def moved(self, ou: M.Unit, nu: M.Unit) -> bool:
        """Whether a paired unit sits elsewhere: in a section not paired with its old one, or under another top section."""
        if ou.section is None or nu.section is None:
            return (ou.section is None) != (nu.section is None)
        if self.sections.get(id(ou.section)) is not nu.section:
            return True
        top_o, top_n = ou.trail[0], nu.trail[0]
        return top_o is not ou.section and top_n is not nu.section and self.sections.get(id(top_o)) is not top_n

    def changes(self, unit: str, olds: list[M.Unit], news: list[M.Unit], m: M.Matching) -> list[Change]:
        """Every unit's change: paired (by link), added, removed; sorted by place in the new plan."""
        prefix = "goal-" if unit == "goal" else ""
        keyed: list[tuple[tuple, Change]] = []
        new_pos_of_old: dict[int, int] = {}
        for lk in m.links:
            keyed.append(self._linked(unit, prefix, olds, news, lk))
            for i in lk.old:
                new_pos_of_old[i] = news[lk.new[0]].position
        for j in m.new_left:
            s = self.side(news[j], self.new)
            keyed.append(((j, 0, -1), Change(unit, f"{prefix}new-{s.id}", "added", (), (s,), None, None,
                                             *_NO_FLAGS, *self.lk.keys((s,)))))
        for i in m.old_left:
            s = self.side(olds[i], self.old)
            # A removed measure is listed after the new place of its nearest old predecessor.
            before = next((new_pos_of_old[k] for k in range(i - 1, -1, -1) if k in new_pos_of_old), -1)
            keyed.append(((before, 1, i), Change(unit, f"{prefix}old-{s.id}", "removed", (s,), (), None, None,
                                                 *_NO_FLAGS, *self.lk.keys((s,)))))
        keyed.sort(key=lambda kc: kc[0])
        return [c for _, c in keyed]

    def _linked(self, unit: str, prefix: str, olds: list[M.Unit], news: list[M.Unit],
                lk: M.Link) -> tuple[tuple, Change]:
        """A link's change (a pair, a split or a merge) and its place in the new plan."""
        os_ = tuple(self.side(olds[i], self.old) for i in lk.old)
        ns_ = tuple(self.side(news[j], self.new) for j in lk.new)
        text_changed = "".join(olds[i].norm for i in lk.old) != "".join(news[j].norm for j in lk.new)
        was_moved = any(self.moved(olds[i], news[j]) for i in lk.old for j in lk.new)
        if lk.kind != "pair":
            status = lk.kind
        else:
            status = "moved" if was_moved else "reworded" if text_changed else "unchanged"
        ops = char_ops(_shown(os_), _shown(ns_)) if text_changed else ()
        a_changes = agency_changes(tuple(x for s in os_ for x in s.agencies),
                                   tuple(x for s in ns_ for x in s.agencies), self.lk.kind_order)
        anchor = f"{prefix}new-{ns_[0].id}" if len(ns_) == 1 else f"{prefix}old-{os_[0].id}"
        change = Change(unit, anchor, status, os_, ns_, lk.how, round(lk.similarity, 4), text_changed,
                        was_moved, ops, a_changes, *self.lk.keys(os_ + ns_))
        return (news[lk.new[0]].position, 0, olds[lk.old[0]].position), change
