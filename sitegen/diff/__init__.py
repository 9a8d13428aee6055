"""The diff engine: two plan models in, a PlanDiff out (pure functions, no I/O).

    Differ(site).diff(old, new) -> PlanDiff     many diffs of one site (differ.py)
    diff_plans(old, new, site) -> PlanDiff      one diff
    to_json(diff) -> dict                       docs/diff-format.md (export.py)
    to_text(diff) -> str                        a terminal summary (text.py)

Pairing is in match.py, comparing what was paired in compare.py, the result's types in model.py.
Which diffs the site shows, and at which URLs, is the site's business (sitegen.site.diffs).
"""

from sitegen.diff.differ import Differ, diff_plans
from sitegen.diff.export import to_json
from sitegen.diff.model import PlanDiff
from sitegen.diff.text import to_text

__all__ = ["Differ", "PlanDiff", "diff_plans", "to_json", "to_text"]
