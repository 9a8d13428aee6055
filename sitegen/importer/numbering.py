"""The numbering of a plan's parts, items and paragraphs, as printed: 一、 （一） 1． （1） ①.

`一、` starts a part and `（一）` or `(一)` an item; below the items, numbered
paragraphs come in three styles (1． / 1. / 1、, （1） / (1), ①) that a plan
nests in the order it first uses them.
"""

from __future__ import annotations

import re

from sitegen.content.text import without_spaces

CN_NUM = "一二三四五六七八九十"
PART_RE = re.compile(rf"^([{CN_NUM}]+)\s*、\s*")
ITEM_RE = re.compile(rf"^[（(]\s*([{CN_NUM}]+)\s*[）)]\s*")
NUM_RE = re.compile(r"^(\d{1,3})\s*[．.、](?!\d)\s*")
SUB_RE = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")  # （1） (1)
CIRCLED_RE = re.compile(r"^([\u2460-\u2473])\s*")  # ① … ⑳
# Numbered paragraphs below the items, by style; a plan nests them in the order it first uses them.
LIST_STYLES = (("1.", NUM_RE), ("(1)", SUB_RE), ("①", CIRCLED_RE))


def list_marker(s: str) -> tuple[str, re.Match] | None:
    """The style and match of a numbered paragraph's marker (1． （1） ①), if s starts with one."""
    for style, rx in LIST_STYLES:
        if m := rx.match(s):
            return style, m
    return None


def is_marker(s: str) -> bool:
    return bool(PART_RE.match(s) or ITEM_RE.match(s) or list_marker(s))


def printed_number(marker: str) -> str:
    """A number as printed, without the spaces the extraction put around it: `(五) ` -> `(五)`."""
    return without_spaces(marker)

