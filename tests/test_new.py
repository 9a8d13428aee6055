"""`sitegen new`: next year's plan starts from the latest one, ids kept."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import next_year

from sitegen.cli import main
from sitegen.content import load_site


def test_new_plan_keeps_ids_sets_draft_and_validates(content):
    year = next_year(content, "hedong")  # 2025, unless an editor has started it already
    # `updated` dates a correction of one publication; the new draft is not that publication
    last = content / "plans" / "hedong" / f"{year - 1}.yaml"
    last.write_text(re.sub(r"^(status: .*)$", r"\1\nupdated: 2024-05-01", last.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--content", str(content), "--district", "hedong", "--year", str(year)])
    assert result.exit_code == 0, result.output
    site = load_site(content).site
    old = next(p for p in site.plans if p.key == f"hedong/{year - 1}")
    new = next(p for p in site.plans if p.key == f"hedong/{year}")
    assert new.status.value == "草稿"
    assert new.source is None and new.date is None and new.updated is None and old.updated is not None
    assert str(year) in new.title and str(year - 1) not in new.title
    assert [m.id for m in new.measures()] == [m.id for m in old.measures()]


def test_new_plan_refuses_to_overwrite(content):
    args = ["new", "--content", str(content), "--district", "hedong", "--year", "2024"]
    before = (content / "plans" / "hedong" / "2024.yaml").read_bytes()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.startswith("错误：") and "已存在" in result.output
    assert (content / "plans" / "hedong" / "2024.yaml").read_bytes() == before


def test_new_plan_needs_an_earlier_plan(content):
    result = CliRunner().invoke(main, ["new", "--content", str(content), "--district", "hedong", "--year", "2019"])
    assert result.exit_code == 1 and "没有区 'hedong' 更早的计划" in result.output
