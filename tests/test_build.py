"""Building the site: pages written, output atomic and reproducible, text escaped."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.build.pipeline import Project, build
from sitegen.build.write import Staging, spare_of, write_site
from sitegen.cli import main
from sitegen.content.schema import plan_schema

ROOT = Path(__file__).resolve().parent.parent



def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_a_page_per_plan_with_an_anchor_per_measure(content, tmp_path):
    out = tmp_path / "public"
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output
    page = (out / "plans" / "hedong" / "2024" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page
    assert "河东区 2024 年食品安全监督管理计划" in page
    assert 'id="' in page and "征求意见稿" in page
    assert (out / "index.html").is_file() and (out / "static" / "style.css").is_file()


def test_every_measure_id_is_an_anchor_on_its_plan_page(content, tmp_path):
    out = tmp_path / "public"
    build(Project(content, out, ROOT / "templates", ROOT / "static"), drafts=True)  # drafts too
    from sitegen.content import load_site

    for plan in load_site(content).site.plans:
        page = (out / "plans" / plan.district / str(plan.year) / "index.html").read_text(encoding="utf-8")
        for m in plan.measures():
            assert f'id="{m.id}"' in page, (plan.key, m.id)


def test_two_builds_of_the_same_content_are_byte_identical(content, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", "--content", str(content), "--out", str(a)).exit_code == 0
    assert run("build", "--content", str(content), "--out", str(b)).exit_code == 0
    assert tree(a) == tree(b)


def test_failed_build_leaves_previous_output_byte_identical(content, tmp_path):
    out = tmp_path / "public"
    assert run("build", "--content", str(content), "--out", str(out)).exit_code == 0
    before = tree(out)
    plan = content / "plans" / "wuqing" / "2022.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 正式", "status: 正式\nstatus: 草稿"),
                    encoding="utf-8")
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.exit_code == 1
    assert "键 'status' 重复" in result.output and "Traceback" not in result.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]  # no staging left behind


def test_write_failure_midway_keeps_old_output_and_cleans_up(tmp_path):
    out = tmp_path / "public"
    write_site(out, {"index.html": b"old"})
    with pytest.raises(OSError):
        # a file and a folder at one path: the second write fails after the first succeeded
        write_site(out, {"a": b"x", "a/b.html": b"y"})
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_a_build_over_the_spare_writes_exactly_what_a_fresh_build_writes(content, tmp_path):
    out, fresh = tmp_path / "public", tmp_path / "fresh"
    for _ in range(2):  # the second build keeps the first's output as the spare
        assert run("build", "--content", str(content), "--out", str(out), "--no-search").exit_code == 0
    spare = spare_of(out)
    assert spare.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == [".public.spare", "content", "public"]
    home = spare / "index.html"
    home.write_bytes(home.read_bytes() + b"<p>longer than the page will be</p>" * 100)  # must be cut short
    (spare / "plans" / "gone" / "2001").mkdir(parents=True)
    (spare / "plans" / "gone" / "2001" / "index.html").write_text("a page no build makes now")
    (spare / "plans" / "stale.txt").write_text("a file beside folders the build writes")
    assert run("build", "--content", str(content), "--out", str(out), "--no-search").exit_code == 0
    assert run("build", "--content", str(content), "--out", str(fresh), "--no-search").exit_code == 0
    assert tree(out) == tree(fresh)
    assert not (out / "plans" / "gone").exists()  # folders left empty go too
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_dir()) == \
        sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_dir())


def test_a_spare_file_linked_into_the_live_output_is_never_written_through(tmp_path):
    out, static = tmp_path / "public", tmp_path / "static"
    static.mkdir()
    (static / "site.css").write_text("new css")
    write_site(out, {"a.html": b"live", "all.csv": b"live rows", "static/site.css": b"live css", "b.html": b"b"})
    spare = spare_of(out)
    spare.mkdir()
    (spare / "static").mkdir()
    for rel in ("a.html", "all.csv", "static/site.css"):  # as a rebuild links what it did not remake
        os.link(out / rel, spare / rel)
    (spare / "stale.html").write_bytes(b"old")
    staging = Staging(out, static)
    assert staging.reused and not spare.exists()
    staging.write("a.html", b"new page")
    staging.write_chunks("all.csv", iter([b"new ", b"rows"]))
    live = {rel: (out / rel).read_bytes() for rel in ("a.html", "all.csv", "static/site.css")}
    assert live == {"a.html": b"live", "all.csv": b"live rows", "static/site.css": b"live css"}  # nothing live changes
    staging.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        ["a.html", "all.csv", "static/site.css"]
    assert [(out / rel).read_bytes() for rel in ("a.html", "all.csv", "static/site.css")] == \
        [b"new page", b"new rows", b"new css"]
    assert (spare / "a.html").read_bytes() == b"live"  # the replaced output is the next spare


def test_plan_text_is_escaped_not_interpreted(content, tmp_path):
    plan = content / "plans" / "wuqing" / "2022.yaml"
    text = plan.read_text(encoding="utf-8")
    needle = "将食品安全工作纳入区政府年度任务，加强跟踪督办。"
    assert needle in text
    plan.write_text(text.replace(needle, needle + "<script>alert(1)</script>", 1), encoding="utf-8")
    # The published text says so too, so the plan stays faithful and only escaping is tested.
    source = content / "sources" / "003_d3cac09597f98001.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(needle, needle + "<script>alert(1)</script>", 1),
                      encoding="utf-8")
    out = tmp_path / "public"
    assert run("build", "--content", str(content), "--out", str(out)).exit_code == 0
    page = (out / "plans" / "wuqing" / "2022" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_committed_json_schema_is_current():
    committed = json.loads((ROOT / "content" / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert committed == plan_schema(), "run `sitegen schema` and commit the result"


def test_schema_denies_unknown_keys_everywhere():
    schema = plan_schema()
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values() if d.get("type") == "object")


def test_build_outside_a_project_names_the_folders_it_needs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "找不到模板文件夹 templates/" in result.output and "找不到内容文件夹 content/" in result.output
    assert "在项目文件夹" in result.output
    # With content given but templates still missing (run from the wrong folder): the same clear answer.
    result = CliRunner().invoke(main, ["build", "--content", str(ROOT / "content")])
    assert result.exit_code == 1 and "找不到模板文件夹 templates/" in result.output
    assert not (tmp_path / "public").exists()


def test_pages_link_fingerprinted_assets_that_change_name_with_their_bytes(content, tmp_path):
    import re
    import shutil

    from sitegen.build.pipeline import render_site

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    project = Project(content, tmp_path / "public", ROOT / "templates", static)
    files, _ = render_site(project)
    page = files["index.html"].decode("utf-8")
    css = re.search(r'<link rel="stylesheet" href="/assets/(style\.[0-9a-f]{10}\.css)">', page)
    assert css, "the stylesheet is linked by its fingerprinted name"
    assert files[f"assets/{css.group(1)}"] == (static / "style.css").read_bytes()
    assert "/static/" not in page  # every asset a page links can be cached for a year
    assert files["static/filters.css"] == next(v for k, v in files.items() if k.startswith("assets/filters."))
    (static / "style.css").write_text((static / "style.css").read_text(encoding="utf-8") + "\n/* edit */\n",
                                      encoding="utf-8")
    edited, _ = render_site(project)
    renamed = re.search(r'href="/assets/(style\.[0-9a-f]{10}\.css)"', edited["index.html"].decode("utf-8"))
    assert renamed and renamed.group(1) != css.group(1)
    assert f"assets/{css.group(1)}" not in edited
