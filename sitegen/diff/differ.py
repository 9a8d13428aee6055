"""Two plan models in, a PlanDiff out (pure: no I/O). Sections, measures and goals are paired
(match.py), each unit's change made (changes.py), targets paired by metric (targets.py), and the
changes gathered by section and agency kind (overview.py)."""

from __future__ import annotations

from sitegen.content.model import Plan, Site
from sitegen.diff import match as M
from sitegen.diff.changes import PlanUnits, UnitChanges
from sitegen.diff.lookups import Lookups
from sitegen.diff.model import STATUSES, TARGET_STATUSES, Change, KindDiff, PlanDiff, PlanRef, TargetChange
from sitegen.diff.overview import counts, filter_keys, kind_diffs, section_groups
from sitegen.diff.targets import target_changes


class Differ:
    """Diffs plans of one site. The registries' lookups are made once; and as a district's diffs
    are made year after year (the new plan of one is the old plan of the next), the units and
    sides of the last diff's two plans are kept for the next."""

    def __init__(self, site: Site):
        self.site = site
        self.lookups = Lookups(site)
        self.plans: dict[int, tuple[Plan, PlanUnits]] = {}

    def units(self, plan: Plan) -> PlanUnits:
        hit = self.plans.get(id(plan))
        if hit is not None and hit[0] is plan:
            return hit[1]
        made = PlanUnits(plan)
        self.plans[id(plan)] = (plan, made)
        return made

    def diff(self, old: Plan, new: Plan) -> PlanDiff:
        lk = self.lookups
        self.plans = {k: v for k, v in self.plans.items() if k == id(old) or k == id(new)}
        same = old.district == new.district
        sections = M.match_sections(old, new, same)
        ou, nu = self.units(old), self.units(new)
        om, nm, og, ng = ou.measures, nu.measures, ou.goals, nu.goals
        mm = M.match_units(om, nm, same)
        gm = M.match_units(og, ng, same)
        M.vote_sections(sections, [(om[k.old[0]], nm[k.new[0]]) for k in mm.links if k.kind == "pair"])
        units = UnitChanges(lk, old, new, ou, nu, sections)
        measures = units.changes("measure", om, nm, mm)
        goals = units.changes("goal", og, ng, gm)
        targets = target_changes(om, nm, og, ng, mm, gm, lk.metrics)
        agencies = kind_diffs(measures, lk)
        changed = [c for c in measures + goals if c.changed]
        kinds = filter_keys(measures + goals, changed, lambda c: c.kinds, lk.kind_key,
                            lambda k: lk.kind_labels.get(k, k))
        themes = filter_keys(measures + goals, changed, lambda c: c.themes, lk.theme_key,
                             lambda t: lk.theme_names.get(t, t))
        return PlanDiff(_ref(old), _ref(new), same, tuple(measures), tuple(goals), tuple(targets), tuple(agencies),
                        tuple(section_groups(old, new, measures, sections)), kinds, themes,
                        _summary(measures, goals, targets, agencies))


def diff_plans(old: Plan, new: Plan, site: Site) -> PlanDiff:
    """One diff with the site's registries. For many diffs of one site keep a Differ: it makes
    the lookups once and shares what consecutive diffs of a district have in common."""
    return Differ(site).diff(old, new)


def _ref(p: Plan) -> PlanRef:
    return PlanRef(p.key, p.district, p.year, p.title)


def _summary(measures: list[Change], goals: list[Change], targets: list[TargetChange],
             agencies: list[KindDiff]) -> dict:
    return {
        "measures": counts(STATUSES, measures),
        "goals": counts(STATUSES, goals),
        "targets": counts(TARGET_STATUSES, targets),
        "agencies": {"kinds": len(agencies), "gained": sum(len(k.gained) for k in agencies),
                     "lost": sum(len(k.lost) for k in agencies),
                     "role_changes": sum(len(k.role_changes) for k in agencies),
                     "renames": sum(len(k.renames) for k in agencies)},
    }
