"""Diff pages: what changed between two plans, task by task and number by number.

One page for each pair of consecutive plans of a district and one for each
comparison in content/comparisons.yaml. Filtering by agency kind or theme works
without JavaScript: each change carries `k-<kind>` and `t-<theme>` classes, and a
generated stylesheet (outputs/filters.py) hides the others while `#k-<kind>` or
`#t-<theme>` is the page's target.
"""

from __future__ import annotations

from sitegen.diff import PlanDiff
from sitegen.diff.model import AgencyChange, Change, Side, TargetChange, TargetSide
from sitegen.site import urls
from sitegen.site.derive import COMPARISONS_FILE, diff_deps
from sitegen.site.diffs import DiffSpec
from sitegen.site.pages.common import REGISTRY_FILES, Lookups, Page, number, plan_file, target_cell

STATUS_LABELS = {"unchanged": "未变", "reworded": "改写", "moved": "移动", "added": "新增", "removed": "删去",
                 "split": "拆分", "merged": "合并"}
TARGET_LABELS = {"unchanged": "未变", "up": "提高", "down": "降低", "changed": "口径不同", "added": "新增",
                 "removed": "删去"}
VERDICT_LABELS = {"better": "更好", "worse": "更差", "same": "持平"}
MATCHED = ("reworded", "moved", "split", "merged", "unchanged")


def diff_pages(lk: Lookups) -> list[Page]:
    pages = [_view(lk, spec) for spec in lk.idx.diffs]
    # Every diff's summary: rendered last (`late`), when the workers have made the diffs.
    pages.append(Page(urls.diffs(), "diffs.html", "变化", "各区计划逐年的变化，以及编辑选定的计划对比。",
                      lambda: _overview(lk), REGISTRY_FILES | {COMPARISONS_FILE} | {plan_file(p) for p in lk.site.plans},
                      crumbs=(("首页", urls.home()),), late=True))
    return pages


def _overview(lk: Lookups) -> dict:
    rows = [{"title": spec.title, "url": spec.url, "kind": spec.kind, "context": spec.context or "",
             "summary": _headline(lk.idx.diff_summary(spec))} for spec in lk.idx.diffs]
    return {"district": [r for r in rows if r["kind"] == "district"],
            "comparisons": [r for r in rows if r["kind"] == "comparison"]}


def _headline(summary: dict) -> str:
    counts = summary["measures"]
    parts = [f"{STATUS_LABELS[s]} {counts[s]}" for s in ("added", "removed", "reworded", "moved", "split", "merged")
             if counts.get(s)]
    return "，".join(parts) or "任务没有变化"


def _side(side: Side, plan_district: str, year: int, segments=None) -> dict:
    return {
        "id": side.id, "number": side.number or "", "label": side.label or "",
        "place": " › ".join(f"{n}{t}" for n, t in zip(side.place_numbers, side.place) if n or t),
        "segments": [{"op": s.op, "text": s.text} for s in segments] if segments else [],
        "text": side.text,
        "url": urls.measure(plan_district, year, side.id),
        "agencies": [{"name": m.name, "role": m.role, "role_class": m.role_class} for m in side.agencies],
    }


def _agency_change(c: AgencyChange) -> str:
    if c.change == "added":
        return f"新增 {c.new_name}（{c.new_role}）"
    if c.change == "removed":
        return f"不再列 {c.old_name}（{c.old_role}）"
    if c.change == "role":
        return f"{c.new_name or c.old_name}：{c.old_role} → {c.new_role}"
    return f"{c.old_name} → {c.new_name}（更名）"


def _change(lk: Lookups, spec: DiffSpec, c: Change) -> dict:
    if c.status == "unchanged" and c.unit == "measure":
        # Listed by its new text and link only (most of a year's tasks): no sides to show.
        side = c.new[0]
        return {"anchor": c.anchor, "status": c.status, "classes": _classes(c),
                "new": [{"text": side.text, "url": urls.measure(spec.new.district, spec.new.year, side.id)}],
                "agency_changes": [_agency_change(a) for a in c.agency_changes]}
    show_ops = c.text_changed and len(c.old) == 1 and len(c.new) == 1
    old = [_side(s, spec.old.district, spec.old.year, c.old_segments if show_ops else None) for s in c.old]
    new = [_side(s, spec.new.district, spec.new.year, c.new_segments if show_ops else None) for s in c.new]
    return {
        "anchor": c.anchor, "status": c.status, "status_label": STATUS_LABELS[c.status],
        "classes": _classes(c),
        "old": old, "new": new,
        "similarity": f"{round(c.similarity * 100)}%" if c.similarity is not None else "",
        "text_changed": c.text_changed, "moved": c.moved,
        "agency_changes": [_agency_change(a) for a in c.agency_changes],
    }


def _classes(c: Change) -> str:
    return " ".join([f"k-{k}" for k in c.kinds] + [f"t-{t}" for t in c.themes])


def _target_side(t: TargetSide | None) -> str:
    return "—" if t is None else target_cell(t)


def _target(spec: DiffSpec, t: TargetChange) -> dict:
    delta = ""
    if t.delta is not None and t.delta.direction != "same":
        sign = "+" if t.delta.absolute > 0 else "−"
        delta = f"{sign}{number(round(abs(t.delta.absolute), 4))}"
        if t.delta.relative is not None:
            delta += f"（{sign}{number(round(abs(t.delta.relative) * 100, 1))}%）"
    notes = [n for flag, n in ((t.unit_changed, "单位不同"), (t.qualifier_changed, "限定词不同"),
                               (t.range_changed, "区间不同")) if flag]
    return {
        "anchor": t.anchor, "metric": t.metric_name, "metric_url": urls.metric(t.metric), "scope": t.scope or "",
        "status": t.status, "status_label": TARGET_LABELS[t.status],
        "old": _target_side(t.old), "new": _target_side(t.new), "delta": delta,
        "verdict": VERDICT_LABELS[t.delta.verdict] if t.delta is not None and t.delta.direction != "same" else "",
        "verdict_class": t.delta.verdict if t.delta is not None else "",
        "notes": "，".join(notes),
        "old_url": urls.measure(spec.old.district, spec.old.year, t.old.host_id) if t.old else "",
        "new_url": urls.measure(spec.new.district, spec.new.year, t.new.host_id) if t.new else "",
        "old_words": t.old.words if t.old else "", "new_words": t.new.words if t.new else "",
    }


def _groups(diff: PlanDiff, changes: dict[str, dict]) -> list[dict]:
    """The matched tasks by the section they are in, changed ones apart from unchanged ones."""
    groups = []
    for g in diff.groups:
        matched = [changes[c.anchor] for c in g.changes if c.unit == "measure" and c.status in MATCHED]
        if matched:
            title = " › ".join(f"{n}{t}" for n, t in zip(g.numbers, g.title) if n or t) or "（未分部分）"
            old_title = " › ".join(t for t in (g.old_title or ()) if t)
            groups.append({"anchor": g.anchor, "title": title, "old_title": old_title,
                           "changes": [c for c in matched if c["status"] != "unchanged"],
                           "unchanged": [c for c in matched if c["status"] == "unchanged"]})
    return groups


def _agency_kinds(diff: PlanDiff, changes: dict[str, dict]) -> list[dict]:
    """Each agency kind's tasks gained, lost, with another role or under another name."""
    def items(xs):
        return [{"anchor": x.change.anchor, "text": (x.change.new or x.change.old)[0].text[:60],
                 "detail": "；".join(changes[x.change.anchor]["agency_changes"]) if x.change.anchor in changes
                 else ""} for x in xs]

    return [{"anchor": k.anchor, "label": k.label, "kept": k.kept, "gained": items(k.gained),
             "lost": items(k.lost), "role_changes": items(k.role_changes), "renames": items(k.renames),
             "filter": f"k-{k.kind}"} for k in diff.agencies]


def _diff_view(lk: Lookups, spec: DiffSpec, diff: PlanDiff) -> dict:
    changes = {c.anchor: _change(lk, spec, c) for c in diff.measures}
    groups = _groups(diff, changes)
    kinds = _agency_kinds(diff, changes)
    counts = diff.summary["measures"]
    context = {
        "spec": {"title": spec.title, "context": spec.context or "", "kind": spec.kind},
        "old": {"label": lk.plan_label(spec.old), "title": spec.old.title,
                "url": urls.plan(spec.old.district, spec.old.year)},
        "new": {"label": lk.plan_label(spec.new), "title": spec.new.title,
                "url": urls.plan(spec.new.district, spec.new.year)},
        "summary": [{"status": s, "label": STATUS_LABELS[s], "count": counts.get(s, 0)}
                    for s in ("unchanged", "reworded", "moved", "split", "merged", "added", "removed")],
        "goals": [_change(lk, spec, c) for c in diff.goals if c.status != "unchanged"],
        "targets": [_target(spec, t) for t in diff.targets],
        "groups": groups,
        "added": [changes[c.anchor] for c in diff.measures if c.status == "added"],
        "removed": [changes[c.anchor] for c in diff.measures if c.status == "removed"],
        "kinds": kinds,
        "filters": {"kinds": [{"id": f"k-{f.slug}", "label": f.label, "count": f.count} for f in diff.kinds],
                    "themes": [{"id": f"t-{f.slug}", "label": f.label, "count": f.count} for f in diff.themes]},
    }
    return context


def _view(lk: Lookups, spec: DiffSpec) -> Page:
    # The diff is made when the page is rendered (by the worker making its district's pages).
    context = lambda: _diff_view(lk, spec, lk.idx.diff(spec))  # noqa: E731
    if spec.kind == "comparison":
        crumbs = (("首页", urls.home()), ("变化", urls.diffs()))
    else:
        crumbs = (("首页", urls.home()), (lk.district_name(spec.new.district), urls.district(spec.new.district)))
    description = lambda: f"{spec.title}：任务{_headline(lk.idx.diff_summary(spec))}；指标与责任单位的变化。"  # noqa: E731
    return Page(spec.url, "diff.html", spec.title, description, context, diff_deps(spec), crumbs=crumbs,
                downloads=(("本页变化（JSON）", spec.data_url),), group=spec.group)
