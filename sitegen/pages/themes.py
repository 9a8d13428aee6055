"""Theme pages: the measures on one theme, grouped by district and year."""

from __future__ import annotations

from itertools import groupby

from .. import urls
from .common import REGISTRY_FILES, Lookups, Page, measure_view, plan_file


def theme_pages(lk: Lookups) -> list[Page]:
    rows = [{"name": t.name, "description": t.description or "", "url": urls.theme(t.slug),
             "total": len(lk.idx.by_theme.get(t.slug, ()))} for t in lk.site.themes]
    pages = [Page(urls.themes(), "themes.html", "主题", "按主题浏览各区计划中的任务。", {"themes": rows},
                  REGISTRY_FILES | {plan_file(p) for p in lk.site.plans}, crumbs=(("首页", urls.home()),))]
    for t in lk.site.themes:
        placed = lk.idx.by_theme.get(t.slug, ())
        context = (lambda t, placed: lambda: _theme_view(lk, t, placed))(t, placed)
        pages.append(Page(urls.theme(t.slug), "theme.html", f"主题：{t.name}",
                          f"各区食品安全监管计划中关于“{t.name}”的任务。", context,
                          REGISTRY_FILES | {plan_file(p.plan) for p in placed},
                          crumbs=(("首页", urls.home()), ("主题", urls.themes())), searchable=True,
                          # all tasks in one file; its `themes` column selects this theme's rows
                          downloads=((f"全部任务（CSV，按 themes 列筛选“{t.slug}”）", urls.data_all("csv")),)))
    return pages


def _theme_view(lk: Lookups, t, placed) -> dict:
    groups = []
    for _, run in groupby(placed, key=lambda p: p.plan.key):
        run = list(run)
        plan = run[0].plan
        groups.append({"title": lk.plan_label(plan), "plan_url": urls.plan(plan.district, plan.year),
                       "measures": [measure_view(lk, p, anchor=urls.placed_anchor(plan.district, plan.year,
                                                                                  p.measure.id)) for p in run]})
    return {"theme": {"name": t.name, "description": t.description or ""}, "groups": groups, "total": len(placed)}
