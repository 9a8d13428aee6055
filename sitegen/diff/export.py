"""The diff as JSON-ready data (docs/diff-format.md is its reference)."""

from __future__ import annotations

from sitegen.diff.model import Change, KindItem, PlanDiff, Side, TargetChange, TargetSide

FORMAT_VERSION = 1


def to_json(d: PlanDiff) -> dict:
    return {
        "format": FORMAT_VERSION,
        "old": _plan(d.old),
        "new": _plan(d.new),
        "same_district": d.same_district,
        "summary": d.summary,
        "measures": [_change(c) for c in d.measures],
        "goals": [_change(c) for c in d.goals],
        "targets": [_target(t) for t in d.targets],
        "agencies": [{
            "kind": k.kind,
            "label": k.label,
            "anchor": k.anchor,
            "gained": [_item(i) for i in k.gained],
            "lost": [_item(i) for i in k.lost],
            "role_changes": [_item(i) for i in k.role_changes],
            "renames": [_item(i) for i in k.renames],
            "kept": k.kept,
        } for k in d.agencies],
    }


def _plan(p) -> dict:
    return {"key": p.key, "district": p.district, "year": p.year, "title": p.title}


def _change(c: Change) -> dict:
    return {
        "anchor": c.anchor,
        "status": c.status,
        "old_id": c.old_id,
        "new_id": c.new_id,
        "old_ids": list(c.old_ids),
        "new_ids": list(c.new_ids),
        "link": c.link,
        "similarity": c.similarity,
        "text_changed": c.text_changed,
        "moved": c.moved,
        "ops": [[s.op, s.text] for s in c.ops],
        "agencies": [{k: v for k, v in vars(a).items() if v is not None} for a in c.agency_changes],
        "old": [_side(s) for s in c.old],
        "new": [_side(s) for s in c.new],
        "kinds": list(c.kinds),
        "themes": list(c.themes),
    }


def _side(s: Side) -> dict:
    return {
        "id": s.id,
        "number": s.number,
        "text": s.text,
        "place": list(s.place),
        "agencies": [{"kind": m.kind, "name": m.name, "role": m.role} for m in s.agencies],
    }


def _target(t: TargetChange) -> dict:
    return {
        "anchor": t.anchor,
        "metric": t.metric,
        "metric_name": t.metric_name,
        "scope": t.scope,
        "status": t.status,
        "old": _tside(t.old),
        "new": _tside(t.new),
        "delta": None if t.delta is None else {
            "absolute": t.delta.absolute,
            "relative": None if t.delta.relative is None else round(t.delta.relative, 6),
            "direction": t.delta.direction,
            "verdict": t.delta.verdict,
        },
        "unit_changed": t.unit_changed,
        "qualifier_changed": t.qualifier_changed,
        "range_changed": t.range_changed,
    }


def _tside(s: TargetSide | None) -> dict | None:
    if s is None:
        return None
    return {"value": s.value, "value_max": s.value_max, "unit": s.unit, "qualifier": s.qualifier,
            "words": s.words, "host": s.host, "host_id": s.host_id}


def _item(i: KindItem) -> dict:
    out = {"anchor": i.change.anchor, "status": i.change.status, "old_id": i.change.old_id,
           "new_id": i.change.new_id}
    for k in ("old_name", "new_name", "old_role", "new_role"):
        if getattr(i, k) is not None:
            out[k] = getattr(i, k)
    return out
