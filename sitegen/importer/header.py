"""A plan's head: its title, what is printed above it (a covering notice, 附件), and below it up to the first part.

The title is the first short line near the top naming a 计划 / 安排 / 分工表
…; above it a covering notice (…的通知) with its issuer and date,
（此件主动公开）, 附件：; below it a subtitle, then the intro, whose 根据《…》
is the document the plan follows.
"""

from __future__ import annotations

import re

from sitegen.importer.clauses import OPEN_BRACKETS
from sitegen.importer.draft import Draft
from sitegen.importer.numbering import PART_RE, is_marker

DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
HEADING_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
PUBLICITY_RE = re.compile(r"^[（(]?\s*(此件(?:主动|不予|依申请)公开)\s*[）)]?$")
TITLE_WORDS = ("计划", "安排", "分工表", "方案", "要点", "清单", "分解表", "任务表")
TITLE_WITHIN = 80  # lines from the top
# For the editor when no title is found: what the importer looks for, and what to do.
NO_TITLE = (f"没有找到计划的标题：开头 {TITLE_WITHIN} 行内应有单独一行、不超过 60 字、"
            f"含“{'”“'.join(TITLE_WORDS[:4])}”等字样的标题（如“河东区2024年食品安全监督管理计划”）；"
            "请确认这是计划的原文，或在正文前补上标题行")


def is_date(s: str) -> bool:
    return bool(DATE_RE.match(s.strip()))


def find_title(lines: list[str], limit: int = TITLE_WITHIN) -> int | None:
    """Index of the title: the first short line near the top naming a 计划/安排/分工表."""
    for i, raw in enumerate(lines[:limit]):
        s = raw.strip()
        if not s or len(s) > 60 or not any(w in s for w in TITLE_WORDS):
            continue
        if re.search(r"[，。；：:,;]", s) or s.endswith("通知") or "关于" in s or "《" in s:
            continue
        if is_marker(s) or s[0] in OPEN_BRACKETS or raw.startswith("\t"):
            continue
        after = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
        if after.startswith(("的通知", "通知")):  # a notice title cut in two: …计划 / 的通知
            continue
        return i
    return None


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


def read_head(draft: Draft, paras: list[str]) -> int:
    """The paragraphs after the title, up to the first part: a subtitle, the intro and what it follows.

    Returns the index of the paragraph where the plan's body starts.
    """
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
    return stop


def _is_subtitle(p: str) -> bool:
    if re.match(r"^[（(][^（）()]{1,20}[）)]$", p):
        return True
    return len(p) <= 20 and not re.search(r"[，。；：:,;]", p) and not is_date(p)
