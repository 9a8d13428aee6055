"""Metric pages: every value of one metric across districts and years, charted and tabled.

The chart is inline SVG laid out here (no chart JavaScript); the table beside it
carries the same values for screen readers, copying and print.
"""

from __future__ import annotations

from sitegen.site import urls
from sitegen.site.derive import PlacedTarget
from sitegen.site.pages.common import REGISTRY_FILES, Lookups, Page, number, plan_file, target_cell

CHART_WIDTH = 400
LABEL_WIDTH = 112
VALUE_WIDTH = 124
ROW_HEIGHT = 28
BAR_HEIGHT = 16


def metric_pages(lk: Lookups) -> list[Page]:
    rows = [{"name": m.name, "unit": m.unit, "url": urls.metric(m.slug), "description": m.description or "",
             "count": len(lk.idx.by_metric.get(m.slug, ()))} for m in lk.site.metrics]
    pages = [Page(urls.metrics(), "metrics.html", "指标", "各区计划中的数字目标，按指标比较。", {"metrics": rows},
                  REGISTRY_FILES | {plan_file(p) for p in lk.site.plans}, crumbs=(("首页", urls.home()),))]
    for m in lk.site.metrics:
        targets = lk.idx.by_metric.get(m.slug, ())
        context = (lambda m, targets: lambda: _metric_view(lk, m, targets))(m, targets)
        pages.append(Page(urls.metric(m.slug), "metric.html", f"指标：{m.name}",
                          f"各区各年度食品安全监管计划中“{m.name}”的目标值。", context,
                          REGISTRY_FILES | {plan_file(pt.plan) for pt in targets},
                          crumbs=(("首页", urls.home()), ("指标", urls.metrics())),
                          downloads=(("本指标全部数值（CSV）", urls.data_metric(m.slug)),)))
    return pages


def _metric_view(lk: Lookups, m, targets) -> dict:
    values = [_row(lk, pt) for pt in targets]
    return {
        "metric": {"name": m.name, "unit": m.unit, "description": m.description or "",
                   "direction": "越高越好" if m.higher_is_better else "越低越好"},
        "values": values,
        "chart": chart(values) if values else None,
    }


def _row(lk: Lookups, pt: PlacedTarget) -> dict:
    t, plan = pt.target, pt.plan
    return {
        "district": lk.district_name(plan.district), "year": plan.year, "value": t.value,
        "value_max": t.value_max, "cell": target_cell(t), "unit": t.unit, "qualifier": t.qualifier or "",
        "scope": t.scope or "", "words": t.words,
        "task_url": urls.measure(plan.district, plan.year, pt.owner.id), "task_kind": "目标" if pt.is_goal else "任务",
        "plan_url": urls.plan(plan.district, plan.year),
    }


def chart(values: list[dict]) -> dict:
    """Horizontal bars, one a value, in the table's order; a scoped value (a part of the
    whole) is drawn apart so it is not read against the headline figures."""
    top = max(max(v["value"], v["value_max"] or 0) for v in values) or 1.0
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, v in enumerate(values):
        y = i * ROW_HEIGHT
        high = v["value_max"] if v["value_max"] is not None else v["value"]
        width = max(1.0, span * high / top)
        label = f"{v['district']} {v['year']}"
        bars.append({
            "label": label, "scope": v["scope"], "y": y, "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            "text_y": y + ROW_HEIGHT // 2 + 5, "x": LABEL_WIDTH, "width": round(width, 1),
            "value_x": round(LABEL_WIDTH + width + 6, 1), "value": v["cell"], "scoped": bool(v["scope"]),
        })
    return {"width": CHART_WIDTH, "height": len(values) * ROW_HEIGHT, "bars": bars, "label_x": LABEL_WIDTH - 8,
            "bar_height": BAR_HEIGHT, "max": number(top)}
