"""`sitegen import plan.docx`: a Word file's plan table read as a table, so no cell spills into another.

sitegen.content.sources reads the file into blocks, paragraphs and tables in
document order (a cell merged down over several rows comes in each of them;
Word's automatic numbers are put back in front of their paragraphs). The
first table whose header row names a measures' or tasks' column and a 序号 or
agencies' column (columns.py) is the plan's table: the paragraphs above it
are the title and what is printed around it, those after it the plan's
`closing`. A Word file without such a table is read as prose (source.py).
"""

from __future__ import annotations

from sitegen.content.sources import Grid, WordDocument
from sitegen.importer.cleanup import normalise
from sitegen.importer.columns import names_plan_columns
from sitegen.importer.draft import Draft
from sitegen.importer.table import build_table


def parse_docx(doc: WordDocument) -> Draft | None:
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
