"""Compare two built sites file by file: the check that a refactoring left the output as it was.

    python benchmarks/compare_output.py REFERENCE_DIR NEW_DIR [--ignore PREFIX ...]

Build the reference with the commit before the change and the new output with the change
(the same content, e.g. the seed site, or `make_corpus.py`'s 1,000 plans with --no-search),
then run this. Prints every file that is missing, extra or different, and exits 1 if any.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
from pathlib import Path


def listing(root: Path) -> set[str]:
    out = set()
    for dirpath, _, names in os.walk(root):
        for name in names:
            out.add((Path(dirpath) / name).relative_to(root).as_posix())
    return out


def compare(ref: Path, new: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    a = {p for p in listing(ref) if not p.startswith(ignore)}
    b = {p for p in listing(new) if not p.startswith(ignore)}
    problems = [f"missing: {p}" for p in sorted(a - b)] + [f"extra: {p}" for p in sorted(b - a)]
    problems += [f"differs: {p}" for p in sorted(a & b) if not filecmp.cmp(ref / p, new / p, shallow=False)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--ignore", action="append", default=[], help="path prefix to leave out (repeatable)")
    args = parser.parse_args(argv)
    problems = compare(args.reference, args.new, tuple(args.ignore))
    for line in problems[:200]:
        print(line)
    total = len(listing(args.reference))
    print(f"{total} files in the reference; {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
