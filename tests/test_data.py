"""The data files: documented fields, a plan's model round-trips through its JSON, the CSVs
open as Excel and pandas expect, the SQLite file holds the CSVs' rows, index.json lists
every plan and every URL in it exists, and each task's permanent URL reaches its anchor."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path

import pytest
from building import build_files, project_in

from sitegen.content.model import AgencyRef, Goal, Measure, Plan, Section, Target
from sitegen.content import load_site
from sitegen.outputs.data import MEASURE_COLUMNS, SCHEMA_VERSION, TARGET_COLUMNS, ordered_plans
from sitegen.site import urls
from sitegen.site.derive import derive

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    files = build_files(project_in(tmp_path_factory.mktemp("built"), ROOT / "content"))
    site = load_site(ROOT / "content").site
    return files, site, derive(site)


@pytest.fixture(scope="module")
def files(built):
    return built[0]


@pytest.fixture(scope="module")
def site(built):
    return built[1]


@pytest.fixture(scope="module")
def base(site):
    return site.info.base_url


def out(url: str) -> str:
    return str(urls.output_path(url))


def local(base: str, url: str) -> str:
    assert url.startswith(base + "/"), url
    return url[len(base):]


def read_json(files, url: str) -> dict:
    return json.loads(files[out(url)])


def read_csv(files, url: str) -> list[dict]:
    data = files[out(url)]
    assert data.startswith(BOM), f"{url} has no BOM: Excel would read it as GBK"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_header(files, url: str) -> list[str]:
    return next(csv.reader(io.StringIO(files[out(url)].decode("utf-8-sig"))))


def documented(heading: str) -> list[str]:
    """The names in the first column of the table under `heading` in docs/data.md."""
    lines = DOCS.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0].splitlines()
    return [m.group(1) for line in lines if (m := re.match(r"\| `([^`]+)` \|", line))]


def ids_on(files, page_url: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', files[out(page_url)].decode("utf-8")))


# --- documented fields ------------------------------------------------------------


def test_csv_headers_are_the_documented_columns_and_every_csv_has_a_bom(files, site):
    assert documented("## Measures CSV") == list(MEASURE_COLUMNS)
    assert documented("## Targets CSV") == list(TARGET_COLUMNS)
    csvs = [k for k in files if k.startswith("data/") and k.endswith(".csv")]
    assert len(csvs) > 2 * len(site.plans)
    for path in csvs:
        assert files[path].startswith(BOM), path
        assert files[path].split(b"\n", 1)[0].endswith(b"\r"), f"{path}: rows end in CRLF, as Excel writes them"
        expected = TARGET_COLUMNS if path.endswith("targets.csv") or path.startswith("data/metrics/") else MEASURE_COLUMNS
        assert csv_header(files, "/" + path) == list(expected), path


def test_plan_json_fields_are_the_documented_ones(files, site):
    for plan in site.plans:
        doc = read_json(files, urls.data_plan(plan.district, plan.year, "json"))
        assert doc["schema_version"] == SCHEMA_VERSION
        assert set(doc) == {"schema_version", "plan", "goals", "sections", "measures"}
        assert list(doc["plan"]) == documented("### plan")
        for s in doc["sections"]:
            assert set(s) == set(documented("### sections"))
        for g in doc["goals"]:
            assert set(g) == set(documented("### goals"))
        for m in doc["measures"]:
            assert set(m) == set(documented("### measures"))
            for a in m["agencies"]:
                assert set(a) == set(documented("### agencies"))
            for t in m["targets"]:
                assert set(t) == set(documented("### targets"))
    index = read_json(files, urls.data_index())
    assert list(index) == documented("## index.json")
    assert all(list(p) == documented("### index.json plans") for p in index["plans"])


def test_schema_version_is_the_documented_one():
    assert f"**Schema version: `{SCHEMA_VERSION}`.**" in DOCS


def test_sqlite_tables_are_the_documented_ones(files):
    rows = [line for line in DOCS.split("\n## SQLite\n", 1)[1].splitlines() if line.startswith("| `")]
    documented_tables = {}
    for line in rows:
        table, _key, columns = [c.strip() for c in line.strip("|").split("|")]
        documented_tables[table.strip("`")] = re.findall(r"`([^`]+)`", columns.split(":")[0])
    with closing(sqlite(files)) as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table' order by name")]
        assert sorted(documented_tables) == tables
        for t in tables:
            assert [r[1] for r in con.execute(f"pragma table_info({t})")] == documented_tables[t], t


# --- JSON: the model round-trips -----------------------------------------------------


def rebuild(doc: dict) -> Plan:
    """The Plan record, from nothing but its JSON."""
    strip = lambda d, model: {k: d[k] for k in model.model_fields if k in d}  # noqa: E731
    targets = lambda ts: tuple(Target(**strip(t, Target)) for t in ts)  # noqa: E731
    goals, measures = defaultdict(list), defaultdict(list)
    for g in doc["goals"]:
        goals[g["section"]].append(Goal(**{**strip(g, Goal), "targets": targets(g["targets"])}))
    for m in doc["measures"]:
        fields = strip(m, Measure)
        fields["agencies"] = tuple(AgencyRef(name=a["name"], role=a["role"]) for a in m["agencies"])
        fields["targets"] = targets(m["targets"])
        measures[m["section"]].append(Measure(**fields))
    children = defaultdict(list)
    for s in doc["sections"]:
        children[s["parent"]].append(s)

    def section(s: dict) -> Section:
        fields = {k: s[k] for k in ("id", "number", "title", "text", "note")}
        return Section(**fields, goals=tuple(goals[s["ref"]]), measures=tuple(measures[s["ref"]]),
                       items=tuple(section(c) for c in children[s["ref"]]))

    meta = strip(doc["plan"], Plan)
    return Plan(**meta, goals=tuple(goals[None]), parts=tuple(section(s) for s in children[None]))


def test_each_plan_rebuilds_from_its_json_exactly(files, site):
    all_json = read_json(files, urls.data_all("json"))
    by_id = {d["plan"]["id"]: d for d in all_json["plans"]}
    for plan in site.plans:
        doc = read_json(files, urls.data_plan(plan.district, plan.year, "json"))
        assert rebuild(doc) == plan, plan.key
        assert by_id[f"{plan.district}-{plan.year}"] == {k: v for k, v in doc.items() if k != "schema_version"}
    assert len(all_json["plans"]) == len(site.plans)


def test_json_agencies_carry_the_registry_kind_and_name_as_written(built):
    files, site, idx = built
    for plan in site.plans:
        doc = read_json(files, urls.data_plan(plan.district, plan.year, "json"))
        for m in doc["measures"]:
            duties = idx.duties[(plan.key, m["id"])]
            assert [(a["name"], a["kind"], a["role"], a["role_class"]) for a in m["agencies"]] == \
                   [(d.name, d.kind, d.role, d.role_class) for d in duties]


def test_section_path_is_the_printed_numbers_and_titles(files, site):
    doc = read_json(files, urls.data_plan("hedong", 2024, "json"))
    m = next(m for m in doc["measures"] if m["id"] == "party-school-training")
    assert m["section_path"] == [{"number": "一、", "title": "坚持责任导向，完善工作体系"},
                                 {"number": "（二）", "title": "夯实“两个责任”。"}]
    row = next(r for r in read_csv(files, urls.data_plan("hedong", 2024, "csv")) if r["measure_id"] == m["id"])
    assert row["section_path"] == "一、坚持责任导向，完善工作体系 › （二）夯实“两个责任”。"


# --- CSV ------------------------------------------------------------------------------


def test_measures_csv_has_a_row_per_measure_and_agency(built, base):
    files, site, idx = built
    total = []
    for plan in ordered_plans(idx):
        rows = read_csv(files, urls.data_plan(plan.district, plan.year, "csv"))
        expected = []
        for m in plan.measures():
            names = [a.name for a in m.agencies] or [""]
            expected += [(m.id, m.text, n) for n in names]
        assert [(r["measure_id"], r["text"], r["agency_name"]) for r in rows] == expected
        assert all(r["url"] == base + urls.measure(plan.district, plan.year, r["measure_id"]) for r in rows)
        assert {r["no_agency"] for r in rows} <= {"true", "false"}
        total += rows
    assert read_csv(files, urls.data_all("csv")) == total


def _edit_measure(plan: Plan, mid: str, **changes) -> Plan:
    def section(s: Section) -> Section:
        return s.model_copy(update={
            "measures": tuple(m.model_copy(update=changes) if m.id == mid else m for m in s.measures),
            "items": tuple(section(i) for i in s.items)})
    return plan.model_copy(update={"parts": tuple(section(s) for s in plan.parts)})


def test_csv_lines_are_what_one_writerow_of_the_whole_row_writes(site):
    """measure_lines writes a measure's cells once and each duty's after them: every line must be
    the bytes csv.writer makes of the whole row, quoting included."""
    from sitegen.outputs.data import Data

    plan = next(p for p in site.plans if any(m.agencies for m in p.measures()) and
                any(not m.agencies for m in p.measures()))
    m = next(m for m in plan.measures() if len(m.agencies) > 1)
    awkward = 'a,b "引号"\r\n第二行,'
    edited = _edit_measure(plan, m.id, text=awkward, label='标签,"')
    site2 = site.model_copy(update={"plans": tuple(edited if p is plan else p for p in site.plans)})
    lines = Data(site2, derive(site2)).measure_lines(edited)
    assert {i for (mid, i) in lines if mid == m.id} == set(range(len(m.agencies)))
    assert any(i == -1 for _, i in lines)  # a measure naming no agency has its line too
    for line in lines.values():
        cells = next(csv.reader(io.StringIO(line, newline="")))
        assert len(cells) == len(MEASURE_COLUMNS)
        again = io.StringIO()
        csv.writer(again, lineterminator="\r\n").writerow(cells)
        assert again.getvalue() == line
    row = dict(zip(MEASURE_COLUMNS, next(csv.reader(io.StringIO(lines[(m.id, 1)], newline="")))))
    assert (row["text"], row["label"], row["agency_name"]) == (awkward, '标签,"', m.agencies[1].name)


def test_targets_csv_round_trips_every_target(built):
    files, site, idx = built
    for plan in site.plans:
        rows = read_csv(files, urls.data_plan(plan.district, plan.year, "targets.csv"))
        owners = {o.id: o for o in plan.all_goals() + plan.measures()}
        rebuilt = [Target(metric=r["metric"], value=float(r["value"]),
                          value_max=float(r["value_max"]) if r["value_max"] else None, unit=r["unit"],
                          qualifier=r["qualifier"] or None, scope=r["scope"] or None, words=r["words"]) for r in rows]
        assert sorted(rebuilt, key=repr) == sorted((t for o in owners.values() for t in o.targets), key=repr)
        assert all(r["words"] in owners[r["owner_id"]].text for r in rows)
        # read as printed: 14800, not 14800.0
        assert not any(r["value"].endswith(".0") for r in rows)


def test_metric_csv_lists_every_value_of_the_metric_even_when_empty(built, base):
    files, site, idx = built
    for metric in site.metrics:
        rows = read_csv(files, urls.data_metric(metric.slug))
        placed = idx.by_metric.get(metric.slug, ())
        assert [(r["district"], int(r["year"]), float(r["value"]), r["unit"], r["qualifier"], r["scope"])
                for r in rows] == [(p.plan.district, p.plan.year, p.target.value, p.target.unit,
                                    p.target.qualifier or "", p.target.scope or "") for p in placed]
        for r in rows:  # the task URL reaches the goal or task on its plan page
            page, anchor = local(base, r["url"]).split("#")
            assert anchor in ids_on(files, page)
    empty = [m.slug for m in site.metrics if m.slug not in idx.by_metric]
    for slug in empty:
        assert files[out(urls.data_metric(slug))] == BOM + (",".join(TARGET_COLUMNS) + "\r\n").encode()


def test_duty_csv_rows_are_the_tasks_of_its_page(built, base):
    files, site, idx = built
    for kind, by_district in idx.by_agency.items():
        for district, mentions in by_district.items():
            rows = read_csv(files, urls.data_duty(kind, district))
            assert [(int(r["year"]), r["measure_id"], r["role"]) for r in rows] == \
                   [(m.placed.plan.year, m.placed.measure.id, m.duty.role) for m in mentions]
            assert {r["agency_kind"] for r in rows} == {kind}
            page_ids = ids_on(files, urls.duty(kind, district))
            for r in rows:
                page, anchor = local(base, r["duty_url"]).split("#")
                assert page == urls.duty(kind, district) and anchor in page_ids


# --- SQLite ---------------------------------------------------------------------------


def sqlite(files) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.deserialize(files[out(urls.data_all("sqlite"))])
    con.row_factory = sqlite3.Row
    return con


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else str(v)
    return str(v)


def test_sqlite_holds_the_same_rows_as_the_csvs(files):
    with closing(sqlite(files)) as con:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert con.execute("pragma foreign_key_check").fetchall() == []
        assert dict(con.execute("select key, value from meta").fetchall())["schema_version"] == SCHEMA_VERSION
        measures = con.execute("""
            select p.id as plan_id, p.district, p.district_name, p.year, p.title as plan_title, p.status,
                   m.id as measure_id, m.number, m.label, m.section_path, m.text, m.responsibility, m.task_type,
                   m.themes, m.theme_names, m.no_agency, d.name as agency_name, d.kind as agency_kind,
                   d.kind_label as agency_kind_label, d.role, d.role_class, d.former, m.url, d.duty_url
            from measures m join plans p on p.id = m.plan_id
            left join duties d on d.plan_id = m.plan_id and d.measure_id = m.id
            order by p.position, m.position, d.position""").fetchall()
        targets = con.execute("""
            select p.id as plan_id, p.district, p.district_name, p.year, p.title as plan_title, p.status, t.*
            from targets t join plans p on p.id = t.plan_id order by p.position, t.position""").fetchall()
        goals = con.execute("""select g.plan_id, g.position, g.id, g.section_ref, g.number, g.text, g.url
            from goals g join plans p on p.id = g.plan_id order by p.position, g.position""").fetchall()
        sections = con.execute("""select s.plan_id, s.ref, s.position, s.parent_ref, s.depth, s.id, s.number,
            s.title, s.text, s.note from sections s join plans p on p.id = s.plan_id
            order by p.position, s.position""").fetchall()

    def as_csv(row, columns, flags):
        out_ = {}
        for c in columns:
            v = row[c]
            out_[c] = ("true" if v else "false") if c in flags and v is not None else _text(v)
        return out_

    csv_measures = read_csv(files, urls.data_all("csv"))
    assert len(measures) == len(csv_measures)
    # Goals and sections, which the CSVs do not carry, as each plan's JSON lists them.
    docs = read_json(files, urls.data_all("json"))["plans"]
    assert [(d["plan"]["id"], i, g["id"], g["section"], g["number"], g["text"], g["url"])
            for d in docs for i, g in enumerate(d["goals"], 1)] == [tuple(r) for r in goals]
    assert [(d["plan"]["id"], s["ref"], i, s["parent"], s["depth"], s["id"], s["number"], s["title"], s["text"],
             s["note"]) for d in docs for i, s in enumerate(d["sections"], 1)] == [tuple(r) for r in sections]
    assert goals and sections
    assert [as_csv(r, MEASURE_COLUMNS, {"no_agency", "former"}) for r in measures] == csv_measures
    assert [as_csv(r, TARGET_COLUMNS, set()) for r in targets] == read_csv(files, urls.data_all("targets.csv"))


def test_sqlite_file_is_byte_identical_across_builds(files, tmp_path):
    again = build_files(project_in(tmp_path, ROOT / "content"))
    assert again[out(urls.data_all("sqlite"))] == files[out(urls.data_all("sqlite"))]


# --- index.json, links and citations --------------------------------------------------------


def _urls_in(value):
    if isinstance(value, str) and value.startswith("http"):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _urls_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _urls_in(v)


def test_index_lists_every_plan_and_every_url_in_it_exists(files, site, base):
    index = read_json(files, urls.data_index())
    assert index["schema_version"] == SCHEMA_VERSION
    assert sorted((p["district"], p["year"]) for p in index["plans"]) == sorted((p.district, p.year) for p in site.plans)
    found = list(_urls_in({k: v for k, v in index.items() if k != "base_url"}))
    assert len(found) > 5 * len(site.plans)
    for url in found:
        assert out(local(base, url)) in files, url
    # and every data file but the catalogue itself is in it
    listed = {out(local(base, u)) for u in found}
    assert {k for k in files if k.startswith("data/")} - listed == {out(urls.data_index())}


def test_every_download_and_feed_a_page_links_exists(files):
    linked = set()
    for path, data in files.items():
        if path.endswith(".html"):
            linked |= set(re.findall(r'href="(/(?:data|feeds)/[^"]+)"', data.decode("utf-8")))
    assert any(u.endswith(".sqlite") for u in linked) and any(u.endswith(".atom") for u in linked)
    for url in linked:
        assert out(url) in files, url


def test_each_task_permanent_url_resolves_to_its_anchor(files, site, base):
    for plan in site.plans:
        doc = read_json(files, urls.data_plan(plan.district, plan.year, "json"))
        page_ids = ids_on(files, urls.plan(plan.district, plan.year))
        for item in doc["measures"] + doc["goals"]:
            page, anchor = local(base, item["url"]).split("#")
            assert page == urls.plan(plan.district, plan.year) and anchor == item["id"] in page_ids
        for m in doc["measures"]:
            for url in m["duty_urls"] + [a["duty_url"] for a in m["agencies"]]:
                page, anchor = local(base, url).split("#")
                assert anchor in ids_on(files, page), url


def test_every_diff_page_has_its_json_listed_in_the_index(files, site, base):
    from sitegen.diff import diff_plans, to_json
    from sitegen.site.diffs import site_diffs

    specs = site_diffs(site)
    assert specs, "the seeds have the configured comparisons"
    entries = read_json(files, urls.data_index())["diffs"]
    assert [e["url"] for e in entries] == sorted(base + s.url for s in specs)
    for spec in specs:
        doc = read_json(files, spec.data_url)
        assert doc == {"schema_version": SCHEMA_VERSION, **json.loads(json.dumps(to_json(diff_plans(spec.old, spec.new, site)),
                                                                             ensure_ascii=False))}
        entry = next(e for e in entries if e["url"] == base + spec.url)
        assert entry == {"key": spec.key, "kind": spec.kind, "title": spec.title,
                         "old": f"{spec.old.district}-{spec.old.year}", "new": f"{spec.new.district}-{spec.new.year}",
                         "url": base + spec.url, "json": base + spec.data_url}


def test_json_files_are_written_as_the_standard_library_writes_them():
    """orjson writes the downloads for speed; the bytes are those of compact json.dumps."""
    from sitegen.outputs.data import to_json

    doc = {"标题": "“食品”安全\t\n\\\"</script>", "值": [98.5, 0.1, 3, -2, 1e15, None, True, False],
           "嵌套": {"u2028": "\u2028\u2029", "ctl": "\x00\x1f\x7f", "emoji": "🍚"}, "空": {}, "表": []}
    assert to_json(doc) == (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
