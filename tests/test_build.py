"""Building the site: pages written, output atomic and reproducible, text escaped."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from building import build_files
from click.testing import CliRunner

from sitegen.build import build
from sitegen.build.write import Staging, spare_of
from sitegen.cli import main
from sitegen.common.project import Project
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


def write(out: Path, files: dict[str, bytes]) -> None:
    with Staging(out) as staging:
        staging.write_all(files)
        staging.commit()


def test_write_failure_midway_keeps_old_output_and_cleans_up(tmp_path):
    out = tmp_path / "public"
    write(out, {"index.html": b"old"})
    with pytest.raises(OSError):
        # a file and a folder at one path: the second write fails after the first succeeded
        write(out, {"a": b"x", "a/b.html": b"y"})
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
    out = tmp_path / "public"
    write(out, {"a.html": b"live", "all.csv": b"live rows", "static/site.css": b"live css", "b.html": b"b"})
    spare = spare_of(out)
    spare.mkdir()
    (spare / "static").mkdir()
    for rel in ("a.html", "all.csv", "static/site.css"):  # as an older sitegen's rebuilds linked them
        os.link(out / rel, spare / rel)
    (spare / "stale.html").write_bytes(b"old")
    css = tmp_path / "site.css"
    css.write_text("new css")
    with Staging(out) as staging:
        assert staging.reused and not spare.exists()
        staging.write("a.html", b"new page")
        staging.write_chunks("all.csv", iter([b"new ", b"rows"]))
        staging.copy_all({"static/site.css": css})
        live = {rel: (out / rel).read_bytes() for rel in ("a.html", "all.csv", "static/site.css")}
        # nothing live changes
        assert live == {"a.html": b"live", "all.csv": b"live rows", "static/site.css": b"live css"}
        staging.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        ["a.html", "all.csv", "static/site.css"]
    assert [(out / rel).read_bytes() for rel in ("a.html", "all.csv", "static/site.css")] == \
        [b"new page", b"new rows", b"new css"]
    assert (spare / "a.html").read_bytes() == b"live"  # the replaced output is the next spare


KILLED_AT_THE_SWAP = """
import os, signal, sys
from pathlib import Path
from sitegen.build import build, write
from sitegen.common.project import Project

def killed(self, **kwargs):  # every file written, nothing swapped in yet: the biggest leftover
    os.kill(os.getpid(), signal.SIGKILL)

write.Staging.commit = killed
content, out, root = map(Path, sys.argv[1:])
build(Project(content, out, root / "templates", root / "static"), search=False, workers=1)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_build_after_a_killed_one_sweeps_what_it_left(content, tmp_path):
    out = tmp_path / "public"
    assert run("build", "--content", str(content), "--out", str(out), "--no-search").exit_code == 0
    before = tree(out)
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_THE_SWAP, str(content), str(out), str(ROOT)])
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".public.new-")]
    assert left and (tmp_path / left[0] / "index.html").is_file()  # a whole copy of the site
    assert tree(out) == before  # the live output is whole
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as running:
        try:  # a build still running (here: a process still alive) keeps its folder
            (tmp_path / f".public.new-{running.pid}-x").mkdir()
            assert run("build", "--content", str(content), "--out", str(out), "--no-search").exit_code == 0
            assert sorted(p.name for p in tmp_path.iterdir()) == \
                [f".public.new-{running.pid}-x", ".public.spare", "content", "public"]
        finally:
            running.kill()
    assert tree(out) == before


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

    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    project = Project(content, tmp_path / "public", ROOT / "templates", static)
    files = build_files(project)
    page = files["index.html"].decode("utf-8")
    css = re.search(r'<link rel="stylesheet" href="/assets/(style\.[0-9a-f]{10}\.css)">', page)
    assert css, "the stylesheet is linked by its fingerprinted name"
    assert files[f"assets/{css.group(1)}"] == (static / "style.css").read_bytes()
    assert "/static/" not in page  # every asset a page links can be cached for a year
    assert files["static/filters.css"] == next(v for k, v in files.items() if k.startswith("assets/filters."))
    (static / "style.css").write_text((static / "style.css").read_text(encoding="utf-8") + "\n/* edit */\n",
                                      encoding="utf-8")
    edited = build_files(project)
    renamed = re.search(r'href="/assets/(style\.[0-9a-f]{10}\.css)"', edited["index.html"].decode("utf-8"))
    assert renamed and renamed.group(1) != css.group(1)
    assert f"assets/{css.group(1)}" not in edited


def test_the_command_ends_as_a_python_program_does(content, tmp_path):
    """No os._exit after a build: atexit handlers run and the output is flushed."""
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print('atexit ran', flush=True))\n"
              "from sitegen.cli import run\n"
              "sys.argv[0] = 'sitegen'\n"
              "run()\n")
    done = subprocess.run([sys.executable, "-c", script, "build", "--content", str(content), "--out",
                           str(tmp_path / "public"), "--no-search"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "已生成" in done.stdout and done.stdout.rstrip().endswith("atexit ran")
