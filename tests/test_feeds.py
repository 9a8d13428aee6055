"""Atom feeds: valid Atom with the required elements, ids stable across builds and
edits, updated dates from the content (never the clock), linked from the pages."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from building import build_files, project_in

from sitegen.content import load_site
from sitegen.outputs.feeds import plan_updated
from sitegen.site import urls
from sitegen.site.derive import derive

ROOT = Path(__file__).resolve().parent.parent
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = build_files(project_in(tmp_path_factory.mktemp("built"), ROOT / "content"))
    site = load_site(ROOT / "content").site
    return files, site, derive(site)


def feeds_of(files) -> dict[str, ET.Element]:
    return {k: ET.fromstring(v) for k, v in files.items() if k.startswith("feeds/")}


def when(el: ET.Element, tag: str) -> dt.datetime:
    text = el.findtext(A + tag)
    assert text and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", text), text  # RFC 3339
    return dt.datetime.fromisoformat(text)


def entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {e.findtext(A + "id"): e for e in feed.findall(A + "entry")}


def test_every_feed_is_atom_with_the_required_elements(built):
    files, site, _ = built
    feeds = feeds_of(files)
    assert "feeds/all.atom" in feeds and len(feeds) > 1 + len(site.districts)
    for path, feed in feeds.items():
        assert feed.tag == A + "feed", path
        assert feed.findtext(A + "id") == site.info.base_url + "/" + path
        assert feed.findtext(A + "title")
        when(feed, "updated")
        rels = {link.get("rel"): link.get("href") for link in feed.findall(A + "link")}
        assert rels["self"] == site.info.base_url + "/" + path and rels["alternate"].startswith(site.info.base_url)
        assert feed.find(A + "author").findtext(A + "name")  # no entry has its own author
        for e in feed.findall(A + "entry"):
            assert e.findtext(A + "id") and e.findtext(A + "title") and e.findtext(A + "summary")
            when(e, "updated")
            link = e.find(A + "link")
            assert link.get("rel") == "alternate" and link.get("href") == e.findtext(A + "id")


def test_entries_are_the_plans_of_each_feed(built):
    files, site, idx = built
    base = site.info.base_url
    feeds = feeds_of(files)
    plan_id = lambda p: base + urls.plan(p.district, p.year)  # noqa: E731
    assert set(entries(feeds["feeds/all.atom"])) == {plan_id(p) for p in site.plans}
    for d in site.districts:
        assert set(entries(feeds[str(urls.output_path(urls.feed_district(d.slug)))])) == \
               {plan_id(p) for p in site.plans if p.district == d.slug}
    for kind, by_district in idx.by_agency.items():
        expected = {plan_id(m.placed.plan) for ms in by_district.values() for m in ms}
        assert set(entries(feeds[str(urls.output_path(urls.feed_agency_kind(kind)))])) == expected


def test_updated_dates_come_from_the_content(built):
    files, site, _ = built
    feeds = feeds_of(files)
    by_url = {site.info.base_url + urls.plan(p.district, p.year): p for p in site.plans}
    for feed in feeds.values():
        dates = []
        for entry_id, e in entries(feed).items():
            plan = by_url[entry_id]
            expected = plan.date or dt.date(plan.year, 1, 1)  # no seed plan sets `updated:`
            assert when(e, "updated").date() == expected
            dates.append(expected)
        if dates:
            assert when(feed, "updated").date() == max(dates)
            assert dates == sorted(dates, reverse=True)  # newest first
    wuqing = entries(feeds["feeds/districts/wuqing.atom"])
    assert when(next(iter(wuqing.values())), "published").date() == dt.date(2022, 8, 11)


def test_ids_are_stable_and_updated_follows_an_edit(built, content, tmp_path):
    files, site, _ = built
    again = build_files(project_in(tmp_path / "again", ROOT / "content"))
    assert {k: v for k, v in again.items() if k.startswith("feeds/")} == \
           {k: v for k, v in files.items() if k.startswith("feeds/")}
    # An editor corrects a plan and says when: the entry keeps its id, readers see the new date.
    plan = content / "plans" / "hedong" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("status: 征求意见稿", "status: 征求意见稿\nupdated: 2026-03-02", 1), encoding="utf-8")
    edited = build_files(project_in(tmp_path / "edited", content))
    before, after = feeds_of(files), feeds_of(edited)
    for path in before:
        assert set(entries(before[path])) == set(entries(after[path])), path
    url = site.info.base_url + urls.plan("hedong", 2024)
    assert when(entries(after["feeds/all.atom"])[url], "updated").date() == dt.date(2026, 3, 2)
    assert when(after["feeds/all.atom"], "updated").date() == dt.date(2026, 3, 2)
    assert when(after["feeds/districts/hedong.atom"], "updated").date() == dt.date(2026, 3, 2)
    assert after["feeds/all.atom"].find(A + "entry").findtext(A + "id") == url  # now the newest
    assert when(after["feeds/districts/wuqing.atom"], "updated") == when(before["feeds/districts/wuqing.atom"], "updated")


def test_plan_updated_rule():
    from sitegen.content.model import Plan

    base = dict(title="t", district="x", year=2024, status="正式", parts=[{"measures": []}])
    assert plan_updated(Plan(**base)) == dt.date(2024, 1, 1)
    assert plan_updated(Plan(**base, date="2024-03-01")) == dt.date(2024, 3, 1)
    assert plan_updated(Plan(**base, date="2024-03-01", updated="2025-05-05")) == dt.date(2025, 5, 5)
    assert plan_updated(Plan(**base, date="2024-03-01", updated="2024-01-05")) == dt.date(2024, 3, 1)


def test_pages_link_their_feeds_and_every_feed_is_linked(built):
    files, _, _ = built
    linked = set()
    for path, data in files.items():
        if path.endswith(".html"):
            for tag in re.findall(r"<link rel=\"alternate\"[^>]*>", data.decode("utf-8")):
                assert 'type="application/atom+xml"' in tag
                linked.add(re.search(r'href="([^"]+)"', tag).group(1))
    assert {str(urls.output_path(u)) for u in linked} == {k for k in files if k.startswith("feeds/")}
    home = files["index.html"].decode("utf-8")
    assert f'href="{urls.feed_all()}"' in home


def test_a_feed_keeps_only_the_newest_entries(built, monkeypatch):
    from sitegen.outputs import feeds as feeds_module

    _, site, idx = built
    every = feeds_module.atom(site, idx, feeds_module.feed_list(site, idx)[0], dt.date(2000, 1, 1))
    monkeypatch.setattr(feeds_module, "MAX_ENTRIES", 2)
    capped = feeds_module.atom(site, idx, feeds_module.feed_list(site, idx)[0], dt.date(2000, 1, 1))
    all_entries = ET.fromstring(every).findall(A + "entry")
    kept = ET.fromstring(capped).findall(A + "entry")
    assert len(all_entries) > 2 and len(kept) == 2
    assert [e.findtext(A + "id") for e in kept] == [e.findtext(A + "id") for e in all_entries[:2]]  # newest first
    assert ET.fromstring(capped).findtext(A + "updated") == ET.fromstring(every).findtext(A + "updated")
