"""What an editor must confirm, put on each measure and goal of a draft: agencies, themes, targets.

The rules are in agencies.py (names and roles from a clause, through the
agency registry), themes.py and targets.py; this walks the draft and applies
them, counting what the registry did not know for the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.content.registry import Registry
from sitegen.importer.agencies import AgencyReport, parse_agencies
from sitegen.importer.draft import Draft, MeasureDraft, SectionDraft
from sitegen.importer.targets import TargetRules
from sitegen.importer.themes import ThemeRules


@dataclass(frozen=True)
class Rules:
    """What suggestions are made from: content/'s agencies, themes and metrics, for one district."""

    registry: Registry
    district: str
    themes: ThemeRules
    targets: TargetRules


def suggest(draft: Draft, rules: Rules) -> AgencyReport:
    """Set the agencies, themes and targets of every measure and goal; what the registry did not know."""
    report = AgencyReport()

    def walk(sections: list[SectionDraft], context: str) -> None:
        for s in sections:
            here = f"{context}{s.title or ''}"
            for g in s.goals:
                g.targets = rules.targets.suggest(g.text)
            for m in s.measures:
                _measure(m, here, draft.shape == "table", rules, report)
            walk(s.items, here)

    walk(draft.parts, "")
    return report


def _measure(m: MeasureDraft, context: str, table: bool, rules: Rules, report: AgencyReport) -> None:
    """A measure's agencies from its clause or cells, its themes (by its section's titles when its own
    words name none) and its targets."""
    if m.responsibility:
        m.agencies = parse_agencies(m.responsibility, m.lead_role, rules.registry, rules.district, report)
    if m.supporting:
        m.agencies += [a for a in parse_agencies(m.supporting, m.support_role, rules.registry, rules.district, report)
                       if not any(b.name == a.name and b.role == a.role for b in m.agencies)]
    if not table and m.responsibility and not m.agencies:
        m.review.append("the responsibility clause names no agency the importer could read")
    m.themes = rules.themes.suggest(f"{m.label or ''}{m.text}", context)
    m.targets = rules.targets.suggest(m.text)
