"""Ids for a draft: short, stable, content-derived, so that next year's plan lines up with this one.

A section is `s-`, a goal `g-`, a measure `m-`, followed by the first hex
digits of the sha1 of its words (and, where those repeat, of its context).
"""

from __future__ import annotations

import hashlib

from sitegen.importer.draft import Draft, SectionDraft


class Ids:
    """Short, stable, content-derived ids: `m-` + the first 6 hex digits of sha1 of the text.

    Two different texts whose hashes share the first digits get more digits.
    The same text written twice (one task given to several agencies) is told
    apart by hashing what differs too (the responsibility, then the section);
    only a text repeated with all of that the same gets a counter.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.digests: set[tuple[str, str]] = set()

    def make(self, prefix: str, *keys: str) -> str:
        for n in range(1, len(keys) + 1):
            digest = hashlib.sha1("\x00".join(keys[:n]).encode("utf-8")).hexdigest()
            if (prefix, digest) in self.digests:
                continue  # the same text again: hash it with its context
            for length in range(6, 13):
                candidate = f"{prefix}-{digest[:length]}"
                if candidate not in self.used:
                    self.used.add(candidate)
                    self.digests.add((prefix, digest))
                    return candidate
        base = f"{prefix}-{hashlib.sha1(chr(0).join(keys).encode('utf-8')).hexdigest()[:6]}"
        k = 2
        while f"{base}-{k}" in self.used:
            k += 1
        self.used.add(f"{base}-{k}")
        return f"{base}-{k}"


def assign_ids(draft: Draft) -> None:
    ids = Ids()

    def walk(sections: list[SectionDraft], trail: str) -> None:
        for s in sections:
            first = s.measures[0].text if s.measures else s.goals[0].text if s.goals else s.text or ""
            if not first and s.items:
                inner = s.items[0]
                first = inner.title or (inner.measures[0].text if inner.measures else "")
            here = f"{trail}/{s.number or ''}{s.title or ''}"
            s.id = ids.make("s", f"section {s.title or first}", s.number or "", first, trail)
            for g in s.goals:
                g.id = ids.make("g", g.text, g.number or "", here)
            for m in s.measures:
                m.id = ids.make("m", m.text, m.responsibility or "", m.supporting or "", here, m.number or "")
            walk(s.items, here)

    walk(draft.parts, "")
