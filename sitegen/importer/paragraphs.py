"""Mending page-break damage: lines cut at the page width or by a page break joined back into paragraphs.

A line that does not end a sentence is joined to the next non-blank line,
unless that line starts a numbered part, item or paragraph, or is a date;
nor after a part heading, a notice title (…通知), an 附件 heading or the
title itself. Lines that end a sentence stay separate paragraphs.
"""

from __future__ import annotations

from sitegen.importer.header import HEADING_RE, is_date
from sitegen.importer.numbering import PART_RE, is_marker, list_marker

# Punctuation that ends a line for good: the next line starts a new paragraph.
_TERMINAL = "。！？；：）)!?;"


def ends_terminal(s: str) -> bool:
    if not s:
        return True
    if s[-1] in _TERMINAL:
        return True
    # a quotation closing a sentence: …。”
    return len(s) > 1 and s[-1] in "”’\"" and s[-2] in "。！？!?"


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

