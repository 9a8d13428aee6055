"""Pairing: which measure (goal, section) of the old plan is which of the new.

Measures are matched one-to-one, first by explicit link (`was:`, then the
same id within one district, since `sitegen new` keeps ids), then by text
similarity, best pairs first. What is left over is tested for splits and
merges: a new measure that is a piece of an old one (or the reverse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel, LCSseq

from ..model import Goal, Measure, Plan, Section, squash

# Similarity (Indel: 2·LCS / (len a + len b)) above which two texts are one measure reworded.
THRESHOLD = 0.5
# Section titles are short; a reworded title is still the same section above this.
TITLE_THRESHOLD = 0.6
# A piece of a split (merge) must have this share of its characters, in order, in the whole.
CONTAINED = 0.85
MIN_PIECE = 8  # characters; shorter leftovers are too common to call pieces
_TITLE_END = re.compile(r"[。．.：:；;，,、\s]+$")


@dataclass
class Unit:
    """A measure or goal in its plan, with what matching needs."""

    obj: Measure | Goal
    position: int
    trail: tuple[Section, ...]  # enclosing sections, outermost first
    norm: str  # text without whitespace (label included)

    @property
    def id(self) -> str:
        return self.obj.id

    @property
    def section(self) -> Section | None:
        return self.trail[-1] if self.trail else None


@dataclass
class Link:
    old: list[int]
    new: list[int]
    how: str  # was / id / text
    similarity: float = 0.0

    @property
    def kind(self) -> str:
        if len(self.old) > 1:
            return "merged"
        if len(self.new) > 1:
            return "split"
        return "pair"


@dataclass
class Matching:
    links: list[Link] = field(default_factory=list)
    old_left: list[int] = field(default_factory=list)
    new_left: list[int] = field(default_factory=list)


def units(plan: Plan, what: str) -> list[Unit]:
    out: list[Unit] = []
    if what == "goal":
        out += [Unit(g, 0, (), squash(g.text)) for g in plan.goals]
    for trail, section in plan.sections():
        path = trail + (section,)
        objs = section.goals if what == "goal" else section.measures
        for o in objs:
            label = getattr(o, "label", None) or ""
            out.append(Unit(o, 0, path, squash(label + o.text)))
    for i, u in enumerate(out):
        u.position = i
    return out


def match_units(old: list[Unit], new: list[Unit], same_district: bool) -> Matching:
    old_free = set(range(len(old)))
    new_free = set(range(len(new)))
    links: list[Link] = []

    # 1. `was:` — an editor's explicit link, which may make a split or a merge.
    if same_district:
        old_by_id = {u.id: i for i, u in enumerate(old)}
        claims = [(j, [old_by_id[w] for w in new[j].obj.was if w in old_by_id]) for j in range(len(new))]
        claims = [(j, olds) for j, olds in claims if olds]
        for group_old, group_new in _components(claims):
            links.append(Link(sorted(group_old), sorted(group_new), "was"))
            old_free -= group_old
            new_free -= group_new

        # 2. The same id: `sitegen new` keeps ids, so next year's plan lines up.
        new_by_id = {new[j].id: j for j in new_free}
        for i in sorted(old_free):
            j = new_by_id.get(old[i].id)
            if j is not None and j in new_free:
                links.append(Link([i], [j], "id"))
                old_free.discard(i)
                new_free.discard(j)

    # 3. Text similarity, best pairs first; ties go to the pair closest in position.
    candidates: list[tuple[float, int, int, int]] = []
    new_list = sorted(new_free)
    choices = [new[j].norm for j in new_list]
    if choices:
        for i in sorted(old_free):
            for _, score, k in process.extract(old[i].norm, choices, scorer=Indel.normalized_similarity,
                                               score_cutoff=THRESHOLD, limit=None):
                j = new_list[k]
                candidates.append((-score, abs(old[i].position - new[j].position), i, j))
    candidates.sort()
    for negscore, _, i, j in candidates:
        if i in old_free and j in new_free:
            links.append(Link([i], [j], "text", -negscore))
            old_free.discard(i)
            new_free.discard(j)

    # 4. Leftovers that are pieces of a matched (or unmatched) measure: splits and merges.
    _pieces(old, new, links, old_free, new_free, split=True)
    _pieces(old, new, links, old_free, new_free, split=False)

    for link in links:
        link.similarity = Indel.normalized_similarity(_joined(old, link.old), _joined(new, link.new))
    links.sort(key=lambda lk: (new[lk.new[0]].position, old[lk.old[0]].position))
    return Matching(links, sorted(old_free), sorted(new_free))


def _joined(us: list[Unit], idx: list[int]) -> str:
    return "".join(us[i].norm for i in idx)


def _components(claims: list[tuple[int, list[int]]]) -> list[tuple[set[int], set[int]]]:
    """Group `was` claims into connected old/new sets (one old, several new: a split)."""
    groups: list[tuple[set[int], set[int]]] = []
    for j, olds in claims:
        hit = [g for g in groups if g[0] & set(olds)]
        merged_old, merged_new = set(olds), {j}
        for g in hit:
            merged_old |= g[0]
            merged_new |= g[1]
            groups.remove(g)
        groups.append((merged_old, merged_new))
    return groups


def _pieces(old: list[Unit], new: list[Unit], links: list[Link], old_free: set[int], new_free: set[int],
            split: bool) -> None:
    """Find splits (split=True: leftover new measures inside one old one) or merges (the mirror)."""
    whole_side, piece_side = (old, new) if split else (new, old)
    piece_free = new_free if split else old_free
    whole_free = old_free if split else new_free
    partner: dict[int, Link] = {}
    for link in links:
        wholes, pieces = (link.old, link.new) if split else (link.new, link.old)
        if len(wholes) == 1 and len(pieces) == 1:
            partner[wholes[0]] = link
    found: dict[int, list[int]] = {}
    for p in sorted(piece_free):
        piece = piece_side[p].norm
        if len(piece) < MIN_PIECE:
            continue
        best, best_share = None, CONTAINED
        for w, unit in enumerate(whole_side):
            if w not in partner and w not in whole_free:
                continue  # already in a split or merge
            share = LCSseq.similarity(piece, unit.norm) / len(piece)
            if share >= best_share:
                best, best_share = w, share
        if best is not None:
            found.setdefault(best, []).append(p)
    for w, extra in found.items():
        link = partner.get(w)
        pieces = sorted(extra + ((link.new if split else link.old) if link else []),
                        key=lambda k: piece_side[k].position)
        if len(pieces) < 2:
            continue
        whole = whole_side[w].norm
        joined = "".join(piece_side[k].norm for k in pieces)
        before = link.similarity if link else 0.0
        if link and link.how != "text":
            before = Indel.normalized_similarity(whole, "".join(piece_side[k].norm for k in
                                                               (link.new if split else link.old)))
        after = Indel.normalized_similarity(whole, joined)
        # Joined pieces must read as the whole, and better than the partner alone did.
        if after < THRESHOLD or after < before + 0.05:
            continue
        if link:
            links.remove(link)
        how = link.how if link else "text"
        links.append(Link([w], pieces, how) if split else Link(pieces, [w], how))
        whole_free.discard(w)
        piece_free.difference_update(pieces)


# --- sections ---------------------------------------------------------------------


def title_key(section: Section) -> str:
    return _TITLE_END.sub("", squash(section.title or ""))


def match_sections(old: Plan, new: Plan, same_district: bool) -> dict[int, Section]:
    """id(old section) -> new section: by title (exact, then similar), else by id in one district."""
    olds = [s for _, s in old.sections()]
    news = [s for _, s in new.sections()]
    out: dict[int, Section] = {}
    taken: set[int] = set()

    def pair(o: Section, n: Section) -> None:
        out[id(o)] = n
        taken.add(id(n))

    by_title: dict[str, list[Section]] = {}
    for n in news:
        if title_key(n):
            by_title.setdefault(title_key(n), []).append(n)
    for o in olds:
        for n in by_title.get(title_key(o), []) if title_key(o) else []:
            if id(n) not in taken:
                pair(o, n)
                break
    if same_district:
        new_by_id = {n.id: n for n in news if n.id}
        for o in olds:
            n = new_by_id.get(o.id) if o.id else None
            if id(o) not in out and n is not None and id(n) not in taken:
                pair(o, n)
    free_new = [n for n in news if id(n) not in taken and title_key(n)]
    cands = []
    for i, o in enumerate(olds):
        if id(o) in out or not title_key(o):
            continue
        for j, n in enumerate(free_new):
            score = Indel.normalized_similarity(title_key(o), title_key(n))
            if score >= TITLE_THRESHOLD:
                cands.append((-score, i, j))
    for _, i, j in sorted(cands):
        o, n = olds[i], free_new[j]
        if id(o) not in out and id(n) not in taken:
            pair(o, n)
    return out


def vote_sections(mapping: dict[int, Section], pairs: list[tuple[Unit, Unit]], old: Plan) -> None:
    """Old sections no title matched go where most of their measures went (a rewritten title)."""
    taken = {id(s) for s in mapping.values()}
    votes: dict[int, dict[int, tuple[int, Section]]] = {}
    for ou, nu in pairs:
        for depth in range(min(len(ou.trail), len(nu.trail))):
            o, n = ou.trail[-1 - depth], nu.trail[-1 - depth]
            if id(o) not in mapping:
                tally = votes.setdefault(id(o), {})
                count, _ = tally.get(id(n), (0, n))
                tally[id(n)] = (count + 1, n)
    for o_id, tally in votes.items():
        count, n = max(tally.values(), key=lambda cn: cn[0])
        if id(n) not in taken:
            mapping[o_id] = n
            taken.add(id(n))
