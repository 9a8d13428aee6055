"""District pages: a district's plans as a timeline, its targets across years, its agencies, its themes."""

from __future__ import annotations

from sitegen.site import urls
from sitegen.site.pages.common import (
    ATOM,
    REGISTRY_FILES,
    Lookups,
    Page,
    plan_downloads,
    plan_file,
    plan_summary,
    role_counts,
    site_feed,
    target_matrix,
)


def district_pages(lk: Lookups) -> list[Page]:
    pages = [_index(lk)]
    pages += [_district(lk, d) for d in lk.site.districts]
    return pages


def _index(lk: Lookups) -> Page:
    rows = [{"name": d.name, "city": d.city or "", "url": urls.district(d.slug),
             "plans": [plan_summary(lk, p) for p in lk.idx.plans_by_district.get(d.slug, ())]}
            for d in lk.site.districts]
    return Page(urls.districts(), "districts.html", "各区", "已收录监管计划的各区及其历年计划。",
                {"districts": rows}, REGISTRY_FILES | {plan_file(p) for p in lk.site.plans},
                crumbs=(("首页", urls.home()),))


def _district(lk: Lookups, d) -> Page:
    plans = lk.idx.plans_by_district.get(d.slug, ())
    return Page(urls.district(d.slug), "district.html", f"{d.city or ''}{d.name}",
                f"{d.name}历年食品安全监管计划、指标和各单位职责。", lambda: _district_view(lk, d, plans),
                REGISTRY_FILES | {plan_file(p) for p in plans},
                crumbs=(("首页", urls.home()), ("各区", urls.districts())),
                downloads=tuple((f"{p.year}年 {label}", url) for p in plans for label, url in plan_downloads(p)),
                alternates=(site_feed(), (ATOM, f"{d.name}的计划更新", urls.feed_district(d.slug))), group=d.slug)


def _district_view(lk: Lookups, d, plans) -> dict:
    years = [p.year for p in plans]
    targets = lk.targets_by("district").get(d.slug, [])
    agencies = []
    for kind, by_district in lk.idx.by_agency.items():
        mentions = by_district.get(d.slug)
        if mentions:
            k = lk.kinds[kind]
            counts = role_counts(mentions)
            agencies.append({"name": k.instance_name(d.slug), "kind": k.label, "url": urls.duty(kind, d.slug),
                             "collective": k.collective, "total": len(mentions), **counts})
    agencies.sort(key=lambda a: (-a["lead"], -a["total"], a["name"]))
    on_theme: dict[str, int] = {}
    for plan in plans:
        for placed in lk.idx.placed[plan.key]:
            for t in placed.measure.themes:
                on_theme[t] = on_theme.get(t, 0) + 1
    themes = [{"name": t.name, "url": urls.theme_district(t.slug, d.slug), "total": on_theme[t.slug]}
              for t in lk.site.themes if t.slug in on_theme]  # registry order
    context = {
        "district": {"name": d.name, "city": d.city or ""},
        "plans": [plan_summary(lk, p) for p in plans],
        "years": years,
        "targets": target_matrix(lk, targets, lambda pt: pt.plan.year, years),
        "agencies": agencies,
        "themes": themes,
    }
    return context
