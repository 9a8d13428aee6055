"""`sitegen import plan.docx`: a Word file read directly, so a table comes as a table.

Paragraphs and tables are read in document order (python-docx). A table
whose first row names a measures' or tasks' column (table.py) is the plan's
table: its rows come as cells, so no cell ever spills into another; a cell
merged down over several rows is read in each of them. The paragraphs above
it are the title and what is printed around it; paragraphs after it are the
plan's `closing`. A Word file without such a table is read as prose, one
paragraph a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .text import Draft, ParseError


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
        raise DocxError("python-docx is not installed: run `make setup`") from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise DocxError(f"{path} cannot be read as a Word (.docx) file: {e}") from None
    except Exception as e:  # zipfile.BadZipFile, lxml errors: a damaged or renamed file
        raise DocxError(f"{path} cannot be read as a Word (.docx) file ({type(e).__name__})") from None
    blocks: list[str | Grid] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            blocks.append(_grid(block))
        else:
            blocks.append(block.text)
    return Document(blocks)


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
    from .table import build_table, read_columns
    from .text import normalise

    at = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Grid) and b.rows and _is_plan_table(b)), None)
    if at is None:
        return None
    grid: Grid = doc.blocks[at]  # type: ignore[assignment]
    front = [normalise(b).strip() for b in doc.blocks[:at] if isinstance(b, str) and b.strip()]
    columns = [" ".join(c.split()) for c in grid.rows[0]]
    read_columns(columns)
    rows = [{k: normalise(c).split("\n") for k, c in enumerate(row)} for row in grid.rows[1:]]
    merged = grid.merged[1:]
    try:
        draft = build_table(front, columns, rows, {}, merged)
    except ParseError:
        raise
    after = [normalise(b).strip() for b in doc.blocks[at + 1:] if isinstance(b, str) and b.strip()]
    others = [b for b in doc.blocks if isinstance(b, Grid) and b is not grid]
    if after:
        draft.closing = "\n".join(after)
    if others:
        draft.warnings.append(f"文件中另有 {len(others)} 个表格未导入（只导入了计划表），请核对")
    return draft


def _is_plan_table(grid: Grid) -> bool:
    from .table import column_role

    roles = {column_role(c) for c in grid.rows[0]}
    return len(grid.rows[0]) >= 3 and bool(roles & {"text", "task"}) and bool(roles & {"number", "lead"})
