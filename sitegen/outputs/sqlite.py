"""All the data as one SQLite file, for Datasette, Datasette Lite or any SQL client.

The same rows as the CSV and JSON files (built from outputs.data), normalised:
plans, sections, goals, measures, duties (measure × agency), targets, with
primary and foreign keys. The file must be byte-identical across builds of the
same content: it is built in memory by the same statements in the same order,
in one transaction with a fixed page size, and SQLite places pages by those
alone (no VACUUM: it cost 0.3 s at 1,000 plans to save under 2 % of the
bytes); SQLite stores no timestamps in the file. (Bytes do depend on the
SQLite library's version, which the header records: builds are identical on
one machine.)
"""

from __future__ import annotations

import sqlite3

from sitegen.content.model import Site
from sitegen.outputs.data import SCHEMA_VERSION, Data, path_text, plan_id, walk_sections
from sitegen.site import urls
from sitegen.site.derive import Indexes

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE plans (
  id TEXT PRIMARY KEY, position INTEGER NOT NULL, district TEXT NOT NULL, district_name TEXT NOT NULL,
  year INTEGER NOT NULL, title TEXT NOT NULL, subtitle TEXT, status TEXT NOT NULL, issuer TEXT, date TEXT,
  updated TEXT, publicity TEXT, follows TEXT, shape TEXT, source_file TEXT, source_url TEXT, notice TEXT,
  intro TEXT, closing TEXT, notes TEXT, url TEXT NOT NULL, json_url TEXT NOT NULL, csv_url TEXT NOT NULL,
  targets_csv_url TEXT NOT NULL
);
CREATE TABLE sections (
  plan_id TEXT NOT NULL REFERENCES plans(id), ref TEXT NOT NULL, position INTEGER NOT NULL,
  parent_ref TEXT, depth INTEGER NOT NULL, id TEXT, number TEXT, title TEXT, text TEXT, note TEXT,
  path TEXT NOT NULL,
  PRIMARY KEY (plan_id, ref),
  FOREIGN KEY (plan_id, parent_ref) REFERENCES sections(plan_id, ref)
);
CREATE TABLE goals (
  plan_id TEXT NOT NULL REFERENCES plans(id), id TEXT NOT NULL, position INTEGER NOT NULL,
  section_ref TEXT, number TEXT, text TEXT NOT NULL, url TEXT NOT NULL,
  PRIMARY KEY (plan_id, id),
  FOREIGN KEY (plan_id, section_ref) REFERENCES sections(plan_id, ref)
);
CREATE TABLE measures (
  plan_id TEXT NOT NULL REFERENCES plans(id), id TEXT NOT NULL, position INTEGER NOT NULL,
  section_ref TEXT NOT NULL, section_path TEXT NOT NULL, number TEXT, label TEXT, text TEXT NOT NULL,
  responsibility TEXT, supporting TEXT, task_type TEXT, no_agency INTEGER NOT NULL, themes TEXT NOT NULL,
  theme_names TEXT NOT NULL, note TEXT, url TEXT NOT NULL,
  PRIMARY KEY (plan_id, id),
  FOREIGN KEY (plan_id, section_ref) REFERENCES sections(plan_id, ref)
);
CREATE TABLE duties (
  plan_id TEXT NOT NULL, measure_id TEXT NOT NULL, position INTEGER NOT NULL,
  name TEXT NOT NULL, role TEXT NOT NULL, role_class TEXT NOT NULL, kind TEXT NOT NULL,
  kind_label TEXT NOT NULL, former INTEGER NOT NULL, duty_url TEXT NOT NULL,
  PRIMARY KEY (plan_id, measure_id, position),
  FOREIGN KEY (plan_id, measure_id) REFERENCES measures(plan_id, id)
);
CREATE TABLE targets (
  plan_id TEXT NOT NULL REFERENCES plans(id), position INTEGER NOT NULL,
  owner_type TEXT NOT NULL, owner_id TEXT NOT NULL, metric TEXT NOT NULL, metric_name TEXT NOT NULL,
  value REAL NOT NULL, value_max REAL, unit TEXT NOT NULL, qualifier TEXT, scope TEXT, words TEXT NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (plan_id, position)
);
CREATE INDEX duties_kind ON duties(kind);
CREATE INDEX targets_metric ON targets(metric);
"""

PAGE_SIZE = 4096


def sqlite_bytes(site: Site, idx: Indexes) -> bytes:
    # Built in memory and serialised: no temporary file, so this stage stays off the disk.
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        con.executescript(SCHEMA)
        with con:
            _fill(con, Data(site, idx))
        return con.serialize()
    finally:
        con.close()


class _Table:
    """Rows of one table, inserted together (one executemany per plan, not one execute per row)."""

    def __init__(self, name: str, columns: tuple[str, ...]):
        self.sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self.rows: list[tuple] = []

    def flush(self, con: sqlite3.Connection) -> None:
        con.executemany(self.sql, self.rows)
        self.rows = []


PLAN_COLUMNS = ("id", "position", "district", "district_name", "year", "title", "subtitle", "status", "issuer",
                "date", "updated", "publicity", "follows", "shape", "source_file", "source_url", "notice", "intro",
                "closing", "notes", "url", "json_url", "csv_url", "targets_csv_url")
SECTION_COLUMNS = ("plan_id", "ref", "position", "parent_ref", "depth", "id", "number", "title", "text", "note",
                   "path")
GOAL_COLUMNS = ("plan_id", "id", "position", "section_ref", "number", "text", "url")
MEASURE_COLUMNS = ("plan_id", "id", "position", "section_ref", "section_path", "number", "label", "text",
                   "responsibility", "supporting", "task_type", "no_agency", "themes", "theme_names", "note", "url")
DUTY_COLUMNS = ("plan_id", "measure_id", "position", "name", "role", "role_class", "kind", "kind_label", "former",
                "duty_url")
TARGET_COLUMNS = ("plan_id", "position", "owner_type", "owner_id", "metric", "metric_name", "value", "value_max",
                  "unit", "words", "url", "qualifier", "scope")


def _fill(con: sqlite3.Connection, data: Data) -> None:
    con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", SCHEMA_VERSION), ("base_url", data.base)])
    tables = [_Table(n, c) for n, c in (("plans", PLAN_COLUMNS), ("sections", SECTION_COLUMNS),
                                        ("goals", GOAL_COLUMNS), ("measures", MEASURE_COLUMNS),
                                        ("duties", DUTY_COLUMNS), ("targets", TARGET_COLUMNS))]
    for position, plan in enumerate(data.plans, 1):
        plans, sections, goals, measures, duties, targets = (t.rows for t in tables)  # emptied by each flush
        pid, d, y = plan_id(plan), plan.district, plan.year
        plans.append((
            pid, position, d, data.idx.district_names[d], y, plan.title, plan.subtitle, plan.status.value,
            plan.issuer, plan.date.isoformat() if plan.date else None,
            plan.updated.isoformat() if plan.updated else None, plan.publicity, plan.follows, plan.shape,
            plan.source.file if plan.source else None, plan.source.url if plan.source else None,
            plan.notice, plan.intro, plan.closing, plan.notes, data.url(urls.plan(d, y)),
            data.url(urls.data_plan(d, y, "json")), data.url(urls.data_plan(d, y, "csv")),
            data.url(urls.data_plan(d, y, "targets.csv"))))
        # Rows straight from the model, as plan_doc() would give them (test_data checks them against the CSVs).
        duty_of, kinds, url = data.idx.duties, data.kinds, data.url
        for g in plan.goals:
            goals.append((pid, g.id, len(goals) + 1, None, g.number, g.text, url(urls.measure(d, y, g.id))))
        for i, e in enumerate(walk_sections(plan), 1):
            s, ref = e.section, e.ref
            path = path_text(e.trail)
            sections.append((pid, ref, i, e.parent, len(e.trail), s.id, s.number, s.title, s.text, s.note, path))
            for g in s.goals:
                goals.append((pid, g.id, len(goals) + 1, ref, g.number, g.text, url(urls.measure(d, y, g.id))))
            for m in s.measures:
                mid = m.id
                measures.append((pid, mid, len(measures) + 1, ref, path, m.number, m.label, m.text,
                                 m.responsibility, m.supporting, m.task_type.value if m.task_type else None,
                                 int(m.no_agency), *data.theme_cells(m.themes), m.note,
                                 url(urls.measure(d, y, mid))))
                for j, a in enumerate(duty_of[(plan.key, mid)], 1):
                    duties.append((pid, mid, j, a.name, a.role, a.role_class, a.kind, kinds[a.kind].label,
                                   int(a.former), url(urls.duty_measure(a.kind, d, y, mid))))
        for i, t in enumerate(data.target_rows(plan), 1):
            # absent is NULL here, an empty cell in the CSV
            targets.append((pid, i, t["owner_type"], t["owner_id"], t["metric"], t["metric_name"], t["value"],
                            t["value_max"], t["unit"], t["words"], t["url"], t["qualifier"] or None,
                            t["scope"] or None))
        for t in tables:
            t.flush(con)
