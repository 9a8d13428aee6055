"""Pydantic's validation errors in an editor's words: a Chinese message at the file's line.

A file's data is validated against its model here; each error pydantic finds
becomes one Diagnostic at the place its location points to, with a hint (the
allowed keys, the allowed values, "did you mean …").
"""

from __future__ import annotations

import difflib
import types
import typing
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sitegen.common.diagnostics import Diagnostic
from sitegen.content.load import Document
from sitegen.content.model import PLAN_KEY_PATTERN, SLUG_PATTERN, YEAR_MAX, YEAR_MIN


def validated(doc: Document, adapter: TypeAdapter, root: Any, problems: list[Diagnostic]) -> Any:
    """The document's data as the adapter's type (root: that type, to name its fields in messages),
    or None with every problem added to `problems`."""
    try:
        return adapter.validate_python(doc.data)
    except ValidationError as e:
        problems.extend(explain_all(doc, e.errors(), root))
        return None


def explain_all(doc: Document, errors: list[dict], root: Any) -> list[Diagnostic]:
    # A misspelt key also makes the key it should have been "missing": say it once,
    # as the unknown key with its did-you-mean, which is where the fix is.
    misspelt = {tuple(err["loc"][:-1]) + (_close_field(err, root),) for err in errors
                if err["type"] == "extra_forbidden"}
    out = []
    for err in errors:
        # pydantic also calls a list too short when its only items failed; those
        # failures are reported, and "must not be empty" would be misleading.
        if err["type"] == "too_short" and isinstance(err.get("input"), (list, tuple)) \
                and len(err["input"]) >= err.get("ctx", {}).get("min_length", 1):
            continue
        if err["type"] == "missing" and tuple(err["loc"]) in misspelt:
            continue
        out.append(explain(doc, err, root))
    return out


def did_you_mean(value: str, known, where: str) -> str:
    """A hint naming the known values closest to `value`, else the registry file that lists them."""
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.5)
    if close:
        return f"是不是 {' 或 '.join(repr(c) for c in close)}？"
    return f"请使用 content/{where} 中定义的值"


def field_name(loc: tuple) -> str:
    """The last key of a location, as a message names the field ("value" when there is none)."""
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _model_at(root: Any, loc: tuple) -> type[BaseModel] | None:
    """The model class whose field holds loc[-1], by following loc through the annotations."""
    current = _first_model(root)
    for part in loc:
        if current is None:
            return None
        if isinstance(part, str) and part in current.model_fields:
            current = _first_model(current.model_fields[part].annotation)
    return current


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if isinstance(arg, (type, types.GenericAlias, types.UnionType)) or typing.get_origin(arg):
            found = _first_model(arg)
            if found is not None:
                return found
    return None


def _close_field(err: dict, root: Any) -> str | None:
    """The allowed key an unknown key was probably meant to be."""
    loc = tuple(err["loc"])
    model = _model_at(root, loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    close = difflib.get_close_matches(loc[-1], sorted(model.model_fields), n=1, cutoff=0.6)
    return close[0] if close else None


_EXPECTED = MappingProxyType({"string_type": "文字", "int_parsing": "整数", "int_type": "整数",
             "float_parsing": "数字", "float_type": "数字", "bool_parsing": "true 或 false",
             "bool_type": "true 或 false", "list_type": "列表", "tuple_type": "列表",
             "dict_type": "键值（mapping）", "model_type": "键值（mapping）",
             "date_type": "日期（YYYY-MM-DD）", "date_parsing": "日期（YYYY-MM-DD）",
             "date_from_datetime_parsing": "日期（YYYY-MM-DD）"})
_MODEL_NAMES = MappingProxyType({"plan": "计划", "section": "部分", "measure": "措施", "goal": "目标", "target": "指标",
                "agencyref": "责任单位", "source": "source", "district": "区", "agencykind": "单位类别",
                "theme": "主题", "metric": "指标", "localnames": "local", "comparison": "比较",
                "siteinfo": "网站信息"})


def explain(doc: Document, err: dict, root: Any) -> Diagnostic:
    """One pydantic error (an item of ValidationError.errors()) as a Diagnostic in the document."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        model = _model_at(root, loc[:-1])
        what = _MODEL_NAMES.get(model.__name__.lower(), model.__name__) if model else "条目"
        field = field_name(loc)
        return doc.diag(loc[:-1], f"这个{what}缺少必填的键 '{field}'",
                        f"加上 `{field}:`（见 docs/content-format.md）", code="missing-key")
    if kind == "extra_forbidden":
        return _unknown_key(doc, err, root)
    if kind == "invalid_key":  # pydantic names a None key 'None': the key itself says where it is
        return doc.diag(loc[:-1] + (err.get("input"),), f"键 {err.get('input')!r} 不是文字",
                        "键写成普通的词；数字、日期、true、false、~ 作键时要加引号，例如 '12':",
                        key=True, code="bad-key")
    return _bad_value(doc, err)


def _unknown_key(doc: Document, err: dict, root: Any) -> Diagnostic:
    loc = tuple(err["loc"])
    model = _model_at(root, loc[:-1])
    allowed = sorted(model.model_fields) if model else []
    close = _close_field(err, root)
    hint = f"是不是 '{close}'？" if close else ""
    hint += f"这里可用的键：{', '.join(allowed)}" if allowed else ""
    return doc.diag(loc, f"未知的键 '{field_name(loc)}'", hint, key=True, code="unknown-key")


def _bad_value(doc: Document, err: dict) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    field = field_name(loc)
    pattern = err.get("ctx", {}).get("pattern")
    shown = repr(value) if not isinstance(value, (dict, list)) else {"dict": "键值", "list": "列表"}[type(value).__name__]
    if kind == "string_pattern_mismatch" and pattern == SLUG_PATTERN:
        return doc.diag(loc, f"{shown} 不是有效的 {field}",
                        "slug 和 id 只用小写英文字母、数字和连字符（最多 40 个），例如 'school-meals'；"
                        "不能有 '/'、'..' 或中文", code="invalid-slug")
    if kind == "string_pattern_mismatch" and pattern == PLAN_KEY_PATTERN:
        return doc.diag(loc, f"{shown} 不是一份计划", "写成 区/年份，例如 jizhou/2018", code="invalid-plan-key")
    if kind in ("greater_than_equal", "less_than_equal") and field == "year":
        return doc.diag(loc, f"年份 {value} 不合理", f"计划年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间",
                        code="implausible-year")
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "").replace("' or '", "'、'").replace("', '", "'、'")
        return doc.diag(loc, f"{shown} 不是有效的 {field}", f"请用其中之一：{expected}", code="invalid-choice")
    if kind == "too_short":
        return doc.diag(loc, f"'{field}' 不能为空", f"在 `{field}:` 下至少列出一项", code="empty-list")
    if kind.endswith(("_type", "_parsing")):
        expected = _EXPECTED.get(kind, err["msg"])
        return doc.diag(loc, f"'{field}' 应为{expected}，而不是 {shown}",
                        "YAML 会把它读成数字或日期，请给文字加引号，例如 number: \"48\""
                        if expected == "文字" else "", code="wrong-type")
    return doc.diag(loc, f"'{field}'：{err['msg']}", "", code="invalid-value")
