"""Every URL and output path of the site, and nothing else decides them.

URLs are built from slugs, years and ids only, never from titles or the
plan's own numbering, so they survive renumbering and rewording. All are
lower-case ASCII; pages end in a slash.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import PurePosixPath
from types import SimpleNamespace
from urllib.parse import quote

# --- pages --------------------------------------------------------------------


def home() -> str:
    return "/"


def plan(district: str, year: int) -> str:
    return f"/plans/{district}/{year}/"


def measure(district: str, year: int, measure_id: str) -> str:
    return f"{plan(district, year)}#{measure_id}"


def districts() -> str:
    return "/districts/"


def district(slug: str) -> str:
    return f"/districts/{slug}/"


def years() -> str:
    return "/years/"


def year(value: int) -> str:
    return f"/years/{value}/"


def agencies() -> str:
    return "/agencies/"


def agency_kind(kind: str) -> str:
    """One kind of agency across districts (all market-regulation bureaus)."""
    return f"/agencies/{kind}/"


def duty(kind: str, district: str) -> str:
    """The duty page of one agency in one district: the page journalists link to."""
    return f"/agencies/{kind}/{district}/"


def duty_anchor(year: int, measure_id: str) -> str:
    # A duty page lists several years, and ids are unique only within a plan.
    return f"y{year}-{measure_id}"


def duty_measure(kind: str, district: str, year: int, measure_id: str) -> str:
    return f"{duty(kind, district)}#{duty_anchor(year, measure_id)}"


def placed_anchor(district: str, year: int, measure_id: str) -> str:
    """A measure's anchor on a page listing several plans (a district's theme page)."""
    return f"{district}-{year}-{measure_id}"


def themes() -> str:
    return "/themes/"


def theme(slug: str) -> str:
    """A theme's overview: the districts with tasks on it."""
    return f"/themes/{slug}/"


def theme_district(slug: str, district: str) -> str:
    """One district's tasks on a theme, every year (a theme page would be megabytes site-wide)."""
    return f"{theme(slug)}{district}/"


def metrics() -> str:
    return "/metrics/"


def metric(slug: str) -> str:
    return f"/metrics/{slug}/"


def diffs() -> str:
    return "/diffs/"


def diff(district: str, old_year: int, new_year: int) -> str:
    """Consecutive plans of one district."""
    return f"/diffs/{district}/{old_year}-{new_year}/"


def comparison(slug: str) -> str:
    """An editor-configured comparison (content/comparisons.yaml)."""
    return f"/compare/{slug}/"


def about() -> str:
    return "/about/"


def search(query: str | None = None) -> str:
    """The search page; with a query, the link that runs that search."""
    return "/search/" if not query else f"/search/?q={quote(query, safe='')}"


def not_found() -> str:
    return "/404.html"


# --- files ---------------------------------------------------------------------


def source(file: str) -> str:
    """A published text as transcribed from, served from content/sources/."""
    return f"/sources/{file}"


def search_bundle() -> str:
    """Pagefind's search index and its loader (pagefind.js), written by the build."""
    return "/pagefind/"


ASSETS = "/assets/"  # the fingerprinted copies


def static(name: str, assets: Mapping[str, str] | None = None) -> str:
    """A file of static/ (or filters.css, which the build makes beside them) as pages link it: its
    fingerprinted copy under /assets/ when `assets` (static file name -> fingerprinted name, what
    the build made) names one, whose name changes with its bytes, so a browser may keep it for a
    year (netlify.toml); else the plain copy."""
    if assets and name in assets:
        return f"{ASSETS}{assets[name]}"
    return static_file(name)


def for_templates(assets: Mapping[str, str]) -> SimpleNamespace:
    """This module's URLs as templates call them (`urls.plan(...)`, `urls.static('style.css')`),
    with static files linked by the fingerprinted names in `assets`."""
    functions = {name: value for name, value in globals().items()
                 if not name.startswith("_") and name != "for_templates"
                 and getattr(value, "__module__", None) == __name__}
    return SimpleNamespace(**{**functions, "ASSETS": ASSETS,
                              "static": functools.partial(static, assets=dict(assets))})


def static_file(name: str) -> str:
    """The plain copy of a static file, at a name that never changes."""
    return f"/static/{name}"


def sitemap() -> str:
    return "/sitemap.xml"


def robots() -> str:
    return "/robots.txt"


def data_index() -> str:
    return "/data/index.json"


def data_plan(district: str, year: int, ext: str) -> str:
    """A plan's data: ext is json, csv (measure × agency) or targets.csv."""
    return f"/data/plans/{district}-{year}.{ext}"


def data_all(ext: str) -> str:
    """All plans together: json, csv, targets.csv, sqlite."""
    return f"/data/all.{ext}"


def data_duty(kind: str, district: str) -> str:
    return f"/data/agencies/{kind}-{district}.csv"


def data_metric(slug: str) -> str:
    return f"/data/metrics/{slug}.csv"


def data_diff(district: str, old_year: int, new_year: int) -> str:
    return f"/data/diffs/{district}-{old_year}-{new_year}.json"


def data_comparison(slug: str) -> str:
    return f"/data/compare/{slug}.json"


def feed_all() -> str:
    return "/feeds/all.atom"


def feed_district(slug: str) -> str:
    return f"/feeds/districts/{slug}.atom"


def feed_agency_kind(kind: str) -> str:
    return f"/feeds/agencies/{kind}.atom"


def absolute(base_url: str, url: str) -> str:
    """A site URL (from this module) as a full address on the site at base_url."""
    return base_url.rstrip("/") + url


def output_path(url: str) -> PurePosixPath:
    """Where the page or file for url is written, relative to the output folder."""
    path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return PurePosixPath(path)
