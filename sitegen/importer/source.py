"""The source file to a draft tree: its text decoded (or its Word file read), then read as a table or as prose.

Extracted text is read as UTF-8, else GB18030. A file that is none of these
(a PDF, an office file, binary data, an empty file, another encoding) stops
the import with a message that names it and says what to do. The shape is
chosen from the text: a header row of tab-indented cells naming a measures'
or tasks' column and a 序号 or agencies' column makes a table; anything else
is prose.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.content.sources import DocxError, read, text_of
from sitegen.importer.cleanup import normalise, strip_furniture
from sitegen.importer.docx import parse_docx
from sitegen.importer.draft import Draft
from sitegen.importer.errors import ParseError, PlanImportError
from sitegen.importer.prose import parse_prose
from sitegen.importer.text_table import TABLE_CELLS, is_table, parse_table, tabbed_cells

ENCODINGS = ("utf-8-sig", "gb18030")  # in this order: GB18030 decodes much that is not meant as it


def read_draft(file: Path) -> tuple[str, Draft]:
    """The text of `file` (a Word file's as content.sources.text_of gives it) and its draft tree."""
    if file.suffix.lower() == ".docx":
        try:
            document = read(file)
        except DocxError as e:
            raise PlanImportError(str(e)) from None
        text = text_of(document)
        try:
            draft = parse_docx(document)
            if draft is None:
                return text, parse(text)
        except ParseError as e:
            raise PlanImportError(e.located(file)) from None
        draft.status = _status(text)
        return text, draft
    text = read_text(file)
    try:
        return text, parse(text)
    except ParseError as e:
        raise PlanImportError(e.located(file, text)) from None


def read_text(file: Path) -> str:
    """The text of an extracted plan, UTF-8 or GB18030; anything else stops with what to do."""
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise PlanImportError(f"{file}: 无法读取这个文件（{e.strerror}）；请确认它存在并且可以读取") from None
    _refuse_non_text(file, raw)
    failures: list[tuple[int, str]] = []
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as e:
            failures.append((e.start, encoding))
    # the encoding that read furthest is most likely the file's: name the line where it stopped
    at, _ = max(failures)
    line = raw.count(b"\n", 0, at) + 1
    raise PlanImportError(f"{file}:{line}: 这个文件既不是 UTF-8 也不是 GB18030 编码的文字（从第 {line} 行起无法识别）；"
                       "请用文本编辑器把它另存为 UTF-8 编码，再导入")


def _refuse_non_text(file: Path, raw: bytes) -> None:
    """Stop, with what to do, on a file that is no extracted text: judged by its bytes, before decoding."""
    if raw.startswith(b"%PDF"):  # before decoding: a PDF may well decode as GB18030
        raise PlanImportError(f"{file}: 这是 PDF 文件；请先把其中的文字提取为 .txt（UTF-8）再导入，"
                           "或导入这份计划的 Word 文件（.docx）")
    if raw.startswith(b"\xd0\xcf\x11\xe0") or raw.startswith(b"PK\x03\x04"):
        raise PlanImportError(f"{file}: 这是 Office 文件，不是文字；请用 Word 打开并另存为 .docx，再导入该 .docx 文件")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanImportError(f"{file}: 这个文件是 UTF-16 编码；请用文本编辑器把它另存为 UTF-8 编码，再导入")
    if not raw.strip():
        raise PlanImportError(f"{file}: 文件是空的；请放入计划的原文（提取出的文字，或 Word 文件 .docx）")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise PlanImportError(f"{file}:{line}: 这不是文字文件（第 {line} 行有二进制数据）；"
                           "请导入从计划中提取出的文字（.txt，UTF-8）或 Word 文件（.docx）")


def parse(text: str) -> Draft:
    """The text of a plan, either shape, as a draft tree (no agencies, themes or ids yet)."""
    lines, removed = strip_furniture(normalise(text).split("\n"))
    text = "\n".join(lines)
    table = is_table(text)
    tabbed = tabbed_cells(lines)
    try:
        draft = parse_table(text) if table else parse_prose(text)
    except ParseError as e:
        if table or len(tabbed) < TABLE_CELLS:
            raise
        raise ParseError(f"{e.message}。文中有表格（以制表符开头的单元格），但没有找到写明各列名称的表头行"
                         f"（表格开头：{' / '.join(tabbed[:6])}）；docs/importing.md 列出了能识别的列名，"
                         "请改正表头，或改为导入 Word 文件（.docx）", at=e.at) from None
    if not table and len(tabbed) >= TABLE_CELLS:  # cells of a table whose columns were not recognised
        draft.warnings.append("文中有表格（以制表符开头的单元格），但未能从列名认出序号、举措、责任单位等列，"
                              f"已按正文导入，请核对。表格开头：{' / '.join(tabbed[:6])}")
    draft.status = _status(text)
    draft.furniture = removed
    return draft


def _status(text: str) -> str:
    return "征求意见稿" if "征求意见稿" in text else "正式"
