"""axe-core in headless Chromium on one page of each kind, and keyboard use of every kind.

Each kind of page (told by the shape of its URL, see site.kind_of) is checked on its
biggest page, and so is every plan page. Serious and critical violations fail; so do
the rules about landmarks, headings and skipping to the content whatever their
impact, as the issue asks for them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from . import site
from .site import pages_by_kind, representatives, url_of

BLOCKING_IMPACTS = {"serious", "critical"}
ALWAYS_ENFORCED = {"region", "bypass", "skip-link", "heading-order", "page-has-heading-one",
                   "empty-heading"}  # and every landmark-* rule

PHONE = 360
DESKTOP = 1280


@cache
def axe_script() -> str:
    import axe_playwright_python  # ships a pinned axe.min.js

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe(page) -> list[dict]:
    page.evaluate(axe_script())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"]
            if v["impact"] in BLOCKING_IMPACTS or v["id"] in ALWAYS_ENFORCED or v["id"].startswith("landmark-")]


def readable(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url} [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements; {v['helpUrl']})")
        for node in v["nodes"][:3]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def test_a_missing_browser_is_a_clear_failure_not_a_skip(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "nothing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(site, "CHROMIUM_FALLBACKS", [])
    with pytest.raises(site.BrowserMissing, match="never skipped"):
        site.chromium_path()


def test_axe_finds_violations_at_all(open_page):
    page = open_page()
    page.set_content('<!doctype html><html><body><img src="x.png"><a href="/"></a></body></html>')
    ids = {v["id"] for v in axe(page)}
    assert {"image-alt", "link-name", "html-has-lang"} <= ids


def test_no_serious_or_critical_violations_on_any_kind_of_page(built_site, site_url, open_page):
    page = open_page(DESKTOP)
    reports = []
    kinds = representatives(built_site)
    assert {"home", "plans/*/*"} <= kinds.keys()
    # Plans differ in shape (lists, tables, untitled parts), so every plan is checked.
    targets = [(kind, url) for kind, url in kinds.items()]
    targets += [("plans/*/*", url_of(built_site, f)) for f in pages_by_kind(built_site)["plans/*/*"]
                if url_of(built_site, f) != kinds["plans/*/*"]]
    for kind, url in targets:
        if kind == "404.html":
            url = "/no-such-page/at/all/"  # the host serves it at any missing URL
        response = page.goto(site_url + url)
        assert response is not None and response.status == (404 if kind == "404.html" else 200), url
        if found := axe(page):
            reports.append(readable(url, found))
    assert not reports, "\n".join(reports)


def test_plan_page_on_a_phone_has_no_violations(built_site, site_url, open_page):
    page = open_page(PHONE, 740)
    plans = [url for kind, url in representatives(built_site).items() if kind == "plans/*/*"]
    page.goto(site_url + plans[0])
    assert not (found := axe(page)), readable(plans[0], found)


def test_no_page_kind_scrolls_sideways_on_a_phone(built_site, site_url, open_page):
    page = open_page(PHONE, 740)
    wide = []
    for url in representatives(built_site).values():
        page.goto(site_url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide.append(f"{url}: {width}px wide at a {PHONE}px viewport")
    assert not wide, "\n".join(wide)


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return {tag: el.tagName.toLowerCase(), href: el.getAttribute('href'), cls: el.className,
          text: (el.textContent || '').trim().slice(0, 40),
          x: r.x, y: r.y, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight,
          onTop: !!hit && (hit === el || el.contains(hit)),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none',
          inMain: !!el.closest('main')};
}"""


def focus_problems(page, address: str, url: str, stops: int = 12) -> list[str]:
    """Keyboard use of the page at address (url names it in messages)."""
    problems = []
    page.goto(address)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    if not first or first["href"] != "#main":
        return [f"{url}: the first Tab stop is {first}, want the skip link to #main"]
    if not (first["w"] > 0 and first["h"] > 0 and first["x"] >= 0 and first["y"] >= 0
            and first["x"] + first["w"] <= first["vw"] and first["y"] + first["h"] <= first["vh"]
            and first["onTop"]):
        problems.append(f"{url}: the focused skip link is not visible in the viewport: {first}")
    for _ in range(stops):
        el = page.evaluate(FOCUSED)
        if el is None:
            break
        if not (el["outline"] or el["shadow"]):
            problems.append(f"{url}: focused <{el['tag']} class={el['cls']!r}> {el['text']!r} shows no outline")
        page.keyboard.press("Tab")
    # The skip link works: after it, the next Tab lands inside main.
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    if page.evaluate("location.hash") != "#main":
        problems.append(f"{url}: Enter on the skip link did not go to #main")
    if page.evaluate("!!document.querySelector('main a[href], main button, main input, main [tabindex]')"):
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUSED)
        if not after or not after["inMain"]:
            problems.append(f"{url}: Tab after the skip link went to {after}, not into main")
    return problems


def test_keyboard_focus_is_visible_and_the_skip_link_works_on_every_kind(built_site, site_url, open_page):
    page = open_page(DESKTOP)
    problems = []
    for url in representatives(built_site).values():
        problems += focus_problems(page, site_url + url, url)
    assert not problems, "\n".join(problems)


def test_focus_check_catches_an_invisible_focus(open_page):
    page = open_page(DESKTOP)
    body = ('<!doctype html><html lang="en"><body><a class="skip" href="#main" '
            'style="position:absolute;left:-999px">skip</a><main id="main">'
            '<a href="/" style="outline:none">x</a></main></body></html>')
    page.route("http://bad.invalid/", lambda route: route.fulfill(body=body, content_type="text/html"))
    problems = focus_problems(page, "http://bad.invalid/", "bad")
    assert any("skip link is not visible" in p for p in problems)
    assert any("shows no outline" in p for p in problems)
