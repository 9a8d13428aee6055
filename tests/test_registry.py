"""The agency registry: one kind per kind of body, whatever a district or a year calls it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.content.model import AgencyKind
from sitegen.content.registry import Registry
from sitegen.content import load_site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(load_site(ROOT / "content").site.agencies)


@pytest.mark.parametrize("district,name,kind", [
    # the same kind of body under each district's own name
    ("hedong", "区市场监管局", "market-regulation"),
    ("futian", "市市场监管局福田监管局", "market-regulation"),
    ("hongqiao", "公安红桥分局", "public-security"),
    ("hedong", "公安河东分局", "public-security"),
    ("wuqing", "公安武清分局", "public-security"),
    ("futian", "福田公安分局", "public-security"),
    ("futian", "区卫生健康局", "health"),
    ("hedong", "区卫生健康委", "health"),
    # the food-safety office: abbreviation, full name, and 福田's 食药安办
    ("jizhou", "区食安办", "food-safety-office"),
    ("hedong", "区食品安全委员会办公室", "food-safety-office"),
    ("futian", "区食药安办", "food-safety-office"),
    # collective bodies are kinds of their own
    ("wuqing", "区食安委成员单位", "food-safety-committee-members"),
    ("futian", "区食药安委各成员单位", "food-safety-committee-members"),
    ("wuqing", "各镇街", "towns-and-streets"),
    ("hongqiao", "各街道办事处", "towns-and-streets"),
    ("jizhou", "天津海关〈原宝坻出入境检验检疫局〉", "customs"),
])
def test_name_resolves_to_its_kind_in_its_district(registry, district, name, kind):
    hit = registry.resolve(name, district)
    assert hit is not None and hit.kind.slug == kind


@pytest.mark.parametrize("name,kind", [("区卫计委", "health"), ("区农委", "agriculture")])
def test_renamed_agency_keeps_its_kind_and_is_marked_former(registry, name, kind):
    hit = registry.resolve(name, "jizhou")
    assert hit is not None and hit.kind.slug == kind and hit.former


def test_a_local_name_means_nothing_in_another_district(registry):
    assert registry.resolve("市市场监管局福田监管局", "hedong") is None


def test_a_name_under_two_kinds_is_reported_as_a_clash():
    a = AgencyKind(slug="a", label="甲", name="区甲局", aliases=("甲局",))
    b = AgencyKind(slug="b", label="乙", name="区乙局", aliases=("甲局",))
    assert Registry([a, b]).clashes == [("", "甲局", "a", "b")]


def test_suggestions_come_from_the_registry(registry):
    assert "区市场监管局" in registry.suggest("区市场监督局", "hedong")
