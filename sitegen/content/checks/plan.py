"""One plan on its own, against the registries: where it lives, its dates, ids, measures and targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.checks.clause import check_clause
from sitegen.content.checks.source import check_source
from sitegen.content.facts import sections_at
from sitegen.content.load import Document
from sitegen.content.messages import did_you_mean
from sitegen.content.model import Goal, Measure, Metric, Plan, Status, Target
from sitegen.content.registry import Registry
from sitegen.content.text import without_spaces


@dataclass
class Lookups:
    """What a plan is checked against. A registry that did not load is None: its own errors are
    reported, and the lookups against it are skipped rather than failing every plan."""

    content: Path
    districts: set[str] | None
    agencies: Registry | None
    themes: set[str] | None
    metrics: dict[str, Metric] | None
    # per district: the registry's names longest first, and a pattern finding any (made once a district)
    names: dict = field(default_factory=dict)


def check_plan(doc: Document, plan: Plan, known: Lookups, problems: list[Diagnostic], placed: bool = True) -> None:
    """Every rule of one plan. `placed`: the file is in content/plans/ and must sit where its district
    and year say (not so for a file given to `sitegen diff`, which may be anywhere)."""
    if placed:
        _check_place(doc, plan, problems)
    if plan.updated and plan.date and plan.updated < plan.date:
        problems.append(doc.diag(("updated",), f"'updated' {plan.updated} 早于计划的发布日期 {plan.date}",
                                 "`updated` 是本站最近一次更正这份计划的日期；请改正日期",
                                 code="updated-before-date"))
    if known.districts is not None and plan.district not in known.districts:
        problems.append(doc.diag(("district",), f"未知的区 '{plan.district}'",
                                 did_you_mean(plan.district, known.districts, "districts.yaml"),
                                 code="unknown-district"))
    if plan.source is None:
        if plan.status is not Status.draft:
            problems.append(doc.diag((), "缺少必填的键 'source'",
                                     "写明本计划依据的公开原文：source: {file: …}（只有草稿可以暂时没有）",
                                     code="missing-source"))
    else:
        check_source(doc, plan.source.file, known.content, problems)

    claim = _id_claims(doc, problems)
    for i, goal in enumerate(plan.goals):
        _check_goal(doc, goal, ("goals", i), claim, known, problems)
    for loc, section in sections_at(plan):
        claim(section.id, loc)
        for i, goal in enumerate(section.goals):
            _check_goal(doc, goal, loc + ("goals", i), claim, known, problems)
        for i, measure in enumerate(section.measures):
            mloc = loc + ("measures", i)
            claim(measure.id, mloc)
            _check_measure(doc, plan, measure, mloc, known, problems)


def _check_place(doc: Document, plan: Plan, problems: list[Diagnostic]) -> None:
    """A plan file lives at plans/<district>/<year>.yaml under the content folder."""
    rel = Path(doc.path)
    parts = rel.parts
    if len(parts) < 3 or parts[-3] != "plans":
        problems.append(doc.diag((), "计划文件不在区的文件夹中",
                                 f"请移到 content/plans/{plan.district}/{plan.year}.yaml", code="wrong-folder"))
        return
    folder, stem = parts[-2], rel.stem
    if folder != plan.district:
        problems.append(doc.diag(("district",), f"计划写的区是 '{plan.district}'，文件却在 plans/{folder}/ 中",
                                 f"把文件移到 content/plans/{plan.district}/{plan.year}.yaml，或改正 `district`",
                                 code="wrong-folder"))
    if stem != str(plan.year):
        problems.append(doc.diag(("year",), f"计划写的年份是 {plan.year}，文件名却是 {rel.name}",
                                 f"把文件命名为 {plan.year}.yaml，或改正 `year`", code="wrong-year-filename"))


def _id_claims(doc: Document, problems: list[Diagnostic]) -> Callable[[str | None, tuple], None]:
    """A function that takes each id of the plan with its location, reporting an id taken twice."""
    ids: dict[str, tuple] = {}

    def claim(id_: str | None, loc: tuple) -> None:
        if id_ is None:
            return
        if id_ in ids:
            line = doc.where(ids[id_] + ("id",))[0]
            problems.append(doc.diag(loc + ("id",), f"id '{id_}' 在本计划中用了两次（第一次在第 {line} 行）",
                                     "同一计划中 id 必须唯一；给这一条一个新 id（旧 id 永不改号）",
                                     code="duplicate-id"))
        else:
            ids[id_] = loc

    return claim


def _check_goal(doc: Document, goal: Goal, loc: tuple, claim, known: Lookups, problems: list[Diagnostic]) -> None:
    claim(goal.id, loc)
    for j, target in enumerate(goal.targets):
        _check_target(doc, target, goal.text, loc + ("targets", j), known, problems)


def _check_measure(doc: Document, plan: Plan, m: Measure, loc: tuple, known: Lookups,
                   problems: list[Diagnostic]) -> None:
    if not m.agencies and not m.no_agency:
        problems.append(doc.diag(loc, f"措施 '{m.id}' 没有列出责任单位",
                                 "用 `agencies:` 列出每个单位及其职责，计划未列明时写 `no_agency: true`",
                                 code="no-agency"))
    if m.agencies and m.no_agency:
        problems.append(doc.diag(loc + ("no_agency",), f"措施 '{m.id}' 既列了 agencies 又写了 no_agency: true",
                                 "两者只保留一个", key=True, code="agencies-and-no-agency"))
    if known.agencies is not None:
        for j, ref in enumerate(m.agencies):
            if known.agencies.resolve(ref.name, plan.district) is None:
                close = known.agencies.suggest(ref.name, plan.district)
                hint = (f"是不是 {' 或 '.join(repr(c) for c in close)}？" if close else "") + \
                    "如果名称没错，请把它加入 content/agencies.yaml（作为名称、别名或曾用名）"
                problems.append(doc.diag(loc + ("agencies", j, "name"), f"未知的责任单位 '{ref.name}'", hint,
                                         code="unknown-agency"))
        check_clause(doc, plan.district, m, loc, known.agencies, known.names, problems)
    if known.themes is not None:
        for j, theme in enumerate(m.themes):
            if theme not in known.themes:
                problems.append(doc.diag(loc + ("themes", j), f"未知的主题 '{theme}'",
                                         did_you_mean(theme, known.themes, "themes.yaml"), code="unknown-theme"))
    for j, target in enumerate(m.targets):
        _check_target(doc, target, m.text, loc + ("targets", j), known, problems)


def _check_target(doc: Document, t: Target, text: str, loc: tuple, known: Lookups,
                  problems: list[Diagnostic]) -> None:
    if known.metrics is not None:
        metric = known.metrics.get(t.metric)
        if metric is None:
            problems.append(doc.diag(loc + ("metric",), f"未知的指标 '{t.metric}'",
                                     did_you_mean(t.metric, known.metrics, "metrics.yaml"), code="unknown-metric"))
        elif t.unit != metric.unit and t.unit not in metric.unit_aliases:
            units = "'、'".join((metric.unit,) + metric.unit_aliases)
            problems.append(doc.diag(loc + ("unit",), f"单位 '{t.unit}' 与指标 '{t.metric}' 不符",
                                     f"请用 '{units}'，或换一个以 {t.unit} 计量的指标", code="unit-mismatch"))
    if t.value_max is not None and t.value_max < t.value:
        problems.append(doc.diag(loc + ("value_max",), f"value_max {t.value_max:g} 小于 value {t.value:g}",
                                 "范围写作 value: 下限，value_max: 上限", code="range-reversed"))
    if without_spaces(t.words) not in without_spaces(text):
        problems.append(doc.diag(loc + ("words",), f"指标原话 '{t.words}' 不在正文中",
                                 "从该指标所属的正文中原样复制这段话", code="target-words-not-in-text"))
