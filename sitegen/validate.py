"""Load the whole content folder, check it, and build the Site model.

Every problem of every file is collected before anything is reported (as
MkDocs does with its config), so an editor fixes a pull request in one pass.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .diagnostics import ContentError, Diagnostic
from .load import Document, LoadError, display_path, load_file
from .model import (
    SLUG_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
    PLAN_KEY_PATTERN,
    AgencyKind,
    Comparison,
    District,
    Goal,
    Measure,
    Metric,
    Plan,
    Site,
    SiteInfo,
    Status,
    Target,
    Theme,
    squash,
)
from .registry import Registry

REGISTRIES: dict[str, type[BaseModel]] = {
    "districts.yaml": District,
    "agencies.yaml": AgencyKind,
    "themes.yaml": Theme,
    "metrics.yaml": Metric,
}
PLAN_SUFFIXES = (".yaml", ".yml")
SITE_FILE = "site.yaml"  # optional: the site's title, description and address
ABOUT_FILE = "pages/about.md"  # optional: the about page, Markdown
COMPARISONS = "comparisons.yaml"  # optional: editor-configured diffs of any two plans


@dataclass(frozen=True)
class Loaded:
    """A checked site and the documents it came from (for line numbers later on)."""

    site: Site
    documents: dict[str, Document]  # plan key (district/year) -> its document


def load_site(content: Path) -> Loaded:
    """Load and check everything under content/, or raise ContentError with every problem."""
    return _Checker(Path(content)).run()


class _Checker:
    def __init__(self, content: Path):
        self.content = content
        self.diags: list[Diagnostic] = []

    def error(self, doc: Document, loc, message: str, hint: str = "", *, key: bool = False) -> None:
        self.diags.append(doc.diag(tuple(loc), message, hint, key=key))

    # -- stage 1: read files -------------------------------------------------------

    def read(self, path: Path) -> Document | None:
        try:
            doc = load_file(path)
        except LoadError as e:
            self.diags.append(e.diagnostic)
            return None
        except OSError as e:
            self.diags.append(Diagnostic(display_path(path), 0, 0, f"cannot read file: {e.strerror}"))
            return None
        if doc.data is None:
            self.diags.append(Diagnostic(doc.path, 1, 1, "file is empty",
                                         "write the content, or delete the file if it was added by mistake"))
            return None
        return doc

    def typed(self, doc: Document, adapter: TypeAdapter, root: Any) -> Any:
        try:
            return adapter.validate_python(doc.data)
        except ValidationError as e:
            errors = e.errors()
            # A misspelt key also makes the key it should have been "missing": say it once,
            # as the unknown key with its did-you-mean, which is where the fix is.
            misspelt = {tuple(err["loc"][:-1]) + (_close_field(err, root),) for err in errors
                        if err["type"] == "extra_forbidden"}
            for err in errors:
                # pydantic also calls a list too short when its only items failed; those
                # failures are reported, and "must not be empty" would be misleading.
                if err["type"] == "too_short" and isinstance(err.get("input"), (list, tuple)) \
                        and len(err["input"]) >= err.get("ctx", {}).get("min_length", 1):
                    continue
                if err["type"] == "missing" and tuple(err["loc"]) in misspelt:
                    continue
                self.diags.append(_explain(doc, err, root))
            return None

    def run(self) -> Loaded:
        if not self.content.is_dir():
            raise ContentError([Diagnostic(display_path(self.content), 0, 0, "content folder not found",
                                           "run from the project folder, or pass --content DIR")])
        registries: dict[str, tuple[Document, tuple]] = {}
        for name, model in REGISTRIES.items():
            path = self.content / name
            if not path.exists():
                self.diags.append(Diagnostic(display_path(path), 0, 0, f"{name} is missing",
                                             f"every site needs content/{name}; see docs/content-format.md"))
                continue
            doc = self.read(path)
            if doc is None:
                continue
            records = self.typed(doc, TypeAdapter(list[model]), list[model])
            if records is not None:
                registries[name] = (doc, tuple(records))
                self.unique_slugs(doc, records, name)

        info = SiteInfo()
        if (self.content / SITE_FILE).exists():
            doc = self.read(self.content / SITE_FILE)
            if doc is not None:
                info = self.typed(doc, TypeAdapter(SiteInfo), SiteInfo) or info
        about_path = self.content / ABOUT_FILE
        about = about_path.read_text(encoding="utf-8") if about_path.is_file() else ""

        plans: list[tuple[Document, Plan]] = []
        for path in self.plan_files():
            doc = self.read(path)
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                self.error(doc, (), "a plan file must be a mapping of keys (title:, district:, …)",
                           "see the full example in docs/content-format.md")
                continue
            plan = self.typed(doc, TypeAdapter(Plan), Plan)
            if plan is not None:
                plans.append((doc, plan))

        def records(name: str) -> tuple:
            return registries.get(name, (None, ()))[1]

        districts, kinds, themes, metrics = (records(n) for n in REGISTRIES)
        registry = Registry(kinds)
        if "agencies.yaml" in registries:
            self.check_registry(registries["agencies.yaml"][0], kinds, registry, districts)
        # Cross-file checks need the registries; when one failed to load, its
        # own errors are reported and the lookups against it are skipped.
        have = {n: n in registries for n in REGISTRIES}
        district_slugs = {d.slug for d in districts}
        theme_slugs = {t.slug for t in themes}
        metric_by_slug = {m.slug: m for m in metrics}
        seen: dict[tuple[str, int], Document] = {}
        for doc, plan in plans:
            self.check_plan(doc, plan, have, district_slugs, registry, theme_slugs, metric_by_slug)
            key = (plan.district, plan.year)
            if key in seen:
                self.error(doc, ("year",), f"a second plan for {plan.district} {plan.year} "
                           f"(the first is {seen[key].path})",
                           "one district has one plan a year; remove or rename one of the files")
            else:
                seen[key] = doc

        self.check_was(plans)
        comparisons = self.comparisons(plans, district_slugs if have["districts.yaml"] else None)

        if self.diags:
            raise ContentError(self.diags)
        plans.sort(key=lambda dp: (dp[1].district, dp[1].year))
        site = Site(districts=districts, agencies=kinds, themes=themes, metrics=metrics,
                    plans=tuple(p for _, p in plans), info=info, about=about, comparisons=comparisons)
        return Loaded(site, {p.key: d for d, p in plans})

    def comparisons(self, plans: list[tuple[Document, Plan]], districts: set[str] | None) -> tuple:
        path = self.content / COMPARISONS
        if not path.exists():
            return ()
        doc = self.read(path)
        if doc is None:
            return ()
        records = self.typed(doc, TypeAdapter(list[Comparison]), list[Comparison])
        if records is None:
            return ()
        self.unique_slugs(doc, records, COMPARISONS)
        years: dict[str, list[int]] = {}
        # A plan file that failed to load still exists: its own errors say what is wrong.
        for district, year in {(p.district, p.year) for _, p in plans} | self.plan_file_keys():
            years.setdefault(district, []).append(year)
        for i, c in enumerate(records):
            for side in ("old", "new"):
                district, year = getattr(c, side).split("/")
                if district not in years:
                    if districts is None or district in districts:
                        self.error(doc, (i, side), f"district '{district}' has no plans",
                                   "compare plans that are in content/plans/")
                    else:
                        self.error(doc, (i, side), f"unknown district '{district}'",
                                   _did_you_mean(district, districts, "districts.yaml"))
                elif int(year) not in years[district]:
                    have = ", ".join(str(y) for y in sorted(years[district]))
                    self.error(doc, (i, side), f"no plan for {district} in {year}",
                               f"{district} has plans for {have}")
            if c.old == c.new:
                self.error(doc, (i, "new"), f"comparison '{c.slug}' compares {c.old} with itself",
                           "name two different plans in `old` and `new`")
        return tuple(records)

    def check_was(self, plans: list[tuple[Document, Plan]]) -> None:
        """`was` names an id of the district's previous plan: that is what the diff links."""
        loaded = {(p.district, p.year): p for _, p in plans}
        files = self.plan_file_keys() | set(loaded)
        for doc, plan in plans:
            links = list(_was_links(plan))
            if not links:
                continue
            before = [y for d, y in files if d == plan.district and y < plan.year]
            if not before:
                for loc, _ in links:
                    self.error(doc, loc, f"'was' refers to an earlier plan, but {plan.district} has none "
                               f"before {plan.year}", "remove `was:`; it links a measure to last year's id")
                continue
            previous = loaded.get((plan.district, max(before)))
            if previous is None:
                continue  # the previous plan did not load; its own errors say why
            known = {m.id for m in previous.measures()} | {g.id for g in previous.all_goals()}
            for loc, id_ in links:
                if id_ not in known:
                    self.error(doc, loc, f"'was: {id_}' is not an id of the {previous.year} plan",
                               _did_you_mean(id_, known, f"plans/{previous.key}.yaml"))

    def plan_file_keys(self) -> set[tuple[str, int]]:
        """(district folder, year) of every plan file, loaded or not."""
        return {(p.parent.name, int(p.stem)) for p in self.plan_files() if p.stem.isdigit()}

    def plan_files(self) -> list[Path]:
        root = self.content / "plans"
        if not root.is_dir():
            return []
        return sorted(p for p in root.rglob("*") if p.suffix in PLAN_SUFFIXES and p.is_file())

    # -- stage 2: cross-checks ---------------------------------------------------

    def unique_slugs(self, doc: Document, records, name: str) -> None:
        first: dict[str, int] = {}
        for i, r in enumerate(records):
            if r.slug in first:
                line = doc.where((first[r.slug], "slug"))[0]
                self.error(doc, (i, "slug"), f"slug '{r.slug}' is used twice in {name} (first on line {line})",
                           "every slug must be unique: it is part of a URL")
            else:
                first[r.slug] = i

    def check_registry(self, doc: Document, kinds, registry: Registry, districts) -> None:
        index = {k.slug: i for i, k in enumerate(kinds)}
        # A duty page's data file is /data/agencies/<kind>-<district>.csv: with hyphens in
        # slugs, two kind-district pairs could name one file.
        stems: dict[str, str] = {}
        for i, k in enumerate(kinds):
            for d in districts:
                other = stems.setdefault(f"{k.slug}-{d.slug}", k.slug)
                if other != k.slug:
                    self.error(doc, (i, "slug"), f"kind '{k.slug}' in district '{d.slug}' and kind '{other}' "
                               f"would share the data file {k.slug}-{d.slug}.csv",
                               "choose a kind slug that is not another kind's slug plus a district's")
        for where, name, first, second in registry.clashes:
            scope = f" in {where}" if where else ""
            self.error(doc, (index[second],), f"agency name '{name}'{scope} is listed under both "
                       f"'{first}' and '{second}'", "a name must mean one kind of agency; keep it in one place")
        known = {d.slug for d in districts}
        for i, kind in enumerate(kinds):
            for district in kind.local:
                if known and district not in known:
                    self.error(doc, (i, "local", district), f"unknown district '{district}' in local names",
                               _did_you_mean(district, known, "districts.yaml"), key=True)

    def check_plan(self, doc: Document, plan: Plan, have, district_slugs: set[str], registry: Registry,
                   theme_slugs: set[str], metric_by_slug: dict[str, Metric], placed: bool = True) -> None:
        rel = Path(doc.path)
        parts = rel.parts
        # Expected location: plans/<district>/<year>.yaml under the content folder
        # (not for a file given to `sitegen diff`, which may sit anywhere).
        if not placed:
            pass
        elif len(parts) < 3 or parts[-3] != "plans":
            self.error(doc, (), "plan file is not in a district folder",
                       f"move it to content/plans/{plan.district}/{plan.year}.yaml")
        else:
            folder, stem = parts[-2], rel.stem
            if folder != plan.district:
                self.error(doc, ("district",), f"plan says district '{plan.district}' but is in folder "
                           f"plans/{folder}/", f"move the file to content/plans/{plan.district}/{plan.year}.yaml, "
                           "or correct `district`")
            if stem != str(plan.year):
                self.error(doc, ("year",), f"plan says year {plan.year} but the file is named {rel.name}",
                           f"name the file {plan.year}.yaml, or correct `year`")

        if plan.updated and plan.date and plan.updated < plan.date:
            self.error(doc, ("updated",), f"'updated' {plan.updated} is before the plan's date {plan.date}",
                       "`updated` is the day this plan was last corrected here; correct the date")

        if have["districts.yaml"] and plan.district not in district_slugs:
            self.error(doc, ("district",), f"unknown district '{plan.district}'",
                       _did_you_mean(plan.district, district_slugs, "districts.yaml"))

        if plan.source is None:
            if plan.status is not Status.draft:
                self.error(doc, (), "missing required key 'source'",
                           "say which published text this plan was transcribed from: source: {file: …}")
        elif Path(plan.source.file).name != plan.source.file or plan.source.file in (".", ".."):
            self.error(doc, ("source", "file"), f"source file '{plan.source.file}' is not a file name",
                       "give the name of a file in content/sources/, without a folder")
        elif not (self.content / "sources" / plan.source.file).is_file():
            self.error(doc, ("source", "file"), f"source file '{plan.source.file}' not found in content/sources/",
                       "add the published text there, or correct the file name")

        ids: dict[str, tuple] = {}

        def claim(id_: str | None, loc: tuple) -> None:
            if id_ is None:
                return
            if id_ in ids:
                line = doc.where(ids[id_] + ("id",))[0]
                self.error(doc, loc + ("id",), f"id '{id_}' is used twice in this plan (first on line {line})",
                           "ids must be unique in a plan; give this one a new id (never renumber old ones)")
            else:
                ids[id_] = loc

        for i, goal in enumerate(plan.goals):
            self.check_goal(doc, goal, ("goals", i), claim, have, metric_by_slug)
        for loc, section in _sections(plan):
            claim(section.id, loc)
            for i, goal in enumerate(section.goals):
                self.check_goal(doc, goal, loc + ("goals", i), claim, have, metric_by_slug)
            for i, measure in enumerate(section.measures):
                mloc = loc + ("measures", i)
                claim(measure.id, mloc)
                self.check_measure(doc, plan, measure, mloc, have, registry, theme_slugs, metric_by_slug)

    def check_goal(self, doc, goal: Goal, loc, claim, have, metrics) -> None:
        claim(goal.id, loc)
        for j, target in enumerate(goal.targets):
            self.check_target(doc, target, goal.text, loc + ("targets", j), have, metrics)

    def check_measure(self, doc, plan: Plan, m: Measure, loc, have, registry: Registry, themes, metrics) -> None:
        if not m.agencies and not m.no_agency:
            self.error(doc, loc, f"measure '{m.id}' names no agency",
                       "add `agencies:` with each agency and its role, or `no_agency: true` "
                       "if the plan names none")
        if m.agencies and m.no_agency:
            self.error(doc, loc + ("no_agency",), f"measure '{m.id}' has agencies and no_agency: true",
                       "keep one of them", key=True)
        if have["agencies.yaml"]:
            for j, ref in enumerate(m.agencies):
                if registry.resolve(ref.name, plan.district) is None:
                    close = registry.suggest(ref.name, plan.district)
                    hint = (f"did you mean {' or '.join(repr(c) for c in close)}? " if close else "") + \
                        "if the name is right, add it to content/agencies.yaml (as a name, alias or former name)"
                    self.error(doc, loc + ("agencies", j, "name"), f"unknown agency '{ref.name}'", hint)
        if have["themes.yaml"]:
            for j, theme in enumerate(m.themes):
                if theme not in themes:
                    self.error(doc, loc + ("themes", j), f"unknown theme '{theme}'",
                               _did_you_mean(theme, themes, "themes.yaml"))
        for j, target in enumerate(m.targets):
            self.check_target(doc, target, m.text, loc + ("targets", j), have, metrics)

    def check_target(self, doc, t: Target, text: str, loc, have, metrics: dict[str, Metric]) -> None:
        if have["metrics.yaml"]:
            metric = metrics.get(t.metric)
            if metric is None:
                self.error(doc, loc + ("metric",), f"unknown metric '{t.metric}'",
                           _did_you_mean(t.metric, metrics, "metrics.yaml"))
            elif t.unit != metric.unit and t.unit not in metric.unit_aliases:
                units = "', '".join((metric.unit,) + metric.unit_aliases)
                self.error(doc, loc + ("unit",), f"unit '{t.unit}' does not fit metric '{t.metric}'",
                           f"use '{units}', or a metric measured in {t.unit}")
        if t.value_max is not None and t.value_max < t.value:
            self.error(doc, loc + ("value_max",), f"value_max {t.value_max:g} is below value {t.value:g}",
                       "a range is written value: low, value_max: high")
        if squash(t.words) not in squash(text):
            self.error(doc, loc + ("words",), f"target words '{t.words}' are not in the text",
                       "copy the words from the text this target belongs to, verbatim")


def _sections(plan: Plan):
    """(location, section) for every section, with locations as in the YAML file."""

    def walk(sections, loc):
        for i, s in enumerate(sections):
            here = loc + (i,)
            yield here, s
            yield from walk(s.items, here + ("items",))

    yield from walk(plan.parts, ("parts",))


def _was_links(plan: Plan):
    """(location, old id) for every `was` id of the plan's goals and measures."""
    units = [(("goals", i), g) for i, g in enumerate(plan.goals)]
    for loc, section in _sections(plan):
        units += [(loc + ("goals", i), g) for i, g in enumerate(section.goals)]
        units += [(loc + ("measures", i), m) for i, m in enumerate(section.measures)]
    for loc, unit in units:
        for j, id_ in enumerate(unit.was):
            yield loc + ("was", j), id_


def load_plan(path: Path, site: Site, content: Path) -> Plan:
    """One plan file from anywhere (e.g. a test fixture given to `sitegen diff`), checked against the
    site's registries but not against its place in content/plans/; raises ContentError."""
    checker = _Checker(Path(content))
    doc = checker.read(Path(path))
    plan = None
    if doc is not None:
        if not isinstance(doc.data, dict):
            checker.error(doc, (), "a plan file must be a mapping of keys (title:, district:, …)")
        else:
            plan = checker.typed(doc, TypeAdapter(Plan), Plan)
    if plan is not None:
        have = {n: True for n in REGISTRIES}
        checker.check_plan(doc, plan, have, {d.slug for d in site.districts}, Registry(site.agencies),
                           {t.slug for t in site.themes}, {m.slug: m for m in site.metrics}, placed=False)
    if checker.diags:
        raise ContentError(checker.diags)
    return plan


def _did_you_mean(value: str, known, where: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.5)
    if close:
        return f"did you mean {' or '.join(repr(c) for c in close)}?"
    return f"use one defined in content/{where}"


# -- pydantic errors, in an editor's words -------------------------------------------


def _model_at(root: Any, loc: tuple) -> type[BaseModel] | None:
    """The model class whose field holds loc[-1], by following loc through the annotations."""
    current = _first_model(root)
    for part in loc:
        if current is None:
            return None
        if isinstance(part, str) and part in current.model_fields:
            current = _first_model(current.model_fields[part].annotation)
    return current


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if isinstance(arg, (type, types.GenericAlias, types.UnionType)) or typing.get_origin(arg):
            found = _first_model(arg)
            if found is not None:
                return found
    return None


def _close_field(err: dict, root: Any) -> str | None:
    """The allowed key an unknown key was probably meant to be."""
    loc = tuple(err["loc"])
    model = _model_at(root, loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    close = difflib.get_close_matches(loc[-1], sorted(model.model_fields), n=1, cutoff=0.6)
    return close[0] if close else None


def _field_name(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _explain(doc: Document, err: dict, root: Any) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    field = _field_name(loc)
    shown = repr(value) if not isinstance(value, (dict, list)) else "a " + type(value).__name__
    if kind == "missing":
        model = _model_at(root, loc[:-1])
        what = model.__name__.lower() if model else "entry"
        return doc.diag(loc[:-1], f"missing required key '{field}' in this {what}",
                        f"add `{field}:` (see docs/content-format.md)")
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = _close_field(err, root)
        hint = f"did you mean '{close}'? " if close else ""
        hint += f"allowed keys here: {', '.join(allowed)}" if allowed else ""
        return doc.diag(loc, f"unknown key '{field}'", hint, key=True)
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == SLUG_PATTERN:
        return doc.diag(loc, f"{shown} is not a valid {field}",
                        "slugs and ids use lower-case ASCII letters, digits and hyphens (at most 40), "
                        "e.g. 'school-meals'; never '/', '..' or Chinese")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == PLAN_KEY_PATTERN:
        return doc.diag(loc, f"{shown} does not name a plan",
                        "write district/year, e.g. jizhou/2018")
    if kind in ("greater_than_equal", "less_than_equal") and field == "year":
        return doc.diag(loc, f"year {value} is not plausible",
                        f"a plan year is between {YEAR_MIN} and {YEAR_MAX}")
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return doc.diag(loc, f"{shown} is not a valid {field}", f"use one of {expected}")
    if kind == "too_short":
        return doc.diag(loc, f"'{field}' must not be empty", f"list at least one entry under `{field}:`")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = {"string_type": "text", "int_parsing": "a whole number", "int_type": "a whole number",
                    "float_parsing": "a number", "float_type": "a number", "bool_parsing": "true or false",
                    "bool_type": "true or false", "list_type": "a list", "tuple_type": "a list",
                    "dict_type": "a mapping of keys", "model_type": "a mapping of keys",
                    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
                    "date_from_datetime_parsing": "a date (YYYY-MM-DD)"}.get(kind, err["msg"].lower())
        return doc.diag(loc, f"'{field}' must be {expected}, not {shown}",
                        "quote text that YAML would read as a number or date, e.g. number: \"48\""
                        if expected == "text" else "")
    return doc.diag(loc, f"'{field}': {err['msg']}", "")

