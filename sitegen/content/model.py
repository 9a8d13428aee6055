"""The typed, immutable model of the content: what every later stage reads.

Pydantic gives typed records, error locations that map back to file:line,
and a JSON Schema for editors, from one definition. Every record forbids
unknown keys (as Zola does): a misspelt key is an error, not a blank page.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
YEAR_MIN, YEAR_MAX = 2000, 2099


def _number_to_text(v: object) -> object:
    # `number: 48` is as natural to write as `number: "48"`; both mean the printed "48".
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return v


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Printed = Annotated[str, BeforeValidator(_number_to_text), StringConstraints(min_length=1)]


def _one_or_many(v: object) -> object:
    # `was: old-id` is the usual case; a list is for a measure merged from several.
    return (v,) if isinstance(v, str) else v


_SLUG_SCHEMA = {"type": "string", "pattern": SLUG_PATTERN}
Was = Annotated[
    tuple[Slug, ...],
    BeforeValidator(_one_or_many),
    WithJsonSchema({"anyOf": [_SLUG_SCHEMA, {"type": "array", "items": _SLUG_SCHEMA, "minItems": 1}],
                    "description": "the id (or ids) this had in the district's previous plan, when the id changed"}),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- registries ---------------------------------------------------------------


def _former_slugs():
    return Field((), description="slugs this entry had before a rename; their URLs redirect to the new ones")


class District(Record):
    slug: Slug
    former_slugs: tuple[Slug, ...] = _former_slugs()
    name: Text
    city: Text | None = None


class LocalNames(Record):
    name: Text | None = None
    aliases: tuple[Text, ...] = ()
    former: tuple[Text, ...] = ()


class AgencyKind(Record):
    slug: Slug
    former_slugs: tuple[Slug, ...] = _former_slugs()
    label: Text = Field(description="the kind, as shown on cross-district pages, e.g. 市场监管")
    name: Text = Field(description="the usual name of a district's instance, e.g. 区市场监管局")
    aliases: tuple[Text, ...] = ()
    former: tuple[Text, ...] = ()
    collective: bool = False
    local: dict[Slug, LocalNames] = Field(default_factory=dict)

    def instance_name(self, district: str) -> str:
        local = self.local.get(district)
        return local.name if local and local.name else self.name


class Theme(Record):
    slug: Slug
    former_slugs: tuple[Slug, ...] = _former_slugs()
    name: Text
    description: Text | None = None


class Metric(Record):
    slug: Slug
    name: Text
    unit: Text
    unit_aliases: tuple[Text, ...] = ()
    higher_is_better: bool = True
    description: Text | None = None


# --- plans ----------------------------------------------------------------------


class Status(str, Enum):
    final = "正式"
    consultation = "征求意见稿"
    draft = "草稿"


class Role(str, Enum):
    responsible = "负责"
    leads = "牵头"
    coordinates = "组织协调"
    shared = "按职责分工负责"
    shared_by_duty = "依职责分工负责"
    shared_work = "分工负责"
    supports = "配合"
    assists = "协助"
    takes_part = "参与"

    @property
    def role_class(self) -> Literal["lead", "shared", "support"]:
        return _ROLE_CLASS[self]


_ROLE_CLASS: dict[Role, Literal["lead", "shared", "support"]] = {
    Role.responsible: "lead",
    Role.leads: "lead",
    Role.coordinates: "lead",
    Role.shared: "shared",
    Role.shared_by_duty: "shared",
    Role.shared_work: "shared",
    Role.supports: "support",
    Role.assists: "support",
    Role.takes_part: "support",
}


class TaskType(str, Enum):
    key = "重点工作任务"
    ongoing = "长期推进工作"


class Source(Record):
    file: Text = Field(description="file name in content/sources/")
    url: Text | None = None
    heading: Text | None = Field(None, description="lines printed above the title, e.g. 附件")


class Target(Record):
    metric: Slug
    value: float
    value_max: float | None = None
    unit: Text
    qualifier: Text | None = None
    scope: Text | None = None
    words: Text = Field(description="the words of the plan this target comes from, verbatim")


class AgencyRef(Record):
    name: Text = Field(description="the agency's name exactly as the plan writes it")
    role: Role


class Measure(Record):
    id: Slug
    was: Was = ()
    number: Printed | None = None
    label: Text | None = None
    text: Text
    responsibility: Text | None = None
    supporting: Text | None = None
    agencies: tuple[AgencyRef, ...] = ()
    no_agency: bool = False
    task_type: TaskType | None = None
    themes: tuple[Slug, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = ()
    note: Text | None = None


class Goal(Record):
    id: Slug
    was: Was = ()
    number: Printed | None = None
    text: Text
    targets: tuple[Target, ...] = ()


class Section(Record):
    """A part (一、), an item (（一）) or a sub-item (1．): the plan's own nesting."""

    id: Slug | None = None
    number: Printed | None = None
    title: Text | None = None
    text: Text | None = None
    goals: tuple[Goal, ...] = ()
    items: tuple[Section, ...] = ()
    measures: tuple[Measure, ...] = ()
    note: Text | None = None


class Plan(Record):
    title: Text
    subtitle: Text | None = None
    district: Slug
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    status: Status
    issuer: Text | None = None
    date: dt.date | None = None
    updated: dt.date | None = Field(None, description="the day this transcription last changed in substance "
                                    "(a correction, a new status); feeds announce the change with it")
    publicity: Text | None = None
    follows: Text | None = None
    shape: Literal["prose", "table"] | None = None
    columns: tuple[Text, ...] = ()
    source: Source | None = None
    notice: Text | None = None
    intro: Text | None = None
    goals: tuple[Goal, ...] = ()
    parts: tuple[Section, ...] = Field(min_length=1)
    closing: Text | None = None
    notes: Text | None = None

    @property
    def key(self) -> str:
        return f"{self.district}/{self.year}"

    def sections(self) -> list[tuple[tuple[Section, ...], Section]]:
        """Every section, depth first, with its ancestors."""
        out: list[tuple[tuple[Section, ...], Section]] = []
        # An explicit stack, not a closure that calls itself (a reference cycle made on every call).
        stack: list[tuple[tuple[Section, ...], tuple[Section, ...]]] = [(self.parts, ())]
        while stack:
            sections, trail = stack.pop()
            for k, s in enumerate(sections):
                out.append((trail, s))
                if s.items:  # its items come next, before its later siblings
                    stack.append((sections[k + 1:], trail))
                    stack.append((s.items, trail + (s,)))
                    break
        return out

    def measures(self) -> list[Measure]:
        return [m for _, s in self.sections() for m in s.measures]

    def all_goals(self) -> list[Goal]:
        return list(self.goals) + [g for _, s in self.sections() for g in s.goals]


# --- comparisons ----------------------------------------------------------------


PLAN_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}/[0-9]{4}$"
PlanKey = Annotated[str, StringConstraints(pattern=PLAN_KEY_PATTERN)]


class Comparison(Record):
    """An editor-configured diff of any two plans (content/comparisons.yaml)."""

    slug: Slug
    title: Text
    context: Text = Field(description="a sentence saying what is compared, and what to keep in mind")
    old: PlanKey = Field(description="district/year, e.g. jizhou/2018")
    new: PlanKey = Field(description="district/year, e.g. hongqiao/2020")


# --- the whole site -----------------------------------------------------------------


class SiteInfo(Record):
    """content/site.yaml: what the site calls itself and where it is published."""

    title: Text = "食品安全监管计划"
    description: Text = "各区食品安全监管计划：每项任务由谁负责、指标是多少、年年有何变化。"
    base_url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")] = Field(
        "https://example.org", description="the published address, for canonical links, the sitemap and feeds")



class Site(BaseModel):
    """Everything loaded and checked; what derive and render read."""

    model_config = ConfigDict(frozen=True)

    districts: tuple[District, ...]
    agencies: tuple[AgencyKind, ...]
    themes: tuple[Theme, ...]
    metrics: tuple[Metric, ...]
    plans: tuple[Plan, ...]
    info: SiteInfo = SiteInfo()
    about: str = ""  # content/pages/about.md, Markdown
    comparisons: tuple[Comparison, ...] = ()
