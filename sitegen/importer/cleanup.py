"""Cleaning the text before it is read: line ends, page numbers, running headers and footers, Word marks.

PDF extractions print a page number on a line of its own (— 3 —, 第3页 …)
and often a running header or footer next to it; pdftotext ends each page
with a form feed. These are removed (and reported) before the text is split
into paragraphs, so that a clause cut by a page break reads whole again.
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.importer.header import find_title
from sitegen.importer.numbering import is_marker
from sitegen.importer.paragraphs import ends_terminal

# A page number on a line of its own, in the forms PDF extractions print: — 3 —, - 3 -, －3－,
# 第3页, 第 3 页 共 12 页, 3/12, 3 / 12, ·3·.
PAGE_NUMBER_RE = re.compile(
    r"^(?:[—–\-－─]+\s*\d{1,4}\s*[—–\-－─]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|(?:共\s*\d{1,4}\s*页\s*)?第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[·•]\s*\d{1,4}\s*[·•]"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")
# A word processor's mark left in the text of a cell (a bookmark Word keeps at the cursor).
BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
RUNNING_MAX = 40  # characters: a running header or footer is a line no longer than this


def normalise(text: str) -> str:
    """One kind of line end, no byte-order mark, each form feed on a line of its own, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\f", "\n\f\n")  # a page break (pdftotext ends each page so): a line of its own
    return unicodedata.normalize("NFC", text)


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
    numbers = [i for i, ln in enumerate(lines) if not ln.startswith("\t") and PAGE_NUMBER_RE.match(ln.strip())]
    pages = sorted(numbers + [i for i, ln in enumerate(lines) if ln == "\f"])
    t = find_title(lines)
    removed = [lines[i].strip() for i in numbers]
    for i in pages:
        out[i] = ""
    if not pages:
        removed += _drop_repeated_lines(lines, out, t)
        return out, removed
    title = lines[t].strip() if t is not None else None
    for _ in range(2):  # a header may take two lines
        for step in (1, -1):  # headers after a page number, footers before it
            removed += _drop_beside_breaks(out, pages, step, t, title)
    return out, removed


def _drop_repeated_lines(lines: list[str], out: list[str], t: int | None) -> list[str]:
    """With no page breaks to be seen: blank in `out` each repeat of a running header; the lines blanked.

    A running header (or footer) here is a short line printed three times or
    more, each time after the first on a line of its own between blank lines.
    """
    seen: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s and not ln.startswith("\t") and len(s) <= RUNNING_MAX and not is_marker(s) and not ends_terminal(s):
            seen.setdefault(s, []).append(i)
    removed: list[str] = []
    for s, at in seen.items():
        again = [j for j in at[1:] if j != t]
        if len(at) >= 3 and all(_alone(lines, j) for j in again):
            for j in again:
                removed.append(s)
                out[j] = ""
    return removed


def _alone(lines: list[str], j: int) -> bool:
    return (j == 0 or not lines[j - 1].strip()) and (j + 1 == len(lines) or not lines[j + 1].strip())


def _drop_beside_breaks(out: list[str], pages: list[int], step: int, t: int | None,
                        title: str | None) -> list[str]:
    """Blank in `out` the line `step` away from each page break that is a running header; the lines blanked.

    It is one when the same short line stands there at half the breaks or
    more, or when it is the title printed again (the title line itself stays).
    """
    found: dict[str, list[int]] = {}
    for p in pages:
        j = _next_filled(out, p, step)
        if j is not None and j != t and not out[j].startswith("\t"):
            s = out[j].strip()
            if len(s) <= RUNNING_MAX and not is_marker(s):
                found.setdefault(s, []).append(j)
    removed: list[str] = []
    for s, at in found.items():
        if len(at) >= max(2, (len(pages) - 1) / 2) or s == title and _repeated(s, out):
            for j in at:
                removed.append(s)
                out[j] = ""
    return removed


def _next_filled(lines: list[str], i: int, step: int) -> int | None:
    """The first line from i (exclusive), going by step, with text on it."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    return j if 0 <= j < len(lines) else None


def _repeated(s: str, lines: list[str]) -> bool:
    return sum(1 for ln in lines if ln.strip() == s) >= 2
