"""The Jinja2 environment: autoescaped, strict, and with formatting filters only."""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import urls


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # Plan text is untrusted: escape everything unless a template says otherwise.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["urls"] = urls
    env.filters["paragraphs"] = paragraphs
    env.filters["number"] = number
    return env


def paragraphs(text: str | None) -> list[str]:
    """Split text into its paragraphs (one a line in the YAML)."""
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def number(value: float) -> str:
    """14800.0 -> '14800', 4.7 -> '4.7': targets are stored as floats but read as printed."""
    return f"{value:g}" if value != int(value) else str(int(value))


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    return env.get_template(template).render(**context)
