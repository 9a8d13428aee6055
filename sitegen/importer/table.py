"""Reading a table plan: its rows, as {column: lines}, to the draft's parts, items and measures.

The rows come from a text table (text_table.py) or a Word table (docx.py).
With a task column, each task cell that differs from the one above starts a
part, and each row is a measure numbered by its 序号; a row with text in only
its 序号 or task cell is a heading row and starts a part. When most rows'
measures' cell is a list of numbered tasks (1.… 2.…), each row is an item and
its numbered lines its measures; a row whose 序号 and agencies are blank
continues the row above. Columns the plan format has no field for (完成时限,
unknown ones) are kept in each measure's `note`, and unknown ones reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.text import without_spaces
from sitegen.importer.clauses import split_label
from sitegen.importer.cleanup import BOOKMARK_RE
from sitegen.importer.columns import Columns, read_columns
from sitegen.importer.draft import Draft, MeasureDraft, SectionDraft
from sitegen.importer.errors import ParseError
from sitegen.importer.header import find_title, read_front
from sitegen.importer.numbering import PART_RE, list_marker, printed_number
from sitegen.importer.paragraphs import mend_cell

TASK_TYPES = ("重点工作任务", "长期推进工作")

Row = dict[int, list[str]]  # a table row: column -> the lines of its cell


def build_table(front: list[str], columns: list[str], rows: list[Row],
                remarks: dict[int, list[str]], merged: list[set[int]] | None = None) -> Draft:
    """The draft of a table: the lines above it, its header, its rows as {column: lines}.

    `remarks` are review remarks per row (from reading the cells); `merged`
    says, per row, which cells are a Word cell merged down from the row above.
    """
    draft = _head(front, columns)
    layout = _Layout.of(draft, columns, rows)
    reader = _Rows(draft, layout, numbered_lists=_numbered_lists(layout, rows))
    for r, row in enumerate(rows):
        merged_number = bool(merged) and layout.num in merged[r]
        reader.add(r, row, remarks.get(r, []), merged_number)
    parts = [p for p in reader.parts if p.measures or p.items]
    if not parts:
        raise ParseError("表头行之下没有读出任何举措：请确认表格的内容在提取时没有丢失"
                         "（文本中每个单元格以制表符开头）", at=columns[0])
    draft.parts = parts
    return draft


def _head(front: list[str], columns: list[str]) -> Draft:
    """The draft's title and what is printed around it, from the lines above the table."""
    t = find_title(front)
    if t is None:
        raise ParseError("表格的表头行之上没有找到计划的标题：应有单独一行、不超过 60 字、"
                         "含“计划”“安排”“分工表”“方案”等字样的标题；请在表格之前补上标题行", at=columns[0])
    draft = Draft(title=front[t], shape="table", columns=columns)
    read_front(draft, front[:t])
    after = front[t + 1:]
    if after:
        draft.subtitle = "\n".join(after)
    return draft


@dataclass
class _Layout:
    """Which column plays which role in this table, and the columns kept in each measure's note."""

    names: list[str]
    cols: Columns
    text: int
    num: int | None = None
    type: int | None = None
    task: int | None = None
    lead: int | None = None
    support: int | None = None
    kept: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, draft: Draft, columns: list[str], rows: list[Row]) -> _Layout:
        """The layout of the header `columns`; what it could not place is said in the draft's warnings."""
        cols = read_columns(columns)
        c_text = cols.get("text")
        if c_text is None:  # the first column no role was found for
            if not cols.unknown:
                raise ParseError(f"认不出哪一列是举措：表头为 {' / '.join(columns)}，没有举措、具体措施、工作任务等"
                                 "列名，也没有别的列可以当作举措列；请把举措所在列的列名改为“举措”",
                                 at=columns[0])
            c_text = cols.unknown.pop(0)
            draft.warnings.append(f"未能按列名找到举措所在的列，已把“{columns[c_text]}”列当作举措列，请核对")
        c_due = cols.get("deadline")
        for k in cols.unknown:
            filled = sum(1 for row in rows if "".join(row.get(k, [])).strip())
            draft.warnings.append(f"未识别的列“{columns[k]}”（{filled} 格有字）：其文字写入各举措的 note，请核对")
        if c_due is not None:
            draft.review.append(f"the {columns[c_due]} column is kept in each measure's note: "
                                "the plan format has no field for it")
        return cls(columns, cols, c_text, cols.get("number"), cols.get("type"), cols.get("task"),
                   cols.get("lead"), cols.get("support"), [k for k in (c_due, *cols.unknown) if k is not None])

    @staticmethod
    def cell(row: Row, k: int | None) -> list[str]:
        return row.get(k, []) if k is not None else []

    def note(self, row: Row) -> str:
        """The cells of the kept columns, as `列名：文字` joined by ；."""
        return "；".join(f"{without_spaces(self.names[k])}：{mend_cell(self.cell(row, k)).replace(chr(10), '')}"
                        for k in self.kept if mend_cell(self.cell(row, k)))


def _numbered_lists(layout: _Layout, rows: list[Row]) -> bool:
    """Whether the measures' cells are lists of numbered tasks (1.… 2.…): half the rows' or more."""
    firsts = [next((ln.strip() for ln in layout.cell(row, layout.text) if ln.strip()), "") for row in rows]
    firsts = [f for f in firsts if f]
    return bool(firsts) and sum(bool(list_marker(f)) for f in firsts) * 2 >= len(firsts)


@dataclass
class _Shared:
    """What a row gives each measure it holds: its number, task type, agencies' cells and note."""

    number: str | None
    task_type: str | None
    lead: list[str]
    support: list[str]
    note: str


class _Rows:
    """The rows of a table read one by one into parts, items and measures."""

    def __init__(self, draft: Draft, layout: _Layout, *, numbered_lists: bool) -> None:
        self.draft = draft
        self.layout = layout
        self.numbered_lists = numbered_lists
        self.parts: list[SectionDraft] = []
        self.current: SectionDraft | None = None
        self.seen_numbers: dict[str, int] = {}
        self.last_agencies: tuple[list[str], list[str]] = ([], [])  # the agencies' cells of the last item row

    def add(self, r: int, row: Row, remarks: list[str], merged_number: bool) -> None:
        lay = self.layout
        text_lines = lay.cell(row, lay.text)
        if not any(s.strip() for s in text_lines):
            self._without_text(r, row)
            return
        number = "" if merged_number else " ".join(lay.cell(row, lay.num)).strip()
        self._part_of(mend_cell(lay.cell(row, lay.task)))
        notes = remarks + self._repeated_number(number)
        shared = _Shared(number or None, " ".join(lay.cell(row, lay.type)).strip() or None,
                         lay.cell(row, lay.lead), lay.cell(row, lay.support), lay.note(row))
        if self.numbered_lists:
            self._item_row(text_lines, shared, notes)
        else:
            m = self._measure(mend_cell(text_lines), shared.number, shared)
            m.review.extend(notes)
            self.current.measures.append(m)

    def _without_text(self, r: int, row: Row) -> None:
        """A row with nothing in the measures' column: a heading row spanning the table, or reported."""
        lay = self.layout
        filled = [(k, mend_cell(v)) for k, v in sorted(row.items()) if mend_cell(v)]
        if not filled:  # an empty row
            return
        heading = filled[0][1] if len(filled) == 1 else None
        col = filled[0][0]
        if heading and (PART_RE.match(heading) and col != lay.text or col == lay.task
                        or col == lay.num and not heading.isdigit()):
            self._new_part(heading)
            return
        shown = "；".join(f"{lay.names[k] if k < len(lay.names) else k}：{v[:30]}" for k, v in filled)
        self.draft.warnings.append(f"表格第 {r + 1} 行没有举措文字，该行未导入：{shown}")

    def _part_of(self, task: str) -> None:
        """A task cell that differs from the open part's title starts a part; so does the first row."""
        cur = self.current
        if cur is None or task and task != (cur.title or "") and task != f"{cur.number or ''}{cur.title or ''}":
            self._new_part(task)

    def _new_part(self, cell: str) -> None:
        m = PART_RE.match(cell) if cell else None
        if m:
            self.current = SectionDraft(number=printed_number(cell[:m.end()]), title=cell[m.end():].strip() or None)
        else:
            self.current = SectionDraft(title=cell or None)
        self.parts.append(self.current)

    def _repeated_number(self, number: str) -> list[str]:
        if not number:
            return []
        self.seen_numbers[number] = self.seen_numbers.get(number, 0) + 1
        return [f"row number {number} is printed twice in the source"] if self.seen_numbers[number] > 1 else []

    def _item_row(self, text_lines: list[str], shared: _Shared, notes: list[str]) -> None:
        """A row whose measures' cell is a list of numbered tasks: an item, or more of the item above.

        A row with neither number nor agency continues the row above (e.g. its 长期推进工作).
        """
        if not shared.number and not any(s.strip() for s in shared.lead) and self.current.items:
            item = self.current.items[-1]
            shared.lead, shared.support = self.last_agencies
        else:
            item = SectionDraft(number=shared.number)
            self.current.items.append(item)
            if not shared.number:
                item.review.append("row printed without a number (序号) in the source")
            self.last_agencies = (shared.lead, shared.support)
        item.review.extend(notes)
        for num, text in _numbered(text_lines):
            item.measures.append(self._measure(text, num, shared))

    def _measure(self, text: str, number: str | None, shared: _Shared) -> MeasureDraft:
        cols = self.layout.cols
        task_type = shared.task_type if shared.task_type in TASK_TYPES else None
        m = MeasureDraft(text=text, number=number, task_type=task_type, lead_role=cols.lead_role,
                         support_role=cols.support_role, note=shared.note or None)
        for attr, cell_lines in (("responsibility", shared.lead), ("supporting", shared.support)):
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
