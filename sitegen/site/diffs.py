"""Which diffs the site shows: consecutive plans of each district, then the editors' comparisons,
each with its page's URL and title (the diffs themselves: sitegen.diff)."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.content.model import Plan, Site
from sitegen.site import urls


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
