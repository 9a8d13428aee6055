"""A measure's agencies list against its printed clause (responsibility / supporting), as a reviewer
reads them: every listed name is in the clause, and every registry name in the clause is listed."""

from __future__ import annotations

import re

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.load import Document
from sitegen.content.model import Measure
from sitegen.content.registry import Registry
from sitegen.content.text import without_spaces


def check_clause(doc: Document, district: str, m: Measure, loc: tuple, registry: Registry,
                 names: dict, problems: list[Diagnostic]) -> None:
    """`names` keeps, per district, what _names_longest_first makes: pass one dict for a run."""
    fields = [(f, getattr(m, f)) for f in ("responsibility", "supporting") if getattr(m, f)]
    if not fields:
        return  # the plan prints no clause for this measure: nothing to hold the list against
    clause = "\n".join(without_spaces(v) for _, v in fields)
    for j, ref in enumerate(m.agencies):
        if without_spaces(ref.name) not in clause:
            where = "、".join(f for f, _ in fields)
            problems.append(doc.diag(loc + ("agencies", j, "name"),
                                     f"责任单位 '{ref.name}' 不在本措施的 {where} 原文中",
                                     f"agencies 只列原文写明的单位；对照 {where} 改正名称，或删去这一项",
                                     code="agency-not-in-clause"))
    listed = sorted({without_spaces(a.name) for a in m.agencies}, key=len, reverse=True)
    if (registry, district) not in names:  # once a district, not once a measure
        names[registry, district] = _names_longest_first(registry, district)
    ordered, any_name = names[registry, district]
    for field, value in fields:
        masked = without_spaces(value)
        # A listed name covers the shorter names inside it (区市场监管局 holds 市场监管局).
        for name in listed:
            masked = masked.replace(name, "\0" * len(name))
        if not any_name.search(masked):
            continue  # the usual case, found in one scan instead of one per name
        for name in ordered:
            if name and name in masked:
                masked = masked.replace(name, "\0" * len(name))
                line, col = doc.paragraph_line(loc + (field,), name)  # the caret under the name
                problems.append(Diagnostic(doc.path, line, col, f"{field} 原文写了 '{name}'，但 agencies 中没有它",
                                           f"在 agencies 中加上 {{name: {name}, role: …}}",
                                           "clause-agency-not-listed"))


def _names_longest_first(registry: Registry, district: str) -> tuple[list[str], re.Pattern]:
    """The district's registry names, longest first, and a pattern finding any of them."""
    ordered = sorted(registry.names_for(district), key=len, reverse=True)
    return ordered, re.compile("|".join(map(re.escape, filter(None, ordered))) or "(?!)")
