"""Comparing what was paired: characters of a text, agencies by kind, targets by metric and scope."""

from __future__ import annotations

from rapidfuzz.distance import Indel

from sitegen.content.model import AgencyRef, Metric, Target
from sitegen.content.registry import Registry
from sitegen.diff.model import AgencyChange, Delta, Mention, Segment, TargetChange, TargetSide

# --- characters ----------------------------------------------------------------------


def char_ops(old: str, new: str) -> tuple[Segment, ...]:
    """Character runs to show a rewording with <del> and <ins>.

    Indel opcodes give the longest common subsequence; a single equal character
    between two edits (a stray 的 or ，) is folded into them, as diff-match-patch's
    semantic cleanup does, so an edit reads as a phrase replaced, not confetti.
    """
    raw: list[list] = []
    for op in Indel.opcodes(old, new):
        if op.tag in ("delete", "replace"):
            raw.append(["delete", old[op.src_start:op.src_end]])
        if op.tag in ("insert", "replace"):
            raw.append(["insert", new[op.dest_start:op.dest_end]])
        if op.tag == "equal":
            raw.append(["equal", old[op.src_start:op.src_end]])
    changed = True
    while changed:
        changed = False
        for k in range(1, len(raw) - 1):
            if raw[k][0] == "equal" and len(raw[k][1]) <= 1 and raw[k - 1][0] != "equal" \
                    and raw[k + 1][0] != "equal":
                text = raw[k][1]
                raw[k:k + 1] = [["delete", text], ["insert", text]]
                raw = _coalesce(raw)
                changed = True
                break
    return tuple(Segment(op, text) for op, text in _coalesce(raw) if text)


def _coalesce(raw: list[list]) -> list[list]:
    """Within each run of edits, all deleted text first, then all inserted text."""
    out: list[list] = []
    dels: list[str] = []
    ins: list[str] = []

    def flush() -> None:
        if dels:
            out.append(["delete", "".join(dels)])
        if ins:
            out.append(["insert", "".join(ins)])
        dels.clear()
        ins.clear()

    for op, text in raw:
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1][1] += text
            else:
                out.append(["equal", text])
        else:
            (dels if op == "delete" else ins).append(text)
    flush()
    return out


# --- agencies --------------------------------------------------------------------------


def mentions(refs: tuple[AgencyRef, ...], district: str, registry: Registry,
             cache: dict | None = None) -> tuple[Mention, ...]:
    cache = {} if cache is None else cache
    out = []
    for ref in refs:
        key = (ref.name, ref.role, district)
        m = cache.get(key)
        if m is None:
            hit = registry.resolve(ref.name, district)
            if hit is None:  # only for unchecked plans; a validated plan resolves every name
                m = Mention(ref.name, ref.name, ref.name, ref.role.value, ref.role.role_class, False)
            else:
                m = Mention(hit.kind.slug, hit.kind.label, ref.name, ref.role.value, ref.role.role_class,
                            hit.former)
            cache[key] = m
        out.append(m)
    return tuple(out)


def by_kind(ms) -> dict[str, Mention]:
    out: dict[str, Mention] = {}
    for m in ms:
        out.setdefault(m.kind, m)
    return out


def agency_changes(old: tuple[Mention, ...], new: tuple[Mention, ...],
                   order: dict[str, int]) -> tuple[AgencyChange, ...]:
    """Compared by kind: a former name of the same kind is a rename, not one agency out and one in."""
    if old == new:  # most measures of a year-on-year diff name the same agencies (the same Mentions)
        return ()
    o, n = by_kind(old), by_kind(new)
    out = []
    for kind in sorted(o.keys() | n.keys(), key=lambda k: (order.get(k, len(order)), k)):
        a, b = o.get(kind), n.get(kind)
        if b is None:
            out.append(AgencyChange(kind, a.label, "removed", old_name=a.name, old_role=a.role))
        elif a is None:
            out.append(AgencyChange(kind, b.label, "added", new_name=b.name, new_role=b.role))
        else:
            if a.role != b.role:
                out.append(AgencyChange(kind, a.label, "role", a.name, b.name, a.role, b.role))
            # Only a former name on either side makes a rename (区卫计委 → 区卫生健康委, or the same read
            # backwards); an alias is a spelling, and across districts names differ by nature
            # (公安红桥分局, 公安武清分局).
            if a.name != b.name and (a.former or b.former):
                out.append(AgencyChange(kind, a.label, "renamed", a.name, b.name, a.role, b.role))
    return tuple(out)


# --- targets ------------------------------------------------------------------------------


def target_side(t: Target, host: str, host_id: str) -> TargetSide:
    return TargetSide(t.value, t.value_max, t.unit, t.qualifier, t.scope, t.words, host, host_id)


def compare_target(anchor: str, metric: Metric | None, metric_slug: str, old: TargetSide | None,
                   new: TargetSide | None) -> TargetChange:
    name = metric.name if metric else metric_slug
    scope = (new or old).scope
    if old is None or new is None:
        return TargetChange(anchor, metric_slug, name, scope, "added" if old is None else "removed", old, new, None)
    # Units are compared as written: even a registered spelling (份/千人 for 批次/千人) is shown for a
    # reader to judge rather than computed.
    unit_changed = old.unit != new.unit
    qualifier_changed = (old.qualifier or "") != (new.qualifier or "")
    range_changed = old.value_max is not None or new.value_max is not None
    if range_changed and (old.value, old.value_max) == (new.value, new.value_max):
        range_changed = False  # the same range on both sides
    if unit_changed or qualifier_changed or range_changed:
        # A changed unit or qualifier is shown, not computed: 98% 以上 and 98% 不低于 are not a delta.
        return TargetChange(anchor, metric_slug, name, scope, "changed", old, new, None,
                            unit_changed, qualifier_changed, range_changed)
    absolute = new.value - old.value
    relative = absolute / old.value if old.value else None
    direction = "up" if absolute > 0 else "down" if absolute < 0 else "same"
    higher = metric.higher_is_better if metric else True
    verdict = "same" if direction == "same" else "better" if (direction == "up") == higher else "worse"
    status = "unchanged" if direction == "same" else direction
    return TargetChange(anchor, metric_slug, name, scope, status, old, new,
                        Delta(_clean(absolute), relative, direction, verdict))


def _clean(x: float) -> float:
    # 6.9 - 4.7 is 2.2000000000000006 in binary floating point; plans print at most a few decimals.
    return round(x, 6)
