"""Load YAML safely into plain values that remember where each one was written.

PyYAML's safe composer (the C one when present) builds a node tree that keeps
line and column marks; we walk it ourselves so we can refuse what content
never needs (aliases, tags, duplicate keys, deep nesting) with a message at
the right place, instead of failing later with no location.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic

try:  # the C loader is several times faster; fall back to pure Python
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

Loc = tuple[str | int, ...]

# Scalars are typed with the safe constructor's own rules (int, float, bool,
# null, date), so a file means the same as it would to yaml.safe_load.
_constructor = yaml.SafeLoader("")


@dataclass
class Document:
    """One loaded file: its data and where every value and key starts."""

    path: str  # as shown in messages
    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # value start, 1-based
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # key start, 1-based

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

    def diag(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Diagnostic:
        line, col = self.where(loc, key=key)
        return Diagnostic(self.path, line, col, message, hint)


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


def load_file(path: Path) -> Document:
    """Read and parse one YAML file, or raise LoadError with one diagnostic."""
    shown = display_path(path)

    def fail(line: int, col: int, message: str, hint: str = "") -> LoadError:
        return LoadError(Diagnostic(shown, line, col, message, hint))

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail(0, 0, f"file is {size} bytes, over the {MAX_BYTES}-byte limit",
                   "split the content, or check that this is the file you meant to add")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows editors is harmless
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise fail(line, col, f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x})",
                   "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)") from None
    return parse_text(text, shown)


def parse_text(text: str, shown: str) -> Document:
    def fail(mark: Any, message: str, hint: str = "") -> LoadError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return LoadError(Diagnostic(shown, line, col, message, hint))

    # Anchors, aliases and tags are refused from the event stream, before any
    # node is composed: an alias bomb fails at its first alias, in microseconds.
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise fail(event.start_mark, f"alias '*{event.anchor}' is not allowed",
                           "write the value out in full; anchors and aliases are not used in content")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise fail(event.start_mark, f"anchor '&{anchor}' is not allowed",
                           "remove the anchor; anchors and aliases are not used in content")
            tag = getattr(event, "tag", None)
            if tag is not None:  # untagged nodes carry None; any written tag is refused
                raise fail(event.start_mark, f"tag '{tag}' is not allowed",
                           "remove the tag; content is plain text, numbers, lists and mappings")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels",
                               "check the indentation; plans never need this many levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        raise fail(mark, f"YAML syntax: {what}",
                   "check indentation, and quote text that contains ': ' or starts with a special character") from None
    except yaml.reader.ReaderError as e:  # a control character, e.g. pasted from a PDF
        # The C reader reports a byte offset, the Python one a character offset: find it ourselves.
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        at = bad.start() if bad else 0
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise LoadError(Diagnostic(shown, line, col, f"character U+{e.character:04X} is not allowed in YAML",
                                   "delete it (control characters often come with text copied from a PDF)")) \
            from None
    except yaml.YAMLError as e:
        raise fail(None, f"YAML error: {e}".replace("\n", " ")) from None

    doc = Document(shown, None)
    if node is None:
        return doc
    doc.data = _build(node, (), doc)
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, loc: Loc, doc: Document) -> Any:
    doc.marks[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise LoadError(Diagnostic(doc.path, line, col, "a key must be plain text",
                                           "write keys as plain words, e.g. `title:`"))
            key = _scalar(key_node)
            if isinstance(key, str):
                key = unicodedata.normalize("NFC", key)
            if key in out:
                line, col = _mark(key_node)
                first = doc.key_marks.get(loc + (key,), (0, 0))[0]
                raise LoadError(Diagnostic(doc.path, line, col, f"duplicate key '{key}' (first on line {first})",
                                           "remove one of them; YAML would silently keep only the last"))
            doc.key_marks[loc + (key,)] = _mark(key_node)
            out[key] = _build(value_node, loc + (key,), doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, loc + (i,), doc) for i, child in enumerate(node.value)]
    value = _scalar(node)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value


def _scalar(node: yaml.ScalarNode) -> Any:
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError):
        # e.g. a timestamp-looking value that is no real date (2023-02-30 raises ValueError): keep the text
        return node.value
