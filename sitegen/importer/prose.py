"""Reading a prose plan: parts, items and numbered paragraphs, each body cut into measures at its clauses.

`一、` starts a part, `（一）` or `(一)` an item; below the items numbered
paragraphs nest at any depth (numbering.py). An item's first sentence is its
title. A numbered paragraph with one measure gives that measure its number;
one with several, or with numbered paragraphs inside it, becomes a sub-item,
and then so do its siblings, to keep the plan's order. A part whose title
says 目标 holds goals; a part with only plain text keeps it as `text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitegen.importer.clauses import CLOSE_BRACKETS, OPEN_BRACKETS, find_clauses, split_measures
from sitegen.importer.draft import Draft, GoalDraft, MeasureDraft, SectionDraft
from sitegen.importer.errors import ParseError
from sitegen.importer.header import NO_TITLE, find_title, read_front, read_head
from sitegen.importer.numbering import ITEM_RE, PART_RE, list_marker, printed_number
from sitegen.importer.paragraphs import mend

NO_PARTS = ("标题之后没有找到计划的正文结构：应有编号的部分（一、…）、条目（（一）…）或段落（1．…）；"
            "请确认提取原文时编号没有丢失")


def parse_prose(text: str) -> Draft:
    lines = text.split("\n")
    t = find_title(lines)
    if t is None:
        raise ParseError(NO_TITLE)
    draft = Draft(title=lines[t].strip(), shape="prose")
    read_front(draft, mend(lines[:t]))
    paras = mend(lines[t + 1:])
    stop = read_head(draft, paras)
    outline = _Outline()
    for p in paras[stop:]:
        outline.add(p)
    if not outline.parts:
        raise ParseError(NO_PARTS, at=lines[t])
    draft.parts = [_section(n, top=True) for n in outline.parts]
    return draft


# --- the outline: parts, items, numbered paragraphs ---------------------------------------------


@dataclass
class _Node:
    number: str | None
    title: str | None
    body: list[str] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)
    groups: list[_Node] = field(default_factory=list)  # numbered paragraphs (1．)


class _Outline:
    """The tree of parts, items and numbered paragraphs, built paragraph by paragraph."""

    def __init__(self) -> None:
        self.parts: list[_Node] = []
        self.part: _Node | None = None
        self.item: _Node | None = None
        self.stack: list[tuple[str, _Node]] = []  # the open numbered paragraphs, outermost first, with their styles

    def add(self, p: str) -> None:
        if m := PART_RE.match(p):
            title, rest = _split_heading(p[m.end():], part=True)
            self.part = _Node(printed_number(p[:m.end()]), title, [rest] if rest else [])
            self.parts.append(self.part)
            self.item, self.stack = None, []
        elif m := ITEM_RE.match(p):
            title, rest = _split_heading(p[m.end():], part=False)
            self.item = _Node(printed_number(p[:m.end()]), title, [rest] if rest else [])
            self._open_part().items.append(self.item)
            self.stack = []
        elif lm := list_marker(p):
            self._numbered(p, *lm)
        else:
            self._holder().body.append(p)

    def _numbered(self, p: str, style: str, m: re.Match) -> None:
        self._open_part()
        # a style already open closes what was opened inside it; a new style nests
        styles = [st for st, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]
        number = printed_number(p[:m.end()]) if style != "1." else p[:m.end()].strip()
        group = _Node(number, None, [p[m.end():]])
        self._holder().groups.append(group)
        self.stack.append((style, group))

    def _open_part(self) -> _Node:
        """The open part; text before the first part heading starts one without number or title."""
        if self.part is None:
            self.part = _Node(None, None)
            self.parts.append(self.part)
        return self.part

    def _holder(self) -> _Node:
        """Where a paragraph goes: the innermost open numbered paragraph, else the item, else the part."""
        if self.stack:
            return self.stack[-1][1]
        return self.item or self._open_part()


def _split_heading(rest: str, *, part: bool) -> tuple[str | None, str]:
    """A heading's title and the body that follows it on the same paragraph."""
    rest = rest.strip()
    if not rest:
        return None, ""
    end = first_sentence(rest)
    if end == -1:
        if part or len(rest) <= 40 and not find_clauses(rest):
            return rest, ""
        return None, rest
    title = rest[:end]
    if part:
        title = title.rstrip("。")
    return title, rest[end:].strip()


def first_sentence(s: str) -> int:
    """End (exclusive) of the first sentence: the first 。 outside brackets and quotes, or -1."""
    depth = 0
    quote = False
    for i, ch in enumerate(s):
        if ch in OPEN_BRACKETS or ch == "《":
            depth += 1
        elif (ch in CLOSE_BRACKETS or ch == "》") and depth:
            depth -= 1
        elif ch == "“":
            quote = True
        elif ch == "”":
            quote = False
        elif ch == "。" and depth == 0 and not quote:
            return i + 1
    return -1


# --- the outline to sections ---------------------------------------------------------------------


def _section(node: _Node, *, top: bool) -> SectionDraft:
    sec = SectionDraft(number=node.number, title=node.title)
    body = "\n".join(b for b in node.body if b).strip()
    if top and node.title and "目标" in node.title and not find_clauses(body) and not node.items:
        return _goals(sec, body, node.groups)
    if body:
        if find_clauses(body) or not (top or node.items or node.groups):
            sec.measures = split_measures(body)
        else:
            sec.text = body
    sec.items.extend(_section(child, top=False) for child in node.items)
    _add_numbered(sec, node.groups)
    for m in sec.measures:  # a clause straight after an item's title: the title is the measure
        if not m.text:
            m.text = (sec.title or "").strip()
    sec.measures = [m for m in sec.measures if m.text]
    return sec


def _goals(sec: SectionDraft, body: str, groups: list[_Node]) -> SectionDraft:
    """A goals part (二、工作目标): its paragraphs are goals, numbered or not."""
    sec.goals = [GoalDraft(text=p) for p in body.split("\n") if p.strip()]
    for g in groups:
        text = "\n".join(g.body).strip()
        if text:
            sec.goals.append(GoalDraft(text=text, number=g.number))
    return sec


def _add_numbered(sec: SectionDraft, groups: list[_Node]) -> None:
    """A section's numbered paragraphs: numbered measures, or sub-items when one of them needs to be."""
    entries: list[tuple[str | None, list[MeasureDraft] | SectionDraft]] = []
    for g in groups:
        if g.groups:  # a numbered paragraph with numbered paragraphs inside: a sub-item
            entries.append((g.number, _subsection(g)))
        elif ms := split_measures("\n".join(g.body)):
            entries.append((g.number, ms))
    if any(isinstance(e, SectionDraft) or len(e) > 1 for _, e in entries):
        # a numbered paragraph holding several measures (1． split by stages) is a sub-item;
        # then all its siblings are too, so that the order of the plan is kept
        sec.items.extend(e if isinstance(e, SectionDraft) else SectionDraft(number=num, measures=e)
                         for num, e in entries)
        return
    for num, ms in entries:
        ms[0].number = num
        sec.measures.extend(ms)


def _subsection(node: _Node) -> SectionDraft:
    """A numbered paragraph with numbered paragraphs below it: its own words are a title, or measures."""
    body = "\n".join(b for b in node.body if b).strip()
    title = None
    if body and not find_clauses(body) and "\n" not in body and len(body) <= 40:
        title, node = body, _Node(node.number, None, [], node.items, node.groups)
    sec = _section(node, top=False)
    sec.title = title
    return sec
