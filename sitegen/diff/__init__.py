"""The diff engine: two plan models in, a PlanDiff out (pure functions, no I/O).

    Differ(site).diff(old, new) -> PlanDiff     many diffs of one site (differ.py)
    diff_plans(old, new, site) -> PlanDiff      one diff
    site_diffs(site) -> list[DiffSpec]          the diffs the site shows (specs.py)
    to_json(diff) -> dict                       docs/diff-format.md (export.py)
    to_text(diff) -> str                        a terminal summary (text.py)

Pairing is in match.py, comparing what was paired in compare.py, the result's types in model.py.
"""

from sitegen.diff.differ import Differ, diff_plans
from sitegen.diff.export import to_json
from sitegen.diff.model import PlanDiff
from sitegen.diff.specs import DiffSpec, site_diffs
from sitegen.diff.text import to_text

__all__ = ["Differ", "DiffSpec", "PlanDiff", "diff_plans", "site_diffs", "to_json", "to_text"]
