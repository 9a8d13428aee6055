"""The diff as a short report for a terminal (`sitegen diff --format text`)."""

from __future__ import annotations

from sitegen.diff.model import STATUSES, AgencyChange, Change, KindDiff, PlanDiff, Segment, TargetChange


def _num(x: float) -> str:
    return f"{x:g}"


def _marked(ops: tuple[Segment, ...]) -> str:
    # [-deleted-]{+inserted+}, as `git diff --word-diff` prints them.
    return "".join(s.text if s.op == "equal" else f"[-{s.text}-]" if s.op == "delete" else f"{{+{s.text}+}}"
                   for s in ops)


def _place(side) -> str:
    # An untitled item (1．) is known by its number.
    return " / ".join(t or n for t, n in zip(side.place, side.place_numbers))


def _ids(c: Change) -> str:
    old = "+".join(c.old_ids) or "—"
    new = "+".join(c.new_ids) or "—"
    return old if old == new else f"{old} → {new}"


def _agency_line(a: AgencyChange) -> str:
    if a.change == "added":
        return f"            + {a.new_name}（{a.new_role}）"
    if a.change == "removed":
        return f"            - {a.old_name}（{a.old_role}）"
    if a.change == "role":
        return f"            {a.new_name}: {a.old_role} → {a.new_role}"
    return f"            {a.old_name} → {a.new_name} (renamed)"


def _change_lines(c: Change) -> list[str]:
    head = f"  {c.status:<9} {c.unit:<7} {_ids(c)}"
    if c.similarity is not None and c.status != "unchanged":
        head += f"  ({c.similarity:.2f})"
    lines = [head]
    if c.status == "moved":
        lines.append(f"            {_place(c.old[0])} → {_place(c.new[0])}")
    if c.ops:
        lines.append(f"            {_marked(c.ops)}")
    elif c.status in ("added", "removed"):
        side = (c.new or c.old)[0]
        lines.append(f"            {side.text}")
    return lines + [_agency_line(a) for a in c.agency_changes]


def _target_line(t: TargetChange) -> str:
    name = t.metric + (f" [{t.scope}]" if t.scope else "")
    old = f"{_num(t.old.value)}{t.old.unit}" if t.old else "—"
    new = f"{_num(t.new.value)}{t.new.unit}" if t.new else "—"
    extra = ""
    if t.delta is not None and t.delta.direction != "same":
        rel = f", {t.delta.relative:+.1%}" if t.delta.relative is not None else ""
        extra = f"  ({t.delta.absolute:+g}{rel}, {t.delta.verdict})"
    elif t.status == "changed":
        what = [w for w, flag in (("unit", t.unit_changed), ("qualifier", t.qualifier_changed),
                                  ("range", t.range_changed)) if flag]
        extra = f"  ({', '.join(what)} changed: not computed)"
    return f"  {t.status:<9} {name}: {old} → {new}{extra}"


def _kind_line(k: KindDiff) -> str:
    parts = [f"{len(k.gained)} gained", f"{len(k.lost)} lost", f"{len(k.role_changes)} role changes"]
    if k.renames:
        parts.append(f"{len(k.renames)} renamed")
    return f"  {k.label} ({k.kind}): " + ", ".join(parts)


def to_text(d: PlanDiff) -> str:
    lines = [f"{d.old.key} → {d.new.key}" + ("" if d.same_district else "  (different districts)")]
    for what in ("measures", "goals"):
        counts = d.summary[what]
        lines.append(f"{what}: " + (", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) or "none"))
    for c in d.measures + d.goals:
        if c.changed:
            lines += _change_lines(c)
    if d.targets:
        lines.append("targets:")
        lines += [_target_line(t) for t in d.targets]
    if d.agencies:
        lines.append("agencies:")
        lines += [_kind_line(k) for k in d.agencies]
    return "\n".join(lines) + "\n"
