"""Year pages: every plan of a year, and their targets side by side."""

from __future__ import annotations

from sitegen.site import urls
from sitegen.site.pages.common import (
    REGISTRY_FILES,
    Lookups,
    Page,
    plan_downloads,
    plan_file,
    plan_summary,
    target_matrix,
)


def year_pages(lk: Lookups) -> list[Page]:
    years = lk.idx.plans_by_year
    index = Page(urls.years(), "years.html", "年度", "按年度浏览各区食品安全监管计划。",
                 {"years": [{"year": y, "url": urls.year(y), "plans": [plan_summary(lk, p) for p in ps]}
                            for y, ps in sorted(years.items(), reverse=True)]},
                 REGISTRY_FILES | {plan_file(p) for p in lk.site.plans}, crumbs=(("首页", urls.home()),))
    return [index] + [_year(lk, y, ps) for y, ps in years.items()]


def _year(lk: Lookups, year: int, plans) -> Page:
    return Page(urls.year(year), "year.html", f"{year}年", f"{year}年各区食品安全监管计划及其指标。",
                lambda: _year_view(lk, year, plans),
                REGISTRY_FILES | {plan_file(p) for p in plans},
                crumbs=(("首页", urls.home()), ("年度", urls.years())),
                downloads=tuple((f"{lk.district_name(p.district)} {label}", url) for p in plans
                                for label, url in plan_downloads(p)))


def _year_view(lk: Lookups, year: int, plans) -> dict:
    districts = [p.district for p in plans]
    targets = lk.targets_by("year").get(year, [])
    return {
        "year": year,
        "plans": [plan_summary(lk, p) for p in plans],
        "columns": [lk.district_name(d) for d in districts],
        "targets": target_matrix(lk, targets, lambda pt: pt.plan.district, districts),
    }
