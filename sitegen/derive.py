"""Indexes the pages read: plans by district, and each agency mention resolved to its kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import AgencyRef, Plan, Site
from .registry import Registry


@dataclass(frozen=True)
class Duty:
    """An agency mention in a plan, resolved: who (kind) and how (role)."""

    name: str  # as written
    role: str
    role_class: str  # lead / shared / support
    kind: str  # agency kind slug
    former: bool  # written with a name the agency no longer uses


@dataclass(frozen=True)
class Indexes:
    district_names: dict[str, str]
    plans_by_district: dict[str, tuple[Plan, ...]]
    duties: dict[tuple[str, str], tuple[Duty, ...]]  # (plan key, measure id) -> duties


def derive(site: Site) -> Indexes:
    registry = Registry(site.agencies)
    by_district: dict[str, list[Plan]] = defaultdict(list)
    duties: dict[tuple[str, str], tuple[Duty, ...]] = {}
    for plan in site.plans:
        by_district[plan.district].append(plan)
        for m in plan.measures():
            duties[(plan.key, m.id)] = tuple(_duty(registry, ref, plan.district) for ref in m.agencies)
    return Indexes(
        district_names={d.slug: d.name for d in site.districts},
        plans_by_district={d: tuple(sorted(ps, key=lambda p: p.year)) for d, ps in sorted(by_district.items())},
        duties=duties,
    )


def _duty(registry: Registry, ref: AgencyRef, district: str) -> Duty:
    hit = registry.resolve(ref.name, district)
    assert hit is not None, "validated content resolves every agency"
    return Duty(ref.name, ref.role.value, ref.role.role_class, hit.kind.slug, hit.former)
