"""`sitegen import` from start to end: read the source, split it, suggest, give ids, write, check, report.

draft_plan makes the draft in memory (source.py reads the file into a draft
tree; suggest.py adds agencies, themes and targets; ids.py the ids; emit.py
writes the YAML, which must load and validate as a Plan); import_plan writes
it where no file is, and returns the report (report.py).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from sitegen.content.faithful import Coverage, coverage_of
from sitegen.content.load import LoadError, load_file, parse_text
from sitegen.content.model import YEAR_MAX, YEAR_MIN, AgencyKind, District, Metric, Plan, Theme
from sitegen.content.registry import Registry
from sitegen.importer.agencies import AgencyReport
from sitegen.importer.cleanup import normalise, strip_furniture
from sitegen.importer.draft import Draft
from sitegen.importer.emit import emit
from sitegen.importer.errors import PlanImportError, StrictFailure
from sitegen.importer.ids import assign_ids
from sitegen.importer.report import report, warnings
from sitegen.importer.source import read_draft
from sitegen.importer.suggest import Rules, suggest
from sitegen.importer.targets import TargetRules
from sitegen.importer.themes import ThemeRules


@dataclass(frozen=True)
class Imported:
    """A draft made in memory: its YAML text, its tree, what the registry did not know, how faithful it is."""

    yaml: str
    draft: Draft
    unknown: Counter
    suggestions: dict[str, list[str]]
    plan: Plan
    agencies: AgencyReport
    coverage: Coverage

    @property
    def warnings(self) -> list[str]:
        """What the importer did not understand, in Chinese for editors; empty when all was understood."""
        return warnings(self.draft, self.coverage, self.agencies)


def import_plan(file: Path, district: str, year: int, content: Path, out: Path | None,
                strict: bool = False) -> str:
    """Write the draft of `file` (default content/plans/DISTRICT/YEAR.yaml) and return the report.

    With `strict`, an import with warnings writes nothing and raises StrictFailure with the report.
    """
    file, content = Path(file), Path(content)
    target = Path(out) if out is not None else content / "plans" / district / f"{year}.yaml"
    for existing in {target, target.with_suffix(".yml") if out is None else target}:
        if existing.exists():
            raise PlanImportError(_exists(existing))
    imported = draft_plan(file, district, year, content)
    if strict and imported.warnings:
        raise StrictFailure(report(imported, target, written=False), len(imported.warnings))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
            f.write(imported.yaml)
    except FileExistsError:
        raise PlanImportError(_exists(target)) from None
    except OSError as e:
        raise PlanImportError(f"无法写入 {target}（{e.strerror}）；请检查它所在的文件夹是否可写，"
                           "或用 --out 把草稿写到别处") from None
    return report(imported, target)


def _exists(path: Path) -> str:
    return f"{path} 已存在，不会覆盖它：请先把它移开，或用 --out 把草稿写到别处"


def draft_plan(file: Path, district: str, year: int, content: Path) -> Imported:
    """Read, split, suggest and write the draft in memory; checked to load and validate as a Plan."""
    file = Path(file)
    rules = _rules(content, district, year)
    text, draft = read_draft(file)
    agencies = suggest(draft, rules)
    if str(year) not in draft.title:
        draft.review.append(f"the title does not name the year {year}: is --year right?")
    assign_ids(draft)
    yaml_text = emit(draft, district=district, year=year, source_file=file.name)
    plan, data = _check(yaml_text, file)
    # the faithfulness figure of sitegen.content.faithful, against the source less its page furniture
    source = "\n".join(strip_furniture(normalise(text).split("\n"))[0])
    cov = coverage_of(data, source)
    suggestions = {name: rules.registry.suggest(name, district) for name in agencies.unknown}
    return Imported(yaml_text, draft, agencies.unknown, suggestions, plan, agencies, cov)


def _rules(content: Path, district: str, year: int) -> Rules:
    """The district checked, and the registries of `content` the suggestions are made from."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PlanImportError(f"年份 {year} 不合理：计划的年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间；请检查 --year")
    slugs = [d.slug for d in _registry(content, "districts.yaml", District)]
    if district not in slugs:
        close = difflib.get_close_matches(district, slugs, n=3, cutoff=0.5)
        hint = f"是否为 {' 或 '.join(close)}？" if close else "请先把它补入 content/districts.yaml"
        raise PlanImportError(f"未知的区 '{district}'（--district）：{hint}")
    return Rules(Registry(_registry(content, "agencies.yaml", AgencyKind)), district,
                 ThemeRules(_registry(content, "themes.yaml", Theme)),
                 TargetRules(_registry(content, "metrics.yaml", Metric)))


def _registry(content: Path, name: str, model):
    path = content / name
    if not path.is_file():
        raise PlanImportError(f"找不到 {path}：--content 指向的是内容文件夹吗？")
    try:
        doc = load_file(path)
        return tuple(TypeAdapter(list[model]).validate_python(doc.data or []))
    except LoadError as e:
        d = e.diagnostic
        raise PlanImportError(f"{d.path}:{d.line}:{d.col}: {d.message}；请先运行 `sitegen validate` 并改正它") from None
    except ValidationError:
        raise PlanImportError(f"{path} 的内容不合规定；请先运行 `sitegen validate` 并改正它") from None


def _check(yaml_text: str, file: Path) -> tuple[Plan, dict]:
    """The draft must read back and validate as a Plan; anything else is a bug in the importer."""
    try:
        doc = parse_text(yaml_text, "draft")
        return TypeAdapter(Plan).validate_python(doc.data), doc.data
    except LoadError as e:
        d = e.diagnostic
        problem = f"第 {d.line} 行：{d.message}"
    except ValidationError as e:
        problem = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()[:5])
    raise PlanImportError(f"{file}: 由这份原文生成的草稿未通过校验（{problem}）；"
                       "这是导入程序的缺陷，请连同原文一起报告")
