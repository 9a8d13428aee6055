"""A table printed as text (a PDF's or web page's extraction): its header row found, its cells read back into rows.

In text, the header row names the columns, one tab-indented line each; rows
are separated by blank lines; a cell starts with a tab, may spill over
several lines, and may be empty. table.py makes the draft of the rows.
"""

from __future__ import annotations

from sitegen.content.text import without_spaces
from sitegen.importer.columns import names_plan_columns
from sitegen.importer.draft import Draft
from sitegen.importer.errors import ParseError
from sitegen.importer.table import TASK_TYPES, build_table

TABLE_CELLS = 8  # tab-indented lines: fewer than this is not a table


def header_at(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """Where the header row of a text table is, and its column names.

    The header row is three or more tab-indented cells up to a blank line, a
    cell's name perhaps wrapped onto an untabbed line (完成 / 时限), naming a
    measures' or tasks' column and a 序号 or agencies' column.
    """
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t") or not lines[i].strip():
            i += 1
            continue
        j, names = i, []
        while j < len(lines) and lines[j].strip():
            if lines[j].startswith("\t"):
                names.append(lines[j].strip())
            elif len(lines[j].strip()) <= 6:
                names[-1] += lines[j].strip()
            else:
                break
            j += 1
        if names_plan_columns(names):
            return i, j, names
        i = max(j, i + 1)
    return None


def tabbed_cells(lines: list[str]) -> list[str]:
    """The text of the tab-indented lines with text on them: a table's cells, as extractions print them."""
    return [ln.strip() for ln in lines if ln.startswith("\t") and ln.strip()]


def is_table(text: str) -> bool:
    lines = text.split("\n")
    tabbed = [ln for ln in lines if ln.startswith("\t")]
    return len(tabbed) >= TABLE_CELLS and header_at(lines) is not None


def parse_table(text: str) -> Draft:
    lines = text.split("\n")
    at = header_at(lines)
    if at is None:
        raise ParseError("没有找到表格的表头行（写明序号、举措、责任单位等列名的一行行单元格）；"
                         "请按 docs/importing.md 改正表头，或改为导入 Word 文件（.docx）")
    h, j, columns = at
    front = [ln.strip() for ln in lines[:h] if ln.strip()]
    rows, remarks = _table_rows(lines[j:], columns)
    return build_table(front, columns, rows, remarks)


def _table_rows(lines: list[str], columns: list[str]) -> tuple[list[dict[int, list[str]]], dict[int, list[str]]]:
    """The cells after the header row, as rows of {column: lines}.

    A line starting with a tab opens the next cell (columns cycle); a line
    right below continues that cell; a line after blank lines is a spill from
    a page break and goes into the open cell (a repeat of what the cell
    already says is dropped). A task-type word printed without its tab
    (重点工作任务 after a page break) opens a new row, as its row number was
    lost with the break.
    """
    n = len(columns)
    c_type = columns.index("任务类型") if "任务类型" in columns else None
    rows: list[dict[int, list[str]]] = []
    remarks: dict[int, list[str]] = {}
    col = n - 1
    cur: list[str] | None = None
    after_blank = False

    def open_cell(k: int, content: str) -> list[str]:
        nonlocal col
        if k <= col or not rows:
            rows.append({})
        col = k
        rows[-1][k] = [content] if content else []
        return rows[-1][k]

    for raw in lines:
        s = raw.strip()
        if raw.startswith("\t"):  # a cell, perhaps an empty one
            cur = open_cell((col + 1) % n, s)
            after_blank = False
            continue
        if not s:
            after_blank = True
            continue
        if c_type is not None and s in TASK_TYPES:
            if col == c_type and cur is not None and " ".join(cur).strip() == s:
                remarks.setdefault(len(rows) - 1, []).append(f"“{s}” is printed twice in the source")
            elif col >= c_type:
                cur = open_cell(c_type, s)  # a new row whose earlier cells were lost
                if c_type > 0:
                    for k in range(c_type):
                        rows[-1].setdefault(k, [])
            else:
                cur = open_cell(c_type, s)
        elif cur is None:
            pass  # text before the first cell
        elif not after_blank:
            cur.append(s)
        elif not any(x.strip() for x in cur):
            cur.append(s)
        elif without_spaces("".join(cur)).endswith(without_spaces(s)):
            remarks.setdefault(len(rows) - 1, []).append(f"“{s}” is printed twice in the source")
        else:
            cur.append(s)
        after_blank = False
    return rows, remarks
