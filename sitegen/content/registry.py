"""The agency registry: which kind of agency a name, written in a district's plan, means."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sitegen.content.model import AgencyKind


@dataclass(frozen=True)
class Resolution:
    kind: AgencyKind
    former: bool  # the name is one the agency used to have


class Registry:
    def __init__(self, kinds: tuple[AgencyKind, ...] | list[AgencyKind]):
        self.kinds = {k.slug: k for k in kinds}
        self._global: dict[str, tuple[AgencyKind, bool]] = {}
        self._local: dict[str, dict[str, tuple[AgencyKind, bool]]] = {}
        # (where, name, first kind slug, second kind slug): a name that means two kinds
        self.clashes: list[tuple[str, str, str, str]] = []
        for kind in kinds:
            for name, former in _names(kind.name, kind.aliases, kind.former):
                self._add(self._global, "", name, kind, former)
            for district, local in kind.local.items():
                table = self._local.setdefault(district, {})
                for name, former in _names(local.name, local.aliases, local.former):
                    self._add(table, district, name, kind, former)

    def _add(self, table: dict, where: str, name: str, kind: AgencyKind, former: bool) -> None:
        if name in table and table[name][0].slug != kind.slug:
            self.clashes.append((where, name, table[name][0].slug, kind.slug))
            return
        table.setdefault(name, (kind, former))

    def resolve(self, name: str, district: str) -> Resolution | None:
        hit = self._local.get(district, {}).get(name) or self._global.get(name)
        return Resolution(*hit) if hit else None

    def names_for(self, district: str) -> list[str]:
        return sorted(set(self._global) | set(self._local.get(district, {})))

    def suggest(self, name: str, district: str, n: int = 3) -> list[str]:
        """Close registry names, for 'did you mean'. Character overlap works for Chinese names."""
        candidates = self.names_for(district)
        found = difflib.get_close_matches(name, candidates, n=n, cutoff=0.5)
        if not found:  # a name inside a longer one: 市场监管局 in 区市场监管局福田分局
            found = [c for c in candidates if name in c or c in name][:n]
        return found


def _names(name: str | None, aliases: tuple[str, ...], former: tuple[str, ...]):
    if name:
        yield name, False
    for a in aliases:
        yield a, False
    for f in former:
        yield f, True
