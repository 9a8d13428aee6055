"""Load YAML safely into plain values that remember where each one was written.

A file is read twice only when something in it must be located. The quick
path builds the data straight from PyYAML's parser events (the C parser when
present), typing scalars with the loader's own resolver and constructor, as
yaml.safe_load does. Anything it does not accept, and any message that must
point into the file, goes to the marked path: PyYAML's safe composer builds a
node tree with line and column marks, and we walk it ourselves so we can
refuse what content never needs (aliases, tags, duplicate keys, deep nesting)
with a message at the right place, instead of failing later with no location.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from sitegen.common.diagnostics import Diagnostic

# The PyYAML loader every parse uses: the C one (several times faster) when PyYAML was built with it.
YAML_LOADER: type = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

Loc = tuple[str | int, ...]


class Document:
    """One loaded file: its data and where every value and key starts.

    The marks are made only when asked for (by a message about the file): the
    fast parse builds the data alone, and a file is parsed again with marks only
    when something in it must be located.
    """

    def __init__(self, path: str, data: Any, marks: dict | None = None, key_marks: dict | None = None,
                 lines: list[str] | None = None, text: str | None = None, file: Path | None = None):
        self.path = path  # as shown in messages
        self.data = data
        self.file = file  # where it was read from, to read it again; None for text given as such
        self._marks = marks  # value start, 1-based
        self._key_marks = key_marks  # key start, 1-based
        self._lines = lines
        self._text = text

    @classmethod
    def unread(cls, path: Path) -> Document:
        """A file known to be well formed (a cached plan), read only if a message must point into it."""
        return cls(display_path(path), None, file=path)

    def release(self) -> None:
        """Drop the data and text (a checked plan lives on as its model); read again if ever needed."""
        if self.file is not None:
            self.data, self._text, self._lines, self._marks, self._key_marks = None, None, None, None, None

    def _read(self) -> str:
        if self._text is None and self.file is not None:
            self._text = self.file.read_bytes().decode("utf-8-sig")
        return self._text or ""

    def __repr__(self) -> str:
        return f"Document({self.path!r})"

    @property
    def lines(self) -> list[str]:  # the text, to place a paragraph of a value
        if self._lines is None:
            self._lines = self._read().splitlines()
        return self._lines

    @property
    def marks(self) -> dict[Loc, tuple[int, int]]:
        if self._marks is None:
            self._mark_up()
        return self._marks  # type: ignore[return-value]

    @property
    def key_marks(self) -> dict[Loc, tuple[int, int]]:
        if self._key_marks is None:
            self._mark_up()
        return self._key_marks  # type: ignore[return-value]

    def _mark_up(self) -> None:
        marked = parse_text(self._read(), self.path, marks=True)
        if self.data is None:
            self.data = marked.data
        self._marks, self._key_marks = marked._marks or {}, marked._key_marks or {}

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column for loc, falling back to the nearest enclosing value."""
        loc = tuple(loc)
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            if loc in self.key_marks:
                return self.key_marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))

    def diag(self, loc: Loc, message: str, hint: str = "", *, key: bool = False, code: str = "") -> Diagnostic:
        line, col = self.where(loc, key=key)
        return Diagnostic(self.path, line, col, message, hint, code)

    def paragraph_line(self, loc: Loc, paragraph: str) -> tuple[int, int]:
        """Line and column of one paragraph (one line) of a text value, e.g. inside a `|-` block;
        the value's own position when the paragraph is not found where the value is written."""
        line, col = self.where(loc)
        value = self.value_at(loc)
        want = paragraph.strip()
        if want and isinstance(value, str):
            # A block value starts on its `|-` line; its paragraphs follow, one a line.
            span = self.lines[line - 1: line + value.count("\n") + 1]
            for i, text in enumerate(span):
                if want in text:
                    return line + i, text.index(want) + 1
        return line, col

    def value_at(self, loc: Loc):
        node = self.data
        for part in loc:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node


class LoadError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is under it, for clickable messages."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def load_file(path: Path, scalars: dict[str, Any] | None = None) -> Document:
    """Read and parse one YAML file, or raise LoadError with one diagnostic. `scalars` is
    parse_text's: short plain scalars already typed, shared by the files of one run."""
    shown = display_path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise LoadError(Diagnostic(shown, 0, 0, f"文件有 {size} 字节，超过 {MAX_BYTES} 字节的上限",
                                   "拆分内容，或确认这是你要添加的文件", "file-too-big"))
    doc = parse_text(decode(path.read_bytes(), shown), shown, scalars=scalars)
    doc.file = path
    return doc


def decode(raw: bytes, shown: str) -> str:
    """A content file's bytes as text (a BOM from Windows editors is harmless), or LoadError at the
    first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(Diagnostic(shown, line, col, f"文件不是有效的 UTF-8 编码（字节 0x{raw[e.start]:02x}）",
                                   "请将文件另存为 UTF-8 编码（多数编辑器：另存为… → 编码：UTF-8）",
                                   "not-utf8")) from None


def parse_text(text: str, shown: str, *, marks: bool = False, scalars: dict[str, Any] | None = None) -> Document:
    """Parse one file's text. Without marks, the quick path builds the data from the event stream;
    anything it does not accept (an alias, a tag, a duplicate key, bad YAML…) is handed to the
    marked path, which says exactly where. `scalars` keeps short plain scalars as typed (keys,
    roles, agency names recur in every plan): pass one dict for the files of a run."""
    if not marks:
        try:
            data = _quick(text, {} if scalars is None else scalars)
        except _Slow:
            pass
        else:
            return Document(shown, data, text=text)
    return _parse_marked(text, shown)


def _parse_marked(text: str, shown: str) -> Document:
    def fail(mark: Any, message: str, hint: str = "", code: str = "") -> LoadError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return LoadError(Diagnostic(shown, line, col, message, hint, code))

    # Anchors, aliases and tags are refused from the event stream, before any
    # node is composed: an alias bomb fails at its first alias, in microseconds.
    depth = 0
    try:
        for event in yaml.parse(text, Loader=YAML_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise fail(event.start_mark, f"不允许使用别名 '*{event.anchor}'",
                           "请把内容完整写出；内容文件不使用锚点和别名", "yaml-alias")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise fail(event.start_mark, f"不允许使用锚点 '&{anchor}'",
                           "请删除锚点；内容文件不使用锚点和别名", "yaml-anchor")
            tag = getattr(event, "tag", None)
            if tag is not None:  # untagged nodes carry None; any written tag is refused
                raise fail(event.start_mark, f"不允许使用标签 '{tag}'",
                           "请删除该标签；内容只包含文字、数字、列表和键值", "yaml-tag")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(event.start_mark, f"嵌套超过 {MAX_DEPTH} 层",
                               "请检查缩进；计划不需要这么多层", "too-deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        raise fail(mark, f"YAML 语法错误（{what}）",
                   "请检查缩进；含有 ': ' 或以特殊字符开头的文字要加引号", "yaml-syntax") from None
    except yaml.reader.ReaderError as e:  # a control character, e.g. pasted from a PDF
        # The C reader reports a byte offset, the Python one a character offset: find it ourselves.
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        at = bad.start() if bad else 0
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise LoadError(Diagnostic(shown, line, col, f"YAML 中不允许出现字符 U+{e.character:04X}",
                                   "请删除它（从 PDF 复制的文字常带有控制字符）", "control-character")) \
            from None
    except yaml.YAMLError as e:
        raise fail(None, f"YAML 错误：{e}".replace("\n", " "), code="yaml-error") from None

    doc = Document(shown, None, {}, {}, text=text)
    if node is None:
        return doc
    # Scalars are typed by the safe constructor (int, float, bool, null, date), so a file means
    # the same as it would to yaml.safe_load; one constructor a parse, as yaml.safe_load makes one.
    doc.data = _build(node, (), doc, yaml.SafeLoader(""))
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, loc: Loc, doc: Document, constructor: yaml.SafeLoader) -> Any:
    doc.marks[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise LoadError(Diagnostic(doc.path, line, col, "键必须是普通文字",
                                           "键写成普通的词，例如 `title:`", "bad-key"))
            key = _scalar(key_node, constructor)
            if isinstance(key, str):
                key = unicodedata.normalize("NFC", key)
            if key in out:
                line, col = _mark(key_node)
                first = doc.key_marks.get(loc + (key,), (0, 0))[0]
                raise LoadError(Diagnostic(doc.path, line, col, f"键 '{key}' 重复（第一次在第 {first} 行）",
                                           "删除其中一个；YAML 会悄悄只保留最后一个", "duplicate-key"))
            doc.key_marks[loc + (key,)] = _mark(key_node)
            out[key] = _build(value_node, loc + (key,), doc, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, loc + (i,), doc, constructor) for i, child in enumerate(node.value)]
    value = _scalar(node, constructor)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value


def _scalar(node: yaml.ScalarNode, constructor: yaml.SafeLoader) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError):
        # e.g. a timestamp-looking value that is no real date (2023-02-30 raises ValueError): keep the text
        return node.value


# -- the quick path: data from the parser's events, no nodes, no marks -------------------

class _Slow(Exception):
    """Something the quick path leaves to the marked one (which reports it where it is)."""


_STR = "tag:yaml.org,2002:str"
_NFC = unicodedata.normalize
_ScalarNode = yaml.ScalarNode
_ScalarEvent, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocStart = yaml.DocumentStartEvent
_Skip = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)


def _typed(loader: Any, value: str, implicit: tuple[bool, bool]) -> Any:
    """A scalar typed as yaml.safe_load types it (the loader's resolver and constructor), strings NFC."""
    tag = loader.resolve(_ScalarNode, value, implicit)
    if tag == _STR:
        return _NFC("NFC", value)
    try:
        return loader.construct_object(_ScalarNode(tag, value), deep=True)
    except (yaml.constructor.ConstructorError, ValueError):
        # e.g. a timestamp-looking value that is no real date (2023-02-30 raises ValueError): keep the text
        return _NFC("NFC", value)


_SHORT = 24  # plain scalars this short are typed once a run (every typed value is immutable)


def _quick(text: str, typed: dict[str, Any]) -> Any:
    if not text.strip():
        raise _Slow
    loader = YAML_LOADER(text)
    # The container being filled, whether it is a list, and (a mapping's) key waiting for its
    # value are kept in locals; the enclosing containers' on a stack. About 2,000 events a plan.
    stack: list[tuple[Any, bool, Any]] = []
    top: Any = None
    root: Any = None
    in_list = False
    key: Any = _NOKEY
    docs = 0
    try:
        # The parser's get_event, as yaml.parse calls it, without the generator yaml.parse wraps it in.
        for event in iter(loader.get_event, None):
            cls = type(event)
            if cls is _ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Slow
                raw = event.value
                if len(raw) > _SHORT or not event.implicit[0]:
                    value = _typed(loader, raw, event.implicit)
                else:  # keys, roles, agency names: a few thousand words typed a million times
                    value = typed.get(raw, _NOKEY)
                    if value is _NOKEY:
                        value = typed[raw] = _typed(loader, raw, event.implicit)
                opens = False
            elif cls is _MapStart or cls is _SeqStart:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Slow
                value = {} if cls is _MapStart else []
                opens = True
            elif cls is _MapEnd or cls is _SeqEnd:
                top, in_list, key = stack.pop()
                continue
            else:
                docs = _count_documents(cls, docs)
                continue
            if in_list:
                top.append(value)
            elif top is None:
                root = value
            elif key is not _NOKEY:
                top[key] = value
                key = _NOKEY
            elif opens or value in top:
                raise _Slow  # a key that is no plain word, or a duplicate key
            else:
                key = value
                continue
            if opens:
                stack.append((top, in_list, _NOKEY))
                top, in_list, key = value, cls is _SeqStart, _NOKEY
    except (yaml.YAMLError, TypeError):  # TypeError: an unhashable key
        raise _Slow from None
    finally:
        loader.dispose()
    return root


def _count_documents(cls: type, docs: int) -> int:
    """The documents started so far, after an event that is neither a value nor an end."""
    if cls is _DocStart:
        if docs:
            raise _Slow  # yaml.compose refuses a second document
        return 1
    if cls not in _Skip:  # an alias
        raise _Slow
    return docs


_NOKEY = object()
