"""Drafts (status 草稿), as Hugo does them: left out of a plain build, shown by --drafts,
`sitegen serve` and deploy previews; and no tool trips over a plan that has no source yet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from sitegen.faithful import NoSource, check

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
def with_draft(content) -> Path:
    """The project's content plus next year's plan started by `sitegen new`: a draft without source."""
    result = run("new", "--content", str(content), "--district", "hedong", "--year", "2025")
    assert result.exit_code == 0, result.output
    text = (content / "plans" / "hedong" / "2025.yaml").read_text(encoding="utf-8")
    assert "status: 草稿" in text and "\nsource:" not in text
    return content


def test_validate_accepts_a_draft_without_source(with_draft):
    result = run("validate", "--content", str(with_draft))
    assert result.exit_code == 0 and "其中草稿 1 份" in result.output


def test_build_leaves_the_new_draft_out_and_drafts_put_it_in(with_draft, tmp_path):
    assert run("build", "--content", str(with_draft), "--out", str(tmp_path / "a")).exit_code == 0
    assert not (tmp_path / "a" / "plans" / "hedong" / "2025").exists()
    assert run("build", "--content", str(with_draft), "--out", str(tmp_path / "b"), "--drafts").exit_code == 0
    assert (tmp_path / "b" / "plans" / "hedong" / "2025" / "index.html").is_file()


def test_faithful_report_skips_a_plan_without_source(with_draft):
    with pytest.raises(NoSource):
        check(with_draft / "plans" / "hedong" / "2025.yaml", with_draft / "sources")
    proc = subprocess.run([sys.executable, "-m", "sitegen.faithful", str(with_draft)], capture_output=True,
                          text=True, cwd=ROOT)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "hedong/2025" in proc.stdout and "未检查" in proc.stdout
    assert proc.stdout.count("not in source") == 5  # the five published plans are still checked


def test_content_tests_list_only_plans_with_a_source(with_draft):
    from test_content import plans_with_source

    keys = plans_with_source(with_draft)
    assert "hedong/2024" in keys and "hedong/2025" not in keys


def test_new_starts_from_a_draft_too(with_draft):
    result = run("new", "--content", str(with_draft), "--district", "hedong", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert run("validate", "--content", str(with_draft)).exit_code == 0


def test_a_published_plan_still_needs_its_source(with_draft):
    plan = with_draft / "plans" / "hedong" / "2025.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 草稿", "status: 正式"), encoding="utf-8")
    result = run("validate", "--content", str(with_draft), "--format", "json")
    assert result.exit_code == 1 and '"code": "missing-source"' in result.output
