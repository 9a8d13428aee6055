"""The data behind the pages, as files to download: JSON, CSV and the catalogue index.json.

Pure: the site and its indexes in, {output path: bytes} out. Every field is
documented in docs/data.md under SCHEMA_VERSION; bump the minor number when a
field is added, the major number when one changes meaning or goes away.

JSON keeps the model (a plan's JSON rebuilds the Plan record exactly); CSV is
flat, UTF-8 with a BOM and CRLF line ends, so Excel opens Chinese text as is
and pandas.read_csv reads it as is. URLs in the files are absolute:
a downloaded file must still point at the site.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from sitegen.content.model import Goal, Measure, Plan, Section, Site, Target
from sitegen.site.diffs import DiffSpec
from sitegen.outputs import Joined, Output
from sitegen.site import urls
from sitegen.site.derive import REGISTRY_FILES, Duty, Indexes, diff_deps, plan_file
from sitegen.site.memo import DistrictMemo

SCHEMA_VERSION = "1.0"

MEASURE_COLUMNS = (
    "plan_id", "district", "district_name", "year", "plan_title", "status",
    "measure_id", "number", "label", "section_path", "text", "responsibility", "task_type",
    "themes", "theme_names", "no_agency",
    "agency_name", "agency_kind", "agency_kind_label", "role", "role_class", "former",
    "url", "duty_url",
)
TARGET_COLUMNS = (
    "plan_id", "district", "district_name", "year", "plan_title", "status",
    "owner_type", "owner_id", "metric", "metric_name", "value", "value_max", "unit", "qualifier", "scope",
    "words", "url",
)
PATH_SEPARATOR = " › "
LIST_SEPARATOR = ";"

# One diff between consecutive plans of a district, as the diff engine hands it over:
# (district, old year, new year, JSON-able document).
DiffRecord = tuple[DiffSpec, dict]  # a diff page and its JSON document (sitegen.diff.to_json)


def plan_id(plan: Plan) -> str:
    """The key of a plan in every data file (the stem of its file names)."""
    return f"{plan.district}-{plan.year}"


def ordered_plans(idx: Indexes) -> list[Plan]:
    """Plans in the order of districts.yaml, then by year: the order of every file."""
    return [p for ps in idx.plans_by_district.values() for p in ps]


@dataclass(frozen=True)
class SectionEntry:
    ref: str  # position in the plan, "2.1" = the first item of the second part
    parent: str | None
    section: Section
    trail: tuple[Section, ...]  # the sections above it and itself, outermost first


def walk_sections(plan: Plan) -> Iterator[SectionEntry]:
    """Every section depth first, as Plan.sections(), keyed by its position: sections
    need not have an id, and a key must exist for the SQLite tables."""

    def walk(sections: tuple[Section, ...], prefix: str | None, trail: tuple[Section, ...]):
        for i, s in enumerate(sections, 1):
            ref = f"{prefix}.{i}" if prefix else str(i)
            yield SectionEntry(ref, prefix, s, trail + (s,))
            yield from walk(s.items, ref, trail + (s,))

    yield from walk(plan.parts, None, ())


def path_list(trail: tuple[Section, ...]) -> list[dict]:
    # The printed numbers and titles only: titles the site derives for untitled rows are not the plan's.
    return [{"number": s.number, "title": s.title} for s in trail]


def path_text(trail: tuple[Section, ...]) -> str:
    return PATH_SEPARATOR.join(t for t in (f"{s.number or ''}{s.title or ''}" for s in trail) if t)


def number(value: float | None) -> int | float | None:
    """14800.0 -> 14800: targets are stored as floats but read as printed."""
    if value is None:
        return None
    return int(value) if value == int(value) else value


class Data:
    """The site's data as rows and documents; every output is built from these."""

    def __init__(self, site: Site, idx: Indexes):
        self.site, self.idx = site, idx
        self.base = site.info.base_url
        self.kinds = {k.slug: k for k in site.agencies}
        self.metrics = {m.slug: m for m in site.metrics}
        self.themes = {t.slug: t for t in site.themes}
        self.plans = ordered_plans(idx)
        self._lines = DistrictMemo()  # a plan's CSV lines, shared by its CSV and its agencies' duty CSVs

    def url(self, path: str) -> str:
        return urls.absolute(self.base, path)

    # --- JSON -------------------------------------------------------------------

    def target_doc(self, t: Target) -> dict:
        doc = t.model_dump(mode="json")
        doc["value"], doc["value_max"] = number(t.value), number(t.value_max)
        doc["metric_name"] = self.metrics[t.metric].name
        return doc

    def duty_doc(self, plan: Plan, m: Measure, d: Duty) -> dict:
        return {"name": d.name, "role": d.role, "role_class": d.role_class, "kind": d.kind,
                "kind_label": self.kinds[d.kind].label, "former": d.former,
                "duty_url": self.url(urls.duty_measure(d.kind, plan.district, plan.year, m.id))}

    def plan_doc(self, plan: Plan) -> dict:
        # Every field of the Plan record but its body (goals and parts, flattened below).
        meta = {"id": plan_id(plan), **plan.model_dump(mode="json", exclude={"goals", "parts"}),
                "district_name": self.idx.district_names[plan.district],
                "url": self.url(urls.plan(plan.district, plan.year)),
                "source_text_url": self.url(urls.source(plan.source.file)) if plan.source else None}
        goals = [self.goal_doc(plan, g, None) for g in plan.goals]
        sections, measures = [], []
        for e in walk_sections(plan):
            s = e.section
            sections.append({"ref": e.ref, "parent": e.parent, "depth": len(e.trail), "id": s.id,
                             "number": s.number, "title": s.title, "text": s.text, "note": s.note,
                             "path": path_list(e.trail)})
            goals += [self.goal_doc(plan, g, e.ref) for g in s.goals]
            for m in s.measures:
                measures.append(self.measure_doc(plan, m, e))
        return {"plan": meta, "goals": goals, "sections": sections, "measures": measures}

    def goal_doc(self, plan: Plan, g: Goal, section: str | None) -> dict:
        return {"id": g.id, "number": g.number, "text": g.text, "section": section,
                "url": self.url(urls.measure(plan.district, plan.year, g.id)),
                "targets": [self.target_doc(t) for t in g.targets]}

    def measure_doc(self, plan: Plan, m: Measure, e: SectionEntry) -> dict:
        doc = m.model_dump(mode="json", exclude={"agencies", "targets"})
        agencies = [self.duty_doc(plan, m, d) for d in self.idx.duties[(plan.key, m.id)]]
        doc.update(
            section=e.ref, section_path=path_list(e.trail), agencies=agencies,
            targets=[self.target_doc(t) for t in m.targets],
            url=self.url(urls.measure(plan.district, plan.year, m.id)),
            # one duty page link per agency kind, in order of first mention
            duty_urls=list(dict.fromkeys(a["duty_url"] for a in agencies)),
        )
        return doc

    # --- rows ---------------------------------------------------------------------

    def _plan_cells(self, plan: Plan) -> dict:
        return {"plan_id": plan_id(plan), "district": plan.district,
                "district_name": self.idx.district_names[plan.district], "year": plan.year,
                "plan_title": plan.title, "status": plan.status.value}

    def theme_cells(self, themes) -> tuple[str, str]:
        """A measure's themes as its rows list them: slugs, then names."""
        return LIST_SEPARATOR.join(themes), LIST_SEPARATOR.join(self.themes[t].name for t in themes)

    def measure_lines(self, plan: Plan) -> dict[tuple[str, int], str]:
        """A plan's measure rows as CSV lines (one per measure × agency as written, one for a measure
        naming none), by (measure id, index of the duty or -1); made once while the plan's district
        is being written. A measure's own cells (its text the longest) are written once and begin
        each of its lines; csv quotes each cell on its own, so the lines are what one writerow of
        the whole row writes."""
        def make() -> dict[tuple[str, int], str]:
            lines = _Lines()
            w = csv.writer(lines, lineterminator="\r\n")
            d, y = plan.district, plan.year
            cells = tuple(self._plan_cells(plan).values())  # the first columns of every table
            out = {}
            for p in self.idx.placed[plan.key]:
                m = p.measure
                w.writerow((*cells, m.id, m.number or "", m.label or "", path_text(p.trail), m.text,
                            m.responsibility or "", m.task_type.value if m.task_type else "",
                            *self.theme_cells(m.themes), _flag(m.no_agency)))
                head = lines.pop()[:-2] + ","  # the measure's cells, without the line end
                url = self.url(urls.measure(d, y, m.id))
                duties = self.idx.duties[(plan.key, m.id)]
                if not duties:
                    w.writerow((*_NO_DUTY, url, ""))
                    out[(m.id, -1)] = head + lines.pop()
                for i, duty in enumerate(duties):
                    w.writerow((duty.name, duty.kind, self.kinds[duty.kind].label, duty.role, duty.role_class,
                                _flag(duty.former), url, self.url(urls.duty_measure(duty.kind, d, y, m.id))))
                    out[(m.id, i)] = head + lines.pop()
            return out
        return self._lines.get(plan.district, plan.key, make)

    def target_row(self, plan: Plan, t: Target, owner: Goal | Measure, is_goal: bool) -> dict:
        row = self._plan_cells(plan)
        row.update(owner_type="goal" if is_goal else "measure", owner_id=owner.id, metric=t.metric,
                   metric_name=self.metrics[t.metric].name, value=number(t.value),
                   value_max=number(t.value_max), unit=t.unit, qualifier=t.qualifier or "", scope=t.scope or "",
                   words=t.words, url=self.url(urls.measure(plan.district, plan.year, owner.id)))
        return row

    def target_rows(self, plan: Plan) -> list[dict]:
        """Goals' targets first, then measures', each in plan order (as the indexes list them)."""
        rows = [self.target_row(plan, t, g, True) for g in plan.all_goals() for t in g.targets]
        return rows + [self.target_row(plan, t, m, False) for m in plan.measures() for t in m.targets]

    def metric_rows(self, slug: str) -> list[dict]:
        return [self.target_row(pt.plan, pt.target, pt.owner, pt.is_goal) for pt in self.idx.by_metric.get(slug, ())]


# --- encoding ---------------------------------------------------------------------


# The cells of a row for a measure naming no agency: agency_name .. former.
_NO_DUTY = ("",) * 6


class _Lines(list):
    """A file for csv.writer that keeps each row's line (writerow writes a row with one call)."""
    write = list.append


JSON_HEAD = '{"schema_version":"%s",' % SCHEMA_VERSION  # how every versioned file starts
CSV_BOM = "\ufeff"


def to_json(doc: dict) -> bytes:
    # Compact UTF-8, as json.dumps(doc, ensure_ascii=False, separators=(",", ":")) writes it, by
    # orjson: a tenth of the time for the 190 MB a thousand plans make (the files are for
    # programs; any viewer pretty-prints them).
    return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE)


def _csv_head(columns: tuple[str, ...]) -> bytes:
    return (CSV_BOM + ",".join(columns) + "\r\n").encode("utf-8")


def to_csv(columns: tuple[str, ...], rows: Iterable[dict]) -> bytes:
    buf = io.StringIO()
    buf.write(CSV_BOM)  # the BOM: Excel reads the file as UTF-8, not GBK
    # CRLF and quoting as RFC 4180 and Excel expect; text with line breaks stays in one quoted cell.
    # csv writes None as an empty cell; the rows hold no other non-text value but numbers.
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    w.writerows(map(operator.itemgetter(*columns), rows))
    return buf.getvalue().encode("utf-8")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def path(url: str) -> str:
    return str(urls.output_path(url))


def versioned(doc: dict) -> dict:
    return {"schema_version": SCHEMA_VERSION, **doc}


# --- the files -----------------------------------------------------------------------


def data_outputs(site: Site, idx: Indexes, diffs: Iterable[DiffRecord] = (),
                 feeds: Iterable[str] = ()) -> tuple[list[Output], list[Joined]]:
    """Every data file but SQLite, as outputs made on demand with what each depends on; the
    whole-site files are joined from the per-plan ones."""
    data = Data(site, idx)
    out: list[Output] = []
    plan_json, plan_csv, plan_targets = [], [], []
    for plan in data.plans:
        d, y = plan.district, plan.year
        deps = REGISTRY_FILES | {plan_file(plan)}
        rels = path(urls.data_plan(d, y, "json")), path(urls.data_plan(d, y, "csv")), \
            path(urls.data_plan(d, y, "targets.csv"))
        out += [Output(rels[0], functools.partial(_plan_json, data, plan), deps, 3, d),
                Output(rels[1], functools.partial(_plan_csv, data, plan), deps, 2, d),
                Output(rels[2], functools.partial(_csv_of, TARGET_COLUMNS, data.target_rows, plan), deps, group=d)]
        plan_json.append(rels[0])
        plan_csv.append(rels[1])
        plan_targets.append(rels[2])
    joined = [
        Joined(path(urls.data_all("json")), tuple(plan_json), JSON_HEAD.encode() + b'"plans":[', b"]}\n",
               skip=len(JSON_HEAD.encode()), trim=1, lead=b"{", sep=b","),
        Joined(path(urls.data_all("csv")), tuple(plan_csv), _csv_head(MEASURE_COLUMNS), b"",
               skip=len(_csv_head(MEASURE_COLUMNS))),
        Joined(path(urls.data_all("targets.csv")), tuple(plan_targets), _csv_head(TARGET_COLUMNS), b"",
               skip=len(_csv_head(TARGET_COLUMNS))),
    ]
    for kind, by_district in idx.by_agency.items():
        for district in by_district:
            # The plans mentioning the kind there (per plan, not per mention: listed before any worker starts).
            deps = REGISTRY_FILES | {plan_file(p) for p in idx.plans_by_agency[kind][district]}
            out.append(Output(path(urls.data_duty(kind, district)),
                              functools.partial(_duty_csv, data, kind, district), deps,
                              group=district))
    for m in site.metrics:
        out.append(Output(path(urls.data_metric(m.slug)),
                          functools.partial(_csv_of, TARGET_COLUMNS, data.metric_rows, m.slug)))
    diffs = sorted(diffs, key=lambda r: r[0].url)
    for spec, doc in diffs:  # a document, or a function making it (a build makes one at a time)
        out.append(Output(path(spec.data_url), functools.partial(_versioned_json, doc), diff_deps(spec), 4, spec.group))
    out.append(Output(path(urls.data_index()), functools.partial(_index_json, data, diffs, tuple(feeds))))
    rels = [o.rel for o in out] + [j.rel for j in joined]
    # Slugs may hold hyphens, so `<kind>-<district>` could name two duty pages' files.
    assert len(rels) == len(set(rels)), "two data files at one path"
    return out, joined


def _plan_json(data: Data, plan: Plan) -> bytes:
    return to_json(versioned(data.plan_doc(plan)))


def _plan_csv(data: Data, plan: Plan) -> bytes:
    return _csv_head(MEASURE_COLUMNS) + "".join(data.measure_lines(plan).values()).encode("utf-8")


def _duty_csv(data: Data, kind: str, district: str) -> bytes:
    """The plan CSVs' lines of the measures a duty page lists (each with the kind's strongest mention
    in it), not encoded again."""
    lines = []
    for mt in data.idx.by_agency[kind][district]:
        plan, mid = mt.placed.plan, mt.placed.measure.id
        i = next(i for i, d in enumerate(data.idx.duties[(plan.key, mid)]) if d is mt.duty)
        lines.append(data.measure_lines(plan)[(mid, i)])
    return _csv_head(MEASURE_COLUMNS) + "".join(lines).encode("utf-8")


def _csv_of(columns: tuple[str, ...], rows, *args) -> bytes:
    return to_csv(columns, rows(*args))


def _versioned_json(doc) -> bytes:
    return to_json(versioned(doc() if callable(doc) else doc))


def _index_json(data: Data, diffs: list[DiffRecord], feeds: tuple[str, ...]) -> bytes:
    return to_json(index(data, diffs, feeds))


def index(data: Data, diffs: list[DiffRecord], feeds: Iterable[str]) -> dict:
    """The catalogue: every plan and data file, so a script can fetch everything from one URL."""
    u, idx = data.url, data.idx
    plans = [{"id": plan_id(p), "district": p.district, "district_name": idx.district_names[p.district],
              "year": p.year, "title": p.title, "status": p.status.value, "url": u(urls.plan(p.district, p.year)),
              "json": u(urls.data_plan(p.district, p.year, "json")), "csv": u(urls.data_plan(p.district, p.year, "csv")),
              "targets_csv": u(urls.data_plan(p.district, p.year, "targets.csv"))} for p in data.plans]
    duties = [{"kind": kind, "kind_label": data.kinds[kind].label, "district": district,
               "district_name": idx.district_names[district], "name": data.kinds[kind].instance_name(district),
               "url": u(urls.duty(kind, district)), "csv": u(urls.data_duty(kind, district))}
              for kind, by_district in idx.by_agency.items() for district in by_district]
    metrics = [{"metric": m.slug, "name": m.name, "unit": m.unit, "url": u(urls.metric(m.slug)),
                "csv": u(urls.data_metric(m.slug))} for m in data.site.metrics]
    return versioned({
        "title": data.site.info.title,
        "base_url": data.base,
        "about": u(urls.about()),
        "all": {"json": u(urls.data_all("json")), "csv": u(urls.data_all("csv")),
                "targets_csv": u(urls.data_all("targets.csv")), "sqlite": u(urls.data_all("sqlite"))},
        "plans": plans,
        "duties": duties,
        "metrics": metrics,
        "diffs": [{"key": spec.key, "kind": spec.kind, "title": spec.title, "old": plan_id(spec.old),
                   "new": plan_id(spec.new), "url": u(spec.url), "json": u(spec.data_url)} for spec, _ in diffs],
        "feeds": [u(f) for f in feeds],
    })
