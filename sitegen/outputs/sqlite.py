"""All the data as one SQLite file, for Datasette, Datasette Lite or any SQL client.

The same rows as the CSV and JSON files (built from outputs.data), normalised:
plans, sections, goals, measures, duties (measure × agency), targets, with
primary and foreign keys. The file must be byte-identical across builds of the
same content, so it is written in one transaction with a fixed page size and
then VACUUMed (which rewrites the pages in a deterministic order); SQLite
stores no timestamps in the file. (Bytes do depend on the SQLite library's
version, which the header records: builds are identical on one machine.)
"""

from __future__ import annotations

import sqlite3

from .. import urls
from ..derive import Indexes
from ..model import Site
from .data import SCHEMA_VERSION, Data, path_text, plan_id, walk_sections

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


def sqlite_file(site: Site, idx: Indexes) -> dict[str, bytes]:
    # Built in memory and serialised: no temporary file, so this stage stays off the disk.
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        con.executescript(SCHEMA)
        with con:
            _fill(con, Data(site, idx))
        con.execute("VACUUM")
        return {str(urls.output_path(urls.data_all("sqlite"))): con.serialize()}
    finally:
        con.close()


def _insert(con: sqlite3.Connection, table: str, row: dict) -> None:
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def _fill(con: sqlite3.Connection, data: Data) -> None:
    _insert(con, "meta", {"key": "schema_version", "value": SCHEMA_VERSION})
    _insert(con, "meta", {"key": "base_url", "value": data.base})
    for position, plan in enumerate(data.plans, 1):
        pid, d, y = plan_id(plan), plan.district, plan.year
        _insert(con, "plans", {
            "id": pid, "position": position, "district": d, "district_name": data.idx.district_names[d], "year": y,
            "title": plan.title, "subtitle": plan.subtitle, "status": plan.status.value, "issuer": plan.issuer,
            "date": plan.date.isoformat() if plan.date else None,
            "updated": plan.updated.isoformat() if plan.updated else None,
            "publicity": plan.publicity, "follows": plan.follows, "shape": plan.shape,
            "source_file": plan.source.file if plan.source else None,
            "source_url": plan.source.url if plan.source else None,
            "notice": plan.notice, "intro": plan.intro, "closing": plan.closing, "notes": plan.notes,
            "url": data.url(urls.plan(d, y)), "json_url": data.url(urls.data_plan(d, y, "json")),
            "csv_url": data.url(urls.data_plan(d, y, "csv")),
            "targets_csv_url": data.url(urls.data_plan(d, y, "targets.csv"))})
        doc = data.plan_doc(plan)
        for i, e in enumerate(walk_sections(plan), 1):
            s = e.section
            _insert(con, "sections", {"plan_id": pid, "ref": e.ref, "position": i, "parent_ref": e.parent,
                                      "depth": len(e.trail), "id": s.id, "number": s.number, "title": s.title,
                                      "text": s.text, "note": s.note, "path": path_text(e.trail)})
        for i, g in enumerate(doc["goals"], 1):
            _insert(con, "goals", {"plan_id": pid, "id": g["id"], "position": i, "section_ref": g["section"],
                                   "number": g["number"], "text": g["text"], "url": g["url"]})
        by_row = {r["measure_id"]: r for r in data.measure_rows(plan)}
        for i, m in enumerate(doc["measures"], 1):
            row = by_row[m["id"]]
            _insert(con, "measures", {
                "plan_id": pid, "id": m["id"], "position": i, "section_ref": m["section"],
                "section_path": row["section_path"], "number": m["number"], "label": m["label"], "text": m["text"],
                "responsibility": m["responsibility"], "supporting": m["supporting"], "task_type": m["task_type"],
                "no_agency": int(m["no_agency"]), "themes": row["themes"], "theme_names": row["theme_names"],
                "note": m["note"], "url": m["url"]})
            for j, a in enumerate(m["agencies"], 1):
                _insert(con, "duties", {"plan_id": pid, "measure_id": m["id"], "position": j, "name": a["name"],
                                        "role": a["role"], "role_class": a["role_class"], "kind": a["kind"],
                                        "kind_label": a["kind_label"], "former": int(a["former"]),
                                        "duty_url": a["duty_url"]})
        for i, t in enumerate(data.target_rows(plan), 1):
            _insert(con, "targets", {"plan_id": pid, "position": i,
                                     **{k: t[k] for k in ("owner_type", "owner_id", "metric", "metric_name", "value",
                                                          "value_max", "unit", "words", "url")},
                                     # absent is NULL here, an empty cell in the CSV
                                     "qualifier": t["qualifier"] or None, "scope": t["scope"] or None})
