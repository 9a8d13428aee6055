"""The parallel paths give what one process gives: validation checked on every core (from 64
plan files up), a build rendered by forked workers (from 64 pages and files up), and the search
index's page copies made by forked workers.

The corpus is the benchmark's generator at a small size (70 plans: enough to take the
parallel path), written once for the module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from building import build_files, pages_of, project_in, tree
from synthetic import make_corpus

from sitegen.build import build
from sitegen.build.pipeline import (
    HEAVY,
    PARALLEL_MIN_ITEMS,
    data_files,
    ordered,
    pieces,
    prepare,
)
from sitegen.common.diagnostics import ContentError
import sitegen.content.site as validate
from sitegen.outputs.search import search_files
from sitegen.outputs.search.index import PARALLEL_MIN_PAGES
from sitegen.site.derive import DiffCache

ROOT = Path(__file__).resolve().parent.parent

PLANS = 70


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("corpus") / "content"
    make_corpus(PLANS, content)
    assert PLANS >= validate.PARALLEL_MIN_PLANS  # else this module tests nothing
    return content


def _serial(monkeypatch) -> None:
    monkeypatch.setattr(validate, "PARALLEL_MIN_PLANS", 10**9)


def test_parallel_validation_loads_the_same_site(corpus, monkeypatch):
    parallel = validate.load_site(corpus).site
    _serial(monkeypatch)
    serial = validate.load_site(corpus).site
    assert len(parallel.plans) == PLANS
    assert parallel == serial


def test_parallel_validation_reports_the_same_problems(corpus, tmp_path, monkeypatch):
    broken = tmp_path / "content"
    shutil.copytree(corpus, broken)
    plans = sorted((broken / "plans").glob("*/*.yaml"))
    for path in (plans[3], plans[40]):  # one in each worker's share
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("role: 负责", "role: 主抓", 1), encoding="utf-8")
    with pytest.raises(ContentError) as parallel:
        validate.load_site(broken, validate.PlanCache())
    _serial(monkeypatch)
    with pytest.raises(ContentError) as serial:
        validate.load_site(broken, validate.PlanCache())
    assert len(parallel.value.diagnostics) >= 2
    assert parallel.value.diagnostics == serial.value.diagnostics


def test_a_build_on_both_cores_writes_what_one_process_writes(corpus, tmp_path):
    files = build_files(project_in(tmp_path / "one", corpus))
    assert len(files) >= PARALLEL_MIN_ITEMS  # so the build forks
    both = project_in(tmp_path / "two", corpus)
    build(both, search=False, workers=2)
    assert tree(both.out) == files


def test_work_is_cut_between_districts_never_inside_one(corpus):
    """A district's pages and files go to one worker together (they share the measures' views,
    rendered HTML and CSV lines), the heavy SQLite file first."""
    prepared = prepare(project_in(corpus.parent, corpus), False, None, DiffCache(), parallel=False)
    site, pages = prepared.site, prepared.pages
    outputs, _ = data_files(site, prepared.idx)
    items = ordered(pages, outputs)
    assert sorted(map(id, items)) == sorted(map(id, [*pages, *outputs]))
    assert items[0].weight >= HEAVY and items[0].rel.endswith(".sqlite")
    groups = [i.group for i in items if i.group]
    assert len({i.group for i in items if i.group}) == len(site.districts)
    # each district's items are one run
    runs = [g for k, g in enumerate(groups) if k == 0 or groups[k - 1] != g]
    assert len(runs) == len(set(runs))
    cut = pieces(items, 50)
    assert cut[0][0] == 0 and cut[-1][1] == len(items)
    assert all(a[1] == b[0] for a, b in zip(cut, cut[1:]))
    owner = {}
    for n, (start, stop) in enumerate(cut):
        for item in items[start:stop]:
            if item.group:
                assert owner.setdefault(item.group, n) == n, f"{item.group} split between pieces"
    assert len(cut) > 5


def test_index_copies_made_on_both_cores_give_the_same_search_index(corpus, tmp_path):
    project = project_in(tmp_path, corpus)
    files, pages = build_files(project), pages_of(project)
    one = search_files(pages, files, workers=1)
    assert len([p for p in pages if p.searchable]) >= PARALLEL_MIN_PAGES  # so the copies are forked
    assert search_files(pages, files, workers=2) == one


def test_a_sharded_index_holds_every_page_once_and_each_district_whole(corpus, tmp_path):
    import gzip
    import json

    project = project_in(tmp_path, corpus)
    files, pages = build_files(project), pages_of(project)
    whole = search_files(pages, files, workers=2)
    assert json.loads(whole["pagefind/shards.json"]) == []  # 70 plans: one index
    sharded = search_files(pages, files, workers=2, shard_bytes=2_000_000)
    assert search_files(pages, files, workers=1, shard_bytes=2_000_000) == sharded
    more = json.loads(sharded["pagefind/shards.json"])
    assert len(more) >= 2
    shard_of = {}
    for n, base in enumerate(["", *more]):
        prefix = f"pagefind/{base}fragment/"
        for rel, body in sharded.items():
            if rel.startswith(prefix) and "/" not in rel[len(prefix):]:
                url = json.loads(gzip.decompress(body).removeprefix(b"pagefind_dcd"))["url"]
                assert url not in shard_of, f"{url} indexed twice"
                shard_of[url] = n
    assert sorted(shard_of) == sorted(p.url for p in pages if p.searchable)
    district = {p.url: p.group for p in pages if p.searchable}
    assert all(len({n for u, n in shard_of.items() if district[u] == d}) == 1 for d in set(district.values()))
    for base in more:  # its entry and metadata; the loader and WebAssembly come from the first shard
        own = sorted(rel.rsplit("/", 1)[1] for rel in sharded if rel.startswith(f"pagefind/{base}") and rel.count("/") == 3)
        assert len(own) == 2 and own[0] == "pagefind-entry.json" and own[1].endswith(".pf_meta")
