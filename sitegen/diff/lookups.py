"""What a diff needs from the site's registries, built once for the many diffs of one site."""

from __future__ import annotations

from sitegen.content.model import Metric, Site
from sitegen.content.registry import Registry
from sitegen.diff.model import Side


class Lookups:
    """The agency registry, the order and names of agency kinds and themes, the metrics, and the
    agency mentions resolved so far ((name, role, district) -> Mention: plans repeat them)."""

    def __init__(self, site: Site):
        self.registry = Registry(site.agencies)
        self.kind_order = {k.slug: i for i, k in enumerate(site.agencies)}
        self.kind_labels = {k.slug: k.label for k in site.agencies}
        self.metrics: dict[str, Metric] = {m.slug: m for m in site.metrics}
        self.theme_order = {t.slug: i for i, t in enumerate(site.themes)}
        self.theme_names = {t.slug: t.name for t in site.themes}
        self.mentions: dict = {}

    def kind_key(self, kind: str) -> tuple[int, str]:
        """Agency kinds in the registry's order, unknown ones last."""
        return self.kind_order.get(kind, len(self.kind_order)), kind

    def theme_key(self, theme: str) -> tuple[int, str]:
        return self.theme_order.get(theme, len(self.theme_order)), theme

    def keys(self, sides: tuple[Side, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The agency kinds and themes the sides name, in order: what the page's filters match."""
        kinds = {m.kind for s in sides for m in s.agencies}
        themes = {t for s in sides for t in s.themes}
        return tuple(sorted(kinds, key=self.kind_key)), tuple(sorted(themes, key=self.theme_key))
