"""The diff engine on named fixture pairs, its properties, and `sitegen diff`.

Each folder in tests/fixtures/diff/ holds old.yaml, new.yaml (made-up plans of
the district `alpha`, checked against the registries of tests/fixtures/valid/minimal)
and expect.txt: every change the diff must report, one line each, in order:

    goal|measure <status> <old ids> -> <new ids>       ids joined with +, - for none
    ops <anchor> <text with [-deleted-] and {+inserted+}, line breaks as ¶>
    target <status> <metric> <old value unit> -> <new value unit> <delta> <relative> <verdict>
    agency <kind> <gained|lost|role|renamed> <measure id> <role, or old -> new>
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from sitegen.content import load_plan, load_site
from sitegen.diff import Differ, diff_plans, to_json, to_text
from sitegen.diff.model import PlanDiff
from sitegen.site.diffs import site_diffs

FIXTURES = Path(__file__).parent / "fixtures"
REGISTRIES = FIXTURES / "valid" / "minimal"
CASES_DIR = FIXTURES / "diff"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expect.txt").is_file())
ROOT = Path(__file__).parent.parent
PROJECT_CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def site():
    return load_site(REGISTRIES).site


def _load(site, case: str, which: str):
    return load_plan(CASES_DIR / case / f"{which}.yaml", site, REGISTRIES)


def _ids(ids) -> str:
    return "+".join(ids) or "-"


def _value(side) -> str:
    return f"{side.value:g} {side.unit}" if side else "-"


def _marked(ops) -> str:
    text = "".join(s.text if s.op == "equal" else f"[-{s.text}-]" if s.op == "delete" else f"{{+{s.text}+}}"
                   for s in ops)
    return text.replace("\n", "¶")


def project(d: PlanDiff) -> list[str]:
    """The diff as expect.txt lines."""
    lines = []
    for c in d.goals + d.measures:
        lines.append(f"{c.unit} {c.status} {_ids(c.old_ids)} -> {_ids(c.new_ids)}")
        if c.ops:
            lines.append(f"ops {c.anchor} {_marked(c.ops)}")
    for t in d.targets:
        line = f"target {t.status} {t.metric} {_value(t.old)} -> {_value(t.new)}"
        if t.delta:
            line += f" {t.delta.absolute:+g} {t.delta.relative:+.1%} {t.delta.verdict}".replace("+0 +0.0%", "0 0.0%")
        elif t.status == "changed":
            line += " " + " ".join(w for w, f in (("unit", t.unit_changed), ("qualifier", t.qualifier_changed),
                                                  ("range", t.range_changed)) if f)
        lines.append(line)
    for k in d.agencies:
        for what, items in (("gained", k.gained), ("lost", k.lost), ("role", k.role_changes),
                            ("renamed", k.renames)):
            for i in items:
                mid = i.change.new_id or i.change.old_id
                if what == "gained":
                    detail = i.new_role
                elif what == "lost":
                    detail = i.old_role
                elif what == "role":
                    detail = f"{i.old_role} -> {i.new_role}"
                else:
                    detail = f"{i.old_name} -> {i.new_name}"
                lines.append(f"agency {k.kind} {what} {mid} {detail}")
    return lines


def _expected(case: str) -> list[str]:
    text = (CASES_DIR / case / "expect.txt").read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("case", CASES)
def test_fixture_case(site, case):
    d = diff_plans(_load(site, case, "old"), _load(site, case, "new"), site)
    assert project(d) == _expected(case)


def test_every_case_of_the_issue_has_a_fixture():
    assert set(CASES) >= {"reworded", "moved", "added", "removed", "renumbered", "reordered", "ids-changed",
                          "target-up", "target-down", "unit-changed", "role-swap", "agency-renamed", "split",
                          "merged"}


# --- properties -------------------------------------------------------------------------------


def _all_plans(site):
    """Every fixture plan and the published ones: the inputs the properties run over."""
    plans = [_load(site, c, w) for c in CASES for w in ("old", "new")]
    return plans


@pytest.fixture(scope="module")
def published():
    from sitegen.build.pipeline import published as without_drafts

    return without_drafts(load_site(PROJECT_CONTENT).site)  # what the site shows: no 草稿 an editor has started


def test_a_plan_diffed_with_itself_is_all_unchanged(site, published):
    for s, plans in ((site, _all_plans(site)), (published, published.plans)):
        for p in plans:
            d = diff_plans(p, p, s)
            assert {c.status for c in d.measures + d.goals} <= {"unchanged"}, p.key
            assert len(d.measures) == len(p.measures())
            assert all(t.status == "unchanged" for t in d.targets)
            assert not d.agencies and not any(c.ops or c.agency_changes for c in d.measures)


_MIRROR = {"added": "removed", "removed": "added", "split": "merged", "merged": "split"}


def _pairs(d: PlanDiff, flip: bool):
    out = set()
    for c in d.measures + d.goals:
        old, new = (c.new_ids, c.old_ids) if flip else (c.old_ids, c.new_ids)
        status = _MIRROR.get(c.status, c.status) if flip else c.status
        out.add((c.unit, status, old, new, c.moved))
    return out


def _mirror_cases(site, published):
    pairs = [(site, _load(site, c, "old"), _load(site, c, "new")) for c in CASES]
    ps = published.plans
    pairs += [(published, a, b) for a, b in zip(ps, ps[1:])]
    return pairs


def test_diff_a_b_mirrors_diff_b_a(site, published):
    for s, a, b in _mirror_cases(site, published):
        ab, ba = diff_plans(a, b, s), diff_plans(b, a, s)
        assert _pairs(ab, False) == _pairs(ba, True), (a.key, b.key)
        # Character operations mirror too: what one deletes, the other inserts.
        flip = {"delete": "insert", "insert": "delete", "equal": "equal"}
        by_old = {c.old_ids: c for c in ab.measures}
        for c in ba.measures:
            if c.ops and c.new_ids in by_old:
                mine = "".join(x.text for x in c.ops if x.op == "delete")
                theirs = "".join(x.text for x in by_old[c.new_ids].ops if flip[x.op] == "delete")
                assert mine == theirs
        # What one kind gained one way it lost the other; role changes and renames turn round.
        for k in ab.agencies:
            other = next(x for x in ba.agencies if x.kind == k.kind)
            assert sorted(i.change.old_ids for i in k.gained) == sorted(i.change.new_ids for i in other.lost)
            assert sorted((i.old_role, i.new_role) for i in k.role_changes) == \
                sorted((i.new_role, i.old_role) for i in other.role_changes)
        assert [k.kind for k in ab.agencies] == [k.kind for k in ba.agencies]
        ta = sorted((t.metric, _value(t.old), _value(t.new)) for t in ab.targets)
        tb = sorted((t.metric, _value(t.new), _value(t.old)) for t in ba.targets)
        assert ta == tb
        for t in ab.targets:
            if t.delta and t.delta.direction != "same":
                back = next(x for x in ba.targets if x.anchor == t.anchor)
                assert back.delta.absolute == -t.delta.absolute and back.delta.verdict != t.delta.verdict


def test_anchors_are_unique_and_ids_only(site, published):
    for s, a, b in _mirror_cases(site, published):
        d = diff_plans(a, b, s)
        anchors = [c.anchor for c in d.measures + d.goals] + [t.anchor for t in d.targets] + \
            [k.anchor for k in d.agencies] + [g.anchor for g in d.groups]
        assert len(anchors) == len(set(anchors))
        assert all(x.isascii() and " " not in x for x in anchors)


def test_segments_rebuild_both_texts(site, published):
    def shown(sides):
        return "\n".join((f"{s.label}\n" if s.label else "") + s.text for s in sides)

    diffs = [diff_plans(_load(site, c, "old"), _load(site, c, "new"), site) for c in CASES]
    labelled = load_plan(FIXTURES / "diff-labelled" / "new.yaml", published, PROJECT_CONTENT)
    diffs.append(diff_plans(next(p for p in published.plans if p.key == "jizhou/2018"), labelled, published))
    checked = 0
    for d in diffs:
        for c in d.measures + d.goals:
            if c.ops:
                assert "".join(s.text for s in c.old_segments) == shown(c.old)
                assert "".join(s.text for s in c.new_segments) == shown(c.new)
                checked += 1
    assert checked > 20


def test_groups_hold_every_measure_change_once(site):
    d = diff_plans(_load(site, "moved", "old"), _load(site, "moved", "new"), site)
    grouped = [c for g in d.groups for c in g.changes]
    assert sorted(c.anchor for c in grouped) == sorted(c.anchor for c in d.measures)
    by_anchor = {c.anchor: g for g in d.groups for c in g.changes}
    assert by_anchor["new-school-training"].title == ("落实食品安全责任", "加强组织领导。")


def test_filter_keys_count_changes_by_kind_and_theme(site):
    d = diff_plans(_load(site, "role-swap", "old"), _load(site, "role-swap", "new"), site)
    kinds = {k.slug: k.count for k in d.kinds}
    assert kinds["market-regulation"] == 1 and kinds["health"] == 1 and kinds["education"] == 0
    themes = {t.slug: t.count for t in d.themes}
    assert themes == {"leadership": 1, "sampling": 0, "school-food": 0}


def test_plans_of_two_districts_match_by_text_not_id(published):
    """Across districts an id says nothing; the text decides (and ids that happen to agree are ignored)."""
    ps = {p.key: p for p in published.plans}
    d = diff_plans(ps["wuqing/2022"], ps["hedong/2024"], published)
    assert not d.same_district
    assert all(c.link in (None, "text") for c in d.measures)


# --- the configured comparisons and the list of diffs ------------------------------------------


def test_site_diffs_lists_the_tianjin_comparisons_in_time_order(published):
    specs = site_diffs(published)
    comps = [s for s in specs if s.kind == "comparison"]
    assert [(s.old.key, s.new.key) for s in comps] == [
        ("jizhou/2018", "hongqiao/2020"), ("hongqiao/2020", "wuqing/2022"), ("wuqing/2022", "hedong/2024")]
    assert all("不同" in s.context for s in comps)
    assert all(s.url.startswith("/compare/") for s in comps)
    # One plan a district in the seeds: no consecutive-year diffs.
    assert not [s for s in specs if s.kind == "district"]


def test_site_diffs_pairs_consecutive_years(site):
    specs = site_diffs(site)
    assert [(s.key, s.old.year, s.new.year, s.url) for s in specs] == [
        ("alpha/2023-2024", 2023, 2024, "/diffs/alpha/2023-2024/")]


# --- the CLI ---------------------------------------------------------------------------------------


def _cli(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args), "--content", str(REGISTRIES)])


def test_cli_json_has_the_documented_keys():
    case = CASES_DIR / "target-up"
    r = _cli(case / "old.yaml", case / "new.yaml", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"]["measures"]["reworded"] == 1
    m = next(x for x in data["measures"] if x["status"] == "reworded")
    assert {"status", "old_id", "new_id", "similarity", "ops"} <= m.keys()
    assert ["delete", "8"] in m["ops"] and ["insert", "9"] in m["ops"]
    t = next(x for x in data["targets"] if x["metric"] == "pass-rate")
    assert t["old"]["value"] == 98 and t["new"]["value"] == 99 and t["old"]["unit"] == "%"
    assert t["delta"]["absolute"] == 1 and t["delta"]["verdict"] == "better"
    assert isinstance(data["agencies"], list)
    assert {"format", "old", "new", "same_district", "summary", "measures", "goals", "targets",
            "agencies"} == data.keys()


def test_cli_text_says_a_changed_unit_is_not_computed():
    case = CASES_DIR / "unit-changed"
    r = _cli(case / "old.yaml", case / "new.yaml")
    assert r.exit_code == 0, r.output
    assert "sampling-intensity: 4批次/千人 → 4份/千人  (unit changed: not computed)" in r.output


def test_cli_text_summary():
    case = CASES_DIR / "role-swap"
    r = _cli(case / "old.yaml", case / "new.yaml")
    assert r.exit_code == 0, r.output
    assert "measures: 5 unchanged" in r.output
    assert "区市场监管局: 牵头 → 配合" in r.output


def test_cli_reports_content_errors_with_location(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((CASES_DIR / "added" / "new.yaml").read_text(encoding="utf-8")
                   .replace("themes: [school-food]", "themes: [schol-food]", 1), encoding="utf-8")
    r = _cli(CASES_DIR / "added" / "old.yaml", bad)
    assert r.exit_code == 1
    assert "bad.yaml:" in r.output and "未知的主题 'schol-food'" in r.output
    assert "Traceback" not in r.output


def test_to_json_and_to_text_cover_every_case(site):
    for case in CASES:
        d = diff_plans(_load(site, case, "old"), _load(site, case, "new"), site)
        data = json.loads(json.dumps(to_json(d), ensure_ascii=False))
        assert len(data["measures"]) == len(d.measures)
        assert to_text(d).startswith("alpha/2023 → alpha/2024")


# --- a labelled pair: matching precision and recall ------------------------------------------------


def test_labelled_pair_precision_and_recall(published, capsys):
    """蓟州 2018 against a made-up 2019 made from it by hand-picked edits (tests/fixtures/diff-labelled/):
    every id renamed, clauses added and cut, years bumped, measures deleted, moved, split and merged,
    six measures inserted from 武清 2022. labels.yaml is the truth: new id -> the old ids it came from."""
    import yaml

    folder = FIXTURES / "diff-labelled"
    new = load_plan(folder / "new.yaml", published, PROJECT_CONTENT)
    old = next(p for p in published.plans if p.key == "jizhou/2018")
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    assert set(labels) == {m.id for m in new.measures()}
    truth = {(o, n) for n, olds in labels.items() for o in olds}
    d = diff_plans(old, new, published)
    found = {(o, n) for c in d.measures for o in c.old_ids for n in c.new_ids}
    hits = len(found & truth)
    precision, recall = hits / len(found), hits / len(truth)
    with capsys.disabled():
        print(f"\nlabelled pair: precision {precision:.3f}, recall {recall:.3f} "
              f"({hits} of {len(truth)} links, {len(found)} found)")
    assert precision >= 0.95 and recall >= 0.95
    # The edits that are not rewordings are told as such, and only those.
    by_status: dict[str, set] = {}
    for c in d.measures:
        by_status.setdefault(c.status, set()).add(c.old_ids)
    assert by_status["moved"] == {("standards-publicity",), ("export-enterprise-services",),
                                  ("grain-quality-indicators",), ("school-education",), ("coordinator-roles",)}
    assert by_status["split"] == {("workshops-vendors",)}
    assert by_status["merged"] == {("trademark-fraud", "penalties-to-individuals")}
    assert len(by_status["removed"]) == 6
    assert sum(c.status == "added" for c in d.measures) == sum(1 for v in labels.values() if not v)
    # And the other way round.
    back = diff_plans(new, old, published)
    assert _pairs(d, False) == _pairs(back, True)


def test_was_links_a_measure_to_last_years_id(tmp_path):
    """`was:` takes one id or a list; a valid one loads, and the diff pairs through it."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(REGISTRIES, content)
    path = content / "plans" / "alpha" / "2024.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      - id: funding\n", "      - id: budget\n        was: funding\n", 1)
    text = text.replace("      - id: school-canteens\n",
                        "      - id: open-kitchens\n        was: [school-canteens]\n", 1)
    path.write_text(text, encoding="utf-8")
    site = load_site(content).site
    plans = {p.key: p for p in site.plans}
    new = {m.id: m for m in plans["alpha/2024"].measures()}
    assert new["budget"].was == ("funding",) and new["open-kitchens"].was == ("school-canteens",)
    d = diff_plans(plans["alpha/2023"], plans["alpha/2024"], site)
    links = {(c.old_ids, c.new_ids): c.link for c in d.measures}
    assert links[(("funding",), ("budget",))] == "was"
    assert links[(("school-canteens",), ("open-kitchens",))] == "was"


def test_docs_list_the_json_keys_there_are(site):
    """docs/diff-format.md's three key tables (top level, a change, a target) match to_json."""
    import re

    doc = (Path(__file__).parent.parent / "docs" / "diff-format.md").read_text(encoding="utf-8")
    json_part = doc.split("## JSON", 1)[1].split("An **agency kind** entry", 1)[0]
    tables: list[set[str]] = []
    for block in re.split(r"\n\n+", json_part):
        rows = [ln for ln in block.splitlines() if ln.startswith("| `")]
        if rows:
            tables.append({k for row in rows for k in re.findall(r"`([a-z_]+)`", row.split("|")[1])})
    d = to_json(diff_plans(_load(site, "target-up", "old"), _load(site, "target-up", "new"), site))
    assert tables == [set(d) - {"format"}, set(d["measures"][0]), set(d["targets"][0])]


def test_diffs_are_made_when_asked_and_their_summaries_outlive_them(monkeypatch):
    """A build's workers make each district's diffs with its pages and send back only their
    summaries (drain); the overview, rendered after them, reads those without diffing again."""
    from sitegen.site import derive as derive_module

    seeds = load_site(PROJECT_CONTENT).site
    idx = derive_module.derive(seeds)
    assert idx.diff_cache.entries == {}  # nothing diffed by derive itself
    spec = idx.diffs[0]
    diff = idx.diff(spec)
    assert idx.diff(spec) is diff and idx.diff_summary(spec) == diff.summary
    sent = idx.diff_cache.drain()
    assert sent == {(id(spec.old), id(spec.new)): diff.summary}
    assert idx.diff_cache.entries == {} and idx.diff_cache.drain() == {}

    parent = derive_module.derive(seeds)
    parent.diff_cache.add_summaries(sent)
    monkeypatch.setattr(derive_module, "Differ", lambda *a: pytest.fail("diffed again"))
    assert parent.diff_summary(spec) == diff.summary


def test_a_plan_shared_by_two_diffs_gives_each_what_it_gives_alone(tmp_path):
    """A district's diffs are made year after year and share each plan's units and sides (the
    new plan of one is the old plan of the next): each must equal the same diff made on its own."""
    from synthetic import make_corpus

    make_corpus(8, tmp_path / "content", years=4)  # year-on-year edits of every kind
    made = load_site(tmp_path / "content").site
    specs = [s for s in site_diffs(made) if s.kind == "district"]
    assert sum(a.new is b.old for a, b in zip(specs, specs[1:])) >= 4
    differ = Differ(made)
    in_a_row = [to_json(differ.diff(s.old, s.new)) for s in specs]
    alone = [to_json(diff_plans(s.old, s.new, made)) for s in specs]  # a Differ each: nothing kept
    assert in_a_row == alone
    assert any(c["status"] != "unchanged" for d in in_a_row for c in d["measures"])
