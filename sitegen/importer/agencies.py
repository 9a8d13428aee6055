"""Agencies and their roles read out of a responsibility clause, resolved through the agency registry.

A clause is split into names (、 ， 及 等, and 和 where the whole is not
itself a name) and roles (the role word that ends each comma-separated
segment; a unit prefix such as 牵头单位： gives the role of the segments after
it; otherwise the role the table's column header gives, 负责 by default).
Names are resolved through the registry; a name it cannot resolve is kept as
written, marked for review and reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sitegen.content.registry import Registry
from sitegen.importer.draft import AgencyDraft

# The role word that ends a segment of a clause, as the Role values of the model.
_ROLE_RE = re.compile(r"(按职责分工负责|依职责分工负责|分工负责|负责组织协调|组织协调|牵头|负责|配合|协助|参与)$")
_ROLE_OF = {"负责组织协调": "组织协调"}
_LEFTOVER = re.compile(r"(?:按照职责分工|按职责分工|依职责分工|按照职责|按职责|依职责|分工)$")
# A segment may start with the kind of unit it names (牵头单位：X；配合单位：Y): the role of that
# segment and of the ones after it, until the next such prefix or a role word.
PREFIX_ROLES = {
    "责任单位": None, "责任部门": None, "主责单位": "负责", "主责部门": "负责", "负责单位": "负责",
    "牵头单位": "牵头", "牵头部门": "牵头", "牵头": "牵头",
    "配合单位": "配合", "配合部门": "配合", "配合": "配合",
    "协办单位": "协助", "协助单位": "协助", "协作单位": "协助", "参与单位": "参与",
}
_PREFIX = re.compile("^(" + "|".join(sorted(PREFIX_ROLES, key=len, reverse=True)) + ")[:：]")


@dataclass
class AgencyReport:
    """Names the registry could not resolve, with how often and where they were written."""

    unknown: Counter = field(default_factory=Counter)
    resolved: int = 0  # names (each time written) the registry resolved
    not_understood: list[str] = field(default_factory=list)  # clauses with words left over


def parse_agencies(clause: str, default_role: str, registry: Registry, district: str,
                   report: AgencyReport) -> list[AgencyDraft]:
    s = re.sub(r"\s+", "", clause).strip("。；;，,")
    # 责任单位：X 配合单位：Y, printed with a space only: the prefix starts a segment all the same
    s = re.sub(r"(?<=[^，,；;])(?=(?:" + "|".join(p for p in PREFIX_ROLES if p.endswith(("单位", "部门")))
               + r")[:：])", "；", s)
    out: list[AgencyDraft] = []
    prefix_role = default_role
    for seg in re.split(r"[，,；;]", s):
        if p := _PREFIX.match(seg):
            prefix_role = PREFIX_ROLES[p.group(1)] or default_role
            seg = seg[p.end():]
        if not seg:
            continue
        m = _ROLE_RE.search(seg)
        role = _ROLE_OF.get(m.group(1), m.group(1)) if m else prefix_role
        names = _LEFTOVER.sub("", seg[:m.start()] if m else seg)
        if not names:
            continue
        for name, rest in split_names(names, registry, district):
            comment = None
            if rest:
                comment = f"review: words after the name not understood: “{rest}”; role taken as {role}"
            if rest or re.search(r"[:：（）()]", name):
                report.not_understood.append(clause)
            if registry.resolve(name, district) is None:
                report.unknown[name] += 1
                close = registry.suggest(name, district)
                comment = "review: unknown agency" + (f", did you mean {' or '.join(close)}?" if close else "")
            else:
                report.resolved += 1
            if not any(a.name == name and a.role == role for a in out):
                out.append(AgencyDraft(name, role, comment))
    return out


def split_names(names: str, registry: Registry, district: str) -> list[tuple[str, str]]:
    """`区食安办、农委及相关部门` -> names as written, each with any words left over after it.

    Enumeration commas split, unless a run of pieces is itself a name
    (区、街两级食安办); 及 and 等 split; 和 splits only where the whole is not a
    name but both sides are (区文化和旅游局 stays whole).
    """
    def known(n: str) -> bool:
        return registry.resolve(n, district) is not None

    tokens = [t for t in names.split("、") if t]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            cand = "、".join(tokens[i:j])
            if known(cand):
                out.append((cand, ""))
                i = j
                break
        else:
            out.extend(_split_connectors(tokens[i], known))
            i += 1
    return out


def _split_connectors(token: str, known) -> list[tuple[str, str]]:
    if known(token):
        return [(token, "")]
    pieces = [p for p in re.split(r"及|等", token) if p]
    out: list[tuple[str, str]] = []
    for p in pieces:
        if known(p):
            out.append((p, ""))
            continue
        halves = [(p[:k], p[k + 1:]) for k, ch in enumerate(p) if ch == "和"]
        both = next(((a, b) for a, b in halves if known(a) and known(b)), None)
        if both:
            out.extend([(both[0], ""), (both[1], "")])
            continue
        prefix = next((p[:k] for k in range(len(p) - 1, 1, -1) if known(p[:k])), None)
        out.append((prefix, p[len(prefix):]) if prefix else (p, ""))
    return out

