"""Responsibility clauses in running text, and a body of text cut into measures at them.

A clause is a bracketed passage, in either kind of bracket (mixed too:
（…)), that starts with a unit prefix (责任单位：, 牵头单位： …), has one
after a ； or ，, or ends with a role word (负责, 牵头, 配合 …). Each measure
ends at its clause; the clause, without its brackets, is the measure's
`responsibility` (agencies.py reads the names and roles out of it).
"""

from __future__ import annotations

import re

from sitegen.content.text import without_spaces
from sitegen.importer.draft import MeasureDraft

OPEN_BRACKETS = "（("
CLOSE_BRACKETS = "）)"

# A bracketed passage is a responsibility clause when it ends with one of
# these role words or starts with 责任单位：.
ROLE_WORDS = ("分工负责", "组织协调", "负责", "牵头", "配合", "协助", "参与")
_ROLE_END = re.compile("(?:" + "|".join(ROLE_WORDS) + ")$")
_UNIT_PREFIX = r"(?:责任单位|牵头单位|主责单位|配合单位|协办单位|参与单位|责任部门|牵头部门|配合部门)\s*[:：]"
_CLAUSE_START = re.compile("^" + _UNIT_PREFIX)
_CLAUSE_SEGMENT = re.compile("[；;，,]" + _UNIT_PREFIX)  # …负责；配合单位：…
_LABEL_RE = re.compile(r"^([^\s，。；：:、（）()“”《》]{2,12})[：:]\s*")


def is_clause(inner: str) -> bool:
    s = without_spaces(inner).rstrip("。；;，,")
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
        if ch in OPEN_BRACKETS:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE_BRACKETS and depth > 0:
            depth -= 1
            if depth == 0:
                inner = text[start + 1:i]
                if is_clause(inner):
                    out.append((start, i + 1, inner))
    return out



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
    if tail and without_spaces(tail).strip("。；;，,"):
        measures.append(MeasureDraft(text=tail))
    for m in measures:
        split_label(m)
    return measures


def split_label(m: MeasureDraft) -> None:
    """A lead-in such as 种养殖环节： becomes the measure's label."""
    lab = _LABEL_RE.match(m.text)
    if lab and lab.group(1) not in ("责任单位", "其中") and len(m.text) > lab.end():
        m.label, m.text = lab.group(1), m.text[lab.end():]

