"""`sitegen import`, reading the text: the draft tree, page breaks, prose plans.

Two shapes of published plan are understood:

- **prose**: 一、 parts, （一） / (一) items, numbered paragraphs below them at
  any depth (1． 1. 1、 （1） (1) ①, nested in the order a plan uses them),
  and after each measure a bracketed responsibility clause (（责任单位：…）,
  （牵头单位：…；配合单位：…）, （区食安办牵头，…配合）);
- **table**: cells printed as tab-indented lines under a header row
  (序号 / 任务类型 / 工作任务 / 责任单位, or 序号 / 任务 / 举措 / 责任单位 / 配合单位).

Tables are read by table.py with the helpers here. Page furniture (page
numbers, running headers) is removed first, then page-break
damage is mended (a line cut mid-sentence is joined to the line
that continues it). Nothing here knows about agencies, themes or targets:
that is suggest.py. The result is plain dataclasses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sitegen.content.model import squash

# --- the draft tree -------------------------------------------------------------


@dataclass
class AgencyDraft:
    name: str
    role: str
    comment: str | None = None  # a `# review:` remark on this agency's line


@dataclass
class TargetDraft:
    metric: str
    value: float
    unit: str
    words: str
    value_max: float | None = None
    qualifier: str | None = None


@dataclass
class MeasureDraft:
    text: str
    number: str | None = None
    label: str | None = None
    responsibility: str | None = None
    supporting: str | None = None
    task_type: str | None = None
    lead_role: str = "负责"  # the role of a name in `responsibility` with no role word of its own
    support_role: str = "配合"  # the same for `supporting`
    note: str | None = None  # cells of columns the model has no field for (完成时限, 备注)
    id: str = ""
    agencies: list[AgencyDraft] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    targets: list[TargetDraft] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # remarks written as comments above the measure


@dataclass
class GoalDraft:
    text: str
    number: str | None = None
    id: str = ""
    targets: list[TargetDraft] = field(default_factory=list)


@dataclass
class SectionDraft:
    number: str | None = None
    title: str | None = None
    text: str | None = None
    goals: list[GoalDraft] = field(default_factory=list)
    items: list[SectionDraft] = field(default_factory=list)
    measures: list[MeasureDraft] = field(default_factory=list)
    id: str = ""
    review: list[str] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    shape: str
    status: str = "正式"
    subtitle: str | None = None
    issuer: str | None = None
    date: str | None = None  # YYYY-MM-DD
    publicity: str | None = None
    follows: str | None = None
    columns: list[str] = field(default_factory=list)
    heading: str | None = None
    notice: str | None = None
    intro: str | None = None
    closing: str | None = None
    parts: list[SectionDraft] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # plan-level remarks
    # what the importer read but did not understand, for the report (in Chinese, for editors)
    warnings: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # page numbers and running headers removed

    def sections(self) -> list[SectionDraft]:
        out: list[SectionDraft] = []

        def walk(secs: list[SectionDraft]) -> None:
            for s in secs:
                out.append(s)
                walk(s.items)

        walk(self.parts)
        return out

    def measures(self) -> list[MeasureDraft]:
        return [m for s in self.sections() for m in s.measures]

    def goals(self) -> list[GoalDraft]:
        return [g for s in self.sections() for g in s.goals]


class ParseError(Exception):
    """The text cannot be read as a plan at all."""


# --- patterns ---------------------------------------------------------------------

CN_NUM = "一二三四五六七八九十"
PART_RE = re.compile(rf"^([{CN_NUM}]+)\s*、\s*")
ITEM_RE = re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[）)]\s*")
NUM_RE = re.compile(r"^(\d{1,3})\s*[．.、](?!\d)\s*")
SUB_RE = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")  # （1） (1)
CIRCLED_RE = re.compile(r"^([\u2460-\u2473])\s*")  # ① … ⑳
# Numbered paragraphs below the items, by style; a plan nests them in the order it first uses them.
LIST_STYLES = (("1.", NUM_RE), ("(1)", SUB_RE), ("①", CIRCLED_RE))
DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
HEADING_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
PUBLICITY_RE = re.compile(r"^[（(]?\s*(此件(?:主动|不予|依申请)公开)\s*[）)]?$")
TITLE_WORDS = ("计划", "安排", "分工表", "方案", "要点", "清单", "分解表", "任务表")
TASK_TYPES = ("重点工作任务", "长期推进工作")
BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")

# A bracketed passage is a responsibility clause when it ends with one of
# these role words or starts with 责任单位：.
ROLE_WORDS = ("分工负责", "组织协调", "负责", "牵头", "配合", "协助", "参与")
_ROLE_END = re.compile("(?:" + "|".join(ROLE_WORDS) + ")$")
_UNIT_PREFIX = r"(?:责任单位|牵头单位|主责单位|配合单位|协办单位|参与单位|责任部门|牵头部门|配合部门)\s*[:：]"
_CLAUSE_START = re.compile("^" + _UNIT_PREFIX)
_CLAUSE_SEGMENT = re.compile("[；;，,]" + _UNIT_PREFIX)  # …负责；配合单位：…

# Punctuation that ends a line for good: the next line starts a new paragraph.
_TERMINAL = "。！？；：）)!?;"
_OPEN = "（("
_CLOSE = "）)"


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\f", "\n\f\n")  # a page break (pdftotext ends each page so): a line of its own
    return unicodedata.normalize("NFC", text)


def list_marker(s: str) -> tuple[str, re.Match] | None:
    """The style and match of a numbered paragraph's marker (1． （1） ①), if s starts with one."""
    for style, rx in LIST_STYLES:
        if m := rx.match(s):
            return style, m
    return None


def is_marker(s: str) -> bool:
    return bool(PART_RE.match(s) or ITEM_RE.match(s) or list_marker(s))


# --- page furniture ----------------------------------------------------------------

# A page number on a line of its own, in the forms PDF extractions print: — 3 —, - 3 -, －3－,
# 第3页, 第 3 页 共 12 页, 3/12, 3 / 12, ·3·.
PAGE_NUMBER_RE = re.compile(
    r"^(?:[—–\-－─]+\s*\d{1,4}\s*[—–\-－─]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|(?:共\s*\d{1,4}\s*页\s*)?第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[·•]\s*\d{1,4}\s*[·•]"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")


def strip_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines without page numbers and running headers or footers; and the lines removed.

    A page number on a line of its own is removed wherever it stands; a
    form feed marks a page break too. A running header (footer) is the first
    (last) line next to the page breaks: the same short line at half of them
    or more, or the title printed again there (the title printed once at the
    top stays). Without page numbers or form feeds to show the pages, a
    running header is a short line printed three times or more, each time
    after the first on a line of its own between blank lines. Removed lines
    become blank lines, which the mending reads through.
    """
    out = list(lines)
    removed: list[str] = []
    numbers = [i for i, ln in enumerate(lines) if not ln.startswith("\t") and PAGE_NUMBER_RE.match(ln.strip())]
    pages = sorted(numbers + [i for i, ln in enumerate(lines) if ln == "\f"])
    t = find_title(lines)
    for i in numbers:
        removed.append(lines[i].strip())
    for i in pages:
        out[i] = ""
    if not pages:
        # no page breaks to be seen: a short line printed three times or more, each time after
        # the first on a line of its own between blank lines, is a running header (or footer)
        seen: dict[str, list[int]] = {}
        for i, ln in enumerate(lines):
            s = ln.strip()
            if s and not ln.startswith("\t") and len(s) <= 40 and not is_marker(s) and not ends_terminal(s):
                seen.setdefault(s, []).append(i)

        def alone(j: int) -> bool:
            return (j == 0 or not lines[j - 1].strip()) and (j + 1 == len(lines) or not lines[j + 1].strip())

        for s, at in seen.items():
            again = [j for j in at[1:] if j != t]
            if len(at) >= 3 and all(alone(j) for j in again):
                for j in again:
                    removed.append(s)
                    out[j] = ""
        return out, removed
    title = lines[t].strip() if t is not None else None
    for _ in range(2):  # a header may take two lines
        for step in (1, -1):  # headers after a page number, footers before it
            found: dict[str, list[int]] = {}
            for p in pages:
                j = p + step
                while 0 <= j < len(out) and not out[j].strip():
                    j += step
                if 0 <= j < len(out) and j != t and not out[j].startswith("\t"):  # the title itself stays
                    s = out[j].strip()
                    if len(s) <= 40 and not is_marker(s):
                        found.setdefault(s, []).append(j)
            for s, at in found.items():
                if len(at) >= max(2, (len(pages) - 1) / 2) or s == title and _repeated(s, out):
                    for j in at:
                        removed.append(s)
                        out[j] = ""
    return out, removed


def _repeated(s: str, lines: list[str]) -> bool:
    return sum(1 for ln in lines if ln.strip() == s) >= 2


def printed_number(marker: str) -> str:
    """A number as printed, without the spaces the extraction put around it: `(五) ` -> `(五)`."""
    return squash(marker)


def ends_terminal(s: str) -> bool:
    if not s:
        return True
    if s[-1] in _TERMINAL:
        return True
    # a quotation closing a sentence: …。”
    return len(s) > 1 and s[-1] in "”’\"" and s[-2] in "。！？!?"


def is_date(s: str) -> bool:
    return bool(DATE_RE.match(s.strip()))


def find_title(lines: list[str], limit: int = 80) -> int | None:
    """Index of the title: the first short line near the top naming a 计划/安排/分工表."""
    for i, raw in enumerate(lines[:limit]):
        s = raw.strip()
        if not s or len(s) > 60 or not any(w in s for w in TITLE_WORDS):
            continue
        if re.search(r"[，。；：:,;]", s) or s.endswith("通知") or "关于" in s or "《" in s:
            continue
        if is_marker(s) or s[0] in _OPEN or raw.startswith("\t"):
            continue
        after = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
        if after.startswith(("的通知", "通知")):  # a notice title cut in two: …计划 / 的通知
            continue
        return i
    return None


# --- page breaks ------------------------------------------------------------------


def mend(lines: list[str], standalone: frozenset[int] = frozenset()) -> list[str]:
    """Lines to paragraphs: a line cut mid-sentence is joined to the next one, even across blank lines.

    A line is *not* continued when it ends a sentence (。；：）…), is a part
    heading (一、…), a date, a notice title (…通知), an 附件 heading, or is in
    `standalone` (the title); nor when the next line starts a numbered
    section or is a date.
    """
    paras: list[str] = []
    open_ = False  # whether the last paragraph may be continued
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        if open_ and paras and i not in standalone and not is_marker(s) and not is_date(s):
            paras[-1] += s
        else:
            paras.append(s)
        last = paras[-1]
        open_ = not (ends_terminal(last) or i in standalone or PART_RE.match(last) or is_date(last)
                     or last.endswith("通知") or HEADING_RE.match(last))
    return paras


def mend_cell(lines: list[str]) -> str:
    """A table cell's lines: cut lines joined, whole lines kept as paragraphs."""
    out: list[str] = []
    for raw in lines:
        s = raw.strip()
        if not s:
            continue
        if out and not ends_terminal(out[-1]) and not list_marker(s):
            out[-1] += s
        else:
            out.append(s)
    return "\n".join(out)


# --- clauses ------------------------------------------------------------------------


def is_clause(inner: str) -> bool:
    s = squash(inner).rstrip("。；;，,")
    if len(s) < 2 or len(s) > 300:
        return False
    return bool(_CLAUSE_START.match(s) or _ROLE_END.search(s) or _CLAUSE_SEGMENT.search(s))


def find_clauses(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner) of each top-level bracketed passage that is a responsibility clause.

    Full- and half-width brackets count alike, mixed too: （…) is one passage.
    """
    out: list[tuple[int, int, str]] = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth > 0:
            depth -= 1
            if depth == 0:
                inner = text[start + 1:i]
                if is_clause(inner):
                    out.append((start, i + 1, inner))
    return out


def first_sentence(s: str) -> int:
    """End (exclusive) of the first sentence: the first 。 outside brackets and quotes, or -1."""
    depth = 0
    quote = False
    for i, ch in enumerate(s):
        if ch in _OPEN or ch == "《":
            depth += 1
        elif (ch in _CLOSE or ch == "》") and depth:
            depth -= 1
        elif ch == "“":
            quote = True
        elif ch == "”":
            quote = False
        elif ch == "。" and depth == 0 and not quote:
            return i + 1
    return -1


_LABEL_RE = re.compile(r"^([^\s，。；：:、（）()“”《》]{2,12})[：:]\s*")


def clean_text(s: str) -> str:
    """A measure's text: paragraphs kept, stray punctuation left over from a clause removed."""
    lines = [ln.strip() for ln in s.split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    return text.strip().lstrip("。；;，,、").strip()


def split_measures(body: str) -> list[MeasureDraft]:
    """A section's body to measures: each ends at a responsibility clause; a tail without one has none."""
    measures: list[MeasureDraft] = []
    pos = 0
    for start, end, inner in find_clauses(body):
        text = clean_text(body[pos:start])
        responsibility = re.sub(r"\s*\n\s*", "", inner).strip()
        if text:
            measures.append(MeasureDraft(text=text, responsibility=responsibility))
        elif measures:  # two clauses in a row: both name the agencies of the measure before
            measures[-1].responsibility = f"{measures[-1].responsibility}；{responsibility}"
        else:
            measures.append(MeasureDraft(text="", responsibility=responsibility))
        pos = end
    tail = clean_text(body[pos:])
    if tail and squash(tail).strip("。；;，,"):
        measures.append(MeasureDraft(text=tail))
    for m in measures:
        split_label(m)
    return measures


def split_label(m: MeasureDraft) -> None:
    """A lead-in such as 种养殖环节： becomes the measure's label."""
    lab = _LABEL_RE.match(m.text)
    if lab and lab.group(1) not in ("责任单位", "其中") and len(m.text) > lab.end():
        m.label, m.text = lab.group(1), m.text[lab.end():]


# --- prose ---------------------------------------------------------------------------


@dataclass
class _Node:
    number: str | None
    title: str | None
    body: list[str] = field(default_factory=list)
    items: list[_Node] = field(default_factory=list)
    groups: list[_Node] = field(default_factory=list)  # numbered paragraphs (1．)


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


def parse_prose(text: str) -> Draft:
    lines = text.split("\n")
    t = find_title(lines)
    if t is None:
        raise ParseError("no title found: expected a line near the top naming the plan (…计划, …安排, …分工表)")
    draft = Draft(title=lines[t].strip(), shape="prose")
    read_front(draft, mend(lines[:t]))

    paras = mend(lines[t + 1:])
    i = 0
    if paras and not is_marker(paras[0]) and _is_subtitle(paras[0]):
        draft.subtitle = paras[0]
        i = 1
    first_part = next((j for j in range(i, len(paras)) if PART_RE.match(paras[j])), None)
    first_any = next((j for j in range(i, len(paras)) if is_marker(paras[j])), len(paras))
    stop = first_part if first_part is not None else first_any
    intro = paras[i:stop]
    if intro:
        draft.intro = "\n".join(intro)
        m = re.search(r"根据《([^》]{4,60})》", draft.intro) or \
            re.search(r"根据([^，。；《》]{4,60}?(?:计划|方案|规定|意见|要点))", draft.intro)
        if m:
            draft.follows = m.group(1).strip()

    parts: list[_Node] = []
    part = item = None
    stack: list[tuple[str, _Node]] = []  # the open numbered paragraphs, outermost first, with their styles
    for p in paras[stop:]:
        if m := PART_RE.match(p):
            title, rest = _split_heading(p[m.end():], part=True)
            part = _Node(printed_number(p[:m.end()]), title, [rest] if rest else [])
            parts.append(part)
            item, stack = None, []
        elif m := ITEM_RE.match(p):
            if part is None:
                part = _Node(None, None)
                parts.append(part)
            title, rest = _split_heading(p[m.end():], part=False)
            item = _Node(printed_number(p[:m.end()]), title, [rest] if rest else [])
            part.items.append(item)
            stack = []
        elif lm := list_marker(p):
            style, m = lm
            if part is None:
                part = _Node(None, None)
                parts.append(part)
            # a style already open closes what was opened inside it; a new style nests
            styles = [st for st, _ in stack]
            if style in styles:
                del stack[styles.index(style):]
            parent = stack[-1][1] if stack else (item or part)
            group = _Node(printed_number(p[:m.end()]) if style != "1." else p[:m.end()].strip(), None,
                          [p[m.end():]])
            parent.groups.append(group)
            stack.append((style, group))
        else:
            holder = stack[-1][1] if stack else (item or part)
            if holder is None:
                part = holder = _Node(None, None)
                parts.append(part)
            holder.body.append(p)
    if not parts:
        raise ParseError("no parts found: expected numbered parts (一、…), items (（一）…) or 1． paragraphs")
    draft.parts = [_section(n, top=True) for n in parts]
    return draft


def _is_subtitle(p: str) -> bool:
    if re.match(r"^[（(][^（）()]{1,20}[）)]$", p):
        return True
    return len(p) <= 20 and not re.search(r"[，。；：:,;]", p) and not is_date(p)


def read_front(draft: Draft, paras: list[str]) -> None:
    """What is printed above the title: a covering notice, its issuer and date, 此件主动公开, 附件."""
    kept: list[str] = []
    for p in paras:
        if m := PUBLICITY_RE.match(p):
            draft.publicity = m.group(1)
            continue
        if d := DATE_RE.match(p):
            draft.date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
            if kept and len(kept[-1]) <= 30 and not re.search(r"[，。；：:]", kept[-1]):
                draft.issuer = kept[-1]
        kept.append(p)
    headings = [p for p in kept if HEADING_RE.match(p)]
    body = [p for p in kept if not HEADING_RE.match(p)]
    if headings:
        draft.heading = "\n".join(headings)
    if any("通知" in p for p in body):
        draft.notice = "\n".join(body)
    elif body:
        draft.heading = "\n".join(([draft.heading] if draft.heading else []) + body)


def _section(node: _Node, *, top: bool) -> SectionDraft:
    sec = SectionDraft(number=node.number, title=node.title)
    body = "\n".join(b for b in node.body if b).strip()
    if top and node.title and "目标" in node.title and not find_clauses(body) and not node.items:
        # a goals part (二、工作目标): its paragraphs are goals, numbered or not
        sec.goals = [GoalDraft(text=p) for p in body.split("\n") if p.strip()]
        for g in node.groups:
            text = "\n".join(g.body).strip()
            if text:
                sec.goals.append(GoalDraft(text=text, number=g.number))
        return sec
    if body:
        if find_clauses(body) or not (top or node.items or node.groups):
            sec.measures = split_measures(body)
        else:
            sec.text = body
    for child in node.items:
        sec.items.append(_section(child, top=False))
    entries: list[tuple[str | None, list[MeasureDraft] | SectionDraft]] = []
    for g in node.groups:
        if g.groups:  # a numbered paragraph with numbered paragraphs inside: a sub-item
            entries.append((g.number, _subsection(g)))
        else:
            ms = split_measures("\n".join(g.body))
            if ms:
                entries.append((g.number, ms))
    if any(isinstance(e, SectionDraft) or len(e) > 1 for _, e in entries):
        # a numbered paragraph holding several measures (1． split by stages) is a sub-item;
        # then all its siblings are too, so that the order of the plan is kept
        sec.items.extend(e if isinstance(e, SectionDraft) else SectionDraft(number=num, measures=e)
                         for num, e in entries)
    else:
        for num, ms in entries:
            ms[0].number = num
            sec.measures.extend(ms)
    for m in sec.measures:  # a clause straight after an item's title: the title is the measure
        if not m.text:
            m.text = (sec.title or "").strip()
    sec.measures = [m for m in sec.measures if m.text]
    return sec


def _subsection(node: _Node) -> SectionDraft:
    """A numbered paragraph with numbered paragraphs below it: its own words are a title, or measures."""
    body = "\n".join(b for b in node.body if b).strip()
    title = None
    if body and not find_clauses(body) and "\n" not in body and len(body) <= 40:
        title, node = body, _Node(node.number, None, [], node.items, node.groups)
    sec = _section(node, top=False)
    sec.title = title
    return sec
