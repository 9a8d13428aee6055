"""Incremental rebuilds (sitegen.build.Builder): after each kind of edit, the output is byte for
byte what a full build makes, and exactly the pages that depend on the edit were rendered again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from building import build_files, tree
from synthetic import make_corpus

from sitegen.build import Builder
from sitegen.build.pipeline import prepare
from sitegen.common.project import Project
from sitegen.content.load import parse_text
from sitegen.content import PlanCache, load_site
from sitegen.site.derive import DiffCache

ROOT = Path(__file__).resolve().parent.parent

# Two districts, two years each (district diffs), with editor comparisons across districts.
DISTRICT = "hedong-01"
PLAN = f"plans/{DISTRICT}/2024.yaml"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "content"
    make_corpus(4, path, years=2)
    return path


@pytest.fixture
def site(tmp_path, corpus) -> tuple[Project, Builder]:
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    project = Project(content, tmp_path / "public", templates, static)
    builder = Builder(project, workers=1)
    builder.build(search=False)
    assert len(builder.rendered) > 100  # the first build renders everything
    return project, builder


def full_build(project: Project) -> dict[str, bytes]:
    """What a build from nothing writes, from the same files."""
    return build_files(Project(project.content, project.out.parent / "full", project.templates, project.static))


def deps(project: Project) -> dict[str, frozenset[str]]:
    pages = prepare(project, False, None, DiffCache(), parallel=False).pages
    return {str(p.out_path): p.deps for p in pages}


def rebuild(project: Project, builder: Builder) -> set[str]:
    builder.build(search=False)
    assert tree(project.out) == full_build(project)
    return builder.rendered


def expected_after(before: dict[str, frozenset[str]], after: dict[str, frozenset[str]], changed: set[str]) -> set[str]:
    """Pages that are new, whose dependencies changed, or that depend on a changed file."""
    return {url for url, d in after.items() if before.get(url) != d or d & changed}


def test_unchanged_content_renders_nothing(site):
    project, builder = site
    assert rebuild(project, builder) == set()


def test_plan_text_edit(site):
    project, builder = site
    before = deps(project)
    path = project.content / PLAN
    text = path.read_text(encoding="utf-8")
    doc = parse_text(text, PLAN)
    measure = doc.data["parts"][0]["items"][0]["measures"][0] if "items" in doc.data["parts"][0] \
        else doc.data["parts"][0]["measures"][0]
    old = measure["text"].split("\n")[0]
    new = old[: len(old) // 2]  # still in the source: a shorter transcription of the paragraph
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    rendered = rebuild(project, builder)
    assert rendered == expected_after(before, deps(project), {PLAN})
    # What the edit touches, by name…
    for page in ("plans/hedong-01/2024/index.html", "districts/hedong-01/index.html", "years/2024/index.html",
                 "diffs/hedong-01/2023-2024/index.html", "index.html", "districts/index.html"):
        assert page in rendered, page
    assert any(p.startswith("agencies/") and "/hedong-01/" in p for p in rendered)  # its agencies' duty pages
    # A theme's overview counts every district's tasks; its district pages hold one district's only.
    themes = [p.split("/") for p in rendered if p.startswith("themes/") and p != "themes/index.html"]
    assert any(len(t) == 3 for t in themes)  # themes/<theme>/index.html
    assert {t[2] for t in themes if len(t) == 4} == {DISTRICT}  # themes/<theme>/<district>/index.html
    # …and what it does not: other districts' plans, districts, duty pages, diffs; the other year.
    untouched = {p for p in before if ("futian-01" in p or p.startswith("years/2023/"))
                 and not p.startswith("compare/")}  # an editor comparison may pair hedong-01 with them
    assert untouched and not rendered & untouched, sorted(rendered & untouched)
    duty = [p.split("/") for p in rendered if p.startswith("agencies/") and p.count("/") == 3]
    assert duty and {d for _, _, d, _ in duty} == {DISTRICT}  # agencies/<kind>/<district>/index.html


def test_registry_rename(site):
    project, builder = site
    before = deps(project)
    path = project.content / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("label: 市场监管\n", "label: 市场监督管理\n", 1), encoding="utf-8")

    rendered = rebuild(project, builder)
    assert rendered == expected_after(before, deps(project), {"agencies.yaml"})
    assert "about/index.html" not in rendered and "search/index.html" not in rendered


def test_template_change_renders_every_page(site):
    project, builder = site
    base = project.templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- changed -->\n</body>", 1),
                    encoding="utf-8")
    rendered = rebuild(project, builder)
    assert rendered == set(deps(project))


def test_static_file_change_renders_every_page_and_renames_its_copy(site):
    project, builder = site
    style = project.static / "style.css"
    old = next(p.name for p in (project.out / "assets").iterdir() if p.name.startswith("style."))
    style.write_text(style.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert rebuild(project, builder) == set(deps(project))  # every page links the stylesheet by its new name
    assert not (project.out / "assets" / old).exists()


def test_a_build_after_the_output_was_deleted_writes_it_all(site):
    project, builder = site
    shutil.rmtree(project.out)
    assert rebuild(project, builder) == set(deps(project))


def test_new_plan(site):
    project, builder = site
    before = deps(project)
    old = project.content / "plans" / DISTRICT / "2024.yaml"
    new = old.with_name("2025.yaml")
    new.write_text(old.read_text(encoding="utf-8").replace("year: 2024", "year: 2025", 1)
                   .replace("2024 年食品安全", "2025 年食品安全", 1)
                   .replace(f"file: {DISTRICT}-2024.txt", f"file: {DISTRICT}-2025.txt"), encoding="utf-8")
    source = project.content / "sources" / f"{DISTRICT}-2024.txt"
    text = source.read_text(encoding="utf-8")
    source.with_name(f"{DISTRICT}-2025.txt").write_text(text.replace("2024 年食品安全", "2025 年食品安全", 1),
                                                         encoding="utf-8")
    after = deps(project)
    rendered = rebuild(project, builder)
    assert rendered == expected_after(before, after, {f"plans/{DISTRICT}/2025.yaml", f"sources/{DISTRICT}-2025.txt"})
    assert {"plans/hedong-01/2025/index.html", "diffs/hedong-01/2024-2025/index.html", "years/2025/index.html",
            "plans/hedong-01/2024/index.html"} <= rendered  # 2024's page now links to 2025
    assert not any("futian-01" in p for p in rendered)


def test_deleted_plan(site):
    project, builder = site
    before = deps(project)
    (project.content / "plans" / "futian-01" / "2023.yaml").unlink()
    after = deps(project)
    rendered = rebuild(project, builder)
    assert rendered == expected_after(before, after, {"plans/futian-01/2023.yaml"})
    assert "plans/futian-01/2024/index.html" in rendered  # no previous year any more
    assert not (project.out / "plans" / "futian-01" / "2023").exists()
    assert not (project.out / "diffs" / "futian-01").exists()


def test_a_broken_edit_keeps_the_output_and_the_next_build_catches_up(site):
    project, builder = site
    path = project.content / PLAN
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("year: 2024", "year: 2024\nyear: 2024", 1), encoding="utf-8")
    with pytest.raises(Exception):
        builder.build(search=False)
    path.write_text(good.replace("label:", "label:", 1) + "notes: 备注\n", encoding="utf-8")
    assert "plans/hedong-01/2024/index.html" in rebuild(project, builder)


def test_plan_cache_returns_checked_plans_and_rechecks_changed_ones(corpus, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    cache = PlanCache()
    first = load_site(content, cache).site
    assert cache.hits == 0 and len(cache.entries) == len(first.plans)
    again = load_site(content, cache).site
    assert cache.hits == len(first.plans) and again.plans == first.plans
    # A changed source text invalidates its plan's entry: the plan is checked against it again.
    source = content / "sources" / f"{DISTRICT}-2024.txt"
    source.write_text("被替换的原文\n", encoding="utf-8")
    with pytest.raises(Exception) as e:
        load_site(content, cache)
    assert "text-not-in-source" in {d.code for d in e.value.diagnostics}
    # Saved and loaded, the cache holds the same entries.
    cache.save(tmp_path / "cache.pickle")
    loaded = PlanCache.load(tmp_path / "cache.pickle")
    assert loaded.entries.keys() == cache.entries.keys()
    assert loaded.entries == cache.entries  # hashes and facts
    assert not loaded.plans and all(loaded.plan(k) == cache.plan(k) for k in cache.entries)  # unpickled when asked


def test_pages_only_rebuild_keeps_the_data_files_until_a_build_with_data(site):
    """sitegen serve's order: the pages at once, then the data files."""
    project, builder = site
    path = project.content / PLAN
    path.write_text(path.read_text(encoding="utf-8") + "notes: 备注\n", encoding="utf-8")
    data_before = {k: v for k, v in tree(project.out).items() if k.startswith(("data/", "feeds/"))}
    builder.build(search=False, data=False)
    after = tree(project.out)
    assert "plans/hedong-01/2024/index.html" in builder.rendered
    assert {k: v for k, v in after.items() if k.startswith(("data/", "feeds/"))} == data_before
    assert rebuild(project, builder) == set()  # the data build renders no page, and all is as a full build


def test_a_long_session_stays_flat_in_objects_and_memory(tmp_path):
    """200 saves, each rebuilt as sitegen serve does (the pages, then the data files), in a
    process of its own as serve is: the objects the collector tracks (frozen or not) and the
    process's memory reach no higher late in the session than early on. Each build's model is
    frozen while it is current; were the models it replaced never collected, each save would
    add hundreds of objects for good."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "minimal", tmp_path / "content")
    script = SESSION.format(root=str(ROOT), folder=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    objects, memory = json.loads(done.stdout.splitlines()[-1])
    # Garbage piles up until the collector runs, so the count saws up and down: compare peaks.
    assert max(objects[100:]) <= max(objects[20:100]) * 1.02
    assert max(memory[100:]) <= max(memory[20:100]) + 4 * 2**20


SESSION = """
import gc, json, os
from pathlib import Path
from sitegen.build import Builder
from sitegen.common.project import Project

root, folder = Path({root!r}), Path({folder!r})
project = Project(folder / "content", folder / "public", root / "templates", root / "static")
builder = Builder(project, drafts=True, workers=1)
builder.build(search=False)
plan = sorted((project.content / "plans").glob("*/*.yaml"))[0]
text = plan.read_text(encoding="utf-8")
objects, memory = [], []
for save in range(200):
    plan.write_text(text + ("notes: 备注\\n" if save % 2 == 0 else ""), encoding="utf-8")
    builder.build(search=False, data=False)
    builder.build(search=False)
    objects.append(len(gc.get_objects()) + gc.get_freeze_count())
    with open("/proc/self/statm") as f:
        memory.append(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
print(json.dumps([objects, memory]))
"""
