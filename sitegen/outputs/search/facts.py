"""What a searchable page says about itself in the index: metadata, filters, sort key, weight,
and a sub-result title for each measure it shows."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from sitegen.site.pages import Page
from sitegen.site.pages.common import summary

# A plan outranks the theme and duty pages that name the query in their headings (they come next).
PLAN_WEIGHT = 3
_KINDS = MappingProxyType({"plan.html": "plan", "duty.html": "duty", "theme_district.html": "theme"})  # by template, else "page"
_KIND_LABELS = MappingProxyType({"plan": "计划", "duty": "单位职责", "theme": "主题", "page": "页面"})


def page_kind(page: Page) -> str:
    return _KINDS.get(page.template, "page")


def _measures(value) -> Iterable[dict]:
    """Every measure shown in a page's context (a view with its anchor and base, as
    pages.common.measure_view makes), as one dict: its base with its anchor on this page."""
    if isinstance(value, dict):
        if "anchor" in value and "base" in value:
            yield {**value["base"], "anchor": value["anchor"]}
            return
        for v in value.values():
            yield from _measures(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _measures(v)


def _heading(m: dict, kind: str) -> str:
    """A measure's sub-result title: its year (on pages of several plans of one district), number, first phrase."""
    first = m["paragraphs"][0] if m["paragraphs"] else ""
    what = m["label"] or summary(first)
    where = f"{m['year']}年 · " if kind in ("theme", "duty") else ""
    return f"{where}{m['number']}{what}"


def _join_years(years: set[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else "、".join(map(str, ys))


def _other_names(agency: dict) -> str:
    """A duty page's agency by its other names: found by them, not shown."""
    aliases = [n for n in agency.get("aliases", ()) if n != agency["name"]]
    former = agency.get("former", [])
    return "；".join(p for p in (aliases and "又称" + "、".join(aliases), former and "曾称" + "、".join(former)) if p)


def page_facts(page: Page) -> dict:
    """Metadata, filters and sort key of a searchable page, and its measures' sub-result titles."""
    kind = page_kind(page)
    context = page.view()
    measures = list(_measures(context))
    districts = sorted({m["district_name"] for m in measures})
    years = {m["year"] for m in measures}
    statuses = sorted({m["status"] for m in measures} - {"正式"})
    if kind == "duty":
        agencies = [context["agency"]["kind"]]
    else:
        agencies = sorted({d["kind"] for m in measures for d in m["duties"]})
    meta = {"title": page.title, "kind": _KIND_LABELS[kind], "district": "、".join(districts),
            "year": _join_years(years) if years else "", "status": "、".join(statuses)}
    if kind == "plan":
        meta["plan"] = context["plan"]["title"]
        meta["status"] = context["plan"]["status"]
    # title: not offered to readers; the search page ranks a page the query names first
    filters = {"kind": [_KIND_LABELS[kind]], "title": [page.title], "district": districts,
               "year": [str(y) for y in sorted(years)], "agency": agencies,
               "theme": sorted({t["name"] for m in measures for t in m["themes"]})}
    return {"meta": {k: v for k, v in meta.items() if v},
            "names": _other_names(context["agency"]) if kind == "duty" else "",
            "weight": PLAN_WEIGHT if kind == "plan" else 1,
            "filters": {k: v for k, v in filters.items() if v},
            "sort": {"year": str(max(years))} if years else {},
            "headings": {m["anchor"]: _heading(m, kind) for m in measures}}
