"""The draft tree `sitegen import` builds: plain dataclasses, before ids, themes and targets are set.

A Draft holds parts (SectionDraft), which hold items, goals and measures.
Parsing fills in the words; suggest.py the agencies, themes and targets;
ids.py the ids; emit.py writes the tree as YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AgencyDraft:
    name: str
    role: str
    comment: str | None = None  # a `# review:` remark on this agency's line


@dataclass
class TargetDraft:
    metric: str
    value: float
    unit: str
    words: str
    value_max: float | None = None
    qualifier: str | None = None


@dataclass
class MeasureDraft:
    text: str
    number: str | None = None
    label: str | None = None
    responsibility: str | None = None
    supporting: str | None = None
    task_type: str | None = None
    lead_role: str = "负责"  # the role of a name in `responsibility` with no role word of its own
    support_role: str = "配合"  # the same for `supporting`
    note: str | None = None  # cells of columns the model has no field for (完成时限, 备注)
    id: str = ""
    agencies: list[AgencyDraft] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    targets: list[TargetDraft] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # remarks written as comments above the measure


@dataclass
class GoalDraft:
    text: str
    number: str | None = None
    id: str = ""
    targets: list[TargetDraft] = field(default_factory=list)


@dataclass
class SectionDraft:
    number: str | None = None
    title: str | None = None
    text: str | None = None
    goals: list[GoalDraft] = field(default_factory=list)
    items: list[SectionDraft] = field(default_factory=list)
    measures: list[MeasureDraft] = field(default_factory=list)
    id: str = ""
    review: list[str] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    shape: str
    status: str = "正式"
    subtitle: str | None = None
    issuer: str | None = None
    date: str | None = None  # YYYY-MM-DD
    publicity: str | None = None
    follows: str | None = None
    columns: list[str] = field(default_factory=list)
    heading: str | None = None
    notice: str | None = None
    intro: str | None = None
    closing: str | None = None
    parts: list[SectionDraft] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # plan-level remarks
    # what the importer read but did not understand, for the report (in Chinese, for editors)
    warnings: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # page numbers and running headers removed

    def sections(self) -> list[SectionDraft]:
        out: list[SectionDraft] = []

        def walk(secs: list[SectionDraft]) -> None:
            for s in secs:
                out.append(s)
                walk(s.items)

        walk(self.parts)
        return out

    def measures(self) -> list[MeasureDraft]:
        return [m for s in self.sections() for m in s.measures]

    def goals(self) -> list[GoalDraft]:
        return [g for s in self.sections() for g in s.goals]

