"""Drafts (status 草稿), as Hugo does them: left out of a plain build, shown by --drafts,
`sitegen serve` and deploy previews; and no tool trips over a plan that has no source yet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import next_year

from sitegen.cli import main
from sitegen.content.faithful import NoSource, check

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "minimal"  # alpha/2024 is a 草稿


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def built_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))


def test_a_plain_build_leaves_drafts_out(tmp_path):
    out = tmp_path / "public"
    result = run("build", "--content", str(FIXTURE), "--out", str(out))
    assert result.exit_code == 0
    assert "未含草稿 1 份" in result.output
    assert (out / "plans" / "alpha" / "2023" / "index.html").is_file()
    assert not (out / "plans" / "alpha" / "2024").exists()
    assert "/plans/alpha/2024/" not in built_text(out), "a published page links to a draft"


def test_drafts_are_built_with_the_flag(tmp_path):
    out = tmp_path / "public"
    result = run("build", "--content", str(FIXTURE), "--out", str(out), "--drafts")
    assert result.exit_code == 0 and "未含草稿" not in result.output
    page = (out / "plans" / "alpha" / "2024" / "index.html").read_text(encoding="utf-8")
    assert "草稿" in page


@pytest.fixture
def with_draft(content) -> tuple[Path, str]:
    """The project's content plus next year's plan started by `sitegen new`: a draft without source.
    Returns the content folder and the draft's key."""
    year = next_year(content, "hedong")
    result = run("new", "--content", str(content), "--district", "hedong", "--year", str(year))
    assert result.exit_code == 0, result.output
    text = (content / "plans" / "hedong" / f"{year}.yaml").read_text(encoding="utf-8")
    assert "status: 草稿" in text and "\nsource:" not in text
    return content, f"hedong/{year}"


def test_validate_accepts_a_draft_without_source(with_draft):
    content, _ = with_draft
    result = run("validate", "--content", str(content))
    assert result.exit_code == 0 and "其中草稿" in result.output and "其中草稿 0 份" not in result.output


def test_build_leaves_the_new_draft_out_and_drafts_put_it_in(with_draft, tmp_path):
    content, key = with_draft
    assert run("build", "--content", str(content), "--out", str(tmp_path / "a")).exit_code == 0
    assert not (tmp_path / "a" / "plans" / key).exists()
    assert run("build", "--content", str(content), "--out", str(tmp_path / "b"), "--drafts").exit_code == 0
    assert (tmp_path / "b" / "plans" / key / "index.html").is_file()


def test_a_comparison_with_a_draft_waits_for_it(with_draft, tmp_path):
    content, key = with_draft
    with open(content / "comparisons.yaml", "a", encoding="utf-8") as f:
        f.write(f"\n- slug: hedong-next\n  old: hedong/2024\n  new: {key}\n  title: 河东区两年比较\n"
                "  context: 同一个区相邻两年的计划。\n")
    assert run("validate", "--content", str(content)).exit_code == 0
    assert run("build", "--content", str(content), "--out", str(tmp_path / "a")).exit_code == 0
    assert not (tmp_path / "a" / "compare" / "hedong-next").exists()
    assert run("build", "--content", str(content), "--out", str(tmp_path / "b"), "--drafts").exit_code == 0
    assert (tmp_path / "b" / "compare" / "hedong-next" / "index.html").is_file()


def test_faithful_report_skips_a_plan_without_source(with_draft):
    content, key = with_draft
    with pytest.raises(NoSource):
        check(content / "plans" / f"{key}.yaml", content / "sources")
    proc = subprocess.run([sys.executable, "-m", "sitegen.content.faithful", str(content)], capture_output=True,
                          text=True, cwd=ROOT)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert key in proc.stdout and "未检查" in proc.stdout
    assert proc.stdout.count("not in source") == 5  # the five published plans are still checked


def test_content_tests_list_only_plans_with_a_source(with_draft):
    from test_content import plans_with_source

    content, key = with_draft
    keys = plans_with_source(content)
    assert "hedong/2024" in keys and key not in keys


def test_new_starts_from_a_draft_too(with_draft):
    content, key = with_draft
    year = int(key.split("/")[1]) + 1
    result = run("new", "--content", str(content), "--district", "hedong", "--year", str(year))
    assert result.exit_code == 0, result.output
    assert run("validate", "--content", str(content)).exit_code == 0


def test_a_published_plan_still_needs_its_source(with_draft):
    content, key = with_draft
    plan = content / "plans" / f"{key}.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 草稿", "status: 正式"), encoding="utf-8")
    result = run("validate", "--content", str(content), "--format", "json")
    assert result.exit_code == 1 and '"code": "missing-source"' in result.output


def test_diff_compares_last_year_with_the_draft(with_draft):
    content, key = with_draft
    result = run("diff", str(content / "plans" / "hedong" / "2024.yaml"), str(content / "plans" / f"{key}.yaml"),
                 "--content", str(content))
    assert result.exit_code == 0, result.output
    assert f"hedong/2024 → {key}" in result.output
