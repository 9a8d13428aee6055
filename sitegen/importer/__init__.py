"""`sitegen import`: turn a plan's extracted text into a draft plan YAML to review.

    sitegen import content/sources/005_….txt --district hedong --year 2025

The draft is a starting point, never a publication: the text is split into
parts, items and measures, page breaks are mended, agencies and roles are
read from the responsibility clauses, and themes and targets are suggested.
Everything a machine guesses is marked `# review:` in the file; what to
check is in docs/importing.md. The importer never writes over a file.

The work is split over the modules of this package: text (the draft tree,
page breaks, prose plans), table (table plans), suggest (agencies, themes,
targets) and emit (ids, and writing the YAML with its review comments).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from ..load import LoadError, load_file, parse_text
from ..model import YEAR_MAX, YEAR_MIN, AgencyKind, District, Metric, Plan, Theme
from ..registry import Registry
from .emit import assign_ids, emit
from .suggest import AgencyReport, TargetRules, ThemeRules, parse_agencies
from .table import is_table, parse_table
from .text import Draft, ParseError, SectionDraft, normalise, parse_prose

__all__ = ["ImportError_", "Imported", "import_plan", "draft_plan", "parse"]


class ImportError_(Exception):  # noqa: N801 - named so as not to shadow the builtin ImportError
    """The import cannot be done; the message says why, for the command line."""


@dataclass(frozen=True)
class Imported:
    """A draft made in memory: its YAML text, its tree, and the names the registry did not know."""

    yaml: str
    draft: Draft
    unknown: Counter
    suggestions: dict[str, list[str]]
    plan: Plan


def import_plan(file: Path, district: str, year: int, content: Path, out: Path | None) -> str:
    """Write the draft of `file` (default content/plans/DISTRICT/YEAR.yaml) and return the report."""
    file, content = Path(file), Path(content)
    target = Path(out) if out is not None else content / "plans" / district / f"{year}.yaml"
    for existing in {target, target.with_suffix(".yml") if out is None else target}:
        if existing.exists():
            raise ImportError_(f"{existing} already exists; refusing to overwrite it "
                               "(move it away, or pass --out to write the draft elsewhere)")
    imported = draft_plan(file, district, year, content)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
            f.write(imported.yaml)
    except FileExistsError:
        raise ImportError_(f"{target} already exists; refusing to overwrite it "
                           "(move it away, or pass --out to write the draft elsewhere)") from None
    except OSError as e:
        raise ImportError_(f"cannot write {target}: {e.strerror}") from None
    return report(imported, target)


def draft_plan(file: Path, district: str, year: int, content: Path) -> Imported:
    """Read, split, suggest and write the draft in memory; checked to load and validate as a Plan."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ImportError_(f"year {year} is not plausible (a plan year is between {YEAR_MIN} and {YEAR_MAX})")
    districts = _registry(content, "districts.yaml", District)
    slugs = [d.slug for d in districts]
    if district not in slugs:
        close = difflib.get_close_matches(district, slugs, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else \
            "; add it to content/districts.yaml first"
        raise ImportError_(f"unknown district '{district}'{hint}")
    registry = Registry(_registry(content, "agencies.yaml", AgencyKind))
    themes = ThemeRules(_registry(content, "themes.yaml", Theme))
    targets = TargetRules(_registry(content, "metrics.yaml", Metric))

    text = _read(file)
    try:
        draft = parse(text)
    except ParseError as e:
        raise ImportError_(f"{file}: {e}") from None

    agencies = AgencyReport()
    _suggest(draft, registry, district, themes, targets, agencies)
    if str(year) not in draft.title:
        draft.review.append(f"the title does not name the year {year}: is --year right?")
    assign_ids(draft)
    yaml_text = emit(draft, district=district, year=year, source_file=file.name)
    plan = _check(yaml_text, file)
    suggestions = {name: registry.suggest(name, district) for name in agencies.unknown}
    return Imported(yaml_text, draft, agencies.unknown, suggestions, plan)


def parse(text: str) -> Draft:
    """The text of a plan, either shape, as a draft tree (no agencies, themes or ids yet)."""
    text = normalise(text)
    draft = parse_table(text) if is_table(text) else parse_prose(text)
    draft.status = "征求意见稿" if "征求意见稿" in text else "正式"
    return draft


def report(imported: Imported, target: Path) -> str:
    d = imported.draft
    sections = d.sections()
    measures = d.measures()
    goals = d.goals()
    n_targets = sum(len(m.targets) for m in measures) + sum(len(g.targets) for g in goals)
    no_agency = sum(1 for m in measures if not m.agencies)
    lines = [
        f"wrote {target}: a draft ({d.shape}, status {d.status}) to review against the source",
        f"  {len(d.parts)} parts, {len(sections) - len(d.parts)} items, {len(measures)} measures, "
        f"{len(goals)} goals, {n_targets} targets suggested",
    ]
    if no_agency:
        lines.append(f"  {no_agency} measures name no agency (no_agency: true): check the source")
    if imported.unknown:
        lines.append(f"  {len(imported.unknown)} agency names not in content/agencies.yaml "
                     "(written as printed; correct them, or add them to the registry):")
        for name, count in imported.unknown.most_common():
            close = imported.suggestions.get(name) or []
            hint = f" — did you mean {' or '.join(close)}?" if close else ""
            lines.append(f"    {name} ({count}×){hint}")
    else:
        lines.append("  every agency name is in content/agencies.yaml")
    lines.append("next: work through docs/importing.md, then `sitegen validate`")
    return "\n".join(lines)


# --- steps ---------------------------------------------------------------------------------


def _read(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise ImportError_(f"cannot read {file}: {e.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_(f"{file} is neither UTF-8 nor GB18030 text; save it as UTF-8")


def _registry(content: Path, name: str, model):
    path = content / name
    if not path.is_file():
        raise ImportError_(f"{path} not found (is --content the content folder?)")
    try:
        doc = load_file(path)
        return tuple(TypeAdapter(list[model]).validate_python(doc.data or []))
    except LoadError as e:
        d = e.diagnostic
        raise ImportError_(f"{d.path}:{d.line}:{d.col}: {d.message}; run `sitegen validate`") from None
    except ValidationError:
        raise ImportError_(f"{path} is not valid; run `sitegen validate` and fix it first") from None


def _suggest(draft: Draft, registry: Registry, district: str, themes: ThemeRules, targets: TargetRules,
             report_: AgencyReport) -> None:
    def walk(sections: list[SectionDraft], context: str) -> None:
        for s in sections:
            here = f"{context}{s.title or ''}"
            for g in s.goals:
                g.targets = targets.suggest(g.text)
            for m in s.measures:
                table = draft.shape == "table"
                if m.responsibility:
                    m.agencies = parse_agencies(m.responsibility, "负责", registry, district, report_)
                if m.supporting:
                    m.agencies += [a for a in parse_agencies(m.supporting, "配合", registry, district, report_)
                                   if not any(b.name == a.name and b.role == a.role for b in m.agencies)]
                if not table and m.responsibility and not m.agencies:
                    m.review.append("the responsibility clause names no agency the importer could read")
                m.themes = themes.suggest(f"{m.label or ''}{m.text}", here)
                m.targets = targets.suggest(m.text)
            walk(s.items, here)

    walk(draft.parts, "")


def _check(yaml_text: str, file: Path) -> Plan:
    """The draft must read back and validate as a Plan; anything else is a bug in the importer."""
    try:
        doc = parse_text(yaml_text, "draft")
        return TypeAdapter(Plan).validate_python(doc.data)
    except LoadError as e:
        d = e.diagnostic
        problem = f"line {d.line}: {d.message}"
    except ValidationError as e:
        problem = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()[:5])
    raise ImportError_(f"{file}: the draft made from this text does not validate ({problem}); "
                       "this is a bug in the importer, please report it with the text")
