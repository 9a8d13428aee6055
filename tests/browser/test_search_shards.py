"""A search index built in shards finds what one index finds (Chromium, the seed site).

A big site's index is built a few districts at a time (sitegen/outputs/search/shards.py,
SHARD_BYTES) and the search page merges the shards. Here the seed site is built
with a limit so small that each district is a shard of its own, and every query
of the search tests must bring up the same pages, tasks and filter counts as on
the site indexed whole, sorted by year the same way.
"""

from __future__ import annotations

import json
from unittest import mock

import pytest

from sitegen.outputs.search import shards

from .search_queries import QUERIES
from .search_recall import found_pages
from .site import SEED, build_site, serve
from .test_search import run_search

pytestmark = pytest.mark.flaky(reruns=3, reruns_delay=1)  # as test_search.py: a lost page load

FILTERS = "async () => { const m = await import('/static/search.js'); return (await m.load('/pagefind/')).filters(); }"


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    with mock.patch.object(shards, "SHARD_BYTES", 1):  # each district its own shard
        out = build_site(SEED, tmp_path_factory.mktemp("sharded") / "public")
    with serve(out) as url:
        yield out, url


@pytest.fixture
def pages(browser, site_url, sharded_site):
    """A page on the site indexed whole and one on the sharded site."""
    opened = [browser.new_page(), browser.new_page()]
    for page, url in zip(opened, (site_url, sharded_site[1])):
        page.goto(url + "/search/")
    yield opened
    for page in opened:
        page.close()


def test_the_sharded_build_has_a_shard_per_district_named_by_content(sharded_site):
    out, _ = sharded_site
    more = json.loads((out / "pagefind" / "shards.json").read_text())
    assert len(more) == 4  # five districts: the first shard is the bundle itself
    for path in more:
        shard = out / "pagefind" / path
        assert (shard / "pagefind-entry.json").is_file() and list((shard / "index").iterdir())
        assert not list(shard.glob("*.js")) and not list(shard.glob("wasm.*"))  # loaded from the first


def test_every_query_finds_the_same_pages_and_tasks(pages):
    whole, sharded = pages

    def found(page, q):
        return {(r["url"], tuple(r["subs"])) for r in found_pages(page, q)}

    differ = {q.query: found(whole, q.query) ^ found(sharded, q.query) for q in QUERIES}
    assert not {q: d for q, d in differ.items() if d}


def test_filter_counts_are_the_sum_over_the_shards(pages):
    whole, sharded = pages
    counts = whole.evaluate(FILTERS)
    assert counts["district"] and sharded.evaluate(FILTERS) == counts


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_results_sort_by_year_across_shards(pages, direction):
    whole, sharded = pages
    for q, filters in (("抽检", {"kind": ["计划"]}), ("抽检", {}), ("", {"kind": ["计划"]})):
        years = [r["meta"]["year"] for r in found_pages(sharded, q, filters, {"year": direction})]
        latest = [max(map(int, y.split("、"))) for y in years]
        assert latest == sorted(latest, reverse=direction == "desc") and len(set(latest)) > 1
        assert sorted(years) == sorted(r["meta"]["year"] for r in found_pages(whole, q, filters, {"year": direction}))


def test_the_search_page_reads_every_shard(open_page, sharded_site):
    shown = run_search(open_page(), sharded_site[1], "明厨亮灶", sort="year-desc")
    districts = {r["meta"].split(" · ")[1] for r in shown}
    assert len(shown) == 5 and len(districts) > 1
