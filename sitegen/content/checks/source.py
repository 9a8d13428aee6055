"""A plan's text against its published source: every paragraph of the plan's own words is in it."""

from __future__ import annotations

from pathlib import Path

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.layout import SOURCES
from sitegen.content.load import Document
from sitegen.content.messages import field_name
from sitegen.content.sources import read_source
from sitegen.content.text import without_spaces_or_debris

# Keys whose values are the plan's own words; the rest (ids, slugs, roles) are ours.
TEXT_KEYS = frozenset({"title", "subtitle", "issuer", "publicity", "follows", "notice", "intro", "closing",
                       "text", "label", "responsibility", "supporting", "words", "heading"})


def located(node, loc: tuple = ()) -> list[tuple[tuple, str, str]]:
    """(location, key, value) for every string in the data, in document order; a location is
    the keys and indexes down to the value, as load.Document places it in its file."""
    out: list[tuple[tuple, str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                out.append((loc + (k,), str(k), v))
            else:
                out.extend(located(v, loc + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, str):
                out.append((loc + (i,), "", v))
            else:
                out.extend(located(v, loc + (i,)))
    return out


def missing_text(data, source: str) -> list[tuple[tuple, str]]:
    """(location, paragraph) of every paragraph of the plan's own words not found in the source
    (as without_spaces_or_debris gives it): the one test of faithfulness, shared by `sitegen validate`
    and the faithfulness report."""
    paras = (without_spaces_or_debris(para) for v in _own_words(data, []) for para in v.split("\n"))
    if all(not squashed or squashed in source for squashed in paras):
        return []  # the usual case: nothing missing, so no locations needed
    return [(loc, para) for loc, k, v in located(data) if k in TEXT_KEYS for para in v.split("\n")
            if (squashed := without_spaces_or_debris(para)) and squashed not in source]


def _own_words(node, out: list[str]) -> list[str]:
    """The values of TEXT_KEYS in the data, as located() finds them, without their locations."""
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                if k in TEXT_KEYS:
                    out.append(v)
            else:
                _own_words(v, out)
    elif isinstance(node, list):
        for v in node:
            if not isinstance(v, str):
                _own_words(v, out)
    return out


def check_source(doc: Document, name: str, content: Path, problems: list[Diagnostic]) -> None:
    """The source `name` (the plan's source.file) is a file in content/sources/ that holds the plan's words."""
    if Path(name).name != name or name in (".", ".."):
        problems.append(doc.diag(("source", "file"), f"原文文件 '{name}' 不是文件名",
                                 "写 content/sources/ 中的文件名，不带文件夹", code="bad-source-name"))
    elif not (content / SOURCES / name).is_file():
        problems.append(doc.diag(("source", "file"), f"content/sources/ 中找不到原文文件 '{name}'",
                                 "把公开原文放到那里，或改正文件名", code="source-not-found"))
    else:
        check_faithful(doc, content / SOURCES / name, problems)


def check_faithful(doc: Document, source: Path, problems: list[Diagnostic]) -> None:
    """Every paragraph of the plan's own words must still be in its published source."""
    try:
        text = without_spaces_or_debris(read_source(source))
    except Exception as e:  # noqa: BLE001 - not UTF-8, a damaged .docx, …: said at `source.file`, never a traceback
        problems.append(doc.diag(("source", "file"), f"无法读取原文文件 {source.name}：{type(e).__name__}: {e}",
                                 "原文须为 UTF-8 文本或 .docx 文件", code="unreadable-source"))
        return
    for loc, para in missing_text(doc.data, text):
        line, col = doc.paragraph_line(loc, para)
        shown = para.strip()
        shown = shown if len(shown) <= 30 else shown[:30] + "…"
        problems.append(Diagnostic(
            doc.path, line, col, f"{field_name(loc)} 的文字在原文 {source.name} 中找不到：“{shown}”",
            "发布的文字必须与原文一致：只修复分页造成的断字，不改写、不增删；对照原文改回", "text-not-in-source"))
