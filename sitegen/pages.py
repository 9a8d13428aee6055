"""The list of pages: what each shows, and which content it depends on."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import urls
from .derive import Indexes
from .model import Site


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: dict = field(hash=False)
    deps: frozenset[str] = frozenset()  # content files (relative to content/) this page reads

    @property
    def out_path(self):
        return urls.output_path(self.url)


REGISTRY_FILES = frozenset({"districts.yaml", "agencies.yaml", "themes.yaml", "metrics.yaml"})


def build_pages(site: Site, idx: Indexes) -> list[Page]:
    themes = {t.slug: t.name for t in site.themes}
    metrics = {m.slug: m for m in site.metrics}
    districts = [
        {"slug": d.slug, "name": d.name, "city": d.city or "", "url": urls.district(d.slug),
         "plans": [{"year": p.year, "title": p.title, "status": p.status.value, "url": urls.plan(p.district, p.year)}
                   for p in idx.plans_by_district.get(d.slug, ())]}
        for d in site.districts
    ]
    pages = [Page(urls.home(), "index.html", {"districts": districts}, REGISTRY_FILES |
                  {f"plans/{p.key}.yaml" for p in site.plans})]
    for d in districts:
        pages.append(Page(d["url"], "district.html", {"district": d}, frozenset(
            {"districts.yaml"} | {f"plans/{d['slug']}/{p['year']}.yaml" for p in d["plans"]})))
    for plan in site.plans:
        context = {
            "plan": plan,
            "district_name": idx.district_names[plan.district],
            "district_url": urls.district(plan.district),
            "duties": {m.id: idx.duties[(plan.key, m.id)] for m in plan.measures()},
            "themes": themes,
            "metrics": metrics,
        }
        pages.append(Page(urls.plan(plan.district, plan.year), "plan.html", context,
                          REGISTRY_FILES | {f"plans/{plan.key}.yaml"}))
    return pages
