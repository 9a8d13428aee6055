"""The whole built output, read without a browser: links, anchors, headings, landmarks, weight."""

from __future__ import annotations

import gzip
import random
import re
from collections import Counter

from .site import (
    MINIMAL,
    broken_links,
    build_site,
    css_urls,
    file_of,
    heading_problems,
    html_files,
    internal_target,
    kind_of,
    landmark_problems,
    read_page,
    unnamed_control_problems,
    url_of,
)

PLAN_BUDGET = 25_000  # bytes, gzipped: a plan page with its styles and scripts
# The search script loads only on the search page (and on demand), so it is not counted.
SEARCH_PREFIXES = ("/pagefind/",)


def summary(problems: list[str], shown: int = 60) -> str:
    """The broken links, at most `shown` of them, then how many point into each folder."""
    missing = Counter(re.sub(r"^(/[^/]*/?).*", r"\1", p.rsplit(" at ", 1)[-1]) for p in problems if " no file at " in p)
    lines = [f"{len(problems)} broken links:", *problems[:shown]]
    if len(problems) > shown:
        lines.append(f"... and {len(problems) - shown} more; missing files by folder: {dict(missing)}")
    return "\n".join(lines)


def test_every_internal_link_and_anchor_of_the_seed_site_resolves(built_site):
    assert len(html_files(built_site)) > 1
    problems = broken_links(built_site)
    assert not problems, summary(problems)


def test_every_internal_link_and_anchor_of_the_fixture_site_resolves(tmp_path):
    out = build_site(MINIMAL, tmp_path / "public")
    problems = broken_links(out)
    assert not problems, summary(problems)


def test_the_link_walk_finds_missing_pages_anchors_and_assets(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="here">', encoding="utf-8")
    (tmp_path / "style.css").write_text("body{background:url(/img/gone.png)}", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="/a/">ok</a><a href="a/#here">ok</a><a href="#top" id="top">ok</a>'
        '<a href="https://example.org/x">out</a><a href="mailto:x@example.org">out</a>'
        '<a href="/a/?q=1">ok</a>'
        '<a href="/b/">no page</a><a href="/a/#there">no id</a><a href="/a">no slash</a>'
        '<img src="/img/x.png" alt=""><a href="#">empty</a>', encoding="utf-8")
    (tmp_path / "404.html").write_text('<a href="/">ok</a><a href="a/">relative</a>', encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>https://s.example/a/</loc></url>"
                                          "<url><loc>https://s.example/gone/</loc></url></urlset>", encoding="utf-8")
    (tmp_path / "all.atom").write_text('<feed><link href="https://s.example/a/"/><link href="/old/"/>'
                                       '<link href="https://elsewhere.example/x/"/></feed>', encoding="utf-8")
    problems = broken_links(tmp_path)
    assert len(problems) == 9, problems
    for bad in ["/b/", "#there", "'/a'", "/img/x.png", "'#'", "gone.png", "404 page needs site-absolute",
                "sitemap.xml: https://s.example/gone/", "all.atom: /old/"]:
        assert any(bad in p for p in problems), bad


def test_headings_go_down_one_level_at_a_time_under_one_h1(built_site):
    problems = heading_problems(built_site)
    assert not problems, "\n".join(problems)


def test_every_link_and_button_on_every_page_has_a_name(built_site):
    problems = unnamed_control_problems(built_site)
    assert not problems, "\n".join(problems)


def test_every_page_has_landmarks_and_a_skip_link_first(built_site):
    problems = landmark_problems(built_site)
    assert not problems, "\n".join(problems)


def test_heading_and_landmark_checks_catch_bad_pages(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="/">home</a><div><h2>x</h2><h1>t</h1><h3>skip</h3><h4></h4></div>', encoding="utf-8")
    heads = heading_problems(tmp_path)
    assert len(heads) == 3 and "first heading is <h2>" in heads[0]
    assert "a level skipped" in heads[1] and "is empty" in heads[2]
    marks = landmark_problems(tmp_path)
    assert len(marks) == 5, marks
    (tmp_path / "index.html").write_text(
        '<a href="/"></a><a href="/"><img src="x.png" alt=""></a><button> </button>'
        '<a href="/">ok</a><a href="/" aria-label="ok">#</a><a href="/"><img src="x.png" alt="ok"></a>'
        '<a href="/"><svg aria-label="ok"></svg></a><a id="no-href"></a>', encoding="utf-8")
    assert unnamed_control_problems(tmp_path) == [
        "index.html:1: <a> has no text or label"] * 2 + ["index.html:1: <button> has no text or label"]


LOADED_RELS = {"stylesheet", "preload", "modulepreload", "icon"}


def page_weight(out, page) -> dict[str, int]:
    """Gzipped bytes of a page and of each same-site file it loads: stylesheets (and what
    they load: fonts, images), scripts, images; the search script excepted."""
    def gz(file):
        return len(gzip.compress(file.read_bytes(), 6, mtime=0))

    parts = {url_of(out, page): gz(page)}
    for link in read_page(page).links:
        loaded = link.tag in {"script", "img", "source", "video", "audio", "iframe"} or (
            link.tag == "link" and LOADED_RELS & set(link.rel.split()))
        target = internal_target("http://site.invalid" + url_of(out, page), link.url)
        if not loaded or target is None or target[0].startswith(SEARCH_PREFIXES):
            continue
        file = file_of(out, target[0])
        if file is None:
            continue  # the link walk reports it
        parts[target[0]] = gz(file)
        if file.suffix == ".css":
            for _, path in css_urls(out, file):
                if path and (asset := file_of(out, path)):
                    parts[path] = gz(asset)
    return parts


def test_every_plan_page_stays_under_25_kb_gzipped(built_site):
    plans = [p for p in html_files(built_site) if kind_of(url_of(built_site, p)) == "plans/*/*"]
    assert plans
    heavy = []
    for page in plans:
        parts = page_weight(built_site, page)
        if (total := sum(parts.values())) >= PLAN_BUDGET:
            heavy.append(f"{url_of(built_site, page)}: {total} bytes gzipped: {parts}")
    assert not heavy, "\n".join(heavy)


def test_page_weight_counts_what_the_page_loads_but_not_search_or_alternates(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "a.css").write_text("@font-face{src:url(f.woff2)}", encoding="utf-8")
    (tmp_path / "static" / "f.woff2").write_bytes(random.Random(0).randbytes(2000))  # incompressible, like a font
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="/static/a.css"><link rel="alternate" href="/data.json">'
                    '<script src="/pagefind/pagefind-ui.js"></script><a href="/static/f.woff2">x</a>',
                    encoding="utf-8")
    assert sorted(page_weight(tmp_path, page)) == ["/", "/static/a.css", "/static/f.woff2"]
    assert page_weight(tmp_path, page)["/static/f.woff2"] > 1000
