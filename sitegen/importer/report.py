"""What the editor reads after an import, in Chinese: what was found, how faithful the draft is, every warning.

A warning is text the importer did not understand (docs/importing.md lists
them); with --strict any warning stops the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.content.faithful import Coverage
from sitegen.content.text import HAN_CHAR
from sitegen.importer.agencies import AgencyReport
from sitegen.importer.draft import Draft

if TYPE_CHECKING:
    from sitegen.importer.pipeline import Imported

COVERAGE_FLOOR = 0.97  # below this share of the source's Chinese characters, the report warns
GAP_HAN = 8  # and above it, still warns of a run of this many Chinese characters the draft does not carry


def warnings(draft: Draft, coverage: Coverage, agencies: AgencyReport) -> list[str]:
    """What the importer did not understand, in Chinese for editors; empty when all was understood."""
    out = list(draft.warnings)
    out += _coverage_warnings(coverage)
    clauses = list(dict.fromkeys(agencies.not_understood))
    if clauses:
        out.append(f"{len(clauses)} 处责任单位的写法未能完全读懂（草稿中已加 # review 标注），如："
                   + "；".join(f"“{c[:40]}”" for c in clauses[:3]))
    empty = [m for m in draft.measures() if m.responsibility and not m.agencies]
    if empty:
        out.append(f"{len(empty)} 条举措的责任单位条款没有读出任何单位，如：“{empty[0].responsibility[:40]}”")
    return out


def _coverage_warnings(cov: Coverage) -> list[str]:
    if cov.ratio < COVERAGE_FLOOR:
        shown = "；".join(_quote(g) for g in cov.gaps[:3])
        return [f"原文汉字覆盖率 {cov.ratio:.1%}，低于 {COVERAGE_FLOOR:.0%}：原文有文字没有进入草稿，"
                "请对照原文补齐" + (f"。未进入的文字如：{shown}" if shown else "")]
    if gaps := [g for g in cov.gaps if len(HAN_CHAR.findall(g)) >= GAP_HAN]:
        return [f"原文有 {len(gaps)} 段文字没有进入草稿，请对照原文补齐：" + "；".join(_quote(g) for g in gaps[:3])]
    return []


def _quote(gap: str) -> str:
    return f"“{gap[:40]}{'…' if len(gap) > 40 else ''}”"


def report(imported: Imported, target: Path, written: bool = True) -> str:
    """What was imported, for the editor, in Chinese: measures, agencies, coverage, and every warning."""
    d = imported.draft
    cov = imported.coverage
    shape = {"table": "表格", "prose": "正文"}[d.shape]
    lines = [f"已写入 {target}：草稿（{shape}；原文为{d.status}），请对照原文审核；"
             f"审核完成后把 status 改为 {d.status}，计划才会出现在正式网站上" if written
             else f"未写入 {target}（--strict：有警告）"]
    lines += _found(imported)
    lines.append(f"  原文汉字覆盖率 {cov.ratio:.1%}（{cov.covered}/{cov.total} 字）")
    if d.furniture:
        forms = "、".join(f"“{f}”" for f in list(dict.fromkeys(d.furniture))[:3])
        lines.append(f"  已删除页码、页眉页脚 {len(d.furniture)} 行，如 {forms}")
    found = imported.warnings
    if found:
        lines.append(f"警告 {len(found)} 条：")
        lines.extend(f"  ⚠ {w}" for w in found)
    lines.append("下一步：按 docs/importing.md 逐项审核，然后运行 `sitegen validate`" if written
                 else "下一步：按警告核对原文；不加 --strict 再导入，草稿中会带上这些 # review 标注")
    return "\n".join(lines)


def _found(imported: Imported) -> list[str]:
    """The counts: measures, parts, items, goals, suggested targets; agencies known and not."""
    d = imported.draft
    measures, goals = d.measures(), d.goals()
    n_targets = sum(len(m.targets) for m in measures) + sum(len(g.targets) for g in goals)
    lines = [
        f"  举措 {len(measures)} 条（{len(d.parts)} 个部分，{len(d.sections()) - len(d.parts)} 个条目，"
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
    no_agency = sum(1 for m in measures if not m.agencies)
    if no_agency:
        lines.append(f"  {no_agency} 条举措未写责任单位（no_agency: true），请核对原文")
    return lines
