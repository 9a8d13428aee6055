"""What needs several plan files: one plan a district a year, `was` links, comparisons."""

from __future__ import annotations

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.facts import Facts
from sitegen.content.load import Document
from sitegen.content.messages import did_you_mean
from sitegen.content.model import Comparison

# A plan as these checks read it: its file, and its Facts (which a cached plan has without being unpickled).
Checked = list[tuple[Document, Facts]]


def check_one_plan_a_year(plans: Checked, problems: list[Diagnostic]) -> None:
    seen: dict[tuple[str, int], Document] = {}
    for doc, f in plans:
        key = (f.district, f.year)
        if key in seen:
            problems.append(doc.diag(("year",), f"{f.district} {f.year} 年有第二份计划（第一份是 {seen[key].path}）",
                                     "一个区一年只有一份计划；请删除或重命名其中一个文件", code="duplicate-plan"))
        else:
            seen[key] = doc


def check_was(plans: Checked, files: set[tuple[str, int]], problems: list[Diagnostic]) -> None:
    """`was` names an id of the district's previous plan: that is what the diff links.
    `files`: (district, year) of every plan file, loaded or not."""
    loaded = {(f.district, f.year): f for _, f in plans}
    files = files | set(loaded)
    for doc, f in plans:
        if not f.was:
            continue
        before = [y for d, y in files if d == f.district and y < f.year]
        if not before:
            for loc, _ in f.was:
                problems.append(doc.diag(loc, f"'was' 指向更早的计划，但 {f.district} 在 {f.year} 年之前没有计划",
                                         "删去 `was:`；它用来把措施连到上一年的 id",
                                         code="was-without-earlier-plan"))
            continue
        previous = loaded.get((f.district, max(before)))
        if previous is None:
            continue  # the previous plan did not load; its own errors say why
        for loc, id_ in f.was:
            if id_ not in previous.ids:
                problems.append(doc.diag(loc, f"'was: {id_}' 不是 {previous.year} 年计划中的 id",
                                         did_you_mean(id_, previous.ids,
                                                      f"plans/{previous.district}/{previous.year}.yaml"),
                                         code="was-unknown-id"))


def check_comparisons(doc: Document, records: list[Comparison], plans: Checked, files: set[tuple[str, int]],
                      districts: set[str] | None, problems: list[Diagnostic]) -> None:
    """Each comparison names two different plans that exist. `districts`: None when districts.yaml
    did not load (then an unknown district is reported as one without plans)."""
    years: dict[str, list[int]] = {}
    # A plan file that failed to load still exists: its own errors say what is wrong.
    for district, year in {(f.district, f.year) for _, f in plans} | files:
        years.setdefault(district, []).append(year)
    for i, c in enumerate(records):
        for side in ("old", "new"):
            district, year = getattr(c, side).split("/")
            if district not in years:
                if districts is None or district in districts:
                    problems.append(doc.diag((i, side), f"区 '{district}' 没有计划",
                                             "只能比较 content/plans/ 中已有的计划", code="comparison-no-plans"))
                else:
                    problems.append(doc.diag((i, side), f"未知的区 '{district}'",
                                             did_you_mean(district, districts, "districts.yaml"),
                                             code="unknown-district"))
            elif int(year) not in years[district]:
                have = "、".join(str(y) for y in sorted(years[district]))
                problems.append(doc.diag((i, side), f"{district} 没有 {year} 年的计划",
                                         f"{district} 有这些年份的计划：{have}", code="comparison-unknown-plan"))
        if c.old == c.new:
            problems.append(doc.diag((i, "new"), f"比较 '{c.slug}' 把 {c.old} 与它自己比较",
                                     "在 `old` 和 `new` 中写两份不同的计划", code="comparison-with-itself"))
