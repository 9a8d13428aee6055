"""The diff engine: two plan models in, a PlanDiff out (pure functions, no I/O).

    diff_plans(old, new, site) -> PlanDiff      the registries come from site
    site_diffs(site) -> list[DiffSpec]          the diffs the site shows
    to_json(diff) -> dict                       docs/diff-format.md
    to_text(diff) -> str                        a terminal summary
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.content.model import Metric, Plan, Section, Site, squash
from sitegen.content.registry import Registry
from sitegen.diff import match as M
from sitegen.diff.compare import agency_changes, by_kind, char_ops, compare_target, mentions, target_side
from sitegen.diff.export import to_json
from sitegen.diff.model import (
    STATUSES,
    TARGET_STATUSES,
    Change,
    FilterKey,
    Group,
    KindDiff,
    KindItem,
    PlanDiff,
    PlanRef,
    Side,
    TargetChange,
)
from sitegen.diff.text import to_text
from sitegen.site import urls

__all__ = ["diff_plans", "site_diffs", "DiffSpec", "to_json", "to_text", "PlanDiff"]


class _Context:
    """What a diff needs from the site's registries, built once per site."""

    def __init__(self, site: Site):
        self.registry = Registry(site.agencies)
        self.kind_order = {k.slug: i for i, k in enumerate(site.agencies)}
        self.kind_labels = {k.slug: k.label for k in site.agencies}
        self.metrics: dict[str, Metric] = {m.slug: m for m in site.metrics}
        self.theme_order = {t.slug: i for i, t in enumerate(site.themes)}
        self.theme_names = {t.slug: t.name for t in site.themes}
        self.mentions: dict = {}  # (name, role, district) -> Mention
        # The units and sides of the plans of the last diff: a district's diffs are made year after
        # year, so the new plan of one is the old plan of the next.
        self.plans: dict[int, tuple[Plan, _PlanUnits]] = {}

    def units(self, plan: Plan) -> _PlanUnits:
        hit = self.plans.get(id(plan))
        if hit is not None and hit[0] is plan:
            return hit[1]
        made = _PlanUnits(M.units(plan, "measure"), M.units(plan, "goal"))
        self.plans[id(plan)] = (plan, made)
        return made


class _PlanUnits:
    """A plan's measures and goals as units, and each unit's Side once made (by id of the unit)."""

    def __init__(self, measures: list[M.Unit], goals: list[M.Unit]):
        self.measures, self.goals = measures, goals
        self.sides: dict[int, Side] = {}


_last: tuple[int, Site, _Context] | None = None


def _context(site: Site) -> _Context:
    # A site diffs hundreds of pairs; the registry lookups are built once for it.
    global _last
    if _last is None or _last[0] != id(site) or _last[1] is not site:
        _last = (id(site), site, _Context(site))
    return _last[2]


def diff_plans(old: Plan, new: Plan, site: Site) -> PlanDiff:
    ctx = _context(site)
    ctx.plans = {k: v for k, v in ctx.plans.items() if k == id(old) or k == id(new)}
    same = old.district == new.district
    smap = M.match_sections(old, new, same)
    ou, nu = ctx.units(old), ctx.units(new)
    om, nm, og, ng = ou.measures, nu.measures, ou.goals, nu.goals
    mm = M.match_units(om, nm, same)
    gm = M.match_units(og, ng, same)
    M.vote_sections(smap, [(om[lk.old[0]], nm[lk.new[0]]) for lk in mm.links if lk.kind == "pair"])

    def side(u: M.Unit, plan: Plan) -> Side:
        sides = (ou if plan is old else nu).sides
        made = sides.get(id(u))
        if made is None:
            refs = getattr(u.obj, "agencies", ())
            made = sides[id(u)] = Side(u.id, u.obj.number, getattr(u.obj, "label", None), u.obj.text,
                                       tuple(s.title or "" for s in u.trail), tuple(s.number or "" for s in u.trail),
                                       mentions(refs, plan.district, ctx.registry, ctx.mentions),
                                       tuple(getattr(u.obj, "themes", ())), u.position)
        return made

    def moved(ou: M.Unit, nu: M.Unit) -> bool:
        if ou.section is None or nu.section is None:
            return (ou.section is None) != (nu.section is None)
        if smap.get(id(ou.section)) is not nu.section:
            return True
        top_o, top_n = ou.trail[0], nu.trail[0]
        return top_o is not ou.section and top_n is not nu.section and smap.get(id(top_o)) is not top_n

    def changes(unit: str, olds: list[M.Unit], news: list[M.Unit], m: M.Matching) -> list[Change]:
        prefix = "goal-" if unit == "goal" else ""
        keyed: list[tuple[tuple, Change]] = []
        new_pos_of_old: dict[int, int] = {}
        for lk in m.links:
            os_ = tuple(side(olds[i], old) for i in lk.old)
            ns_ = tuple(side(news[j], new) for j in lk.new)
            text_changed = "".join(olds[i].norm for i in lk.old) != "".join(news[j].norm for j in lk.new)
            was_moved = any(moved(olds[i], news[j]) for i in lk.old for j in lk.new)
            if lk.kind != "pair":
                status = lk.kind
            else:
                status = "moved" if was_moved else "reworded" if text_changed else "unchanged"
            ops = char_ops(_shown(os_), _shown(ns_)) if text_changed else ()
            a_changes = agency_changes(tuple(x for s in os_ for x in s.agencies),
                                       tuple(x for s in ns_ for x in s.agencies), ctx.kind_order)
            anchor = f"{prefix}new-{ns_[0].id}" if len(ns_) == 1 else f"{prefix}old-{os_[0].id}"
            ch = Change(unit, anchor, status, os_, ns_, lk.how, round(lk.similarity, 4), text_changed,
                        was_moved, ops, a_changes, *_keys(os_ + ns_, ctx))
            keyed.append(((news[lk.new[0]].position, 0, olds[lk.old[0]].position), ch))
            for i in lk.old:
                new_pos_of_old[i] = news[lk.new[0]].position
        for j in m.new_left:
            s = side(news[j], new)
            keyed.append(((j, 0, -1), Change(unit, f"{prefix}new-{s.id}", "added", (), (s,), None, None,
                                             *_no_flags(), *_keys((s,), ctx))))
        for i in m.old_left:
            s = side(olds[i], old)
            # A removed measure is listed after the new place of its nearest old predecessor.
            before = next((new_pos_of_old[k] for k in range(i - 1, -1, -1) if k in new_pos_of_old), -1)
            keyed.append(((before, 1, i), Change(unit, f"{prefix}old-{s.id}", "removed", (s,), (), None, None,
                                                 *_no_flags(), *_keys((s,), ctx))))
        keyed.sort(key=lambda kc: kc[0])
        return [c for _, c in keyed]

    measures = changes("measure", om, nm, mm)
    goals = changes("goal", og, ng, gm)
    targets = _targets(old, new, om, nm, og, ng, mm, gm, ctx)
    agencies = _kinds(measures, ctx)
    groups = _groups(old, new, measures, smap)
    changed = [c for c in measures + goals if c.changed]
    kinds = _filter_keys(measures + goals, changed, lambda c: c.kinds, ctx.kind_order,
                         lambda k: ctx.kind_labels.get(k, k))
    themes = _filter_keys(measures + goals, changed, lambda c: c.themes, ctx.theme_order,
                          lambda t: ctx.theme_names.get(t, t))
    summary = {
        "measures": _count(STATUSES, measures),
        "goals": _count(STATUSES, goals),
        "targets": _count(TARGET_STATUSES, targets),
        "agencies": {"kinds": len(agencies), "gained": sum(len(k.gained) for k in agencies),
                     "lost": sum(len(k.lost) for k in agencies),
                     "role_changes": sum(len(k.role_changes) for k in agencies),
                     "renames": sum(len(k.renames) for k in agencies)},
    }
    return PlanDiff(_ref(old), _ref(new), same, tuple(measures), tuple(goals), tuple(targets), tuple(agencies),
                    tuple(groups), kinds, themes, summary)


def _ref(p: Plan) -> PlanRef:
    return PlanRef(p.key, p.district, p.year, p.title)


def _shown(sides: tuple[Side, ...]) -> str:
    return "\n".join((f"{s.label}\n" if s.label else "") + s.text for s in sides)


def _no_flags() -> tuple:
    return (False, False, (), ())  # text_changed, moved, ops, agency_changes


def _keys(sides: tuple[Side, ...], ctx: _Context) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kinds = {m.kind for s in sides for m in s.agencies}
    themes = {t for s in sides for t in s.themes}
    return (tuple(sorted(kinds, key=lambda k: (ctx.kind_order.get(k, len(ctx.kind_order)), k))),
            tuple(sorted(themes, key=lambda t: (ctx.theme_order.get(t, len(ctx.theme_order)), t))))


def _count(statuses: tuple[str, ...], items) -> dict[str, int]:
    counts = dict.fromkeys(statuses, 0)
    for c in items:
        counts[c.status] += 1
    return counts


def _filter_keys(all_changes, changed, get, order, label) -> tuple[FilterKey, ...]:
    present = {k for c in all_changes for k in get(c)}
    return tuple(FilterKey(k, label(k), sum(1 for c in changed if k in get(c)))
                 for k in sorted(present, key=lambda k: (order.get(k, len(order)), k)))


def _kinds(measures: list[Change], ctx: _Context) -> list[KindDiff]:
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
            what = {"added": "gained", "removed": "lost", "role": "role_changes", "renamed": "renames"}[a.change]
            add(a.kind, what, KindItem(c, a.old_name, a.new_name, a.old_role, a.new_role))
        both = by_kind(x for s in c.old for x in s.agencies).keys() & \
            by_kind(x for s in c.new for x in s.agencies).keys()
        for k in both:
            kept[k] = kept.get(k, 0) + 1
    out = []
    for kind in sorted(acc, key=lambda k: (ctx.kind_order.get(k, len(ctx.kind_order)), k)):
        items = acc[kind]
        out.append(KindDiff(kind, ctx.kind_labels.get(kind, kind), f"agency-{kind}", tuple(items["gained"]),
                            tuple(items["lost"]), tuple(items["role_changes"]), tuple(items["renames"]),
                            kept.get(kind, 0)))
    return out


def _targets(old: Plan, new: Plan, om, nm, og, ng, mm: M.Matching, gm: M.Matching, ctx: _Context) -> list[TargetChange]:
    """Targets matched by metric and scope wherever they sit; a pair whose hosts are matched goes first."""
    linked: set[tuple[str, str, str]] = set()  # (host kind, old id, new id)
    for host, olds, news, m in (("measure", om, nm, mm), ("goal", og, ng, gm)):
        for lk in m.links:
            linked |= {(host, olds[i].id, news[j].id) for i in lk.old for j in lk.new}

    def spots(units_m, units_g):
        out = []
        for host, us in (("goal", units_g), ("measure", units_m)):
            for u in us:
                out += [(t.metric, target_side(t, host, u.id), (0 if host == "goal" else 1, u.position, k))
                        for k, t in enumerate(u.obj.targets)]
        return out

    groups: dict[tuple[str, str], tuple[list, list]] = {}
    for which, found in ((0, spots(om, og)), (1, spots(nm, ng))):
        for metric, s, pos in found:
            groups.setdefault((metric, squash(s.scope or "")), ([], []))[which].append((s, pos))
    pairs: list[tuple[tuple, object, object, str]] = []
    for (metric, _), (os_, ns_) in groups.items():
        os_, ns_ = list(os_), list(ns_)
        for o in list(os_):
            n = next((n for n in ns_ if o[0].host == n[0].host
                      and (o[0].host, o[0].host_id, n[0].host_id) in linked), None)
            if n is not None:
                os_.remove(o)
                ns_.remove(n)
                pairs.append(((0, n[1]), o[0], n[0], metric))
        for o, n in zip(os_, ns_):
            pairs.append(((0, n[1]), o[0], n[0], metric))
        for n in ns_[len(os_):]:
            pairs.append(((0, n[1]), None, n[0], metric))
        for o in os_[len(ns_):]:
            pairs.append(((1, o[1]), o[0], None, metric))
    pairs.sort(key=lambda p: p[0])
    seen: dict[str, int] = {}
    out = []
    for _, o, n, metric in pairs:
        seen[metric] = seen.get(metric, 0) + 1
        anchor = f"target-{metric}" + (f"-{seen[metric]}" if seen[metric] > 1 else "")
        out.append(compare_target(anchor, ctx.metrics.get(metric), metric, o, n))
    return out


def _groups(old: Plan, new: Plan, measures: list[Change], smap: dict[int, Section]) -> list[Group]:
    back = {id(n): o for o in (s for _, s in old.sections()) for n in [smap.get(id(o))] if n is not None}
    new_sections = [(trail + (s,)) for trail, s in new.sections()]
    old_sections = [(trail + (s,)) for trail, s in old.sections()]
    by_new: dict[int, list[Change]] = {id(path[-1]): [] for path in new_sections}
    by_old: dict[int, list[Change]] = {id(path[-1]): [] for path in old_sections}
    new_place = {m.id: s for _, s in new.sections() for m in s.measures}
    old_place = {m.id: s for _, s in old.sections() for m in s.measures}
    for c in measures:
        if c.new:
            by_new[id(new_place[c.new[0].id])].append(c)
        else:
            o = old_place[c.old[0].id]
            target = smap.get(id(o))
            (by_new[id(target)] if target is not None else by_old[id(o)]).append(c)
    old_paths = {id(p[-1]): p for p in old_sections}
    out = []
    for k, path in enumerate(new_sections):
        s = path[-1]
        if not by_new[id(s)]:
            continue
        titles = tuple(x.title or "" for x in path)
        o = back.get(id(s))
        old_titles = tuple(x.title or "" for x in old_paths[id(o)]) if o is not None else None
        out.append(Group(f"section-{s.id}" if s.id else f"section-{k + 1}", titles,
                         tuple(x.number or "" for x in path), old_titles if old_titles != titles else None,
                         tuple(by_new[id(s)])))
    for k, path in enumerate(old_sections):
        s = path[-1]
        if by_old[id(s)]:
            out.append(Group(f"section-old-{s.id}" if s.id else f"section-old-{k + 1}", (), (),
                             tuple(x.title or "" for x in path), tuple(by_old[id(s)])))
    return out


# --- which diffs the site shows ----------------------------------------------------------------


@dataclass(frozen=True)
class DiffSpec:
    """One diff page: consecutive plans of a district, or an editor's comparison."""

    key: str  # "district/old-new" for a district, the comparison's slug otherwise
    old: Plan
    new: Plan
    title: str
    context: str | None
    kind: str  # "district" or "comparison"
    url: str
    data_url: str

    @property
    def group(self) -> str:
        """The district a district diff belongs to (Page.group); a comparison, none."""
        return self.new.district if self.kind == "district" else ""


def site_diffs(site: Site) -> list[DiffSpec]:
    names = {d.slug: d.name for d in site.districts}
    by_district: dict[str, list[Plan]] = {}
    for p in site.plans:
        by_district.setdefault(p.district, []).append(p)
    out = []
    for district in sorted(by_district):
        plans = sorted(by_district[district], key=lambda p: p.year)
        for a, b in zip(plans, plans[1:]):
            name = names.get(district, district)
            out.append(DiffSpec(f"{district}/{a.year}-{b.year}", a, b,
                                f"{name}{b.year}年计划比{a.year}年有何变化", None, "district",
                                urls.diff(district, a.year, b.year), urls.data_diff(district, a.year, b.year)))
    by_key = {p.key: p for p in site.plans}
    for c in site.comparisons:
        out.append(DiffSpec(c.slug, by_key[c.old], by_key[c.new], c.title, c.context, "comparison",
                            urls.comparison(c.slug), urls.data_comparison(c.slug)))
    return out
