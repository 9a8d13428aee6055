"""What several page families show the same way: a measure, a target, an agency chip.

Views are plain dicts of display-ready values, so templates only loop and print.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitegen.content.model import AgencyKind, Metric, Plan, Section, Site, Target, Theme
from sitegen.site import urls

# REGISTRY_FILES and plan_file are re-exported: the page modules take them from here.
from sitegen.site.derive import REGISTRY_FILES, Duty, Indexes, Placed, plan_file
from sitegen.site.memo import DistrictMemo

ROLE_LABELS = {"lead": "牵头/负责", "shared": "分工负责", "support": "配合"}
_SUMMARY_END = re.compile(r"[，。；：,;:！？]")
SUMMARY_CHARS = 24


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    title: str
    # A function when it needs what is made at render time (a diff's summary).
    description: str | Callable[[], str] = field(hash=False, compare=False)
    # What the template shows: a dict, or a function making it when the page is rendered (so a
    # rebuild pays only for the pages it renders, and a build holds one big page's view at a time).
    context: dict | Callable[[], dict] = field(hash=False, compare=False)
    deps: frozenset[str] = frozenset()  # content files (relative to content/) this page reads
    crumbs: tuple[tuple[str, str], ...] = ()  # (label, url) above the page, home first
    searchable: bool = False  # indexed for search (plan, duty and a district's theme pages)
    alternates: tuple[tuple[str, str, str], ...] = ()  # (type, title, url): feeds
    downloads: tuple[tuple[str, str], ...] = ()  # (label, url): the data behind the page
    group: str = ""  # the district whose measures it shows, if one: a build renders a district's pages together
    late: bool = False  # reads every diff's summary: rendered after the pages that make the diffs

    @functools.cached_property
    def out_path(self):
        return urls.output_path(self.url)

    def view(self) -> dict:
        return self.context() if callable(self.context) else self.context

    def meta_description(self) -> str:
        return self.description() if callable(self.description) else self.description


@dataclass(frozen=True)
class Lookups:
    """The registries by slug, and the indexes: what every view builder reads."""

    site: Site
    idx: Indexes
    districts: dict
    kinds: dict[str, AgencyKind]
    themes: dict[str, Theme]
    metrics: dict[str, Metric]
    comparisons_by_plan: dict[str, list]  # plan key -> the comparison specs it is part of
    _memo: dict = field(default_factory=dict, compare=False, repr=False)  # groupings made on first use
    scoped: DistrictMemo = field(default_factory=DistrictMemo, compare=False, repr=False)  # one district's views

    @classmethod
    def of(cls, site: Site, idx: Indexes) -> Lookups:
        comparisons: dict[str, list] = {}
        for spec in idx.diffs:
            if spec.kind == "comparison":
                for key in (spec.old.key, spec.new.key):
                    comparisons.setdefault(key, []).append(spec)
        return cls(site, idx, {d.slug: d for d in site.districts}, {k.slug: k for k in site.agencies},
                   {t.slug: t for t in site.themes}, {m.slug: m for m in site.metrics},
                   comparisons)

    def targets_by(self, what: str) -> dict:
        """Every placed target grouped by its plan's "district" or "year", each group in
        by_metric order; made once, when a page first needs it (one scan, not one per page)."""
        if what not in self._memo:
            groups: dict = {}
            for ts in self.idx.by_metric.values():
                for pt in ts:
                    groups.setdefault(getattr(pt.plan, what), []).append(pt)
            self._memo[what] = groups
        return self._memo[what]

    def district_diff(self, plan_key: str):
        """The (spec, diff) of a plan against its district's previous plan, or None."""
        spec = self.idx.diff_to.get(plan_key)
        return (spec, self.idx.diff(spec)) if spec else None

    def absolute(self, url: str) -> str:
        return self.site.info.base_url.rstrip("/") + url

    def district_name(self, slug: str) -> str:
        return self.idx.district_names[slug]

    def plan_label(self, plan: Plan) -> str:
        return f"{self.district_name(plan.district)} {plan.year}年"


def number(value: float) -> str:
    """14800.0 -> '14800', 4.7 -> '4.7': targets are stored as floats but read as printed."""
    return f"{value:g}" if value != int(value) else str(int(value))


def paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first phrase of a text, for a heading the plan leaves untitled."""
    first = _SUMMARY_END.split(text.strip(), 1)[0]
    return first if len(first) <= limit else first[:limit] + "…"


def year_span(years) -> str:
    """The years something appears in, short enough for a table cell on a phone:
    2024年, 2015–2024年, 2018、2020年, or 2012–2024年（其中 6 年） when a long run has gaps."""
    ys = sorted(set(years))
    if len(ys) == 1:
        return f"{ys[0]}年"
    if ys[-1] - ys[0] + 1 == len(ys):
        return f"{ys[0]}–{ys[-1]}年"
    if len(ys) <= 3:
        return "、".join(map(str, ys)) + "年"
    return f"{ys[0]}–{ys[-1]}年（其中 {len(ys)} 年）"


def section_label(plan: Plan, section: Section) -> str:
    """What a section is called in headings and contents: its title, or, where the plan
    prints only a number, the agency of its row (table plans) or its first phrase."""
    if section.title:
        return section.title
    if plan.shape == "table":
        names = {m.responsibility for m in section.measures if m.responsibility}
        if len(names) == 1:
            return names.pop()
    first = section.measures[0].text if section.measures else (section.text or "")
    return summary(first) if first else ""


def value_text(t: Target) -> str:
    v = number(t.value)
    return v if t.value_max is None else f"{v}–{number(t.value_max)}"


def target_view(lk: Lookups, t: Target) -> dict:
    metric = lk.metrics[t.metric]
    return {"metric": metric.name, "metric_url": urls.metric(t.metric), "value": value_text(t), "unit": t.unit,
            "qualifier": t.qualifier or "", "scope": t.scope or "", "words": t.words}


def duty_view(lk: Lookups, district: str, d: Duty) -> dict:
    kind = lk.kinds[d.kind]
    return {"name": d.name, "role": d.role, "role_class": d.role_class, "role_label": ROLE_LABELS[d.role_class],
            "kind": kind.label, "url": urls.duty(d.kind, district), "former": d.former,
            "current": kind.instance_name(district)}


def trail_text(plan: Plan, trail: tuple[Section, ...]) -> str:
    parts = (f"{s.number or ''}{section_label(plan, s)}" for s in trail)
    return " › ".join(p for p in parts if p)


def _cited(lk: Lookups, plan: Plan) -> str:
    # The issuing body as published; a plan that does not print one is cited by its district.
    body = plan.issuer or f"{lk.districts[plan.district].city or ''}{lk.district_name(plan.district)}"
    status = "" if plan.status.value == "正式" else f"，{plan.status.value}"
    return f"{body}：《{plan.title}》（{plan.year}年{status}）"


def plan_citation(lk: Lookups, plan: Plan) -> str:
    return f"{_cited(lk, plan)}。{lk.absolute(urls.plan(plan.district, plan.year))}"


def citation(lk: Lookups, plan: Plan, measure_id: str, url: str) -> str:
    """A short citation a journalist can paste: plan title, issuing body, year, task id, URL."""
    return f"{_cited(lk, plan)}，任务 {measure_id}。{lk.absolute(url)}"


def measure_view(lk: Lookups, p: Placed, anchor: str | None = None) -> dict:
    """A measure ready to print where it is shown: its id on the page (anchor, default its id)
    and `base`, what it shows wherever it is shown, made once per measure while its district's
    pages are made; templates render what reads only `base` once per measure (memo.Fragments)."""
    return {"base": measure_base(lk, p), "anchor": anchor or p.measure.id}


def measure_base(lk: Lookups, p: Placed) -> dict:
    plan = p.plan
    return lk.scoped.get(plan.district, (plan.key, p.measure.id), lambda: _measure_base(lk, p))


def _measure_base(lk: Lookups, p: Placed) -> dict:
    plan, m = p.plan, p.measure
    clauses = []
    if m.responsibility:
        clauses.append(f"责任单位：{m.responsibility}" if plan.shape == "table" else f"（{m.responsibility}）")
    if m.supporting:
        clauses.append(f"配合单位：{m.supporting}")
    return {
        "id": m.id,
        "number": m.number or "",
        "label": m.label or "",
        "paragraphs": paragraphs(m.text),
        "clauses": clauses,
        "task_type": m.task_type.value if m.task_type else "",
        "no_agency": m.no_agency,
        "duties": [duty_view(lk, plan.district, d) for d in lk.idx.duties[(plan.key, m.id)]],
        # a theme chip leads to this district's tasks on the theme (its overview is one crumb up)
        "themes": [{"name": lk.themes[t].name, "url": urls.theme_district(t, plan.district)} for t in m.themes],
        "targets": [target_view(lk, t) for t in m.targets],
        "note": m.note or "",
        "permalink": urls.measure(plan.district, plan.year, m.id),
        "plan_label": lk.plan_label(plan),
        "plan_title": plan.title,
        "plan_url": urls.plan(plan.district, plan.year),
        "year": plan.year,
        "district": plan.district,
        "district_name": lk.district_name(plan.district),
        "status": plan.status.value,
        "trail": trail_text(plan, p.trail),
    }


def status_badge(plan: Plan) -> str:
    """Only a plan not in force is marked: 征求意见稿, 草稿."""
    return "" if plan.status.value == "正式" else plan.status.value


def plan_summary(lk: Lookups, plan: Plan) -> dict:
    diff = lk.idx.diff_to.get(plan.key)
    return {"year": plan.year, "title": plan.title, "badge": status_badge(plan), "url": urls.plan(plan.district, plan.year),
            "district": lk.district_name(plan.district), "district_url": urls.district(plan.district),
            "measures": len(lk.idx.placed[plan.key]), "diff_url": diff.url if diff else ""}


def comparisons_of(lk: Lookups, plan: Plan) -> list[dict]:
    """The editor-configured comparisons a plan is part of."""
    return [{"title": spec.title, "url": spec.url} for spec in lk.comparisons_by_plan.get(plan.key, ())]


def role_counts(mentions) -> dict[str, int]:
    counts = {"lead": 0, "shared": 0, "support": 0}
    for m in mentions:
        counts[m.duty.role_class] += 1
    return counts


def target_cell(t: Target) -> str:
    """A target in one table cell: qualifier, value and unit as the plan puts them."""
    q = t.qualifier or ""
    after = q in ("以上", "余", "以内", "左右")
    return f"{'' if after else q}{value_text(t)}{t.unit}{q if after else ''}"


def target_matrix(lk: Lookups, targets, column, columns: list) -> dict:
    """Targets as a table: a row per (metric, scope), a column per `column(target)` value.

    Rows keep the metrics' registry order; a cell holding two figures (a goal and a
    measure of one plan) shows both.
    """
    order = {m: i for i, m in enumerate(lk.metrics)}
    rows: dict[tuple[str, str], dict] = {}
    for pt in targets:
        t = pt.target
        key = (t.metric, t.scope or "")
        row = rows.setdefault(key, {"metric": lk.metrics[t.metric].name, "metric_url": urls.metric(t.metric),
                                    "scope": t.scope or "", "cells": {c: [] for c in columns}})
        cell = target_cell(t)
        if cell not in row["cells"][column(pt)]:
            row["cells"][column(pt)].append(cell)
    ordered = sorted(rows.items(), key=lambda kv: (order[kv[0][0]], kv[0][1] != "", kv[0][1]))
    return {"rows": [dict(r, cells=["；".join(r["cells"][c]) for c in columns]) for _, r in ordered]}


ATOM = "application/atom+xml"


def site_feed() -> tuple[str, str, str]:
    return (ATOM, "全部计划的更新", urls.feed_all())


def plan_downloads(plan: Plan) -> tuple[tuple[str, str], ...]:
    d, y = plan.district, plan.year
    return (("任务与责任单位（JSON）", urls.data_plan(d, y, "json")),
            ("任务 × 责任单位（CSV）", urls.data_plan(d, y, "csv")),
            ("数字目标（CSV）", urls.data_plan(d, y, "targets.csv")))


def all_downloads() -> tuple[tuple[str, str], ...]:
    return (("全部计划（JSON）", urls.data_all("json")), ("全部任务 × 责任单位（CSV）", urls.data_all("csv")),
            ("全部数字目标（CSV）", urls.data_all("targets.csv")), ("全部数据（SQLite）", urls.data_all("sqlite")),
            ("数据目录（index.json）", urls.data_index()))
