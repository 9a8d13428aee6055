"""The pages around the plans: home, about, search and 404."""

from __future__ import annotations

from markdown_it import MarkdownIt

from sitegen.site import urls
from sitegen.site.pages.common import (
    REGISTRY_FILES,
    Lookups,
    Page,
    all_downloads,
    plan_file,
    plan_summary,
    site_feed,
)

LATEST = 6
ABOUT_FILE = "pages/about.md"


def home_pages(lk: Lookups, about_markdown: str) -> list[Page]:
    return [_home(lk), _about(about_markdown), _search(), _not_found()]


def _home(lk: Lookups) -> Page:
    plans = sorted(lk.site.plans, key=lambda p: (p.year, p.date.isoformat() if p.date else "", p.district),
                   reverse=True)
    context = {
        "latest": [plan_summary(lk, p) for p in plans[:LATEST]],
        "districts": [{"name": d.name, "city": d.city or "", "url": urls.district(d.slug),
                       "plans": len(lk.idx.plans_by_district.get(d.slug, ()))} for d in lk.site.districts],
        "years": [{"year": y, "url": urls.year(y), "plans": len(ps)} for y, ps in reversed(lk.idx.plans_by_year.items())],
        "kinds": [{"label": k.label, "url": urls.agency_kind(k.slug)} for k in lk.site.agencies
                  if k.slug in lk.idx.by_agency and not k.collective],
        "themes": [{"name": t.name, "url": urls.theme(t.slug)} for t in lk.site.themes],
        "metrics": [{"name": m.name, "url": urls.metric(m.slug)} for m in lk.site.metrics
                    if m.slug in lk.idx.by_metric],
        "changes": [{"title": spec.title, "url": spec.url} for spec in
                    sorted(lk.idx.diffs, key=lambda s: (s.kind != "district", -s.new.year))[:LATEST]],
        "counts": {"plans": len(lk.site.plans), "districts": len(lk.idx.plans_by_district),
                   "measures": sum(len(v) for v in lk.idx.placed.values())},
    }
    return Page(urls.home(), "index.html", "首页",
                "各区食品安全监管计划：每项任务由谁负责、指标是多少、年年有何变化。", context,
                REGISTRY_FILES | {"comparisons.yaml"} | {plan_file(p) for p in lk.site.plans}, downloads=all_downloads(),
                alternates=(site_feed(),))


def render_markdown(text: str) -> str:
    # Raw HTML off: the about page is content, and content is never trusted as markup.
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).render(text)


def _about(markdown: str) -> Page:
    return Page(urls.about(), "about.html", "关于本站", "本站计划文本的来源、整理与核对方法，以及如何报告错误。",
                {"body": render_markdown(markdown)}, frozenset({ABOUT_FILE, "site.yaml"}),
                crumbs=(("首页", urls.home()),))


def _search() -> Page:
    return Page(urls.search(), "search.html", "搜索", "全文搜索各区食品安全监管计划的任务、责任单位和指标。", {},
                frozenset(), crumbs=(("首页", urls.home()),))


def _not_found() -> Page:
    return Page(urls.not_found(), "404.html", "页面不存在", "找不到这个页面。", {}, frozenset())
