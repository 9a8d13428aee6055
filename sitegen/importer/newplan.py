"""`sitegen new`: start next year's plan from the district's latest one.

The file is copied as text, not re-dumped, so comments, key order and the
editor's layout survive; only top-level header keys are rewritten. Ids are
kept so that next year's diff lines measures up with this year's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitegen.common.diagnostics import ContentError
from sitegen.content import check_plan_file


class NewPlanError(Exception):
    pass


# Header keys that describe one publication; they do not carry over to a new plan.
_DROP = ("date", "updated", "source", "notice", "publicity", "issuer")


def new_plan(content: Path, district: str, year: int) -> Path:
    folder = content / "plans" / district
    target = folder / f"{year}.yaml"
    if target.exists() or target.with_suffix(".yml").exists():
        raise NewPlanError(f"{target} 已存在，不会覆盖它")
    earlier = sorted((int(p.stem), p) for p in folder.glob("*.y*ml") if p.stem.isascii() and p.stem.isdigit() and int(p.stem) < year)
    if not earlier:
        raise NewPlanError(f"{folder} 中没有区 '{district}' 更早的计划；"
                           "第一份计划请手写，或用 `sitegen import` 从原文生成")
    last_year, last = earlier[-1]
    try:
        doc, _ = check_plan_file(last)  # a plan that is not one would only be copied on
    except ContentError as e:
        shown = "\n".join(f"{d.path}:{d.line}:{d.col}: {d.message}" for d in e.diagnostics)
        raise NewPlanError(f"{shown}\n新计划从这份计划开始：请先改正它") from None
    text = last.read_text(encoding="utf-8-sig")
    lines = _drop_top_level(text.splitlines(keepends=True), _DROP)
    out = "".join(lines)
    out = _set_top_level(out, "year", str(year))
    out = _set_top_level(out, "status", "草稿")
    title = doc.data["title"]
    if str(last_year) in title:
        out = _set_top_level(out, "title", json.dumps(title.replace(str(last_year), str(year)), ensure_ascii=False))
    header = f"# Started with `sitegen new` from {last.name}: update the text, targets and agencies.\n"
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(header + out)
    return target


def _set_top_level(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^{key}:[^\n]*$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: f"{key}: {value}", text, count=1)
    return f"{key}: {value}\n" + text


def _drop_top_level(lines: list[str], keys: tuple[str, ...]) -> list[str]:
    """Remove top-level `key:` entries with their indented continuation lines."""
    out, skipping = [], False
    for line in lines:
        top = bool(line) and not line[0].isspace() and not line.startswith("#")
        if top:
            skipping = any(line.startswith(f"{k}:") for k in keys)
        if not skipping:
            out.append(line)
    return out
