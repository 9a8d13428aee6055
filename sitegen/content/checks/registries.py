"""The registry files on their own: unique slugs, one kind per agency name, distinct data file names."""

from __future__ import annotations

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.load import Document
from sitegen.content.messages import did_you_mean
from sitegen.content.model import AgencyKind, District
from sitegen.content.registry import Registry


def check_unique_slugs(doc: Document, records, name: str, problems: list[Diagnostic]) -> None:
    """Current and former slugs share one space: each is (or redirects to) one URL."""
    first: dict[str, tuple] = {}
    for i, r in enumerate(records):
        former = getattr(r, "former_slugs", ())
        for loc, slug in [((i, "slug"), r.slug)] + [((i, "former_slugs", j), s) for j, s in enumerate(former)]:
            if slug in first:
                line = doc.where(first[slug])[0]
                renamed = "；改名后旧 slug 只能留在 former_slugs 中" if hasattr(r, "former_slugs") else ""
                problems.append(doc.diag(loc, f"slug '{slug}' 在 {name} 中用了两次（第一次在第 {line} 行）",
                                         f"slug 是网址的一部分，必须唯一{renamed}", code="duplicate-slug"))
            else:
                first[slug] = loc


def check_agency_kinds(doc: Document, kinds: tuple[AgencyKind, ...], registry: Registry,
                       districts: tuple[District, ...], problems: list[Diagnostic]) -> None:
    """agencies.yaml against itself and the districts."""
    index = {k.slug: i for i, k in enumerate(kinds)}
    # A duty page's data file is /data/agencies/<kind>-<district>.csv: with hyphens in
    # slugs, two kind-district pairs could name one file.
    stems: dict[str, str] = {}
    for i, k in enumerate(kinds):
        for d in districts:
            other = stems.setdefault(f"{k.slug}-{d.slug}", k.slug)
            if other != k.slug:
                problems.append(doc.diag((i, "slug"), f"单位类别 '{k.slug}' 在区 '{d.slug}' 与单位类别 '{other}' "
                                         f"会共用数据文件 {k.slug}-{d.slug}.csv",
                                         "换一个 slug：不要是另一类单位的 slug 加上某个区的 slug",
                                         code="data-file-clash"))
    for where, name, first, second in registry.clashes:
        scope = f"（{where} 区）" if where else ""
        problems.append(doc.diag((index[second],), f"单位名称 '{name}'{scope} 同时列在 '{first}' 和 '{second}' 下",
                                 "一个名称只能指一类单位；只在一处保留它", code="agency-name-clash"))
    known = {d.slug for d in districts}
    for i, kind in enumerate(kinds):
        for district in kind.local:
            if known and district not in known:
                problems.append(doc.diag((i, "local", district), f"local 中的区 '{district}' 不存在",
                                         did_you_mean(district, known, "districts.yaml"), key=True,
                                         code="unknown-district"))
