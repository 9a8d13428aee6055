"""The diff of two plans: plain frozen records that pages, the CLI and JSON read.

Every change carries a stable `anchor` (built from ids and slugs only, never
from positions that move when a plan is renumbered) and the filter keys a page
needs: the agency kinds and themes on either side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Op = Literal["equal", "delete", "insert"]
Status = Literal["unchanged", "reworded", "moved", "added", "removed", "split", "merged"]
STATUSES: tuple[str, ...] = ("unchanged", "reworded", "moved", "added", "removed", "split", "merged")
TargetStatus = Literal["unchanged", "up", "down", "changed", "added", "removed"]
TARGET_STATUSES: tuple[str, ...] = ("unchanged", "up", "down", "changed", "added", "removed")
AgencyChangeKind = Literal["added", "removed", "role", "renamed"]


@dataclass(frozen=True)
class Segment:
    """A run of characters: equal on both sides, only in the old text (<del>), or only in the new (<ins>)."""

    op: Op
    text: str


@dataclass(frozen=True)
class Mention:
    """An agency named on a measure, resolved to its registry kind."""

    kind: str  # agency kind slug (the name itself if the registry does not know it)
    label: str  # the kind's label, e.g. 市场监管
    name: str  # as written in the plan
    role: str  # as in the plan, e.g. 牵头
    role_class: str  # lead / shared / support
    former: bool  # written with a name the agency no longer uses


@dataclass(frozen=True)
class Side:
    """A measure or goal as it stands in one of the two plans."""

    id: str
    number: str | None
    label: str | None
    text: str
    place: tuple[str, ...]  # section titles, outermost first (numbers left out: renumbering is no change)
    place_numbers: tuple[str, ...]  # the printed numbers of those sections, for display
    agencies: tuple[Mention, ...] = ()
    themes: tuple[str, ...] = ()
    position: int = 0  # order in its plan


@dataclass(frozen=True)
class AgencyChange:
    kind: str
    label: str
    change: AgencyChangeKind  # added, removed, role (changed), renamed (same kind, another name)
    old_name: str | None = None
    new_name: str | None = None
    old_role: str | None = None
    new_role: str | None = None


@dataclass(frozen=True)
class Change:
    """One measure (or goal) and what became of it."""

    unit: Literal["measure", "goal"]
    anchor: str
    status: Status
    old: tuple[Side, ...]  # none for added; several for merged
    new: tuple[Side, ...]  # none for removed; several for split
    link: Literal["was", "id", "text"] | None  # how old and new were paired
    similarity: float | None  # 0..1 over the text without whitespace; None for added / removed
    text_changed: bool = False
    moved: bool = False  # in another part or item (matched by title, not number)
    ops: tuple[Segment, ...] = ()  # when the text changed: old = equal+delete, new = equal+insert
    agency_changes: tuple[AgencyChange, ...] = ()
    kinds: tuple[str, ...] = ()  # agency kinds on either side (filter key)
    themes: tuple[str, ...] = ()  # themes on either side (filter key)

    @property
    def old_id(self) -> str | None:
        return self.old[0].id if self.old else None

    @property
    def new_id(self) -> str | None:
        return self.new[0].id if self.new else None

    @property
    def old_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.old)

    @property
    def new_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.new)

    @property
    def old_segments(self) -> tuple[Segment, ...]:
        """The old text as runs: equal ones plain, the rest for <del>."""
        return tuple(s for s in self.ops if s.op != "insert")

    @property
    def new_segments(self) -> tuple[Segment, ...]:
        """The new text as runs: equal ones plain, the rest for <ins>."""
        return tuple(s for s in self.ops if s.op != "delete")

    @property
    def changed(self) -> bool:
        """Anything a reader should see: status other than unchanged, or an agency change."""
        return self.status != "unchanged" or bool(self.agency_changes)


@dataclass(frozen=True)
class TargetSide:
    value: float
    value_max: float | None
    unit: str
    qualifier: str | None
    scope: str | None
    words: str
    host: Literal["measure", "goal"]
    host_id: str


@dataclass(frozen=True)
class Delta:
    absolute: float
    relative: float | None  # None when the old value is 0
    direction: Literal["up", "down", "same"]
    verdict: Literal["better", "worse", "same"]  # by the metric's direction (higher_is_better)


@dataclass(frozen=True)
class TargetChange:
    anchor: str
    metric: str
    metric_name: str
    scope: str | None
    status: TargetStatus
    old: TargetSide | None
    new: TargetSide | None
    delta: Delta | None  # None when added, removed, or not comparable
    unit_changed: bool = False
    qualifier_changed: bool = False
    range_changed: bool = False  # a range on one side: shown, not computed


@dataclass(frozen=True)
class KindItem:
    """One measure in an agency kind's part of the diff."""

    change: Change
    old_name: str | None = None
    new_name: str | None = None
    old_role: str | None = None
    new_role: str | None = None


@dataclass(frozen=True)
class KindDiff:
    """What changed for one kind of agency (e.g. 市场监管)."""

    kind: str
    label: str
    anchor: str
    gained: tuple[KindItem, ...] = ()  # measures it carries now and did not before
    lost: tuple[KindItem, ...] = ()
    role_changes: tuple[KindItem, ...] = ()
    renames: tuple[KindItem, ...] = ()
    kept: int = 0  # matched measures it carries on both sides


@dataclass(frozen=True)
class Group:
    """The changes of one section, for a page: new sections in new order, then old ones that are gone."""

    anchor: str
    title: tuple[str, ...]  # section titles, outermost first
    numbers: tuple[str, ...]
    old_title: tuple[str, ...] | None  # the matched old section's titles, when they differ
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class FilterKey:
    slug: str
    label: str
    count: int  # changes (status other than unchanged, or with agency changes) carrying it


@dataclass(frozen=True)
class PlanRef:
    key: str
    district: str
    year: int
    title: str


@dataclass(frozen=True)
class PlanDiff:
    old: PlanRef
    new: PlanRef
    same_district: bool
    measures: tuple[Change, ...]  # in new-plan order, removed ones after their old neighbour
    goals: tuple[Change, ...]
    targets: tuple[TargetChange, ...]
    agencies: tuple[KindDiff, ...]  # kinds with any change, in registry order
    groups: tuple[Group, ...]
    kinds: tuple[FilterKey, ...] = ()
    themes: tuple[FilterKey, ...] = ()
    summary: dict[str, dict[str, int]] = field(default_factory=dict)  # measures / goals / targets -> counts
