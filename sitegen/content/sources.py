"""The published sources a plan is transcribed from: their text, as it is compared with the plan.

A source is a UTF-8 text file or a Word file. A Word file's paragraphs and
tables are read in document order (python-docx): a table's rows come as
cells, a cell merged down over several rows is read in each of them, and
numbers Word prints itself (automatic lists) are rendered and put back in
front of their paragraphs' text. `sitegen import` reads a Word file the same
way, and makes a draft from its blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


class DocxError(Exception):
    """The file is not a Word (.docx) file python-docx can read."""


@dataclass
class Grid:
    rows: list[list[str]]  # cell text per row and column
    merged: list[set[int]] = field(default_factory=list)  # columns merged down from the row above


@dataclass
class WordDocument:
    blocks: list[str | Grid]  # paragraphs (text) and tables, in order


def read(path: Path) -> WordDocument:
    """A Word file's paragraphs and tables, in order; DocxError when python-docx cannot read it."""
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency of the project
        raise DocxError("没有安装 python-docx，无法读取 Word 文件：请运行 `make setup`") from None
    try:
        document = docx.Document(str(path))
        blocks: list[str | Grid] = []
        numbers = _Numbering(document)
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                blocks.append(_grid(block))
            else:
                blocks.append(numbers.marker(block) + block.text)
    except Exception:  # noqa: BLE001 - not a zip, no Word part, broken XML: python-docx raises many kinds
        raise DocxError(_unreadable(path)) from None
    return WordDocument(blocks)


def _unreadable(path: Path) -> str:
    return (f"{path}: 无法作为 Word 文件（.docx）读取：文件可能已损坏，或是改了扩展名的其他文件；"
            "请用 Word 打开它并另存为 .docx")


# --- Word's own numbering ------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN[tens - 1] if tens > 1 else "") + "十" + (_CN[ones - 1] if ones else "")


_FORMATS = MappingProxyType({
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "chineseCounting": _cn, "chineseCountingThousand": _cn, "chineseLegalSimplified": _cn,
    "ideographTraditional": _cn, "japaneseCounting": _cn, "taiwaneseCounting": _cn,
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26), "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
})


class _Numbering:
    """Numbers Word prints itself (a list's 一、 （一） 1.): not in a paragraph's text, so rendered here.

    A paragraph's numbering comes from its own properties or its style's;
    each list counts per level, a level restarting when one above it moves.
    Bullets and formats not listed here give no marker.
    """

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstract id -> level -> (fmt, text, start)
        self.abstract: dict[str, str] = {}  # numId -> abstract id
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for a in root.findall(_W + "abstractNum"):
            levels = {}
            for lvl in a.findall(_W + "lvl"):
                fmt, text, start = lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText"), lvl.find(_W + "start")
                levels[int(lvl.get(_W + "ilvl", "0"))] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "",
                    int(start.get(_W + "val")) if start is not None else 1)
            self.levels[a.get(_W + "abstractNumId")] = levels
        for n in root.findall(_W + "num"):
            ref = n.find(_W + "abstractNumId")
            if ref is not None:
                self.abstract[n.get(_W + "numId")] = ref.get(_W + "val")

    def marker(self, paragraph) -> str:
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        aid = self.abstract.get(num_id)
        levels = self.levels.get(aid or "", {})
        if ilvl not in levels:
            return ""
        counts = self.counts.setdefault(aid, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]

        def number(m) -> str:
            k = int(m.group(1)) - 1
            fmt, _, start = levels.get(k, ("decimal", "", 1))
            return _FORMATS.get(fmt, str)(counts.get(k, start))

        fmt, text, _ = levels[ilvl]
        if fmt not in _FORMATS:
            return ""
        return re.sub(r"%(\d)", number, text)

    @staticmethod
    def _num_pr(paragraph) -> tuple[str, int] | None:
        """(numId, level) from the paragraph, else from its style and the styles it is based on."""
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = paragraph.style
        while (num_pr is None or num_pr.numId is None) and style is not None:
            s_pr = style.element.pPr
            num_pr = s_pr.numPr if s_pr is not None else None
            style = style.base_style
        if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:  # numId 0: numbering taken off
            return None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), int(ilvl)


def _grid(table) -> Grid:
    grid = Grid([])
    above: list = []
    for row in table.rows:
        cells = list(row.cells)
        texts, merged, seen = [], set(), []
        for k, c in enumerate(cells):
            # a cell merged across columns comes once per column: keep it in the first
            if any(c._tc is s for s in seen):
                texts.append("")
                continue
            seen.append(c._tc)
            if k < len(above) and above[k] is c._tc:
                merged.add(k)
            texts.append(c.text)
        grid.rows.append(texts)
        grid.merged.append(merged)
        above = [c._tc for c in cells]
    return grid


def text_of(doc: WordDocument) -> str:
    """The file as text, tables as tab-indented cells (as extractions print them): what it says."""
    lines: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Grid):
            for row, merged in zip(b.rows, b.merged):
                lines.append("")
                for k, cell in enumerate(row):
                    cell_lines = (cell if k not in merged else "").split("\n")
                    lines.append("\t" + cell_lines[0])
                    lines.extend(cell_lines[1:])
            lines.append("")
        else:
            lines.append(b)
    return "\n".join(lines)


def read_source(path: Path) -> str:
    """A published source's text: a Word file's as text_of gives it, any other file as UTF-8 text.
    Raises DocxError, OSError or UnicodeDecodeError when it cannot be read."""
    if path.suffix.lower() == ".docx":
        return text_of(read(path))
    return path.read_text(encoding="utf-8")
