"""The search index as the build makes it: inside the atomic build, reproducible, skippable."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from building import build_files, pages_of, project_in
from click.testing import CliRunner

from sitegen.build import build
from sitegen.cli import main
from sitegen.common.project import Project
from sitegen.outputs import search
from sitegen.outputs.search import index_copy, page_facts, pagefind, spaced
from sitegen.site.pages import Page

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small(tmp_path) -> Path:
    """The fixture site (two districts, three plans): quick to build and index."""
    dst = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "minimal", dst)
    return dst


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_han_characters_become_words_and_a_decimal_point_a_word_between_digits():
    assert spaced("抽检6.9批次，ＧＢ2760") == " 抽 检 6 丶 9 批 次 ，GB2760"
    assert spaced("v1.0 版本。") == "v1 丶 0 版 本 。"
    assert "丶" not in spaced("第6项. 下一项")


def test_the_index_copy_gives_each_measure_a_heading_with_its_anchor_and_the_page_its_facts(content, tmp_path):
    project = project_in(tmp_path, content)
    files, pages = build_files(project), pages_of(project)
    plan = next(p for p in pages if p.url == "/plans/hedong/2024/")
    copy = index_copy(plan, files[str(plan.out_path)].decode("utf-8"))
    facts = page_facts(plan)
    for anchor in facts["headings"]:
        assert f'id="{anchor}"' in copy, anchor
    assert '<li class="measure" id=' not in copy  # the anchor moved to the heading
    assert 'data-pagefind-filter="district:河东区"' in copy and 'data-pagefind-sort="year:2024"' in copy
    assert 'data-pagefind-meta="status:征求意见稿"' in copy
    assert facts["filters"]["kind"] == ["计划"] and "市场监管" in facts["filters"]["agency"]
    duty = next(p for p in pages if p.url == "/agencies/market-regulation/hedong/")
    assert "曾称区市场和质量监管局" in page_facts(duty)["names"]
    assert page_facts(duty)["filters"]["agency"] == ["市场监管"]


def test_tasks_are_indexed_on_their_plan_page_only_duty_and_theme_pages_by_their_names(content, tmp_path):
    project = project_in(tmp_path, content)
    files, pages = build_files(project), pages_of(project)
    # whitespace as Pagefind reads it: any run is one space
    copy = {p.url: " ".join(index_copy(p, files[str(p.out_path)].decode("utf-8")).split())
            for p in pages if p.searchable}
    task = spaced("加强对抽检不合格和问题产品的核查处置工作").strip()  # hedong 2024 #sampling-plan: market regulation, sampling
    assert task in copy["/plans/hedong/2024/"]
    for url in ("/agencies/market-regulation/hedong/", "/themes/sampling/hedong/"):
        assert 'class="measure"' not in copy[url] and task not in copy[url], url
        assert 'data-pagefind-filter="district:河东区"' in copy[url]  # its facts stay, so filters still work
    assert spaced("区市场和质量监管局").strip() in copy["/agencies/market-regulation/hedong/"]  # a former name
    assert spaced("主题：抽检监测").strip() in copy["/themes/sampling/hedong/"]


def test_an_ignored_element_is_left_out_of_the_copy_whatever_it_holds():
    page = Page("/x/", "page.html", "T", "d", lambda: {})
    html_ = ('<main data-pagefind-body><p>甲</p><ol data-pagefind-ignore><li><p>乙<ol><li>丙</ol>'
             '<img data-pagefind-ignore src="a.png"></ol><p>丁<br data-pagefind-ignore>戊</p></main>')
    copy = index_copy(page, html_)
    assert all(c in copy for c in "甲丁戊") and not any(c in copy for c in "乙丙")

def test_build_writes_the_index_and_no_search_skips_it(small, tmp_path):
    out = tmp_path / "public"
    result = run("build", "--content", str(small), "--out", str(out), "--no-search")
    assert result.exit_code == 0 and "未生成搜索索引" in result.output
    assert not (out / "pagefind").exists()
    assert run("build", "--content", str(small), "--out", str(out)).exit_code == 0
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert list((out / "pagefind" / "fragment").iterdir())
    assert not (out / "pagefind" / "pagefind-ui.js").exists()


def test_a_failed_index_leaves_the_previous_output_untouched(small, tmp_path, monkeypatch):
    out = tmp_path / "public"
    assert run("build", "--content", str(small), "--out", str(out)).exit_code == 0
    before = tree(out)

    def broken(docs):
        raise search.SearchError("Pagefind 建立索引失败（退出码 1）")

    monkeypatch.setattr(pagefind, "run_pagefind", broken)
    result = run("build", "--content", str(small), "--out", str(out))
    assert result.exit_code == 1 and "Pagefind 建立索引失败" in result.output and "Traceback" not in result.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]


def test_a_missing_extended_binary_is_a_clear_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_extended(name, *args, **kwargs):
        if name == "pagefind_bin_extended":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extended)
    with pytest.raises(search.SearchError, match="--no-search"):
        search.pagefind_binary()


def test_two_indexes_of_the_same_site_are_byte_identical(small, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        build(Project(small, out, ROOT / "templates", ROOT / "static"))
    pa = {k: v for k, v in tree(a).items() if k.startswith("pagefind")}
    assert pa and pa == {k: v for k, v in tree(b).items() if k.startswith("pagefind")}


def test_canonical_sorts_filter_values_renames_and_refuses_an_unknown_format():
    import gzip
    import json

    def dcd(value):
        return search.dump_data(value)

    year = ["year", [["2024", [1, 2]], ["2018", [0]]]]
    files = {"pagefind/filter/zh_abc1234.pf_filter": dcd(year),
             "pagefind/pagefind.zh_0123456789abcde.pf_meta": dcd(["1.5.2", [["zh_abc1234", 300]]]),
             "pagefind/pagefind-entry.json": json.dumps({"languages": {"zh": {"hash": "zh_0123456789abcde"}}}).encode()}
    out = search.canonical(files)
    [flt] = [p for p in out if p.endswith(".pf_filter")]
    assert search.load_data(out[flt]) == ["year", [["2018", [0]], ["2024", [1, 2]]]]
    [meta] = [p for p in out if p.endswith(".pf_meta")]
    new_filter = flt.rsplit("/", 1)[1].removesuffix(".pf_filter")
    assert search.load_data(out[meta]) == ["1.5.2", [[new_filter, 300]]]
    assert meta.removeprefix("pagefind/pagefind.").removesuffix(".pf_meta").encode() in out["pagefind/pagefind-entry.json"]
    with pytest.raises(search.SearchError, match="格式未知"):
        search.load_data(gzip.compress(b"something else"))


def test_shards_keep_districts_whole_and_about_equal():
    pages = [Page(f"/{d}/{i}/", "plan.html", "t", "", {}, group=d) for d in "abcdef" for i in range(3)]
    sizes = {str(p.out_path): 10 for p in pages}  # 30 bytes a district
    assert search.shard_pages(pages, sizes, 10**6) == [[str(p.out_path) for p in pages]]
    split = search.shard_pages(pages, sizes, 70)  # 180 bytes: three shards of two districts
    assert [sorted({rel.split("/")[0] for rel in s}) for s in split] == [["a", "b"], ["c", "d"], ["e", "f"]]
    assert sum(split, []) == [str(p.out_path) for p in pages]
    sizes[str(pages[0].out_path)] = 1000  # one district bigger than the limit: a shard of its own
    assert [sorted({rel.split("/")[0] for rel in s}) for s in search.shard_pages(pages, sizes, 400)] == \
        [["a"], ["b", "c", "d", "e", "f"]]
