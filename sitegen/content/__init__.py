"""The content stage: the content folder read, checked and turned into the typed Site model.

- load: YAML files to plain data that remembers where each value was written
- model: the typed, immutable records every later stage reads (pydantic)
- messages: pydantic's errors as Chinese messages at file:line
- checks/: the rules beyond the models (a plan on its own, clause and agencies, text and source, across files)
- site: a run over the folder (load_site, check_site), and single plan files (load_plan, check_plan_file)
- cache: the checked-plan cache (PlanCache), facts: what cross-file checks read of a plan
- registry: which agency kind a name means; sources: the published texts; text: text as compared
- faithful: the faithfulness report (`python -m sitegen.content.faithful`); schema: a plan's JSON Schema
"""

from sitegen.content.cache import PlanCache, cache_key, library_versions
from sitegen.content.facts import Facts
from sitegen.content.load import (
           Document,
           LoadError,
           display_path,
           load_file,
           parse_text,
)
from sitegen.content.site import (
           Loaded,
           Summary,
           check_plan_file,
           check_site,
           load_plan,
           load_site,
)

__all__ = ["Document", "Facts", "LoadError", "Loaded", "PlanCache", "Summary", "cache_key", "check_plan_file",
           "check_site", "display_path", "library_versions", "load_file", "load_plan", "load_site", "parse_text"]
