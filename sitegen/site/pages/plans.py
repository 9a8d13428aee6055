"""Plan pages: the plan as published, with contents, agencies, targets and permalinks."""

from __future__ import annotations

from sitegen.content.model import Goal, Plan, Section
from sitegen.site import urls
from sitegen.site.pages.common import (
    ATOM,
    REGISTRY_FILES,
    Lookups,
    Page,
    comparisons_of,
    measure_view,
    paragraphs,
    plan_citation,
    plan_downloads,
    plan_file,
    section_label,
    site_feed,
    status_badge,
    target_view,
)

TOC_DEPTH = 2  # parts and items; deeper levels would make the contents as long as the plan


def plan_pages(lk: Lookups) -> list[Page]:
    return [_plan_page(lk, plan) for plan in lk.site.plans]


def _goal_view(lk: Lookups, g: Goal) -> dict:
    return {"id": g.id, "number": g.number or "", "paragraphs": paragraphs(g.text),
            "targets": [target_view(lk, t) for t in g.targets]}


def _section_view(lk: Lookups, plan: Plan, s: Section, level: int, placed: dict) -> dict:
    return {
        "id": s.id or "",
        "number": s.number or "",
        "title": section_label(plan, s),
        "derived_title": not s.title,  # shown, but marked as ours, not the plan's
        "level": min(level, 6),
        "note": s.note or "",
        "paragraphs": paragraphs(s.text),
        "goals": [_goal_view(lk, g) for g in s.goals],
        "measures": [measure_view(lk, placed[m.id]) for m in s.measures],
        "children": [_section_view(lk, plan, c, level + 1, placed) for c in shown(s.items)],
    }


def shown(sections: tuple[Section, ...]) -> list[Section]:
    """Sections as headed on the page: a bare wrapper (no number, title, text or measures, as the
    one body of a table plan) adds no heading level; its children stand in its place."""
    out: list[Section] = []
    for s in sections:
        if s.number or s.title or s.text or s.measures or s.goals:
            out.append(s)
        else:
            out += shown(s.items)
    return out


def _toc(plan: Plan, sections: tuple[Section, ...], depth: int) -> list[dict]:
    return [{"id": s.id, "number": s.number or "", "title": section_label(plan, s),
             "children": _toc(plan, s.items, depth + 1) if depth < TOC_DEPTH else []}
            for s in shown(sections) if s.id]


def _neighbour(lk: Lookups, plan: Plan | None, diff_key: str | None) -> dict | None:
    """A neighbouring year's plan, and the diff between it and this one (keyed by the later plan)."""
    if plan is None:
        return None
    diff = lk.idx.diff_to.get(diff_key) if diff_key else None
    return {"year": plan.year, "url": urls.plan(plan.district, plan.year), "diff_url": diff.url if diff else ""}


def _plan_page(lk: Lookups, plan: Plan) -> Page:
    district = lk.district_name(plan.district)
    measures = len(lk.idx.placed[plan.key])
    title = f"{plan.title}"
    description = f"{district}{plan.year}年食品安全监管计划：{measures}项任务及其责任单位、指标。"
    return Page(urls.plan(plan.district, plan.year), "plan.html", title, description, lambda: _plan_view(lk, plan),
                # its neighbours' links change when the district gains or loses a plan
                REGISTRY_FILES | {plan_file(p) for p in lk.idx.plans_by_district[plan.district]}
                | {"comparisons.yaml"},
                crumbs=(("首页", urls.home()), (district, urls.district(plan.district))),
                searchable=True, downloads=plan_downloads(plan), group=plan.district,
                alternates=(site_feed(), (ATOM, f"{district}的计划更新", urls.feed_district(plan.district))))


def _plan_view(lk: Lookups, plan: Plan) -> dict:
    placed = {p.measure.id: p for p in lk.idx.placed[plan.key]}
    prev, nxt = lk.idx.neighbours[plan.key]
    district = lk.district_name(plan.district)
    source = None
    if plan.source:
        source = {"file_url": urls.source(plan.source.file), "url": plan.source.url or "",
                  "heading": plan.source.heading or ""}
    context = {
        "plan": {
            "title": plan.title,
            "subtitle": plan.subtitle or "",
            "year": plan.year,
            "status": plan.status.value,
            "badge": status_badge(plan),
            "issuer": plan.issuer or "",
            "date": plan.date,
            "publicity": plan.publicity or "",
            "follows": plan.follows or "",
            "notice": paragraphs(plan.notice),
            "intro": paragraphs(plan.intro),
            "goals": [_goal_view(lk, g) for g in plan.goals],
            "parts": [_section_view(lk, plan, s, 2, placed) for s in shown(plan.parts)],
            "closing": paragraphs(plan.closing),
            "notes": paragraphs(plan.notes),
            "measures": len(placed),
        },
        "district": {"name": district, "url": urls.district(plan.district)},
        "source": source,
        "toc": _toc(plan, plan.parts, 1),
        # one citation for the plan; a task is cited by adding its id and its link (duty pages cite each task)
        "citation": plan_citation(lk, plan),
        "prev": _neighbour(lk, prev, plan.key),
        "next": _neighbour(lk, nxt, nxt.key if nxt else None),
        "comparisons": comparisons_of(lk, plan),
    }
    return context
