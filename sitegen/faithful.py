"""How faithfully a plan's YAML transcribes its published source text.

Three figures: text fields not found in the source (must be none), running
text out of the source's order (must be none), and the share of the source's
Chinese characters that the YAML carries (coverage).
Run `python -m sitegen.faithful [content]` to print them for every plan.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .load import LoadError, load_file
from .model import squash as squash_space

# Word-processor debris in the sources that a transcription drops on purpose.
ARTIFACTS = ("[bookmark: _GoBack]",)
# Keys whose values are the plan's own words; the rest (ids, slugs, roles) are ours.
TEXT_KEYS = frozenset({"title", "subtitle", "issuer", "publicity", "follows", "notice", "intro", "closing",
                       "text", "label", "responsibility", "supporting", "words", "heading"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
NGRAM = 4


def squash(s: str) -> str:
    for a in ARTIFACTS:
        s = s.replace(a, "")
    return squash_space(s)


def strings(node, loc: tuple = ()) -> list[tuple[tuple, str, str]]:
    """(location, key, value) for every string in the data, in document order."""
    out: list[tuple[tuple, str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                out.append((loc + (k,), str(k), v))
            else:
                out.extend(strings(v, loc + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, str):
                out.append((loc + (i,), "", v))
            else:
                out.extend(strings(v, loc + (i,)))
    return out


def dotted(loc: tuple) -> str:
    """A location as a dotted path: ('parts', 0, 'title') -> .parts[0].title"""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def source_name(data) -> str | None:
    """The plan's source file name, or None for a plan without one (a draft)."""
    source = data.get("source") if isinstance(data, dict) else None
    file = source.get("file") if isinstance(source, dict) else None
    return file if isinstance(file, str) else None


def read_source(path: Path) -> str:
    return squash(path.read_text(encoding="utf-8"))


def missing_text(data, source: str) -> list[tuple[tuple, str]]:
    """(location, paragraph) of every paragraph of the plan's own words not found in the
    squashed source: the one test of faithfulness, shared by `sitegen validate` and this report."""
    return [(loc, para) for loc, k, v in strings(data) if k in TEXT_KEYS for para in v.split("\n")
            if squash(para) and squash(para) not in source]


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


class NoSource(Exception):
    """The plan names no source text (a draft): there is nothing to check it against."""


def check(plan_path: Path, sources: Path) -> Report:
    data = load_file(plan_path).data
    name = source_name(data)
    if name is None:
        raise NoSource(f"{plan_path}: no source")
    source = read_source(sources / name)
    all_strings = strings(data)
    texts = [v for _, k, v in all_strings if k in TEXT_KEYS]
    missing = tuple((dotted(loc), para) for loc, para in missing_text(data, source))
    # Coverage: a source character counts as carried when some NGRAM-long run
    # around it occurs in one of the YAML's strings (numbers and cells included).
    grams: set[str] = set()
    for _, _, v in all_strings:
        s = squash(v)
        grams.update(s[i:i + NGRAM] for i in range(len(s) - NGRAM + 1))
        if 0 < len(s) < NGRAM:
            grams.add(s)
    covered = [False] * len(source)
    for i in range(len(source) - NGRAM + 1):
        if source[i:i + NGRAM] in grams:
            covered[i:i + NGRAM] = [True] * NGRAM
    han = [i for i, c in enumerate(source) if _HAN.match(c)]
    return Report(f"{data['district']}/{data['year']}", len(texts), missing, _out_of_order(data, source),
                  len(han), sum(1 for i in han if covered[i]))


# The plan's own running text, in the order it is printed (clauses and cells repeat, so they are left out).
ORDERED_KEYS = ("title", "subtitle", "notice", "intro", "text", "label", "closing")


def _out_of_order(data: dict, source: str) -> tuple[str, ...]:
    """Paragraphs that do not follow the one before them in the (squashed) source: a reordering."""
    # A covering notice is printed above the title, though the file lists the title first.
    data = {**({"notice": data["notice"]} if "notice" in data else {}), **data}
    at, wrong = 0, []
    for loc, key, value in strings(data):
        if key not in ORDERED_KEYS:
            continue
        for para in value.split("\n"):
            s = squash(para)
            if not s:
                continue
            found = source.find(s, at)
            if found < 0:
                wrong.append(f"{dotted(loc)}: {para[:40]}")
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
        except (LoadError, OSError) as e:
            # Broken YAML or a missing source file: `sitegen validate` says where; keep going.
            what = e.diagnostic.message if isinstance(e, LoadError) else f"无法读取原文：{e.strerror}"
            print(f"{path.parent.name}/{path.stem:11} {what}（运行 sitegen validate 查看详情）")
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
