"""Indexes every page reads: plans by district and year, each agency mention
resolved to its kind, measures by agency, theme and metric.

Pure: the Site model in, frozen indexes out. Pages only look things up here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sitegen.content.model import AgencyRef, Goal, Measure, Plan, Section, Site, Target
from sitegen.content.registry import Registry
from sitegen.diff import Differ, PlanDiff
from sitegen.site.diffs import DiffSpec, site_diffs

ROLE_CLASSES = ("lead", "shared", "support")
# What a page or data file depends on, as content files relative to content/ (a rebuild
# remakes an output when one of them changes).
REGISTRY_FILES = frozenset({"districts.yaml", "agencies.yaml", "themes.yaml", "metrics.yaml", "site.yaml"})
COMPARISONS_FILE = "comparisons.yaml"


def plan_file(plan: Plan) -> str:
    """The content file a plan comes from."""
    return f"plans/{plan.key}.yaml"


def diff_deps(spec: DiffSpec) -> frozenset[str]:
    deps = REGISTRY_FILES | {plan_file(spec.old), plan_file(spec.new)}
    return deps | {COMPARISONS_FILE} if spec.kind == "comparison" else deps


@dataclass(frozen=True)
class Duty:
    """An agency mention in a plan, resolved: who (kind) and how (role)."""

    name: str  # as written
    role: str
    role_class: str  # lead / shared / support
    kind: str  # agency kind slug
    former: bool  # written with a name the agency no longer uses


class Placed(NamedTuple):
    """A measure where it stands: its plan and the sections above it. (The per-measure records
    are named tuples: immutable as frozen dataclasses, and made in under half the time.)"""

    plan: Plan
    measure: Measure
    trail: tuple[Section, ...]


class Mention(NamedTuple):
    """One measure as it concerns one agency kind (the row of a duty page)."""

    placed: Placed
    duty: Duty  # the kind's strongest mention in the measure


class PlacedTarget(NamedTuple):
    plan: Plan
    target: Target
    owner: Goal | Measure
    is_goal: bool


@dataclass(frozen=True)
class Indexes:
    district_names: dict[str, str]
    plans_by_district: dict[str, tuple[Plan, ...]]  # by year
    plans_by_year: dict[int, tuple[Plan, ...]]  # by district order of districts.yaml
    duties: dict[tuple[str, str], tuple[Duty, ...]]  # (plan key, measure id) -> duties
    placed: dict[str, tuple[Placed, ...]]  # plan key -> its measures in order
    by_agency: dict[str, dict[str, tuple[Mention, ...]]]  # kind -> district -> mentions (year, plan order)
    by_theme: dict[str, tuple[Placed, ...]]  # theme -> measures (district order, year, plan order)
    by_metric: dict[str, tuple[PlacedTarget, ...]]  # metric -> targets (year, district order)
    neighbours: dict[str, tuple[Plan | None, Plan | None]]  # plan key -> (previous, next) of its district
    diffs: tuple[DiffSpec, ...]  # consecutive plans of each district, then comparisons
    diff_to: dict[str, DiffSpec]  # plan key -> the district diff that ends at that plan
    # kind -> district -> the plans naming the kind, and theme -> district -> the plans with the
    # theme: what a page of that kind or theme depends on, without a walk over every mention
    plans_by_agency: dict[str, dict[str, tuple[Plan, ...]]]
    plans_by_theme: dict[str, dict[str, tuple[Plan, ...]]]
    # kind -> district -> year -> tasks by role class: the counts agency pages show, summed per plan
    role_counts: dict[str, dict[str, dict[int, dict[str, int]]]]
    # Where each diff is made when first asked for: a build's workers make a district's diffs with
    # its pages, on both cores, rather than this process making all of them before rendering.
    diff_cache: DiffCache = field(compare=False, repr=False)

    def diff(self, spec: DiffSpec) -> PlanDiff:
        return self.diff_cache.get(spec.old, spec.new)

    def diff_summary(self, spec: DiffSpec) -> dict:
        """The diff's `summary` (counts by status), without the diff when a worker sent it back."""
        return self.diff_cache.summary(spec.old, spec.new)


@dataclass(frozen=True)
class _PlanParts:
    """What one plan adds to the indexes (remembered, so a rebuild redoes only the edited plan)."""

    placed: tuple[Placed, ...]
    duties: tuple[tuple[str, tuple[Duty, ...]], ...]  # (measure id, its duties)
    mentions: tuple[tuple[str, Mention], ...]  # (kind, mention)
    themes: tuple[tuple[str, Placed], ...]
    targets: tuple[PlacedTarget, ...]
    role_counts: tuple[tuple[str, dict[str, int]], ...]  # (kind, {lead, shared, support: tasks})


class DiffCache:
    """What derive made for each plan, and the diff of each pair of plans (made when first asked
    for), by the plan objects (a plan cache hands back the same object for an unchanged file),
    valid while the registries are the same. A pair's summary outlives its diff: a render worker
    sends back the summaries of the diffs it made (`drain`), and the diffs overview, rendered
    after the workers, reads them."""

    def __init__(self) -> None:
        self.registries: tuple | None = None
        self.site: Site | None = None
        self.entries: dict[tuple[int, int], tuple[Plan, Plan, PlanDiff]] = {}
        self.summaries: dict[tuple[int, int], tuple[Plan, Plan, dict]] = {}
        self.parts: dict[int, tuple[Plan, _PlanParts]] = {}
        self.fresh: list[tuple[int, int]] = []  # pairs diffed since the last drain
        self.pairs: dict[tuple[int, int], tuple[Plan, Plan]] = {}  # the site's pairs, by their ids
        self.differ: Differ | None = None  # the site's, made at its first diff

    def check(self, site: Site) -> None:
        registries = (site.agencies, site.metrics, site.themes, site.districts)
        # Identity first: comparing the registries field by field takes most of a second at scale.
        same = self.registries is not None and all(a is b for a, b in zip(self.registries, registries))
        if not same and self.registries != registries:
            self.entries, self.summaries, self.parts = {}, {}, {}
        self.registries = registries
        self.site = site

    def get(self, old: Plan, new: Plan) -> PlanDiff:
        key = (id(old), id(new))
        hit = self.entries.get(key)
        if hit is not None and hit[0] is old and hit[1] is new:
            return hit[2]
        if self.differ is None or self.differ.site is not self.site:
            self.differ = Differ(self.site)  # type: ignore[arg-type]
        diff = self.differ.diff(old, new)
        self.entries[key] = (old, new, diff)
        self.summaries[key] = (old, new, diff.summary)
        self.fresh.append(key)
        return diff

    def summary(self, old: Plan, new: Plan) -> dict:
        hit = self.summaries.get((id(old), id(new)))
        if hit is not None and hit[0] is old and hit[1] is new:
            return hit[2]
        return self.get(old, new).summary

    def drain(self) -> dict[tuple[int, int], dict]:
        """The summaries of the diffs made since the last drain, those diffs forgotten: a worker
        needs a district's diffs only while it makes that district's pages."""
        out = {key: self.summaries[key][2] for key in self.fresh}
        for key in self.fresh:
            self.entries.pop(key, None)
        self.fresh = []
        return out

    def add_summaries(self, summaries: dict[tuple[int, int], dict]) -> None:
        """Summaries a forked worker made (its plan objects are this process's, at the same ids)."""
        for key, summary in summaries.items():
            if key in self.pairs:
                self.summaries[key] = (*self.pairs[key], summary)

    def plan_parts(self, plan: Plan, registry: Registry, known: dict) -> _PlanParts:
        hit = self.parts.get(id(plan))
        if hit is not None and hit[0] is plan:
            return hit[1]
        parts = _plan_parts(plan, registry, known)
        self.parts[id(plan)] = (plan, parts)
        return parts

    def keep_only(self, pairs: dict[tuple[int, int], tuple[Plan, Plan]], plans: set[int]) -> None:
        """Forget what concerns plans and pairs the site no longer has; `pairs` are the site's."""
        self.pairs = pairs
        self.entries = {k: v for k, v in self.entries.items() if k in pairs}
        self.summaries = {k: v for k, v in self.summaries.items() if k in pairs}
        self.parts = {k: v for k, v in self.parts.items() if k in plans}


def _plan_parts(plan: Plan, registry: Registry, known: dict) -> _PlanParts:
    """`known`: the Duty already made for each (name, role, district), shared across plans: a
    district's plans name the same agencies with the same roles thousands of times."""
    here = tuple(Placed(plan, m, trail + (s,)) for trail, s in plan.sections() for m in s.measures)
    duties, mentions, themes, targets = [], [], [], []
    for goal in plan.all_goals():
        targets += [PlacedTarget(plan, t, goal, True) for t in goal.targets]
    district = plan.district
    for p in here:
        m = p.measure
        ds = tuple(_duty(registry, ref, district, known) for ref in m.agencies)
        duties.append((m.id, ds))
        mentions += [(duty.kind, Mention(p, duty)) for duty in _strongest_per_kind(ds)]
        themes += [(theme, p) for theme in m.themes]
        targets += [PlacedTarget(plan, t, m, False) for t in m.targets]
    counts: dict[str, dict[str, int]] = {}
    for kind, mention in mentions:
        c = counts.setdefault(kind, dict.fromkeys(ROLE_CLASSES, 0))
        c[mention.duty.role_class] += 1
    return _PlanParts(here, tuple(duties), tuple(mentions), tuple(themes), tuple(targets), tuple(counts.items()))


def derive(site: Site, cache: DiffCache | None = None) -> Indexes:
    registry = Registry(site.agencies)
    order = {d.slug: i for i, d in enumerate(site.districts)}
    plans = sorted(site.plans, key=lambda p: (order.get(p.district, len(order)), p.year))
    if cache is None:
        cache = DiffCache()
    cache.check(site)
    gathered, known = _Gathered(), {}
    for plan in plans:
        gathered.add(plan, cache.plan_parts(plan, registry, known))
    specs = site_diffs(site)
    cache.keep_only({(id(s.old), id(s.new)): (s.old, s.new) for s in specs}, {id(p) for p in plans})
    return gathered.indexes(site, order, specs, cache)


class _Gathered:
    """Each plan's parts, gathered by district, year, agency kind, theme and metric."""

    def __init__(self) -> None:
        self.by_district: dict[str, list[Plan]] = defaultdict(list)
        self.by_year: dict[int, list[Plan]] = defaultdict(list)
        self.duties: dict[tuple[str, str], tuple[Duty, ...]] = {}
        self.placed: dict[str, tuple[Placed, ...]] = {}
        self.by_agency: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
        self.by_theme: dict[str, list[Placed]] = defaultdict(list)
        self.by_metric: dict[str, list[PlacedTarget]] = defaultdict(list)
        self.plans_by_agency: dict[str, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
        self.plans_by_theme: dict[str, dict[str, list[Plan]]] = defaultdict(lambda: defaultdict(list))
        self.role_counts: dict[str, dict[str, dict[int, dict[str, int]]]] = defaultdict(dict)

    def add(self, plan: Plan, parts: _PlanParts) -> None:
        self.by_district[plan.district].append(plan)
        self.by_year[plan.year].append(plan)
        self.placed[plan.key] = parts.placed
        for mid, ds in parts.duties:
            self.duties[(plan.key, mid)] = ds
        for kind, mention in parts.mentions:
            self.by_agency[kind][plan.district].append(mention)
        for theme, placed in parts.themes:
            self.by_theme[theme].append(placed)
        for pt in parts.targets:
            self.by_metric[pt.target.metric].append(pt)
        for kind, counts in parts.role_counts:
            self.plans_by_agency[kind][plan.district].append(plan)
            self.role_counts[kind].setdefault(plan.district, {})[plan.year] = counts
        for theme in dict.fromkeys(theme for theme, _ in parts.themes):
            self.plans_by_theme[theme][plan.district].append(plan)

    def indexes(self, site: Site, order: dict[str, int], specs: list[DiffSpec], cache: DiffCache) -> Indexes:
        def by_order(groups: dict[str, Any]) -> list[tuple[str, Any]]:
            return sorted(groups.items(), key=lambda kv: order.get(kv[0], 0))

        return Indexes(
            district_names={d.slug: d.name for d in site.districts},
            plans_by_district={d: tuple(ps) for d, ps in self.by_district.items()},
            plans_by_year={y: tuple(self.by_year[y]) for y in sorted(self.by_year)},
            duties=self.duties,
            placed=self.placed,
            by_agency={k: {d: tuple(ms) for d, ms in by_order(v)} for k, v in self.by_agency.items()},
            by_theme={t: tuple(ps) for t, ps in self.by_theme.items()},
            by_metric={k: tuple(sorted(v, key=lambda t: (t.plan.year, order.get(t.plan.district, 0))))
                       for k, v in self.by_metric.items()},
            neighbours=_neighbours(self.by_district),
            diffs=tuple(specs),
            diff_to={spec.new.key: spec for spec in specs if spec.kind == "district"},
            plans_by_agency={k: {d: tuple(ps) for d, ps in v.items()} for k, v in self.plans_by_agency.items()},
            plans_by_theme={t: {d: tuple(ps) for d, ps in v.items()} for t, v in self.plans_by_theme.items()},
            role_counts={k: dict(by_order(v)) for k, v in self.role_counts.items()},
            diff_cache=cache,
        )


def _neighbours(by_district: dict[str, list[Plan]]) -> dict[str, tuple[Plan | None, Plan | None]]:
    out = {}
    for ps in by_district.values():
        for i, p in enumerate(ps):
            out[p.key] = (ps[i - 1] if i else None, ps[i + 1] if i + 1 < len(ps) else None)
    return out


def _strongest_per_kind(duties: tuple[Duty, ...]) -> list[Duty]:
    # A measure may name one kind twice (区食安办 … 区食品安全委员会办公室); its page lists it once.
    best: dict[str, Duty] = {}
    for d in duties:
        if d.kind not in best or ROLE_CLASSES.index(d.role_class) < ROLE_CLASSES.index(best[d.kind].role_class):
            best[d.kind] = d
    return list(best.values())


def _duty(registry: Registry, ref: AgencyRef, district: str, known: dict) -> Duty:
    """The mention resolved, made once for each (name, role, district) and kept in `known`."""
    key = (ref.name, ref.role, district)
    duty = known.get(key)
    if duty is None:
        hit = registry.resolve(ref.name, district)
        assert hit is not None, "validated content resolves every agency"
        duty = known[key] = Duty(ref.name, ref.role.value, ref.role.role_class, hit.kind.slug, hit.former)
    return duty
