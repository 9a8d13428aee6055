"""The search page in headless Chromium, on the seed site built with its index.

Queries (tests/browser/search_queries.py) must bring up their page, and task,
among the first five results; recall over every page containing a query is
measured and printed; filters, sorting, ?q= links, the no-JavaScript page,
axe-core and the bytes of a first query are checked.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import quote, urlsplit

import pytest

from .search_queries import QUERIES

# Headless Chromium 156 on this 2-core VM loses about one page load in 40: its renderer crashes,
# or the fetch of Pagefind's WASM or metadata is aborted (net::ERR_ABORTED), and that search
# comes back empty or never finishes. Measured with 80 loads of the same page (a loop over
# tests.browser.site.serve); the same query passes on the next load. A test of the search is
# run again up to three times, a second apart (one CI run saw a test lose two loads in a row);
# a real regression fails all four runs.
pytestmark = pytest.mark.flaky(reruns=3, reruns_delay=1)
from .search_recall import expected_pages, found_pages, indexed_pages, measure, report
from .test_accessibility import BLOCKING_IMPACTS, axe_script

FIRST_QUERY_BUDGET = 300_000  # bytes, the goal


def run_search(page, base: str, query: str = "", **params) -> list[dict]:
    """Open /search/?q=…&…, wait for the results, return the first page of them as shown."""
    qs = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **params}.items() if v)
    crashed = []
    page.on("crash", lambda: crashed.append(True))
    page.goto(f"{base}/search/?{qs}")
    try:
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached", timeout=20_000)
    except Exception:
        if crashed:  # Chromium's renderer died (about one page in 40 here): a rerun, not a failure of ours
            raise RuntimeError("Page crashed while searching") from None
        raise
    return page.eval_on_selector_all(".search-result", """els => els.map(e => ({
        url: e.querySelector('h2 a').getAttribute('href'),
        title: e.querySelector('h2 a').textContent,
        meta: (e.querySelector('.result-meta') || {}).textContent || '',
        subs: [...e.querySelectorAll('.sub-results a')].map(a => a.getAttribute('href')),
        text: e.textContent}))""")


@pytest.fixture
def search_page(browser, site_url):
    # A fresh page per test: one renderer carrying every query's Pagefind state through the
    # whole module was seen to crash under load, and a crash then failed every later test.
    page = browser.new_page()
    page.goto(site_url + "/search/")
    yield page
    page.close()


def test_the_build_wrote_an_index_of_plan_duty_and_theme_pages(built_site):
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    pages = indexed_pages(built_site)
    kinds = {u.split("/")[1] for u in pages}
    assert kinds == {"plans", "agencies", "themes"}, kinds
    assert not (built_site / "pagefind" / "pagefind-ui.js").exists()  # the page has its own UI


@pytest.mark.parametrize("q", QUERIES, ids=[q.query for q in QUERIES])
def test_a_query_brings_up_its_page_and_task_in_the_first_five(q, search_page, site_url):
    results = run_search(search_page, site_url, q.query)[:5]
    urls = [r["url"] for r in results]
    assert any(u.startswith(q.page) for u in urls), f"{q.query} ({q.why}): {q.page} not in the first five: {urls}"
    if q.anchor:
        subs = next(r["subs"] for r in results if r["url"] == q.page)
        assert f"{q.page}#{q.anchor}" in subs, f"{q.query}: the task #{q.anchor} is not among {subs}"


def test_there_are_at_least_25_queries_of_every_sort():
    assert len(QUERIES) >= 25
    whys = " ".join(q.why for q in QUERIES)
    for sort in ("two characters", "long phrase", "alias", "former name", "decimal", "district"):
        assert sort in whys, sort


def test_recall_over_every_page_containing_a_query_is_complete(built_site, search_page, capsys):
    rows = measure(built_site, search_page, [q.query for q in QUERIES])
    with capsys.disabled():
        print("\n" + report(rows, "search recall (pages containing the query vs. pages found)"))
    losing = {r.query: sorted(r.missing) for r in rows if r.missing}
    assert not losing, losing
    assert sum(len(r.expected) for r in rows) > 300  # the queries reach deep, not a handful of pages


def test_a_query_finds_only_pages_holding_it(built_site, search_page):
    # Exact phrases of characters: 抽检 is not 抽样检验, so no extra page comes back.
    rows = measure(built_site, search_page, ["抽检", "明厨亮灶", "6.9", "农药残留"])
    assert {r.query: sorted(r.extra) for r in rows if r.extra} == {}


def test_measure_results_land_on_the_task_and_carry_plan_metadata(open_page, site_url):
    results = run_search(open_page(), site_url, "放心肉菜超市")
    plan = next(r for r in results if r["url"] == "/plans/futian/2023/")
    assert plan["subs"] == ["/plans/futian/2023/#trusted-supermarkets"]
    assert "计划" in plan["meta"] and "福田区" in plan["meta"] and "2023年" in plan["meta"]
    assert "放心肉菜超市" in plan["text"]  # the excerpt reads as Chinese, without the index's spaces
    page = open_page()
    run_search(page, site_url, "明厨亮灶")
    marked = set(page.eval_on_selector_all(".search-result mark", "ms => ms.map(m => m.textContent)"))
    assert marked == {"明厨亮灶"}, marked  # the phrase is marked, not each of its characters elsewhere
    draft = run_search(open_page(), site_url, "5812")
    assert "征求意见稿" in next(r for r in draft if r["url"] == "/plans/hedong/2024/")["meta"]


def test_filters_narrow_the_results(built_site, search_page, open_page, site_url):
    every = found_pages(search_page, "抽检")
    by_district = found_pages(search_page, "抽检", {"district": ["河东区"]})
    assert 0 < len(by_district) < len(every)
    assert all("河东区" in r["meta"]["district"] for r in by_district)
    plans_2018 = found_pages(search_page, "抽检", {"year": ["2018"], "kind": ["计划"]})
    assert [r["url"] for r in plans_2018] == ["/plans/jizhou/2018/"]
    schools = found_pages(search_page, "抽检", {"theme": ["校园食品安全"], "agency": ["教育"]})
    assert 0 < len(schools) < len(every)
    pages = indexed_pages(built_site)
    assert {r["url"] for r in schools} <= expected_pages(pages, "抽检")
    # the same through the page: the select, its options from the index, the URL kept
    page = open_page()
    shown = run_search(page, site_url, "抽检", district="河东区")
    assert page.input_value("#f-district") == "河东区"
    assert shown and all("河东区" in r["meta"] for r in shown)
    page.select_option("#f-year", "2024")
    page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
    assert "year=2024" in page.url and "district=" in page.url


def test_results_sort_by_year(search_page, open_page, site_url):
    for direction in ("asc", "desc"):
        years = [int(r["meta"]["year"]) for r in found_pages(search_page, "抽检", {"kind": ["计划"]},
                                                               {"year": direction})]
        assert years == sorted(years, reverse=direction == "desc") and len(set(years)) == 5
    shown = run_search(open_page(), site_url, "抽检", kind="计划", sort="year-asc")
    assert [r["url"] for r in shown][:2] == ["/plans/jizhou/2018/", "/plans/hongqiao/2020/"]


def test_q_in_the_url_runs_that_search_and_the_header_box_submits_to_it(open_page, site_url):
    page = open_page()
    page.goto(site_url + "/plans/hedong/2024/")
    page.fill("#site-q", "明厨亮灶")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
    assert page.input_value("#search-q") == "明厨亮灶"
    assert "找到" in page.inner_text("#search-status")
    assert page.locator(".search-result").count() > 0
    # a search typed on the page becomes a link too
    page.fill("#search-q", "小饭桌")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search/?q=%E5%B0%8F%E9%A5%AD%E6%A1%8C")
    page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
    assert "/plans/jizhou/2018/" in [r["url"] for r in run_search(open_page(), site_url, "小饭桌")]


def test_no_match_says_so(open_page, site_url):
    page = open_page()
    assert run_search(page, site_url, "不存在的词语甲乙丙") == []
    assert "没有找到" in page.inner_text("#search-status")


def test_a_task_search_narrowed_to_duty_pages_says_tasks_are_searched_on_plan_pages(open_page, site_url):
    page = open_page()
    assert run_search(page, site_url, "瘦肉精", kind="单位职责") == []  # the task is on the plan page only
    assert "任务正文请在类型“计划”中搜索" in page.inner_text("#search-status")
    assert [r["url"] for r in run_search(page, site_url, "瘦肉精", kind="计划")] == ["/plans/jizhou/2018/"]


def test_without_javascript_the_page_says_how_to_browse(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = ctx.new_page()
    page.goto(site_url + "/search/?q=抽检")
    text = page.inner_text("main")
    assert "需要浏览器运行 JavaScript" in text and "地区" in text
    assert page.locator("#search-filters").is_hidden()
    assert page.locator("label[for=search-q]").count() == 1
    ctx.close()


def test_the_search_page_with_results_passes_axe(open_page, site_url):
    for width in (360, 1280):
        page = open_page(width)
        run_search(page, site_url, "校园食品安全")
        page.add_script_tag(content=axe_script())
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in BLOCKING_IMPACTS]
        assert not bad, bad


def test_the_script_runs_under_a_csp_without_unsafe_inline(browser, site_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:"
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.route("**/search/*", lambda route: route.fulfill(response=route.fetch(),
                                                           headers={"Content-Security-Policy": csp,
                                                                    "Content-Type": "text/html; charset=utf-8"}))
    results = run_search(page, site_url, "明厨亮灶")
    assert results and not violations, violations
    ctx.close()


def test_a_first_query_fetches_under_300_kb(browser, site_url, capsys):
    """Bytes of a first search, as a static host sends them: text gzipped, Pagefind's files as they are.

    Pagefind's index, fragments and wasm are gzip files already; its loader, our
    script, the styles and the page are text, which every static host compresses
    (the test server does not, so the raw total is printed too).
    """
    ctx = browser.new_context()
    page = ctx.new_page()
    fetched = []
    page.on("requestfinished", lambda r: fetched.append((r.url, r.response().body())))
    run_search(page, site_url, "校园食品安全")
    raw = sum(len(body) for _, body in fetched)
    wire = sum(len(gzip.compress(body, 9)) if _is_text(url) else len(body) for url, body in fetched)
    with capsys.disabled():
        print(f"\nfirst query 校园食品安全: {len(fetched)} requests, {wire} bytes gzipped as a host sends them "
              f"({raw} bytes uncompressed)")
    assert wire < FIRST_QUERY_BUDGET, sorted(((len(b), u) for u, b in fetched), reverse=True)
    ctx.close()


def _is_text(url: str) -> bool:
    path = urlsplit(url).path
    return path.endswith((".js", ".css", ".json", ".svg", "/", ".html"))


EVERY_TASK = """async (items) => {
  const m = await import('/static/search.js');
  const pf = await m.load('/pagefind/');
  const lost = [];
  for (const [query, url, anchor] of items) {
    const found = await m.find(pf, query, {}, {});
    let subs = null;
    for (const r of found.results) {  // plans come first
      const d = await r.result.data();
      if (d.url === url) { subs = m.matches(d, r.twin && await r.twin.data(), r.words).map(s => s.url); break; }
    }
    if (!subs || !subs.includes(url + '#' + anchor)) lost.push([query, url, anchor, subs && subs.slice(0, 5)]);
  }
  return lost;
}"""


def _opening_words(text: str, n: int = 8) -> str:
    """A task's first n characters of running text: what a reader might remember of it."""
    first = re.split(r"[，。；：,;:！？、（）()《》“”\s]", re.sub(r"^[\d.．、）)（(一二三四五六七八九十]+", "", text.strip()))
    words = next((p for p in first if len(p) >= 4), text.strip())
    cut = words[:n]
    if words[n:n + 1].isascii() and words[n:n + 1].isalnum():  # never half a number: 2022, not 202
        cut = re.sub(r"[0-9A-Za-z.]+$", "", cut) or words
    return cut


def test_every_task_of_the_five_plans_is_found_by_its_opening_words(search_page):
    from sitegen.content import load_site

    from .site import SEED

    items = [(_opening_words(m.text), f"/plans/{p.district}/{p.year}/", m.id)
             for p in load_site(SEED).site.plans for m in p.measures()]
    assert len(items) > 300
    lost = search_page.evaluate(EVERY_TASK, items)
    assert not lost, f"{len(lost)} of {len(items)} tasks not found by their words: {lost[:10]}"
