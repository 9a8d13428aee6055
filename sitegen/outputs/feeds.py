"""Atom 1.0 feeds: the whole site, each district, each agency kind. An entry is a plan.

Readers hear of a plan when it is added and again when its `updated` date moves.
Everything in a feed comes from the content, never from the clock, so two builds
of the same content give the same bytes and a feed reader sees nothing new:

- entry id: the plan's absolute URL (slug and year only, so it never changes);
- entry updated: the plan's `updated` date, else its `date`, else 1 January of
  its year (the later of `updated` and `date` when both are set);
- feed updated: the latest of its entries (of all plans for a feed with none).

Dates are days in China, written as midnight UTC+8.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from xml.sax.saxutils import escape

from sitegen.content.model import Plan, Site
from sitegen.outputs import Output
from sitegen.outputs.data import ordered_plans
from sitegen.site import urls
from sitegen.site.derive import Indexes

ATOM_NS = "http://www.w3.org/2005/Atom"
TIMEZONE = "+08:00"
# A reader needs what is new, not the archive: the newest entries only (as Hugo's rssLimit),
# so a national site's feeds stay small.
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    page: str  # the HTML page the feed follows
    plans: tuple[Plan, ...]


def plan_updated(plan: Plan) -> dt.date:
    dates = [d for d in (plan.updated, plan.date) if d]
    return max(dates) if dates else dt.date(plan.year, 1, 1)


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def feed_list(site: Site, idx: Indexes) -> list[Feed]:
    """Every feed the pages link to: the site, each district (even one with no plan yet:
    its page links the feed), and each agency kind with duties in some plan."""
    title = site.info.title
    plans = ordered_plans(idx)
    feeds = [Feed(urls.feed_all(), f"{title}：全部计划", urls.home(), tuple(plans))]
    for d in site.districts:
        feeds.append(Feed(urls.feed_district(d.slug), f"{title}：{d.name}", urls.district(d.slug),
                          idx.plans_by_district.get(d.slug, ())))
    labels = {k.slug: k.label for k in site.agencies}
    for kind, by_district in idx.by_agency.items():
        keys = {p.key for ps in idx.plans_by_agency[kind].values() for p in ps}
        feeds.append(Feed(urls.feed_agency_kind(kind), f"{title}：{labels[kind]}相关计划", urls.agency_kind(kind),
                          tuple(p for p in plans if p.key in keys)))
    return feeds


def feed_outputs(site: Site, idx: Indexes, feeds: list[Feed] | None = None) -> list[Output]:
    """Each feed as an output made when asked (feeds list plans from anywhere: remade every build)."""
    every = ordered_plans(idx)
    latest = max((plan_updated(p) for p in every), default=dt.date(2000, 1, 1))
    return [Output(str(urls.output_path(f.url)), functools.partial(atom, site, idx, f, latest))
            for f in (feeds if feeds is not None else feed_list(site, idx))]


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def summary(idx: Indexes, plan: Plan) -> str:
    parts = [f"{idx.district_names[plan.district]} {plan.year}年", plan.status.value,
             f"{len(idx.placed[plan.key])}项任务"]
    if plan.issuer:
        parts.append(plan.issuer)
    if plan.date:
        parts.append(f"印发日期 {plan.date.isoformat()}")
    if plan.updated:
        parts.append(f"本站更新 {plan.updated.isoformat()}")
    return " · ".join(parts)


def atom(site: Site, idx: Indexes, feed: Feed, fallback: dt.date) -> bytes:
    base = site.info.base_url
    order = {p.key: i for i, p in enumerate(ordered_plans(idx))}
    # Newest first; ties in site order, so the bytes never depend on anything but the content.
    entries = sorted(feed.plans, key=lambda p: (-plan_updated(p).toordinal(), order[p.key]))[:MAX_ENTRIES]
    updated = max((plan_updated(p) for p in entries), default=fallback)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="zh-Hans">',
        f"  <id>{_x(urls.absolute(base, feed.url))}</id>",
        f"  <title>{_x(feed.title)}</title>",
        f"  <subtitle>{_x(site.info.description)}</subtitle>",
        f"  <updated>{stamp(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href="{_x(urls.absolute(base, feed.url))}"/>',
        f'  <link rel="alternate" type="text/html" href="{_x(urls.absolute(base, feed.page))}"/>',
        f"  <author><name>{_x(site.info.title)}</name><uri>{_x(urls.absolute(base, urls.about()))}</uri></author>",
    ]
    for p in entries:
        url = urls.absolute(base, urls.plan(p.district, p.year))
        lines += [
            "  <entry>",
            f"    <id>{_x(url)}</id>",
            f"    <title>{_x(p.title + (p.subtitle or ''))}</title>",
            f'    <link rel="alternate" type="text/html" href="{_x(url)}"/>',
            f"    <updated>{stamp(plan_updated(p))}</updated>",
        ]
        if p.date:
            lines.append(f"    <published>{stamp(p.date)}</published>")
        lines += [
            f'    <category term="{_x(p.district)}" label="{_x(idx.district_names[p.district])}"/>',
            f"    <summary>{_x(summary(idx, p))}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
