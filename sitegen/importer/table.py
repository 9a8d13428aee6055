"""`sitegen import`, reading a table plan: cells printed as tab-indented lines, or a Word table.

In text, the header row names the columns, one tab-indented line each; rows
are separated by blank lines; a cell starts with a tab, may spill over
several lines, and may be empty. A row whose 序号 and 责任单位 are blank
continues the row above. A Word table (docx.py) comes as rows of cells.

Columns are recognised by meaning, through synonyms per role (COLUMNS): the
measures' column (举措, 具体措施 …), the task column that groups them (任务,
工作任务 …; it holds the measures itself when there is no measures' column),
the agencies' columns with the role their header gives (牵头单位 -> 牵头,
责任单位 -> 负责, 配合单位 -> 配合, 协办单位 -> 协助 …), and 完成时限. A column
the importer does not know is kept in each measure's `note` and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.model import squash
from sitegen.importer.text import (
    BOOKMARK_RE,
    PART_RE,
    TASK_TYPES,
    Draft,
    MeasureDraft,
    ParseError,
    SectionDraft,
    find_title,
    list_marker,
    mend_cell,
    printed_number,
    read_front,
    split_label,
)

# Column roles and the headers that name them. A header is matched exactly, else by the
# longest of these it contains (牵头单位（部门） -> 牵头单位).
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "type": ("任务类型", "工作类型", "类型", "类别"),
    "task": ("任务", "工作任务", "重点任务", "主要任务", "任务名称", "工作项目", "重点工作", "工作重点", "项目",
             "任务分类"),
    "text": ("举措", "具体措施", "工作措施", "主要措施", "主要内容", "工作内容", "任务内容", "具体内容", "措施",
             "工作举措", "具体任务", "工作要求", "任务措施", "具体工作", "主要举措", "重点举措", "内容"),
    "lead": ("责任单位", "牵头单位", "主责单位", "负责单位", "责任部门", "牵头部门", "主责部门", "责任主体",
             "牵头责任单位"),
    "support": ("配合单位", "协办单位", "参与单位", "配合部门", "协助单位", "协作单位", "协办部门", "参与部门",
                "配合责任单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限", "时间安排", "进度安排", "时间要求", "完成期限"),
}
# The role a header gives the names in its column, when a name has no role word of its own.
HEADER_ROLES = {"牵头": "牵头", "主责": "负责", "负责": "负责", "责任": "负责",
                "配合": "配合", "协办": "协助", "协助": "协助", "协作": "协助", "参与": "参与"}


@dataclass
class Columns:
    names: list[str]
    index: dict[str, int] = field(default_factory=dict)  # role -> column
    lead_role: str = "负责"
    support_role: str = "配合"
    unknown: list[int] = field(default_factory=list)  # columns no role was found for

    def get(self, role: str) -> int | None:
        return self.index.get(role)


def column_role(name: str) -> str | None:
    key = squash(name).strip("：:*＊")
    for role, names in COLUMNS.items():
        if key in names:
            return role
    found = [(len(n), role) for role, names in COLUMNS.items() for n in names if len(n) >= 2 and n in key]
    return max(found)[1] if found else None


def read_columns(names: list[str]) -> Columns:
    cols = Columns(list(names))
    for k, name in enumerate(names):
        role = column_role(name)
        if role is None or role in cols.index:
            cols.unknown.append(k)
            continue
        cols.index[role] = k
    if "text" not in cols.index and "task" in cols.index:
        cols.index["text"] = cols.index.pop("task")  # 工作任务 with nothing finer: it holds the measures
    for role, attr in (("lead", "lead_role"), ("support", "support_role")):
        if role in cols.index:
            key = squash(names[cols.index[role]])
            word = next((w for w in HEADER_ROLES if key.startswith(w)), None)
            if word:
                setattr(cols, attr, HEADER_ROLES[word])
    return cols


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
        roles = {column_role(n) for n in names}
        if len(names) >= 3 and roles & {"text", "task"} and roles & {"number", "lead"}:
            return i, j, names
        i = max(j, i + 1)
    return None


def is_table(text: str) -> bool:
    lines = text.split("\n")
    tabbed = [ln for ln in lines if ln.startswith("\t")]
    return len(tabbed) >= 8 and header_at(lines) is not None


def parse_table(text: str) -> Draft:
    lines = text.split("\n")
    at = header_at(lines)
    if at is None:
        raise ParseError("no header row found for the table")
    h, j, columns = at
    front = [ln.strip() for ln in lines[:h] if ln.strip()]
    rows, remarks = _table_rows(lines[j:], columns)
    return build_table(front, columns, rows, remarks)


def build_table(front: list[str], columns: list[str], rows: list[dict[int, list[str]]],
                remarks: dict[int, list[str]], merged: list[set[int]] | None = None) -> Draft:
    """The draft of a table: the lines above it, its header, its rows as {column: lines}.

    `merged` says, per row, which cells are a Word cell merged down from the row above.
    """
    t = find_title(front)
    if t is None:
        raise ParseError("no title found above the table's header row")
    cols = read_columns(columns)
    draft = Draft(title=front[t], shape="table", columns=columns)
    read_front(draft, front[:t])
    after = [p for p in front[t + 1:]]
    if after:
        draft.subtitle = "\n".join(after)

    c_num, c_type, c_part = cols.get("number"), cols.get("type"), cols.get("task")
    c_text, c_resp, c_sup, c_due = cols.get("text"), cols.get("lead"), cols.get("support"), cols.get("deadline")
    if c_text is None:  # the first column no role was found for
        if not cols.unknown:
            raise ParseError(f"cannot tell which column holds the measures: {columns}")
        c_text = cols.unknown.pop(0)
        draft.warnings.append(f"未能按列名找到举措所在的列，已把“{columns[c_text]}”列当作举措列，请核对")
    kept = [k for k in (c_due, *cols.unknown) if k is not None]
    for k in cols.unknown:
        filled = sum(1 for row in rows if "".join(row.get(k, [])).strip())
        draft.warnings.append(f"未识别的列“{columns[k]}”（{filled} 格有字）：其文字写入各举措的 note，请核对")
    if c_due is not None:
        draft.review.append(f"the {columns[c_due]} column is kept in each measure's note: "
                            "the plan format has no field for it")

    def cell(row: dict[int, list[str]], k: int | None) -> list[str]:
        return row.get(k, []) if k is not None else []

    parts: list[SectionDraft] = []
    current: SectionDraft | None = None
    # rows whose task cell is a list of numbered tasks (1.… 2.…) make items of numbered measures
    firsts = [next((ln.strip() for ln in cell(row, c_text) if ln.strip()), "") for row in rows]
    firsts = [f for f in firsts if f]
    numbered_lists = bool(firsts) and sum(bool(list_marker(f)) for f in firsts) * 2 >= len(firsts)
    seen_numbers: dict[str, int] = {}
    last_resp: list[str] = []
    last_sup: list[str] = []
    for r, row in enumerate(rows):
        number = "" if merged and c_num in merged[r] else " ".join(cell(row, c_num)).strip()
        part_cell = mend_cell(cell(row, c_part))
        task_type = " ".join(cell(row, c_type)).strip() or None
        resp_lines = cell(row, c_resp)
        sup_lines = cell(row, c_sup)
        text_lines = cell(row, c_text)
        if not any(s.strip() for s in text_lines):
            filled = [(k, mend_cell(v)) for k, v in sorted(row.items()) if mend_cell(v)]
            if not filled:  # an empty row
                continue
            heading = filled[0][1] if len(filled) == 1 else None
            col = filled[0][0]
            if heading and (PART_RE.match(heading) and col != c_text or col == c_part
                            or col == c_num and not heading.isdigit()):
                part_cell = heading  # a row spanning the table: a heading
            else:
                shown = "；".join(f"{columns[k] if k < len(columns) else k}：{v[:30]}" for k, v in filled)
                draft.warnings.append(f"表格第 {r + 1} 行没有举措文字，该行未导入：{shown}")
                continue
            current = _part(part_cell)
            parts.append(current)
            continue
        if part_cell and (current is None or part_cell != (current.title or "")
                          and part_cell != f"{current.number or ''}{current.title or ''}") or current is None:
            current = _part(part_cell)
            parts.append(current)
        notes = remarks.get(r, [])
        if number:
            seen_numbers[number] = seen_numbers.get(number, 0) + 1
            if seen_numbers[number] > 1:
                notes = notes + [f"row number {number} is printed twice in the source"]
        extra = "；".join(f"{squash(columns[k])}：{mend_cell(cell(row, k)).replace(chr(10), '')}"
                         for k in kept if mend_cell(cell(row, k)))
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
                item.measures.append(_table_measure(text, num, task_type, resp_lines, sup_lines, cols, extra))
        else:
            m = _table_measure(mend_cell(text_lines), number or None, task_type, resp_lines, sup_lines, cols, extra)
            m.review.extend(notes)
            current.measures.append(m)
    parts = [p for p in parts if p.measures or p.items]
    if not parts:
        raise ParseError("the table has no rows")
    draft.parts = parts
    return draft


def _part(cell: str) -> SectionDraft:
    m = PART_RE.match(cell) if cell else None
    if m:
        return SectionDraft(number=printed_number(cell[:m.end()]), title=cell[m.end():].strip() or None)
    return SectionDraft(title=cell or None)


def _table_measure(text: str, number: str | None, task_type: str | None, resp_lines: list[str],
                   sup_lines: list[str], cols: Columns, extra: str) -> MeasureDraft:
    m = MeasureDraft(text=text, number=number, task_type=task_type if task_type in TASK_TYPES else None,
                     lead_role=cols.lead_role, support_role=cols.support_role, note=extra or None)
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
    split_label(m)
    return m


def _numbered(lines: list[str]) -> list[tuple[str | None, str]]:
    """A cell holding 1.… 2.… lines: (number, text) each; unnumbered lines belong to the one above."""
    out: list[tuple[str | None, list[str]]] = []
    for raw in lines:
        s = raw.strip()
        if not s:
            continue
        lm = list_marker(s)
        if lm:
            m = lm[1]
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
