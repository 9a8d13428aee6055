"""Diff pages filter by agency kind or theme without JavaScript, in a real browser."""

from __future__ import annotations

VISIBLE = "els => els.filter(e => e.offsetParent !== null).map(e => e.className)"
PAGE = "/compare/wuqing-2022-hedong-2024/"


def test_filter_links_show_only_the_changes_of_that_kind_or_theme(open_page, site_url):
    page = open_page(390, 900)
    page.route("**/*.js", lambda route: route.abort())  # the filters must not need scripts
    page.goto(site_url + PAGE)
    everything = page.eval_on_selector_all(".changes .change", VISIBLE)
    for marker in ("k-market-regulation", "t-sampling"):
        page.goto(site_url + PAGE + "#" + marker)
        shown = page.eval_on_selector_all(".changes .change", VISIBLE)
        assert 0 < len(shown) < len(everything), marker
        assert all(marker in c.split() for c in shown), marker
        assert page.is_visible(".filtering")
    page.goto(site_url + PAGE + "#changes")
    assert len(page.eval_on_selector_all(".changes .change", VISIBLE)) == len(everything)
    assert not page.is_visible(".filtering")
