"""JSON Schema of a plan file, for yaml-language-server completion and inline errors."""

from __future__ import annotations

from sitegen.content.model import Plan


def plan_schema() -> dict:
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sitegen plan"
    schema["description"] = "A district food-safety supervision plan; see docs/content-format.md"
    return schema
