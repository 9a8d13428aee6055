"""The whole site: every page kind for the published plans, stable duty URLs and anchors,
escaping of every text field, and the files around the pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from building import build_files, project_in

from sitegen.content import load_site
from sitegen.site import urls
from sitegen.site.derive import derive

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "minimal"
SCRIPT = "<script>alert(1)</script>"


def render(content: Path, folder: Path | None = None) -> dict[str, str]:
    """The site's text files as built from content, into folder/public (default: beside content)."""
    # Drafts included: the fixture's alpha/2024 is a 草稿, and its pages are checked too.
    files = build_files(project_in(folder or content.parent, content), drafts=True)
    return {k: v.decode("utf-8") for k, v in files.items() if k.endswith((".html", ".xml", ".txt"))}


def page(files: dict[str, str], url: str) -> str:
    return files[str(urls.output_path(url))]


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> dict[str, str]:
    return render(ROOT / "content", tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT / "content").site


def test_every_page_kind_exists_for_the_published_plans(seed, site):
    idx = derive(site)
    expected = [urls.home(), urls.about(), urls.search(), urls.not_found(), urls.districts(), urls.years(),
                urls.agencies(), urls.themes(), urls.metrics()]
    expected += [urls.plan(p.district, p.year) for p in site.plans]
    expected += [urls.district(d.slug) for d in site.districts]
    expected += [urls.year(p.year) for p in site.plans]
    expected += [urls.theme(t.slug) for t in site.themes]
    expected += [urls.theme_district(t, p.plan.district) for t, placed in idx.by_theme.items() for p in placed]
    expected += [urls.metric(m.slug) for m in site.metrics]
    for kind, by_district in idx.by_agency.items():
        expected.append(urls.agency_kind(kind))
        expected += [urls.duty(kind, d) for d in by_district]
    missing = [u for u in expected if str(urls.output_path(u)) not in seed]
    assert not missing
    # collective bodies (各街道, 区食安委成员单位) get duty pages too
    collective = {a.slug for a in site.agencies if a.collective} & set(idx.by_agency)
    assert len(collective) >= 2


def test_each_measure_is_anchored_on_its_plan_page_and_on_each_agency_duty_page(seed, site):
    idx = derive(site)
    for plan in site.plans:
        plan_ids = ids(page(seed, urls.plan(plan.district, plan.year)))
        for m in plan.measures():
            assert m.id in plan_ids
            for duty in idx.duties[(plan.key, m.id)]:
                duty_page = page(seed, urls.duty(duty.kind, plan.district))
                assert urls.duty_anchor(plan.year, m.id) in ids(duty_page), (plan.key, m.id, duty.kind)


def test_duty_page_groups_by_role_and_names_co_agencies(seed):
    html = page(seed, urls.duty("market-regulation", "hedong"))
    assert "河东区市场监管局的职责" in html
    for heading in ("牵头/负责（", "配合（"):
        assert heading in html
    # a measure it supports names the lead agency as a co-agency, linking to that agency's duty page
    assert 'href="/agencies/food-safety-office/hedong/"' in html


def test_a_former_name_shows_as_then_called_on_the_current_kinds_duty_page(seed, site):
    jizhou = next(p for p in site.plans if p.key == "jizhou/2018")
    written = {a.name for m in jizhou.measures() for a in m.agencies}
    assert "区卫计委" in written
    html = page(seed, urls.duty("health", "jizhou"))
    assert "原文作“区卫计委”（时称）" in html


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(src, dst)
    return dst


def test_duty_url_and_anchor_survive_renumbering_and_an_agency_rename(tmp_path):
    content = _copy(ROOT / "content", tmp_path)
    before = render(content)
    anchor = urls.duty_anchor(2024, "enterprise-main-responsibility")
    duty_url = urls.duty("market-regulation", "hedong")
    assert anchor in ids(page(before, duty_url))

    plan = content / "plans" / "hedong" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    # renumber the first item, and rename the bureau: its old name becomes a former name
    text = text.replace("number: （一）", "number: （九）", 1)
    plan.write_text(text, encoding="utf-8")
    agencies = content / "agencies.yaml"
    registry = yaml.safe_load(agencies.read_text(encoding="utf-8"))
    kind = next(k for k in registry if k["slug"] == "market-regulation")
    kind["former"] = list(kind.get("former", [])) + [kind["name"]]
    kind["name"] = "区市场监督管理总局"
    agencies.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8")

    after = render(content)
    html = page(after, duty_url)
    assert anchor in ids(html)
    assert "区市场监督管理总局" in html
    assert "（时称）" in html
    assert urls.measure("hedong", 2024, "enterprise-main-responsibility").split("#")[1] in ids(
        page(after, urls.plan("hedong", 2024)))


TEXT_KEYS = {"title", "subtitle", "issuer", "publicity", "follows", "notice", "intro", "closing", "notes",
             "text", "label", "note", "description"}


def _inject(node):
    if isinstance(node, dict):
        return {k: (v + SCRIPT if k in TEXT_KEYS and isinstance(v, str) else _inject(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_inject(v) for v in node]
    return node


def test_every_text_field_is_escaped_on_every_page(tmp_path):
    content = _copy(FIXTURE, tmp_path)
    # a plan without a source (so no faithfulness check applies), every registry, the site and about texts
    for rel in ["plans/alpha/2024.yaml", "themes.yaml", "metrics.yaml"]:
        f = content / rel
        f.write_text(yaml.safe_dump(_inject(yaml.safe_load(f.read_text(encoding="utf-8"))), allow_unicode=True,
                                    sort_keys=False), encoding="utf-8")
    for rel, key in [("districts.yaml", "name"), ("agencies.yaml", "label")]:
        f = content / rel
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for record in data:
            record[key] += SCRIPT
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (content / "site.yaml").write_text(f"title: 站点{SCRIPT}\ndescription: 说明{SCRIPT}\n", encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text(f"# 关于\n\n{SCRIPT}\n\n<img src=x onerror=alert(1)>\n",
                                                 encoding="utf-8")
    files = render(content)
    for name, html in files.items():
        assert "<script>alert" not in html, name
        assert "<img src=x" not in html, name
    plan_page = page(files, urls.plan("alpha", 2024))
    assert plan_page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8
    assert "&lt;script&gt;" in page(files, urls.about())


def test_no_page_script_and_no_inline_style(seed):
    # pages work without JavaScript and the CSP forbids inline styles; only the search page has scripts
    for name, html in seed.items():
        if not name.endswith(".html") or name.startswith("search/"):
            continue
        assert "<script" not in html, name
        assert " style=" not in html, name


def test_no_template_printed_a_python_object(seed):
    for name, html in seed.items():
        assert "built-in method" not in html and " object at 0x" not in html, name


def test_every_page_has_canonical_and_open_graph_and_sitemap_lists_pages(seed):
    sitemap = seed["sitemap.xml"]
    for name, html in seed.items():
        if not name.endswith(".html"):
            continue
        assert '<html lang="zh-Hans">' in html
        for needle in ('<link rel="canonical" href="https://', 'property="og:title"', 'property="og:description"',
                       'rel="icon"'):
            assert needle in html, (name, needle)
        if name != "404.html":
            loc = "/" + name.removesuffix("index.html")
            assert f"{loc}</loc>" in sitemap, name
    assert "Sitemap: https://" in seed["robots.txt"]


def test_plan_page_links_its_source_text_and_neighbouring_years(seed, site):
    for plan in site.plans:
        if plan.source is None:  # a draft an editor has started: no source yet
            continue
        html = page(seed, urls.plan(plan.district, plan.year))
        assert f'href="{urls.source(plan.source.file)}"' in html
        assert str(urls.output_path(urls.source(plan.source.file))) in seed


def test_neighbouring_plans_link_each_other(tmp_path):
    files = render(_copy(FIXTURE, tmp_path))
    older, newer = page(files, urls.plan("alpha", 2023)), page(files, urls.plan("alpha", 2024))
    assert f'rel="next" href="{urls.plan("alpha", 2024)}"' in older
    assert f'rel="prev" href="{urls.plan("alpha", 2023)}"' in newer


def test_metric_page_charts_every_value_beside_its_table(seed, site):
    html = page(seed, urls.metric("sampling-intensity"))
    values = [t for p in site.plans for g in list(p.all_goals()) + p.measures() for t in g.targets
              if t.metric == "sampling-intensity"]
    assert html.count('<rect class="bar"') == len(values)
    assert html.count("<tr>") == len(values) + 1  # header row
    assert "<svg" in html and 'role="img"' in html


def test_plan_page_marks_a_draft_for_comment_with_a_badge_not_a_button(seed):
    html = page(seed, urls.plan("hedong", 2024))
    assert '<span class="badge">征求意见稿</span>' in html
    assert "<button" not in html.split('<main id="main"', 1)[1]


def test_each_configured_comparison_has_a_page_linked_from_both_plans(seed, site):
    assert len(site.comparisons) == 3
    for c in site.comparisons:
        html = page(seed, urls.comparison(c.slug))
        assert c.title in html and c.context in html
        assert "<del>" in html or "<ins>" in html or "新增的任务" in html
        for key in (c.old, c.new):
            district, year = key.split("/")
            assert f'href="{urls.comparison(c.slug)}"' in page(seed, urls.plan(district, int(year)))
    assert all(f'href="{urls.comparison(c.slug)}"' in page(seed, urls.diffs()) for c in site.comparisons)


def test_a_district_with_two_years_gets_a_diff_page_linked_from_plans_district_and_duty_pages(tmp_path):
    # alpha's 2024 plan is a draft, rendered here (as in previews): the two years make a diff.
    # (Publishing it would need its own source text: every text is checked against the source.)
    content = _copy(FIXTURE, tmp_path)
    files = render(content)
    diff_url = urls.diff("alpha", 2023, 2024)
    html = page(files, diff_url)
    assert "比2023年有何变化" in html or "2024年计划比2023年" in html
    assert f'href="{diff_url}"' in page(files, urls.plan("alpha", 2024))
    assert f'href="{diff_url}"' in page(files, urls.plan("alpha", 2023))
    assert f'href="{diff_url}"' in page(files, urls.district("alpha"))
    duty = page(files, urls.duty("market-regulation", "alpha"))
    assert diff_url in duty
