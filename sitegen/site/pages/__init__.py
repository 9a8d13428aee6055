"""The list of pages: what each shows, and which content it depends on.

One module a page family; each returns Page records whose context is
display-ready, so templates only loop and format.
"""

from __future__ import annotations

from sitegen.content.model import Site
from sitegen.site.derive import Indexes
from sitegen.site.pages.agencies import agency_pages
from sitegen.site.pages.common import REGISTRY_FILES, Lookups, Page
from sitegen.site.pages.diffs import diff_pages
from sitegen.site.pages.districts import district_pages
from sitegen.site.pages.home import home_pages
from sitegen.site.pages.metrics import metric_pages
from sitegen.site.pages.plans import plan_pages
from sitegen.site.pages.themes import theme_pages
from sitegen.site.pages.years import year_pages

__all__ = ["Page", "REGISTRY_FILES", "build_pages"]


def build_pages(site: Site, idx: Indexes, about_markdown: str = "") -> list[Page]:
    lk = Lookups.of(site, idx)
    pages = (home_pages(lk, about_markdown) + plan_pages(lk) + district_pages(lk) + year_pages(lk)
             + agency_pages(lk) + theme_pages(lk) + metric_pages(lk) + diff_pages(lk))
    urls_seen = [p.url for p in pages]
    assert len(urls_seen) == len(set(urls_seen)), "two pages at one URL"
    return pages
