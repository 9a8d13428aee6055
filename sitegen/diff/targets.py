"""Targets of two plans paired by metric and scope wherever they sit, and each pair compared."""

from __future__ import annotations

from sitegen.content.model import Metric
from sitegen.content.text import without_spaces as squash
from sitegen.diff import match as M
from sitegen.diff.compare import compare_target, target_side
from sitegen.diff.model import TargetChange, TargetSide

Spot = tuple[TargetSide, tuple]  # a target and its place (goals first, then measures, in plan order)


def _spots(measures: list[M.Unit], goals: list[M.Unit]) -> list[tuple[str, TargetSide, tuple]]:
    out = []
    for host, us in (("goal", goals), ("measure", measures)):
        for u in us:
            out += [(t.metric, target_side(t, host, u.id), (0 if host == "goal" else 1, u.position, k))
                    for k, t in enumerate(u.obj.targets)]
    return out


def _linked(om, nm, og, ng, mm: M.Matching, gm: M.Matching) -> set[tuple[str, str, str]]:
    """(host kind, old id, new id) of every pair of hosts the matching linked."""
    linked: set[tuple[str, str, str]] = set()
    for host, olds, news, m in (("measure", om, nm, mm), ("goal", og, ng, gm)):
        for lk in m.links:
            linked |= {(host, olds[i].id, news[j].id) for i in lk.old for j in lk.new}
    return linked


def _paired(metric: str, olds: list[Spot], news: list[Spot], linked: set) -> list[tuple[tuple, object, object, str]]:
    """One metric and scope's targets paired: hosts linked first, then in order; the rest added or removed."""
    os_, ns_ = list(olds), list(news)
    pairs = []
    for o in list(os_):
        n = next((n for n in ns_ if o[0].host == n[0].host
                  and (o[0].host, o[0].host_id, n[0].host_id) in linked), None)
        if n is not None:
            os_.remove(o)
            ns_.remove(n)
            pairs.append(((0, n[1]), o[0], n[0], metric))
    for o, n in zip(os_, ns_):
        pairs.append(((0, n[1]), o[0], n[0], metric))
    for n in ns_[len(os_):]:
        pairs.append(((0, n[1]), None, n[0], metric))
    for o in os_[len(ns_):]:
        pairs.append(((1, o[1]), o[0], None, metric))
    return pairs


def target_changes(om: list[M.Unit], nm: list[M.Unit], og: list[M.Unit], ng: list[M.Unit],
                   mm: M.Matching, gm: M.Matching, metrics: dict[str, Metric]) -> list[TargetChange]:
    """Targets matched by metric and scope wherever they sit; a pair whose hosts are matched goes first."""
    linked = _linked(om, nm, og, ng, mm, gm)
    groups: dict[tuple[str, str], tuple[list, list]] = {}
    for which, found in ((0, _spots(om, og)), (1, _spots(nm, ng))):
        for metric, s, pos in found:
            groups.setdefault((metric, squash(s.scope or "")), ([], []))[which].append((s, pos))
    pairs = [p for (metric, _), (os_, ns_) in groups.items() for p in _paired(metric, os_, ns_, linked)]
    pairs.sort(key=lambda p: p[0])
    seen: dict[str, int] = {}
    out = []
    for _, o, n, metric in pairs:
        seen[metric] = seen.get(metric, 0) + 1
        anchor = f"target-{metric}" + (f"-{seen[metric]}" if seen[metric] > 1 else "")
        out.append(compare_target(anchor, metrics.get(metric), metric, o, n))
    return out
