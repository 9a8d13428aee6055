"""Write a synthetic content folder for the benchmark: N plans made from the seed plans.

    python benchmarks/make_corpus.py --plans 1000 --out /tmp/corpus

The generator is tests/synthetic.py (its docstring says what the corpus holds), shared with
the tests that build small corpora. The output is never committed and never goes into content/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The generator lives with the tests that use it; this script and bench.py reach it from here.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from synthetic import SEED, YEARS, make_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--years", type=int, default=YEARS, help="plans per district (consecutive years)")
    ap.add_argument("--seed", type=int, default=1, help="random seed of the edits")
    args = ap.parse_args(argv)
    if args.out.resolve() == SEED.resolve() or SEED.resolve() in args.out.resolve().parents:
        ap.error("the corpus never goes into content/")
    stats = make_corpus(args.plans, args.out, args.seed, args.years)
    print(f"wrote {stats['plans']} plans ({stats['measures']} measures) in {stats['districts']} districts to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
