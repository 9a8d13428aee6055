"""Theme pages: an overview of the districts with tasks on a theme, and one page per
district with its measures on the theme, year by year.

A theme page listing every measure site-wide grows with the corpus (megabytes at a
thousand plans) and changes with every plan; split by district, a page stays the
size of one district's history and an edit re-renders only its own district's page
(and the overview, which counts).
"""

from __future__ import annotations

from itertools import groupby

from sitegen.site import urls
from sitegen.site.derive import Placed
from sitegen.site.pages.common import (
    REGISTRY_FILES,
    Lookups,
    Page,
    measure_view,
    plan_file,
    status_badge,
    year_span,
)


def theme_pages(lk: Lookups) -> list[Page]:
    rows = [{"name": t.name, "description": t.description or "", "url": urls.theme(t.slug),
             "total": len(lk.idx.by_theme.get(t.slug, ())),
             "districts": len({p.plan.district for p in lk.idx.by_theme.get(t.slug, ())})} for t in lk.site.themes]
    pages = [Page(urls.themes(), "themes.html", "主题", "按主题浏览各区计划中的任务。", {"themes": rows},
                  REGISTRY_FILES | {plan_file(p) for p in lk.site.plans}, crumbs=(("首页", urls.home()),))]
    for t in lk.site.themes:
        placed = lk.idx.by_theme.get(t.slug, ())
        # by_theme is in district order, so each district's measures are one run
        by_district = {d: tuple(run) for d, run in groupby(placed, key=lambda p: p.plan.district)}
        download = (f"全部任务（CSV，按 themes 列筛选“{t.slug}”）", urls.data_all("csv"))
        context = (lambda t, by_district: lambda: _overview_view(lk, t, by_district))(t, by_district)
        pages.append(Page(urls.theme(t.slug), "theme.html", f"主题：{t.name}",
                          f"各区食品安全监管计划中关于“{t.name}”的任务：按地区浏览。", context,
                          REGISTRY_FILES | {plan_file(p) for ps in lk.idx.plans_by_theme[t.slug].values()
                                            for p in ps} if placed else REGISTRY_FILES,
                          crumbs=(("首页", urls.home()), ("主题", urls.themes())),
                          # all tasks in one file; its `themes` column selects this theme's rows
                          downloads=(download,)))
        for district, here in by_district.items():
            dname = lk.district_name(district)
            context = (lambda t, d, here: lambda: _district_view(lk, t, d, here))(t, district, here)
            pages.append(Page(urls.theme_district(t.slug, district), "theme_district.html",
                              f"{dname} · 主题：{t.name}",
                              f"{dname}历年食品安全监管计划中关于“{t.name}”的任务。", context,
                              REGISTRY_FILES | {plan_file(p) for p in lk.idx.plans_by_theme[t.slug][district]},
                              crumbs=(("首页", urls.home()), ("主题", urls.themes()), (t.name, urls.theme(t.slug))),
                              searchable=True, downloads=(download,), group=district))
    return pages


def _by_year(placed: tuple[Placed, ...]) -> list[tuple[int, list[Placed]]]:
    """A district's measures on a theme by plan year, latest first (each year one plan)."""
    runs = [(year, list(run)) for year, run in groupby(placed, key=lambda p: p.plan.year)]
    return sorted(runs, key=lambda r: r[0], reverse=True)


def _overview_view(lk: Lookups, t, by_district: dict[str, tuple[Placed, ...]]) -> dict:
    rows = []
    for district, here in by_district.items():
        years = _by_year(here)
        latest_year, latest = years[0]
        rows.append({"district": lk.district_name(district), "url": urls.theme_district(t.slug, district),
                     "years": year_span(y for y, _ in years), "latest_year": latest_year,
                     "latest": len(latest), "total": len(here)})
    return {"theme": {"name": t.name, "description": t.description or ""}, "rows": rows,
            "total": sum(r["total"] for r in rows)}


def _district_view(lk: Lookups, t, district: str, here: tuple[Placed, ...]) -> dict:
    groups = []
    for year, run in _by_year(here):
        plan = run[0].plan
        groups.append({"year": year, "plan_title": plan.title, "plan_url": urls.plan(district, year),
                       "badge": status_badge(plan),
                       "measures": [measure_view(lk, p, anchor=urls.placed_anchor(district, year, p.measure.id))
                                    for p in run]})
    return {"theme": {"name": t.name, "description": t.description or "", "url": urls.theme(t.slug)},
            "district": {"name": lk.district_name(district), "url": urls.district(district)},
            "groups": groups, "total": len(here)}
