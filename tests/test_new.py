"""`sitegen new`: next year's plan starts from the latest one, ids kept."""

from __future__ import annotations


from click.testing import CliRunner

from sitegen.cli import main
from sitegen.validate import load_site




def test_new_plan_keeps_ids_sets_draft_and_validates(content):
    # `updated` dates a correction of one publication; the new draft is not that publication
    last = content / "plans" / "hedong" / "2024.yaml"
    last.write_text(last.read_text(encoding="utf-8").replace("status: 征求意见稿", "status: 征求意见稿\nupdated: 2024-05-01", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--content", str(content), "--district", "hedong", "--year", "2025"])
    assert result.exit_code == 0, result.output
    site = load_site(content).site
    old = next(p for p in site.plans if p.key == "hedong/2024")
    new = next(p for p in site.plans if p.key == "hedong/2025")
    assert new.status.value == "草稿"
    assert new.source is None and new.date is None and new.updated is None and old.updated is not None
    assert "2025" in new.title and "2024" not in new.title
    assert [m.id for m in new.measures()] == [m.id for m in old.measures()]


def test_new_plan_refuses_to_overwrite(content):
    args = ["new", "--content", str(content), "--district", "hedong", "--year", "2024"]
    before = (content / "plans" / "hedong" / "2024.yaml").read_bytes()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "已存在" in result.output
    assert (content / "plans" / "hedong" / "2024.yaml").read_bytes() == before


def test_new_plan_needs_an_earlier_plan(content):
    result = CliRunner().invoke(main, ["new", "--content", str(content), "--district", "hedong", "--year", "2019"])
    assert result.exit_code == 1 and "没有区 'hedong' 更早的计划" in result.output
