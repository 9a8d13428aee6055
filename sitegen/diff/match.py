"""Pairing: which measure (goal, section) of the old plan is which of the new.

Measures are matched one-to-one, first by explicit link (`was:`, then the
same id within one district, since `sitegen new` keeps ids), then by text
similarity, best pairs first. What is left over is tested for splits and
merges: a new measure that is a piece of an old one (or the reverse).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Indel, LCSseq

from sitegen.content.model import Goal, Measure, Plan, Section
from sitegen.content.text import without_spaces as squash

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
    if same_district:  # 1 and 2: an editor's `was:`, then the same id
        _by_was(old, new, links, old_free, new_free)
        _by_id(old, new, links, old_free, new_free)
    _by_text(old, new, links, old_free, new_free)
    # 4. Leftovers that are pieces of a matched (or unmatched) measure: splits and merges.
    _pieces(old, new, links, old_free, new_free, split=True)
    _pieces(old, new, links, old_free, new_free, split=False)

    for link in links:
        link.similarity = Indel.normalized_similarity(_joined(old, link.old), _joined(new, link.new))
    links.sort(key=lambda lk: (new[lk.new[0]].position, old[lk.old[0]].position))
    return Matching(links, sorted(old_free), sorted(new_free))


def _by_was(old: list[Unit], new: list[Unit], links: list[Link], old_free: set[int], new_free: set[int]) -> None:
    """1. `was:`: an editor's explicit link, which may make a split or a merge. It is read both
    ways, so a diff from the newer plan back to the older one pairs the same measures."""
    old_by_id = {u.id: i for i, u in enumerate(old)}
    new_by_id = {u.id: j for j, u in enumerate(new)}
    edges = {(old_by_id[w], j) for j, u in enumerate(new) for w in u.obj.was if w in old_by_id}
    edges |= {(i, new_by_id[w]) for i, u in enumerate(old) for w in u.obj.was if w in new_by_id}
    for group_old, group_new in _components(sorted(edges)):
        links.append(Link(sorted(group_old), sorted(group_new), "was"))
        old_free -= group_old
        new_free -= group_new


def _by_id(old: list[Unit], new: list[Unit], links: list[Link], old_free: set[int], new_free: set[int]) -> None:
    """2. The same id: `sitegen new` keeps ids, so next year's plan lines up."""
    new_by_id = {new[j].id: j for j in new_free}
    for i in sorted(old_free):
        j = new_by_id.get(old[i].id)
        if j is not None and j in new_free:
            links.append(Link([i], [j], "id"))
            old_free.discard(i)
            new_free.discard(j)


def _by_text(old: list[Unit], new: list[Unit], links: list[Link], old_free: set[int], new_free: set[int]) -> None:
    """3. Text similarity, best pairs first; ties go to the pair closest in position."""
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


def _joined(us: list[Unit], idx: list[int]) -> str:
    return "".join(us[i].norm for i in idx)


def _components(edges: list[tuple[int, int]]) -> list[tuple[set[int], set[int]]]:
    """Group `was` links into connected old/new sets (one old, several new: a split)."""
    groups: list[tuple[set[int], set[int]]] = []
    for i, j in edges:
        hit = [g for g in groups if i in g[0] or j in g[1]]
        merged_old, merged_new = {i}, {j}
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
    partner = _partners(links, split)
    wholes = [w for w in range(len(whole_side)) if w in partner or w in whole_free]  # not yet split or merged
    found = _inside(piece_side, sorted(piece_free), wholes, [whole_side[w].norm for w in wholes])
    for w, extra in found.items():
        link = partner.get(w)
        pieces = _joined_pieces(whole_side[w].norm, piece_side, extra, link, split)
        if pieces is None:
            continue
        if link:
            links.remove(link)
        how = link.how if link else "text"
        links.append(Link([w], pieces, how) if split else Link(pieces, [w], how))
        whole_free.discard(w)
        piece_free.difference_update(pieces)


def _partners(links: list[Link], split: bool) -> dict[int, Link]:
    """Each whole (an old unit for splits, a new one for merges) in a one-to-one link, with its link."""
    partner: dict[int, Link] = {}
    for link in links:
        wholes, pieces = (link.old, link.new) if split else (link.new, link.old)
        if len(wholes) == 1 and len(pieces) == 1:
            partner[wholes[0]] = link
    return partner


def _inside(piece_side: list[Unit], free: list[int], wholes: list[int], choices: list[str]) -> dict[int, list[int]]:
    """Whole -> the free pieces found inside it (the most of a piece's characters, in order,
    inside one whole; the first such on a tie)."""
    found: dict[int, list[int]] = {}
    for p in free:
        piece = piece_side[p].norm
        if len(piece) < MIN_PIECE or not choices:
            continue
        hits = process.extract(piece, choices, scorer=LCSseq.similarity, limit=None,
                               score_cutoff=math.ceil(CONTAINED * len(piece)))
        if hits:
            best = max(hits, key=lambda h: (h[1], -h[2]))
            found.setdefault(wholes[best[2]], []).append(p)
    return found


def _joined_pieces(whole: str, piece_side: list[Unit], extra: list[int], link: Link | None,
                   split: bool) -> list[int] | None:
    """The pieces found inside a whole, with its partner's, in order, if joined they read as the
    whole, and better than the partner alone did; else None."""
    partner_pieces = (link.new if split else link.old) if link else []
    pieces = sorted(extra + partner_pieces, key=lambda k: piece_side[k].position)
    if len(pieces) < 2:
        return None
    before = link.similarity if link else 0.0
    if link and link.how != "text":
        before = Indel.normalized_similarity(whole, "".join(piece_side[k].norm for k in partner_pieces))
    after = Indel.normalized_similarity(whole, "".join(piece_side[k].norm for k in pieces))
    if after < THRESHOLD or after < before + 0.05:
        return None
    return pieces


# --- sections ---------------------------------------------------------------------


def title_key(section: Section) -> str:
    return _TITLE_END.sub("", squash(section.title or ""))


def match_sections(old: Plan, new: Plan, same_district: bool) -> dict[int, Section]:
    """id(old section) -> new section: by title (the same, then similar), else by id in one district.

    Best pairs first, with ties broken by position alike from either side, so that
    diff(a, b) and diff(b, a) pair the same sections.
    """
    olds = [s for _, s in old.sections()]
    news = [s for _, s in new.sections()]
    okeys = [title_key(s) for s in olds]
    nkeys = [title_key(s) for s in news]
    out: dict[int, Section] = {}
    taken: set[int] = set()

    def take(cands: list[tuple]) -> None:
        for *_, i, j in sorted(cands):
            if id(olds[i]) not in out and j not in taken:
                out[id(olds[i])] = news[j]
                taken.add(j)

    # Tiers, each best-first: the same title; then the same id (one district); then a similar title.
    take(_same_titles(okeys, nkeys))
    if same_district:
        by_id = {n.id: j for j, n in enumerate(news) if n.id}
        take([(abs(i - by_id[o.id]), i + by_id[o.id], i, by_id[o.id]) for i, o in enumerate(olds)
              if o.id in by_id and id(o) not in out and by_id[o.id] not in taken])
    take(_similar_titles([i for i, o in enumerate(olds) if id(o) not in out], okeys,
                         [j for j in range(len(news)) if j not in taken], nkeys))
    return out


def _same_titles(okeys: list[str], nkeys: list[str]) -> list[tuple]:
    by_title: dict[str, list[int]] = {}
    for j, k in enumerate(nkeys):
        if k:
            by_title.setdefault(k, []).append(j)
    return [(abs(i - j), i + j, i, j) for i, k in enumerate(okeys) if k for j in by_title.get(k, ())]


def _similar_titles(olds: list[int], okeys: list[str], news: list[int], nkeys: list[str]) -> list[tuple]:
    """Candidate pairs of the sections still free (by index) whose titles are alike, best first."""
    free_new = [j for j in news if nkeys[j]]
    choices = [nkeys[j] for j in free_new]
    cands = []
    for i in olds:
        if not okeys[i] or not choices:
            continue
        for _, score, k in process.extract(okeys[i], choices, scorer=Indel.normalized_similarity,
                                           score_cutoff=TITLE_THRESHOLD, limit=None):
            j = free_new[k]
            cands.append((-score, abs(i - j), i + j, i, j))
    return cands


def vote_sections(mapping: dict[int, Section], pairs: list[tuple[Unit, Unit]]) -> None:
    """Sections no title matched (an untitled 1．, a rewritten title) are paired where most of their
    measures went; on a tie, where the enclosing sections agree, then the printed number, then nearest.
    """
    taken = {id(s) for s in mapping.values()}
    votes: dict[tuple[int, int], list] = {}
    for ou, nu in pairs:
        for depth in range(min(len(ou.trail), len(nu.trail))):
            o, n = ou.trail[-1 - depth], nu.trail[-1 - depth]
            if id(o) in mapping or id(n) in taken:
                continue
            o_up = ou.trail[-2 - depth] if len(ou.trail) > depth + 1 else None
            n_up = nu.trail[-2 - depth] if len(nu.trail) > depth + 1 else None
            agree = (o_up is None and n_up is None) or (o_up is not None and mapping.get(id(o_up)) is n_up)
            entry = votes.setdefault((id(o), id(n)), [0, not agree, (o.number or "") != (n.number or ""),
                                                      ou.position + nu.position, n])
            entry[0] += 1
    for (o_id, n_id), (_, _, _, _, n) in sorted(votes.items(), key=lambda kv: (-kv[1][0], *kv[1][1:4])):
        if o_id not in mapping and n_id not in taken:
            mapping[o_id] = n
            taken.add(n_id)
