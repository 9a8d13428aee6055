"""Unit tests of sitegen.content.load: safe YAML that remembers where every value was written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from sitegen.common.diagnostics import Diagnostic
from sitegen.content import load
from sitegen.content.load import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    LoadError,
    load_file,
    parse_text,
)

ROOT = Path(__file__).resolve().parent.parent

# Columns are counted in characters, not bytes: the CJK values before `role` prove it.
NESTED = """\
plan:
  title: 甲区计划
  measures:
    - id: first
      agencies:
        - {name: 区市场监管局, role: 牵头}
        - name: 各街道
          role: 配合
    - id: second
      themes: [sampling, school-food]
"""


def failure(text: str) -> Diagnostic:
    with pytest.raises(LoadError) as info:
        parse_text(text, "x.yaml")
    return info.value.diagnostic


# -- marks ----------------------------------------------------------------------------------------


def test_marks_of_nested_values_and_list_items() -> None:
    doc = parse_text(NESTED, "x.yaml")
    m = doc.marks
    assert m[()] == (1, 1)
    assert m[("plan",)] == (2, 3)  # the mapping under plan: starts at its first key
    assert m[("plan", "title")] == (2, 10)
    assert m[("plan", "measures")] == (4, 5)  # the block sequence starts at its first '-'
    assert m[("plan", "measures", 0)] == (4, 7)
    assert m[("plan", "measures", 0, "id")] == (4, 11)
    assert m[("plan", "measures", 0, "agencies", 0)] == (6, 11)  # a flow mapping starts at '{'
    assert m[("plan", "measures", 0, "agencies", 0, "name")] == (6, 18)
    assert m[("plan", "measures", 0, "agencies", 0, "role")] == (6, 32)
    assert m[("plan", "measures", 0, "agencies", 1, "role")] == (8, 17)
    assert m[("plan", "measures", 1, "themes", 1)] == (10, 26)


def test_key_marks_point_at_keys() -> None:
    doc = parse_text(NESTED, "x.yaml")
    k = doc.key_marks
    assert k[("plan",)] == (1, 1)
    assert k[("plan", "measures")] == (3, 3)
    assert k[("plan", "measures", 0, "agencies")] == (5, 7)
    assert k[("plan", "measures", 0, "agencies", 0, "role")] == (6, 26)
    assert k[("plan", "measures", 1, "themes")] == (10, 7)
    # List positions are values, never keys.
    assert ("plan", "measures", 0) not in k


def test_where_prefers_key_marks_when_asked_and_falls_back_to_the_enclosing_value() -> None:
    doc = parse_text(NESTED, "x.yaml")
    loc = ("plan", "measures", 1, "themes")
    assert doc.where(loc) == (10, 15)
    assert doc.where(loc, key=True) == (10, 7)
    # A key that is not there (e.g. a missing field) is reported at the mapping that lacks it.
    assert doc.where(("plan", "measures", 1, "text")) == (9, 7)
    assert doc.where(("plan", "measures", 1, "text", 0, "deeper")) == (9, 7)
    d = doc.diag(("plan", "title"), "msg", "hint")
    assert (d.path, d.line, d.col, d.message, d.hint) == ("x.yaml", 2, 10, "msg", "hint")


def test_marks_agree_between_the_c_and_python_loaders(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\ufeff" + NESTED.replace("\n", "\r\n")
    fast = parse_text(text.lstrip("\ufeff"), "x.yaml")
    monkeypatch.setattr(load, "YAML_LOADER", yaml.SafeLoader)
    slow = parse_text(text.lstrip("\ufeff"), "x.yaml")
    assert (fast.data, fast.marks, fast.key_marks) == (slow.data, slow.marks, slow.key_marks)


# -- encodings, line ends, normalisation ---------------------------------------------------------


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: \xe7\x94\xb2\nyear: 2024\n")
    doc = load_file(path)
    assert doc.data == {"title": "甲", "year": 2024}
    assert doc.key_marks[("title",)] == (1, 1)  # the BOM takes no column
    assert doc.marks[("year",)] == (2, 7)


def test_crlf_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("title: 甲\r\ntext: |-\r\n  第一段\r\n  第二段\r\nyear: 2024\r\n".encode())
    doc = load_file(path)
    assert doc.data == {"title": "甲", "text": "第一段\n第二段", "year": 2024}
    assert doc.marks[("year",)] == (5, 7)


def test_bom_and_crlf_together(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "a: 1\r\nb: 乙\r\n".encode())
    doc = load_file(path)
    assert doc.data == {"a": 1, "b": "乙"}
    assert doc.marks[("b",)] == (2, 4)


def test_values_and_keys_are_normalised_to_nfc() -> None:
    # e + COMBINING ACUTE is é; U+F961 is a CJK compatibility ideograph whose NFC form is 率.
    doc = parse_text("name: Cafe\u0301\nwords: [合格\uf961]\nCafe\u0301: x\n", "x.yaml")
    assert doc.data == {"name": "Caf\u00e9", "words": ["合格\u7387"], "Caf\u00e9": "x"}
    assert ("Caf\u00e9",) in doc.key_marks


def test_nfc_keys_that_collide_are_duplicates() -> None:
    d = failure("Cafe\u0301: 1\nCaf\u00e9: 2\n")
    assert (d.line, d.col) == (2, 1)
    assert d.code == "duplicate-key" and "键 'Café' 重复（第一次在第 1 行）" in d.message


def test_invalid_utf8_points_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"year: 2024\ntitle: " + "甲区".encode("gbk") + b"\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    d = info.value.diagnostic
    assert (d.line, d.col) == (2, 8)
    assert d.code == "not-utf8" and "不是有效的 UTF-8" in d.message
    assert "另存为 UTF-8" in d.hint


def test_control_character_is_located_in_characters() -> None:
    # The C reader reports a byte offset; the CJK text before it must not shift the column.
    d = failure("a: 甲乙\nb: 丙丁\x07戊\n")
    assert (d.line, d.col) == (2, 6)
    assert (d.code, d.message) == ("control-character", "YAML 中不允许出现字符 U+0007")
    assert "\n" not in d.message


# -- the loader itself ---------------------------------------------------------------------------


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_c_loader_is_used_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load.YAML_LOADER is yaml.CSafeLoader
    made = []

    class Recording(yaml.CSafeLoader):
        def __init__(self, stream):
            made.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(load, "YAML_LOADER", Recording)
    assert parse_text("a: 1\n", "x.yaml").data == {"a": 1}  # the quick path
    assert parse_text("a: 1\n", "x.yaml", marks=True).marks[("a",)] == (1, 4)  # the marked path
    assert len(made) >= 2


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_document_gives_none(text: str) -> None:
    doc = parse_text(text, "x.yaml")
    assert isinstance(doc, Document)
    assert doc.data is None
    assert doc.marks == {} and doc.key_marks == {}


def test_explicit_empty_document_gives_none() -> None:
    assert parse_text("---\n", "x.yaml").data is None
    assert parse_text("--- # nothing\n...\n", "x.yaml").data is None


def test_empty_file_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"")
    assert load_file(path).data is None


def test_scalars_are_typed_as_safe_load_types_them() -> None:
    text = "a: 1\nb: 1.5\nc: true\nd: null\ne: 2023-03-01\nf: '48'\ng: 2023-02-30\nh: ~\n"
    doc = parse_text(text, "x.yaml")
    assert doc.data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": dt.date(2023, 3, 1), "f": "48",
                        "g": "2023-02-30", "h": None}
    expected = yaml.safe_load(text.replace("g: 2023-02-30\n", ""))
    assert {k: v for k, v in doc.data.items() if k != "g"} == expected


# -- what is refused ----------------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    d = failure("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert (d.line, d.col) == (4, 3)
    assert d.message == "键 'b' 重复（第一次在第 2 行）"


def test_anchor_and_alias_are_refused() -> None:
    d = failure("a: 1\nb: &x [1, 2]\nc: *x\n")
    assert (d.line, d.col, d.code, d.message) == (2, 4, "yaml-anchor", "不允许使用锚点 '&x'")
    # An alias without its anchor is a YAML error, still with a place.
    d = failure("a: 1\nc: *x\n")
    assert d.line == 2


@pytest.mark.parametrize("text, tag", [
    ("a: !!python/object/apply:os.system ['true']\n", "tag:yaml.org,2002:python/object/apply:os.system"),
    ("a: !!python/name:os.system ''\n", "tag:yaml.org,2002:python/name:os.system"),
    ("a: !foo bar\n", "!foo"),
    ("a: !!str 48\n", "tag:yaml.org,2002:str"),
    ("a: ! 48\n", "!"),
])
def test_tags_are_refused(text: str, tag: str) -> None:
    d = failure(text)
    assert (d.line, d.col) == (1, 4)
    assert (d.code, d.message) == ("yaml-tag", f"不允许使用标签 '{tag}'")


def test_alias_bomb_is_refused_before_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    d = failure("\n".join(lines) + "\n")
    # Refused at its first anchor, before any node is composed: nothing was there to expand.
    assert (d.line, d.col, d.code, d.message) == (1, 4, "yaml-anchor", "不允许使用锚点 '&a'")


def _nested(levels: int) -> str:
    return "".join("  " * i + "k:\n" for i in range(levels)) + "  " * levels + "v\n"


def test_nesting_limit() -> None:
    # _nested(n) is n mappings, one in the other; the root mapping is level 1.
    doc = parse_text(_nested(MAX_DEPTH), "x.yaml")
    assert doc.data is not None
    d = failure(_nested(MAX_DEPTH + 1))
    assert (d.line, d.col) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
    assert (d.code, d.message) == ("too-deep", f"嵌套超过 {MAX_DEPTH} 层")
    d = failure("a: " + "[" * 40 + "]" * 40 + "\n")
    assert d.code == "too-deep" and d.line == 1


def test_size_limit(tmp_path: Path) -> None:
    head = b"a: 1\n"
    path = tmp_path / "a.yaml"
    path.write_bytes(head + b"#" * (MAX_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_file(path).data == {"a": 1}
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    d = info.value.diagnostic
    assert d.line == 0 and d.code == "file-too-big" and f"超过 {MAX_BYTES} 字节的上限" in d.message


def test_key_must_be_plain() -> None:
    d = failure("a: 1\n[x, y]: 2\n")
    assert (d.line, d.col, d.code, d.message) == (2, 1, "bad-key", "键必须是普通文字")


def test_syntax_error_has_a_place_and_one_line() -> None:
    d = failure("a:\n  b: 1\n c: 2\n")
    assert d.line >= 2 and d.col >= 1
    assert d.code == "yaml-syntax" and d.message.startswith("YAML 语法错误") and "\n" not in d.message


def test_two_documents_are_refused() -> None:
    d = failure("a: 1\n---\nb: 2\n")
    assert d.line == 2 and d.code == "yaml-syntax"


def test_quick_path_reads_every_content_file_as_the_marked_path_does() -> None:
    """The quick parse (no marks) and the marked one give the same data for every YAML file we have."""
    files = sorted(ROOT.glob("content/**/*.yaml")) + sorted(ROOT.glob("tests/fixtures/**/*.yaml"))
    assert len(files) > 50
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", "replace")
        try:
            marked = parse_text(text, str(path), marks=True).data
        except LoadError:
            with pytest.raises(LoadError):  # what the marked path refuses, the quick path hands to it
                parse_text(text, str(path))
            continue
        assert parse_text(text, str(path)).data == marked, path


def test_marks_made_on_demand_point_where_the_marked_parse_does() -> None:
    text = "title: 计划\nyear: 2024\nparts:\n  - id: a\n    measures: [{id: b, text: 文字}]\n"
    quick, marked = parse_text(text, "x.yaml"), parse_text(text, "x.yaml", marks=True)
    assert quick.where(("parts", 0, "measures", 0, "text")) == marked.where(("parts", 0, "measures", 0, "text"))
    assert quick.marks == marked.marks and quick.key_marks == marked.key_marks


def test_without_spaces_drops_exactly_the_whitespace_a_regex_would():
    """without_spaces uses str.split(); the text-against-source check relies on it removing what
    `\\s` matches, no more and no less, for every character (NBSP, ideographic space, ...)."""
    import re
    import sys

    from sitegen.content.text import without_spaces
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert without_spaces(every) == re.sub(r"\s+", "", every)


def test_short_scalars_are_kept_in_the_dict_the_caller_gives() -> None:
    """What a run shares between its files is the run's: no module keeps it."""
    scalars: dict = {}
    text = "role: 牵头\nn: 1\nwords: 一段比二十四个字符更长的文字，不会被记下来，因为它太长了\n"
    doc = parse_text(text, "a.yaml", scalars=scalars)
    assert doc.data == parse_text(text, "a.yaml").data == yaml.safe_load(text)
    assert scalars == {"role": "role", "牵头": "牵头", "n": "n", "1": 1, "words": "words"}
