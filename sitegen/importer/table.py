"""`sitegen import`, reading a table plan: cells printed as tab-indented lines.

The header row names the columns (序号 / 任务类型 / 工作任务 / 责任单位, or
序号 / 任务 / 举措 / 责任单位 / 配合单位); rows are separated by blank lines;
a cell starts with a tab, may spill over several lines, and may be empty. A
row whose 序号 and 责任单位 are blank continues the row above.
"""

from __future__ import annotations

from ..model import squash
from .text import (
    BOOKMARK_RE,
    NUM_RE,
    PART_RE,
    TASK_TYPES,
    Draft,
    MeasureDraft,
    ParseError,
    SectionDraft,
    find_title,
    mend_cell,
    printed_number,
    read_front,
)

TEXT_COLUMNS = ("工作任务", "举措", "工作措施", "具体措施", "主要任务", "任务内容", "工作内容", "重点工作")
RESP_COLUMNS = ("责任单位", "牵头单位", "责任部门", "牵头部门")
SUPPORT_COLUMNS = ("配合单位", "配合部门", "协办单位")


def is_table(text: str) -> bool:
    lines = text.split("\n")
    tabbed = [ln for ln in lines if ln.startswith("\t")]
    return len(tabbed) >= 8 and any(ln.strip() == "序号" for ln in tabbed)


def parse_table(text: str) -> Draft:
    lines = text.split("\n")
    h = next(i for i, ln in enumerate(lines) if ln.startswith("\t") and ln.strip() == "序号")
    columns: list[str] = []
    j = h
    while j < len(lines) and lines[j].startswith("\t"):
        columns.append(lines[j].strip())
        j += 1
    front = [ln.strip() for ln in lines[:h] if ln.strip()]
    t = find_title(front)
    if t is None:
        raise ParseError("no title found above the table's header row")
    draft = Draft(title=front[t], shape="table", columns=columns)
    read_front(draft, front[:t])
    after = [p for p in front[t + 1:]]
    if after:
        draft.subtitle = "\n".join(after)

    rows, remarks = _table_rows(lines[j:], columns)
    col = {name: k for k, name in enumerate(columns)}

    def find(names: tuple[str, ...]) -> int | None:
        return next((col[n] for n in names if n in col), None)

    c_num = col.get("序号")
    c_type = col.get("任务类型")
    c_part = col.get("任务")
    c_text = find(TEXT_COLUMNS)
    c_resp = find(RESP_COLUMNS)
    c_sup = find(SUPPORT_COLUMNS)
    if c_text is None:  # the widest remaining column
        rest = [k for k in range(len(columns)) if k not in (c_num, c_type, c_part, c_resp, c_sup)]
        if not rest:
            raise ParseError(f"cannot tell which column holds the measures: {columns}")
        c_text = rest[0]

    def cell(row: dict[int, list[str]], k: int | None) -> list[str]:
        return row.get(k, []) if k is not None else []

    parts: list[SectionDraft] = []
    current: SectionDraft | None = None
    # rows whose task cell is a list of numbered tasks (1.… 2.…) make items of numbered measures
    firsts = [next((ln.strip() for ln in cell(row, c_text) if ln.strip()), "") for row in rows]
    firsts = [f for f in firsts if f]
    numbered_lists = bool(firsts) and sum(bool(NUM_RE.match(f)) for f in firsts) * 2 >= len(firsts)
    seen_numbers: dict[str, int] = {}
    last_resp: list[str] = []
    last_sup: list[str] = []
    for r, row in enumerate(rows):
        number = " ".join(cell(row, c_num)).strip()
        part_cell = mend_cell(cell(row, c_part))
        task_type = " ".join(cell(row, c_type)).strip() or None
        resp_lines = cell(row, c_resp)
        sup_lines = cell(row, c_sup)
        text_lines = cell(row, c_text)
        if not any(s.strip() for s in text_lines):
            continue
        if part_cell or current is None:
            if part_cell:
                m = PART_RE.match(part_cell)
                num, title = (printed_number(part_cell[:m.end()]), part_cell[m.end():].strip()) if m \
                    else (None, part_cell)
            else:
                num, title = None, None
            current = SectionDraft(number=num, title=title or None)
            parts.append(current)
        notes = remarks.get(r, [])
        if number:
            seen_numbers[number] = seen_numbers.get(number, 0) + 1
            if seen_numbers[number] > 1:
                notes = notes + [f"row number {number} is printed twice in the source"]
        if numbered_lists:
            # each row is an agency's list of numbered tasks: an item; a row with neither
            # number nor agency continues the row above (e.g. its 长期推进工作)
            continues = not number and not any(s.strip() for s in resp_lines) and current.items
            if continues:
                item = current.items[-1]
                resp_lines, sup_lines = last_resp, last_sup
            else:
                item = SectionDraft(number=number or None)
                current.items.append(item)
                if not number:
                    item.review.append("row printed without a number (序号) in the source")
                last_resp, last_sup = resp_lines, sup_lines
            item.review.extend(notes)
            for num, text in _numbered(text_lines):
                item.measures.append(_table_measure(text, num, task_type, resp_lines, sup_lines))
        else:
            m = _table_measure(mend_cell(text_lines), number or None, task_type, resp_lines, sup_lines)
            m.review.extend(notes)
            current.measures.append(m)
    if not parts:
        raise ParseError("the table has no rows")
    draft.parts = parts
    return draft


def _table_measure(text: str, number: str | None, task_type: str | None,
                   resp_lines: list[str], sup_lines: list[str]) -> MeasureDraft:
    m = MeasureDraft(text=text, number=number, task_type=task_type if task_type in TASK_TYPES else None)
    for attr, cell_lines in (("responsibility", resp_lines), ("supporting", sup_lines)):
        value = "".join(s.strip() for s in cell_lines)
        if BOOKMARK_RE.search(value):
            m.review.append(f"removed a word-processor mark from the {attr} cell: "
                            f"{', '.join(BOOKMARK_RE.findall(value))}")
            value = BOOKMARK_RE.sub("", value).strip()
        setattr(m, attr, value or None)
    if BOOKMARK_RE.search(m.text):
        m.review.append("removed a word-processor mark from the text")
        m.text = BOOKMARK_RE.sub("", m.text).strip()
    return m


def _numbered(lines: list[str]) -> list[tuple[str | None, str]]:
    """A cell holding 1.… 2.… lines: (number, text) each; unnumbered lines belong to the one above."""
    out: list[tuple[str | None, list[str]]] = []
    for raw in lines:
        s = raw.strip()
        if not s:
            continue
        m = NUM_RE.match(s)
        if m:
            out.append((s[:m.end()].strip(), [s[m.end():]]))
        elif out:
            out[-1][1].append(s)
        else:
            out.append((None, [s]))
    return [(num, mend_cell(ls)) for num, ls in out if mend_cell(ls)]


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
        elif squash("".join(cur)).endswith(squash(s)):
            remarks.setdefault(len(rows) - 1, []).append(f"“{s}” is printed twice in the source")
        else:
            cur.append(s)
        after_blank = False
    return rows, remarks
