"""`sitegen import plan.docx`: a Word file read directly, so a table comes as a table.

Paragraphs and tables are read in document order (python-docx). A table
whose first row names a measures' or tasks' column (table.py) is the plan's
table: its rows come as cells, so no cell ever spills into another; a cell
merged down over several rows is read in each of them. The paragraphs above
it are the title and what is printed around it; paragraphs after it are the
plan's `closing`. A Word file without such a table is read as prose, one
paragraph a line. Numbers Word prints itself (automatic lists) are not in
the paragraphs' text: they are rendered and put back in front of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.importer.cleanup import normalise
from sitegen.importer.columns import names_plan_columns
from sitegen.importer.draft import Draft
from sitegen.importer.table import build_table


class DocxError(Exception):
    """The file is not a Word (.docx) file python-docx can read."""


@dataclass
class Grid:
    rows: list[list[str]]  # cell text per row and column
    merged: list[set[int]] = field(default_factory=list)  # columns merged down from the row above


@dataclass
class Document:
    blocks: list[str | Grid]  # paragraphs (text) and tables, in order


def read(path: Path) -> Document:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a dependency of the project
        raise DocxError("没有安装 python-docx，无法读取 Word 文件：请运行 `make setup`") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError):
        raise DocxError(_unreadable(path)) from None
    except Exception:  # zipfile.BadZipFile, lxml errors: a damaged or renamed file
        raise DocxError(_unreadable(path)) from None
    blocks: list[str | Grid] = []
    numbers = _Numbering(document)
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            blocks.append(_grid(block))
        else:
            blocks.append(numbers.marker(block) + block.text)
    return Document(blocks)


def _unreadable(path: Path) -> str:
    return (f"{path}: 无法作为 Word 文件（.docx）读取：文件可能已损坏，或是改了扩展名的其他文件；"
            "请用 Word 打开它并另存为 .docx，再导入")


# --- Word's own numbering ------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN[tens - 1] if tens > 1 else "") + "十" + (_CN[ones - 1] if ones else "")


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "chineseCounting": _cn, "chineseCountingThousand": _cn, "chineseLegalSimplified": _cn,
    "ideographTraditional": _cn, "japaneseCounting": _cn, "taiwaneseCounting": _cn,
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26), "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
}


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


def text_of(doc: Document) -> str:
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


def source_text(path: Path) -> str:
    return text_of(read(path))


def parse_docx(doc: Document) -> Draft | None:
    """The draft of a Word file whose plan is a table; None when it has no such table (read it as prose)."""
    at = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Grid) and b.rows and _is_plan_table(b)), None)
    if at is None:
        return None
    grid: Grid = doc.blocks[at]  # type: ignore[assignment]
    front = [normalise(b).strip() for b in doc.blocks[:at] if isinstance(b, str) and b.strip()]
    columns = [" ".join(c.split()) for c in grid.rows[0]]
    rows = [{k: normalise(c).split("\n") for k, c in enumerate(row)} for row in grid.rows[1:]]
    draft = build_table(front, columns, rows, {}, grid.merged[1:])
    after = [normalise(b).strip() for b in doc.blocks[at + 1:] if isinstance(b, str) and b.strip()]
    others = [b for b in doc.blocks if isinstance(b, Grid) and b is not grid]
    if after:
        draft.closing = "\n".join(after)
    if others:
        draft.warnings.append(f"文件中另有 {len(others)} 个表格未导入（只导入了计划表），请核对")
    return draft


def _is_plan_table(grid: Grid) -> bool:
    return names_plan_columns(grid.rows[0])
