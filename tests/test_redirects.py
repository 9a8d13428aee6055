"""`_redirects`: every URL a renamed district, agency kind or theme had still leads to its page.

Netlify's rules are simulated here: the first matching rule wins, `*` binds :splat,
`:name` binds one path segment, and a rule never fires where a file exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from building import build_files, project_in

from sitegen.content import load_site
from sitegen.site import urls

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "minimal"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    return build_files(project_in(tmp_path_factory.mktemp("built"), FIXTURE), drafts=True)


@pytest.fixture(scope="module")
def site():
    return load_site(FIXTURE).site


def parse(text: str) -> list[tuple[str, str, int]]:
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            old, new, status = line.split()
            rules.append((old, new, int(status)))
    return rules


def _pattern(old: str) -> re.Pattern:
    out = ""
    for part in re.split(r"(:[a-z]+|\*)", old):
        if part == "*":
            out += "(?P<splat>.*)"
        elif part.startswith(":"):
            out += f"(?P<{part[1:]}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile(out + "$")


def resolve(path: str, rules, files: set[str], hops: int = 5) -> str:
    """Where a request for path ends up (a URL), following redirects as Netlify would."""
    for _ in range(hops):
        if str(urls.output_path(path)) in files:
            return path
        for old, new, _status in rules:
            m = _pattern(old).match(path)
            if m:
                path = re.sub(r":([a-z]+)", lambda g: m.group(g[1]), new)
                break
        else:
            return path
    raise AssertionError(f"redirect loop at {path}")


def test_redirects_file_is_written_and_every_rule_is_permanent(built):
    rules = parse(built["_redirects"].decode("utf-8"))
    assert rules and all(status == 301 for _, _, status in rules)
    assert all(old != new for old, new, _ in rules)


def test_the_fixture_renames_one_of_each_kind(site):
    # What the tests below rely on: a former slug in each registry whose slugs are in URLs.
    assert any(d.former_slugs for d in site.districts)
    assert any(k.former_slugs for k in site.agencies)
    assert any(t.former_slugs for t in site.themes)


def test_each_former_slugs_page_redirects_to_the_page_urls_gives_the_current_slug(built, site):
    rules = parse(built["_redirects"].decode("utf-8"))
    files = set(built)
    for records, url in ((site.districts, urls.district), (site.agencies, urls.agency_kind), (site.themes, urls.theme)):
        for r in records:
            for old in r.former_slugs:
                for asked in (url(old), url(old).rstrip("/")):
                    assert resolve(asked, rules, files) == url(r.slug), asked


def _page_kinds(files: set[str]) -> set[str]:
    return {f.split("/", 1)[0] for f in files if "/" in f}


def test_every_page_below_a_current_slug_is_reached_from_the_former_slug(built, site):
    """Each built page whose URL holds a renamed slug answers at the old URL too (plans, duties, …)."""
    rules = parse(built["_redirects"].decode("utf-8"))
    files = set(built)
    checked = 0
    renames = [(old, d.slug) for d in site.districts for old in d.former_slugs] + \
        [(old, k.slug) for k in site.agencies for old in k.former_slugs] + \
        [(old, t.slug) for t in site.themes for old in t.former_slugs]
    for page in sorted(f for f in files if f.endswith("index.html")):
        url = "/" + page.removesuffix("index.html")
        for old, new in renames:
            if f"/{new}/" in url:
                asked = url.replace(f"/{new}/", f"/{old}/", 1)
                assert resolve(asked, rules, files) == url, f"{asked} does not lead to {url}"
                checked += 1
    assert checked >= 5


def test_every_redirect_target_exists_in_the_build(built):
    """A page rule's target is a built page. Limited to the page kinds this build has
    (districts, agencies, themes, plans, …): a kind added later is checked once it is built."""
    rules = parse(built["_redirects"].decode("utf-8"))
    files = set(built)
    kinds = _page_kinds(files)
    targets = [new for old, new, _ in rules if ":" not in new]
    assert targets
    for new in targets:
        kind = new.strip("/").split("/", 1)[0]
        if kind in kinds or new.endswith("/"):
            assert str(urls.output_path(new)) in files, f"redirect to {new}, which is not built"
