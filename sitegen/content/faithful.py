"""How faithfully a plan's YAML transcribes its published source text.

Three figures: text fields not found in the source (must be none), running
text out of the source's order (must be none), and the share of the source's
Chinese characters that the YAML carries (coverage; `sitegen import` reports
it for every draft).
Run `python -m sitegen.content.faithful [content]` to print them for every plan.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.common.diagnostics import ContentError
from sitegen.content.checks.source import TEXT_KEYS, located, missing_text
from sitegen.content.site import check_plan_file
from sitegen.content.sources import DocxError, read_source
from sitegen.content.text import HAN_CHAR, without_spaces_or_debris

NGRAM = 4


def dotted(loc: tuple) -> str:
    """A location as a dotted path: ('parts', 0, 'title') -> .parts[0].title"""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def strings(node) -> list[tuple[str, str, str]]:
    """(dotted path, key, value) for every string in the data, in document order."""
    return [(dotted(loc), k, v) for loc, k, v in located(node)]


def source_name(data) -> str | None:
    """The plan's source file name, or None for a plan without one (a draft)."""
    source = data.get("source") if isinstance(data, dict) else None
    file = source.get("file") if isinstance(source, dict) else None
    return file if isinstance(file, str) else None


class NoSource(Exception):
    """The plan names no source text (a draft): there is nothing to check it against."""


@dataclass(frozen=True)
class Report:
    plan: str
    fields: int
    missing: tuple[tuple[str, str], ...]  # (path, paragraph) not found in the source
    moved: tuple[str, ...]  # paragraphs of running text out of the source's order
    han_total: int
    han_covered: int

    @property
    def coverage(self) -> float:
        return self.han_covered / self.han_total if self.han_total else 1.0


@dataclass(frozen=True)
class Coverage:
    total: int  # Chinese characters in the source
    covered: int  # of them, carried by the YAML
    gaps: tuple[str, ...]  # the longest runs of the source not carried, longest first

    @property
    def ratio(self) -> float:
        return self.covered / self.total if self.total else 1.0


def coverage_of(data: dict, source: str, gaps: int = 5) -> Coverage:
    """The coverage of a plan's data: every string counts; short ones whole only if they are the plan's words."""
    found = strings(data)
    return coverage((v for _, _, v in found), source, gaps,
                    short=(v for p, k, v in found if k in TEXT_KEYS or k == "number" or ".columns[" in p))


def coverage(values: Iterable[str], source: str, gaps: int = 5, short: Iterable[str] = ()) -> Coverage:
    """How much of the source's Chinese text the strings carry.

    A character counts as carried when some NGRAM-long run of the source
    around it (whitespace removed) occurs in one of the strings (numbers and
    cells included). A line of the source shorter than that (a cell) counts
    when the whole line occurs, and so does a run that is the whole of one of
    the `short` values (a number such as （一）, a cell), given by the caller
    as the plan's own words.
    """
    grams: set[str] = set()
    joined: list[str] = []
    for v in values:
        s = without_spaces_or_debris(v)
        grams.update(s[i:i + NGRAM] for i in range(len(s) - NGRAM + 1))
        joined.append(s)
    # the plan's own short values (一、 （一） 序号 区法院): their occurrences count whole
    wholes = {s for s in map(without_spaces_or_debris, short) if 2 <= len(s) < NGRAM}
    whole = "\x00".join(joined)
    lines = [ln for ln in map(without_spaces_or_debris, source.split("\n")) if ln]
    text = "".join(lines)
    covered = [False] * len(text)
    for i in range(len(text) - NGRAM + 1):  # runs may cross lines: a cut sentence
        if text[i:i + NGRAM] in grams:
            covered[i:i + NGRAM] = [True] * NGRAM
    at = 0
    for line in lines:  # a short line (a cell, a number) counts whole, and so do short values in a line
        if len(line) < NGRAM and line in whole:
            covered[at:at + len(line)] = [True] * len(line)
        for n in range(2, NGRAM):
            for i in range(len(line) - n + 1):
                if line[i:i + n] in wholes:
                    covered[at + i:at + i + n] = [True] * n
        at += len(line)
    han = [i for i, c in enumerate(text) if HAN_CHAR.match(c)]
    total, covered_han = len(han), sum(1 for i in han if covered[i])
    runs = re.findall(r"[^\x00]+", "".join("\x00" if c else text[i] for i, c in enumerate(covered)))
    runs = sorted((r for r in runs if len(HAN_CHAR.findall(r)) >= 2), key=len, reverse=True)[:gaps]
    return Coverage(total, covered_han, tuple(runs))


def check(plan_path: Path, sources: Path) -> Report:
    """The figures of one plan file; ContentError (at its line) when the plan is not a valid plan or
    its source cannot be read, NoSource when it names none."""
    doc, plan = check_plan_file(plan_path)
    data = doc.data
    if plan.source is None:
        raise NoSource(f"{plan_path}: no source")
    try:
        raw = read_source(sources / plan.source.file)
    except (OSError, UnicodeDecodeError, DocxError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise ContentError([doc.diag(("source", "file"), f"无法读取原文文件 {plan.source.file}：{why}",
                                     "原文须是 content/sources/ 中的 UTF-8 文本或 .docx 文件",
                                     code="unreadable-source")]) from None
    source = without_spaces_or_debris(raw)
    texts = [(p, v) for p, k, v in strings(data) if k in TEXT_KEYS]
    missing = tuple((dotted(loc), para) for loc, para in missing_text(data, source))
    cov = coverage_of(data, raw, gaps=0)
    return Report(plan.key, len(texts), missing, _out_of_order(data, source), cov.total, cov.covered)


# The plan's own running text, in the order it is printed (clauses and cells repeat, so they are left out).
ORDERED_KEYS = ("title", "subtitle", "notice", "intro", "text", "label", "closing")


def _out_of_order(data: dict, source: str) -> tuple[str, ...]:
    """Paragraphs that do not follow the one before them in the (squashed) source: a reordering."""
    # A covering notice is printed above the title, though the file lists the title first.
    data = {**({"notice": data["notice"]} if "notice" in data else {}), **data}
    at, wrong = 0, []
    for path, key, value in strings(data):
        if key not in ORDERED_KEYS:
            continue
        for para in value.split("\n"):
            s = without_spaces_or_debris(para)
            if not s:
                continue
            found = source.find(s, at)
            if found < 0:
                wrong.append(f"{path}: {para[:40]}")
            else:
                at = found + len(s)
    return tuple(wrong)


def main(argv: list[str]) -> int:
    content = Path(argv[0]) if argv else Path("content")
    bad = 0
    for path in sorted((content / "plans").glob("*/*.y*ml")):
        try:
            r = check(path, content / "sources")
        except NoSource:
            print(f"{path.parent.name}/{path.stem:11} 没有 source（草稿）：无原文可对照，未检查")
            continue
        except ContentError as e:
            # A broken plan or an unreadable source: say where, and keep going.
            for d in e.diagnostics:
                print(d.text())
            bad += 1
            continue
        bad += len(r.missing) + len(r.moved)
        print(f"{r.plan:16} {r.fields:4} text fields  {len(r.missing):3} not in source  {len(r.moved):3} out of order  "
              f"coverage {r.han_covered}/{r.han_total} = {r.coverage:.2%}")
        for p, para in r.missing:
            print(f"    not in source: {p}: {para[:60]}")
        for line in r.moved:
            print(f"    out of order: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
