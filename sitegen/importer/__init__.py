"""`sitegen import`: turn a plan's extracted text, or its Word file, into a draft plan YAML to review.

    sitegen import content/sources/005_….txt --district hedong --year 2025 [--strict]

The draft is a starting point, never a publication: page furniture is
removed, the text is split into parts, items and measures, page breaks are
mended, agencies and roles are read from the responsibility clauses or
columns, and themes and targets are suggested. Everything a machine guesses
is marked `# review:` in the file; the report says, in Chinese, what was
found, how much of the source the draft carries (sitegen.content.faithful's
coverage) and every text not understood. What to check is in
docs/importing.md. The importer never writes over a file.

The work is split over the modules of this package: text (the draft tree,
page furniture and breaks, prose plans), table (table plans, columns by
meaning), docx (Word files), suggest (agencies, themes, targets) and emit
(ids, and writing the YAML with its review comments).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from sitegen.content.faithful import _HAN, Coverage, coverage_of
from sitegen.content.load import LoadError, load_file, parse_text
from sitegen.content.model import YEAR_MAX, YEAR_MIN, AgencyKind, District, Metric, Plan, Theme
from sitegen.content.registry import Registry
from sitegen.importer import docx
from sitegen.importer.emit import assign_ids, emit
from sitegen.importer.suggest import AgencyReport, TargetRules, ThemeRules, parse_agencies
from sitegen.importer.table import is_table, parse_table
from sitegen.importer.text import Draft, ParseError, SectionDraft, normalise, parse_prose, strip_furniture

__all__ = ["ImportError_", "Imported", "StrictFailure", "import_plan", "draft_plan", "parse"]


class ImportError_(Exception):  # noqa: N801 - named so as not to shadow the builtin ImportError
    """The import cannot be done; the message says why, for the command line."""




COVERAGE_FLOOR = 0.97  # below this share of the source's Chinese characters, the report warns
GAP_HAN = 8  # and above it, still warns of a run of this many Chinese characters the draft does not carry


class StrictFailure(ImportError_):
    """--strict and the import has warnings: nothing written; the report says why."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


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
        out = list(self.draft.warnings)
        cov = self.coverage
        if cov.ratio < COVERAGE_FLOOR:
            shown = "；".join(f"“{g[:40]}{'…' if len(g) > 40 else ''}”" for g in cov.gaps[:3])
            out.append(f"原文汉字覆盖率 {cov.ratio:.1%}，低于 {COVERAGE_FLOOR:.0%}：原文有文字没有进入草稿，"
                       "请对照原文补齐" + (f"。未进入的文字如：{shown}" if shown else ""))
        elif gaps := [g for g in cov.gaps if len(_HAN.findall(g)) >= GAP_HAN]:
            out.append(f"原文有 {len(gaps)} 段文字没有进入草稿，请对照原文补齐："
                       + "；".join(f"“{g[:40]}{'…' if len(g) > 40 else ''}”" for g in gaps[:3]))
        clauses = list(dict.fromkeys(self.agencies.not_understood))
        if clauses:
            out.append(f"{len(clauses)} 处责任单位的写法未能完全读懂（草稿中已加 # review 标注），如："
                       + "；".join(f"“{c[:40]}”" for c in clauses[:3]))
        empty = [m for m in self.draft.measures() if m.responsibility and not m.agencies]
        if empty:
            out.append(f"{len(empty)} 条举措的责任单位条款没有读出任何单位，如：“{empty[0].responsibility[:40]}”")
        return out


def import_plan(file: Path, district: str, year: int, content: Path, out: Path | None,
                strict: bool = False) -> str:
    """Write the draft of `file` (default content/plans/DISTRICT/YEAR.yaml) and return the report.

    With `strict`, an import with warnings writes nothing and raises StrictFailure with the report.
    """
    file, content = Path(file), Path(content)
    target = Path(out) if out is not None else content / "plans" / district / f"{year}.yaml"
    for existing in {target, target.with_suffix(".yml") if out is None else target}:
        if existing.exists():
            raise ImportError_(f"{existing} already exists; refusing to overwrite it "
                               "(move it away, or pass --out to write the draft elsewhere)")
    imported = draft_plan(file, district, year, content)
    if strict and imported.warnings:
        raise StrictFailure(report(imported, target, written=False))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
            f.write(imported.yaml)
    except FileExistsError:
        raise ImportError_(f"{target} already exists; refusing to overwrite it "
                           "(move it away, or pass --out to write the draft elsewhere)") from None
    except OSError as e:
        raise ImportError_(f"cannot write {target}: {e.strerror}") from None
    return report(imported, target)


def draft_plan(file: Path, district: str, year: int, content: Path) -> Imported:
    """Read, split, suggest and write the draft in memory; checked to load and validate as a Plan."""
    file = Path(file)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ImportError_(f"year {year} is not plausible (a plan year is between {YEAR_MIN} and {YEAR_MAX})")
    districts = _registry(content, "districts.yaml", District)
    slugs = [d.slug for d in districts]
    if district not in slugs:
        close = difflib.get_close_matches(district, slugs, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else \
            "; add it to content/districts.yaml first"
        raise ImportError_(f"unknown district '{district}'{hint}")
    registry = Registry(_registry(content, "agencies.yaml", AgencyKind))
    themes = ThemeRules(_registry(content, "themes.yaml", Theme))
    targets = TargetRules(_registry(content, "metrics.yaml", Metric))

    try:
        if file.suffix.lower() == ".docx":
            try:
                document = docx.read(file)
            except docx.DocxError as e:
                raise ImportError_(str(e)) from None
            text = docx.text_of(document)
            draft = docx.parse_docx(document)
            if draft is None:
                draft = parse(text)
            else:
                draft.status = "征求意见稿" if "征求意见稿" in text else "正式"
        else:
            text = _read(file)
            draft = parse(text)
    except ParseError as e:
        raise ImportError_(f"{file}: {e}") from None

    agencies = AgencyReport()
    _suggest(draft, registry, district, themes, targets, agencies)
    if str(year) not in draft.title:
        draft.review.append(f"the title does not name the year {year}: is --year right?")
    assign_ids(draft)
    yaml_text = emit(draft, district=district, year=year, source_file=file.name)
    plan, data = _check(yaml_text, file)
    # the faithfulness figure of sitegen.content.faithful, against the source less its page furniture
    source = "\n".join(strip_furniture(normalise(text).split("\n"))[0])
    cov = coverage_of(data, source)
    suggestions = {name: registry.suggest(name, district) for name in agencies.unknown}
    return Imported(yaml_text, draft, agencies.unknown, suggestions, plan, agencies, cov)


def parse(text: str) -> Draft:
    """The text of a plan, either shape, as a draft tree (no agencies, themes or ids yet)."""
    lines, removed = strip_furniture(normalise(text).split("\n"))
    text = "\n".join(lines)
    table = is_table(text)
    tabbed = [ln.strip() for ln in lines if ln.startswith("\t") and ln.strip()]
    try:
        draft = parse_table(text) if table else parse_prose(text)
    except ParseError as e:
        if table or len(tabbed) < 8:
            raise
        raise ParseError(f"{e}; the text has table cells, but no header row naming its columns was found "
                         f"(it starts: {' / '.join(tabbed[:6])}); see the column names docs/importing.md "
                         "lists") from None
    if not table and len(tabbed) >= 8:  # cells of a table whose columns were not recognised
        draft.warnings.append("文中有表格（以制表符开头的单元格），但未能从列名认出序号、举措、责任单位等列，"
                              f"已按正文导入，请核对。表格开头：{' / '.join(tabbed[:6])}")
    draft.status = "征求意见稿" if "征求意见稿" in text else "正式"
    draft.furniture = removed
    return draft


def report(imported: Imported, target: Path, written: bool = True) -> str:
    """What was imported, for the editor, in Chinese: measures, agencies, coverage, and every warning."""
    d = imported.draft
    sections = d.sections()
    measures = d.measures()
    goals = d.goals()
    n_targets = sum(len(m.targets) for m in measures) + sum(len(g.targets) for g in goals)
    no_agency = sum(1 for m in measures if not m.agencies)
    cov = imported.coverage
    shape = {"table": "表格", "prose": "正文"}[d.shape]
    lines = [
        f"已写入 {target}：草稿（{shape}，{d.status}），请对照原文审核" if written
        else f"未写入 {target}（--strict：有警告）",
        f"  举措 {len(measures)} 条（{len(d.parts)} 个部分，{len(sections) - len(d.parts)} 个条目，"
        f"目标 {len(goals)} 条，建议指标 {n_targets} 个）",
        f"  单位：{imported.agencies.resolved} 处已按 content/agencies.yaml 识别，"
        f"{len(imported.unknown)} 个名称未识别",
    ]
    if imported.unknown:
        lines.append("  未识别的单位名称（已照原文写入；请更正，或补入 content/agencies.yaml）：")
        for name, count in imported.unknown.most_common():
            close = imported.suggestions.get(name) or []
            hint = f" — 是否为 {' 或 '.join(close)}？" if close else ""
            lines.append(f"    {name}（{count} 次）{hint}")
    if no_agency:
        lines.append(f"  {no_agency} 条举措未写责任单位（no_agency: true），请核对原文")
    lines.append(f"  原文汉字覆盖率 {cov.ratio:.1%}（{cov.covered}/{cov.total} 字）")
    if d.furniture:
        forms = "、".join(f"“{f}”" for f in list(dict.fromkeys(d.furniture))[:3])
        lines.append(f"  已删除页码、页眉页脚 {len(d.furniture)} 行，如 {forms}")
    warnings = imported.warnings
    if warnings:
        lines.append(f"警告 {len(warnings)} 条：")
        lines.extend(f"  ⚠ {w}" for w in warnings)
    lines.append("下一步：按 docs/importing.md 逐项审核，然后运行 `sitegen validate`" if written
                 else "下一步：按警告核对原文；不加 --strict 再导入，草稿中会带上这些 # review 标注")
    return "\n".join(lines)


# --- steps ---------------------------------------------------------------------------------


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise ImportError_(f"cannot read {file}: {e.strerror}") from None
    if raw.startswith(b"%PDF"):  # before decoding: a PDF may well decode as GB18030
        raise ImportError_(f"{file} is a PDF: extract its text first (or import the Word file, .docx)")
    if raw.startswith(b"\xd0\xcf\x11\xe0") or raw.startswith(b"PK\x03\x04"):
        raise ImportError_(f"{file} is an office file: save it as Word (.docx) and import that")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_(f"{file} is neither UTF-8 nor GB18030 text; save it as UTF-8")


def _registry(content: Path, name: str, model):
    path = content / name
    if not path.is_file():
        raise ImportError_(f"{path} not found (is --content the content folder?)")
    try:
        doc = load_file(path)
        return tuple(TypeAdapter(list[model]).validate_python(doc.data or []))
    except LoadError as e:
        d = e.diagnostic
        raise ImportError_(f"{d.path}:{d.line}:{d.col}: {d.message}; run `sitegen validate`") from None
    except ValidationError:
        raise ImportError_(f"{path} is not valid; run `sitegen validate` and fix it first") from None


def _suggest(draft: Draft, registry: Registry, district: str, themes: ThemeRules, targets: TargetRules,
             report_: AgencyReport) -> None:
    def walk(sections: list[SectionDraft], context: str) -> None:
        for s in sections:
            here = f"{context}{s.title or ''}"
            for g in s.goals:
                g.targets = targets.suggest(g.text)
            for m in s.measures:
                table = draft.shape == "table"
                if m.responsibility:
                    m.agencies = parse_agencies(m.responsibility, m.lead_role, registry, district, report_)
                if m.supporting:
                    m.agencies += [a for a in parse_agencies(m.supporting, m.support_role, registry, district, report_)
                                   if not any(b.name == a.name and b.role == a.role for b in m.agencies)]
                if not table and m.responsibility and not m.agencies:
                    m.review.append("the responsibility clause names no agency the importer could read")
                m.themes = themes.suggest(f"{m.label or ''}{m.text}", here)
                m.targets = targets.suggest(m.text)
            walk(s.items, here)

    walk(draft.parts, "")


def _check(yaml_text: str, file: Path) -> tuple[Plan, dict]:
    """The draft must read back and validate as a Plan; anything else is a bug in the importer."""
    try:
        doc = parse_text(yaml_text, "draft")
        return TypeAdapter(Plan).validate_python(doc.data), doc.data
    except LoadError as e:
        d = e.diagnostic
        problem = f"line {d.line}: {d.message}"
    except ValidationError as e:
        problem = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()[:5])
    raise ImportError_(f"{file}: the draft made from this text does not validate ({problem}); "
                       "this is a bug in the importer, please report it with the text")
