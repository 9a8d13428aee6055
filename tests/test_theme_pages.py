"""Pages that stay small as plans accumulate: a theme's overview links one page per district,
which holds exactly that district's measures on the theme; an agency kind's page is a table
of districts, with no task text (the tasks are on the duty pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from building import build_files, project_in
from synthetic import make_corpus

from sitegen.content import load_site
from sitegen.outputs.search import page_facts
from sitegen.site import urls
from sitegen.site.derive import derive
from sitegen.site.pages import build_pages
from sitegen.site.pages.common import paragraphs, year_span

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    # Three districts, two years each: a theme spans districts and years.
    path = tmp_path_factory.mktemp("corpus") / "content"
    make_corpus(6, path, years=2)
    return path


@pytest.fixture(scope="module")
def built(corpus) -> dict[str, str]:
    files = build_files(project_in(corpus.parent, corpus))
    return {k: v.decode("utf-8") for k, v in files.items() if k.endswith(".html")}


@pytest.fixture(scope="module")
def site(corpus):
    return load_site(corpus).site


def page(files: dict[str, str], url: str) -> str:
    return files[str(urls.output_path(url))]


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def measure_ids(html: str) -> list[str]:
    return re.findall(r'<li class="measure" id="([^"]+)"', html)


def test_a_theme_overview_links_each_districts_page_and_lists_no_measure(built, site):
    idx = derive(site)
    checked = 0
    for t in site.themes:
        placed = idx.by_theme.get(t.slug, ())
        overview = page(built, urls.theme(t.slug))
        assert measure_ids(overview) == []
        districts = {p.plan.district for p in placed}
        linked = {h for h in hrefs(overview) if h.startswith(urls.theme(t.slug)) and h != urls.theme(t.slug)}
        assert linked == {urls.theme_district(t.slug, d) for d in districts}, t.slug
        checked += len(districts) > 1
    assert checked  # some theme spans several districts


def test_a_district_theme_page_holds_exactly_that_districts_measures_latest_year_first(built, site):
    idx = derive(site)
    for t in site.themes:
        for d in {p.plan.district for p in idx.by_theme.get(t.slug, ())}:
            html = page(built, urls.theme_district(t.slug, d))
            mine = [p for p in idx.by_theme[t.slug] if p.plan.district == d]
            ordered = sorted(mine, key=lambda p: -p.plan.year)  # stable: plan order within a year
            assert measure_ids(html) == [urls.placed_anchor(d, p.plan.year, p.measure.id) for p in ordered]
            # each measure links back to its place on the plan page
            assert {urls.measure(d, p.plan.year, p.measure.id) for p in mine} <= hrefs(html)
            assert urls.district(d) in hrefs(html) and urls.theme(t.slug) in hrefs(html)
            assert urls.theme_district(t.slug, d) in hrefs(page(built, urls.district(d)))  # the district links it


def test_theme_chips_lead_to_the_district_theme_page(built, site):
    plan = site.plans[0]
    html = page(built, urls.plan(plan.district, plan.year))
    for t in {t for m in plan.measures() for t in m.themes}:
        assert urls.theme_district(t, plan.district) in hrefs(html)
        assert urls.theme(t) not in hrefs(html)


def test_district_theme_pages_are_searchable_and_filtered_to_their_district(site):
    pages = {p.url: p for p in build_pages(site, derive(site))}
    idx = derive(site)
    t = next(t for t in site.themes if len({p.plan.district for p in idx.by_theme.get(t.slug, ())}) > 1)
    assert not pages[urls.theme(t.slug)].searchable
    d = idx.by_theme[t.slug][0].plan.district
    facts = page_facts(pages[urls.theme_district(t.slug, d)])
    assert facts["filters"]["kind"] == ["主题"]
    assert facts["filters"]["district"] == [idx.district_names[d]]
    assert t.name in facts["filters"]["theme"]
    mine = [p for p in idx.by_theme[t.slug] if p.plan.district == d]
    assert set(facts["headings"]) == {urls.placed_anchor(d, p.plan.year, p.measure.id) for p in mine}


def test_an_agency_kind_page_holds_no_task_text_and_one_row_per_district(built, site):
    idx = derive(site)
    checked = 0
    for kind, by_district in idx.by_agency.items():
        html = page(built, urls.agency_kind(kind))
        main = html[html.index("<main"):html.index("</main>")]
        assert measure_ids(main) == [] and not any("#" in h for h in hrefs(main))  # no link to a task
        for d, mentions in by_district.items():
            assert main.count(f'href="{urls.duty(kind, d)}"') == 1  # one row, not one per year
            assert year_span({m.placed.plan.year for m in mentions}) in main
            for m in mentions:
                # a task's first phrase (what a summary of it would show), where it is longer than
                # any agency name or alias the page does show
                first = re.split(r"[，。；：,;:！？]", paragraphs(m.placed.measure.text)[0], maxsplit=1)[0]
                if len(first) >= 20:
                    assert first[:20] not in main, (kind, m.placed.measure.id)
                    checked += 1
    assert checked > 100


def test_year_span_reads_short():
    assert year_span([2024]) == "2024年"
    assert year_span([2022, 2024, 2023]) == "2022–2024年"
    assert year_span([2018, 2024]) == "2018、2024年"
    assert year_span([2015, 2016, 2018, 2020]) == "2015–2020年（其中 4 年）"
