"""Agency pages: a kind across districts, and the duty page of one agency in one district.

The duty page is what journalists cite: its URL is the kind's slug and the
district's slug, and each task's anchor is its year and id (urls.duty_anchor),
so neither moves when a plan is renumbered or an agency renamed.
"""

from __future__ import annotations

from collections import defaultdict

from sitegen.site import urls
from sitegen.site.derive import ROLE_CLASSES, Mention
from sitegen.site.pages.common import (
    ATOM,
    REGISTRY_FILES,
    ROLE_LABELS,
    Lookups,
    Page,
    citation,
    measure_base,
    plan_file,
    role_counts,
    site_feed,
    year_span,
)


def agency_pages(lk: Lookups) -> list[Page]:
    pages = [_index(lk)]
    for kind, by_district in lk.idx.by_agency.items():
        pages.append(_kind(lk, kind, by_district))
        pages += [_duty(lk, kind, d, mentions) for d, mentions in by_district.items()]
    return pages


def _deps(plans) -> frozenset[str]:
    return REGISTRY_FILES | {plan_file(p) for p in plans}


def _index(lk: Lookups) -> Page:
    every = {id(p): p for v in lk.idx.plans_by_agency.values() for ps in v.values() for p in ps}
    return Page(urls.agencies(), "agencies.html", "责任单位", "各类责任单位在各区计划中牵头、分工和配合的任务。",
                lambda: _index_view(lk), _deps(every.values()), crumbs=(("首页", urls.home()),))


def _index_view(lk: Lookups) -> dict:
    groups = {False: [], True: []}
    for k in lk.site.agencies:
        by_district = lk.idx.role_counts.get(k.slug)
        if not by_district:
            continue
        counts = _sum(c for by_year in by_district.values() for c in by_year.values())
        groups[k.collective].append({"label": k.label, "name": k.name, "url": urls.agency_kind(k.slug),
                                     "districts": len(by_district), "total": sum(counts.values()), **counts})
    return {"kinds": groups[False], "collective": groups[True]}


def _sum(counts) -> dict[str, int]:
    out = dict.fromkeys(ROLE_CLASSES, 0)
    for c in counts:
        for role, n in c.items():
            out[role] += n
    return out


def _kind_view(lk: Lookups, kind: str) -> dict:
    # One row per district, counts only: the tasks themselves are on the duty pages, so the
    # page stays a table at a thousand plans and lists no task text. The counts are summed per
    # plan by derive, not counted here from every mention of the kind.
    k = lk.kinds[kind]
    rows = []
    by_district = lk.idx.role_counts[kind]
    for district, by_year in by_district.items():
        latest = max(by_year)
        counts = by_year[latest]
        rows.append({"district": lk.district_name(district), "name": k.instance_name(district),
                     "url": urls.duty(kind, district), "years": year_span(by_year), "latest_year": latest,
                     "total": sum(counts.values()), **counts})
    every = _sum(c for by_year in by_district.values() for c in by_year.values())
    return {"kind": {"label": k.label, "name": k.name, "collective": k.collective,
                     "aliases": list(k.aliases), "former": list(k.former)},
            "rows": rows, "total": sum(every.values()), **every}


def _kind(lk: Lookups, kind: str, by_district: dict[str, tuple[Mention, ...]]) -> Page:
    k = lk.kinds[kind]
    every = [p for ps in lk.idx.plans_by_agency[kind].values() for p in ps]
    context = lambda: _kind_view(lk, kind)  # noqa: E731
    return Page(urls.agency_kind(kind), "agency_kind.html", f"{k.label}（各区）",
                f"各区{k.name}在食品安全监管计划中承担的任务：牵头、分工负责与配合。", context, _deps(every),
                crumbs=(("首页", urls.home()), ("责任单位", urls.agencies())),
                alternates=(site_feed(), (ATOM, f"{k.label}相关计划的更新", urls.feed_agency_kind(kind))))


def _duty_view(lk: Lookups, kind: str, district: str, mentions: tuple[Mention, ...]) -> dict:
    k = lk.kinds[kind]
    name = k.instance_name(district)
    years = []
    by_year = defaultdict(list)
    for m in mentions:
        by_year[m.placed.plan.year].append(m)
    here = urls.duty(kind, district)
    for year, ms in sorted(by_year.items(), reverse=True):
        plan = ms[0].placed.plan
        roles = []
        for rc in ROLE_CLASSES:
            entries = []
            for m in ms:
                if m.duty.role_class != rc:
                    continue
                mid = m.placed.measure.id
                base = measure_base(lk, m.placed)
                cite_url = urls.duty_measure(kind, district, year, mid)
                entries.append({
                    "base": base, "anchor": urls.duty_anchor(year, mid), "id": mid,
                    "permalink": base["permalink"], "trail": base["trail"],
                    "cite_url": cite_url, "citation": citation(lk, m.placed.plan, mid, cite_url),
                    "as_written": m.duty.name if m.duty.name != name else "",
                    "former": m.duty.former, "role": m.duty.role,
                    # the measure's own chips (the same dicts on every page, so each is rendered once)
                    "others": [d for d in base["duties"] if d["url"] != here],
                })
            if entries:
                roles.append({"role_class": rc, "label": ROLE_LABELS[rc], "measures": entries})
        diff_url = ""
        if found := lk.district_diff(plan.key):
            spec, diff = found
            changed = any(k.kind == kind for k in diff.agencies)
            diff_url = spec.url + (f"#agency-{kind}" if changed else "")
        years.append({"year": year, "plan_title": plan.title, "plan_url": urls.plan(district, year),
                      "diff_url": diff_url,
                      "badge": "" if plan.status.value == "正式" else plan.status.value,
                      "total": len(ms), **role_counts(ms), "roles": roles})
    local = k.local.get(district)
    context = {
        "agency": {"name": name, "title": agency_title(lk.district_name(district), name), "kind": k.label, "kind_url": urls.agency_kind(kind), "collective": k.collective,
                   "district": lk.district_name(district), "district_url": urls.district(district),
                   # other spellings, so search finds the page by any of them
                   "aliases": [*k.aliases, *(local.aliases if local else ())],
                   "former": [*k.former, *(local.former if local else ())]},
        "years": years,
        "total": len(mentions), **role_counts(mentions),
    }
    return context


def _duty(lk: Lookups, kind: str, district: str, mentions: tuple[Mention, ...]) -> Page:
    k = lk.kinds[kind]
    name = k.instance_name(district)
    context = lambda: _duty_view(lk, kind, district, mentions)  # noqa: E731
    dname = lk.district_name(district)
    return Page(urls.duty(kind, district), "duty.html", f"{agency_title(dname, name)}的职责",
                f"{dname}食品安全监管计划中由{name}牵头、分工负责或配合的全部任务。", context,
                _deps(lk.idx.plans_by_agency[kind][district]),
                crumbs=(("首页", urls.home()), ("责任单位", urls.agencies()), (k.label, urls.agency_kind(kind))),
                searchable=True, downloads=(("本页任务（CSV）", urls.data_duty(kind, district)),), group=district,
                alternates=(site_feed(), (ATOM, f"{k.label}相关计划的更新", urls.feed_agency_kind(kind))))


def agency_title(district_name: str, name: str) -> str:
    """区市场监管局 in 河东区 is 河东区市场监管局; a name that is not 区… keeps its district beside it."""
    if name.startswith(district_name):
        return name
    if name.startswith("区"):
        return district_name + name[1:]
    return f"{district_name} {name}"
