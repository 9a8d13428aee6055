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

from sitegen.content.sources import DocxError, Grid, read, text_of  # noqa: F401 - the Word reading, shared with content
from sitegen.content.sources import WordDocument as Document
from sitegen.importer.cleanup import normalise
from sitegen.importer.columns import names_plan_columns
from sitegen.importer.draft import Draft
from sitegen.importer.table import build_table


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
