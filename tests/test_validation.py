"""`sitegen validate` against fixtures: one valid content folder, and overlays that break one thing each.

tests/fixtures/valid/minimal is a small, made-up content folder. Each folder under
tests/fixtures/invalid/ holds only the files that differ from it (paths relative to the
content root) and an expect.txt, which is never copied:

    # a comment
    @generate-big <path>      the test writes <path> itself: a valid file padded past the size limit
    <path>:<line>: [<code>] <message substring>[ | hint: <hint substring>]

expect.txt lists every diagnostic the case produces, in output order (sorted by file and
line); a case with none listed is valid content and must pass.

A few fixtures are about exact bytes (GBK, BOM, CRLF, a control character, non-NFC text).
They are committed, marked -text in tests/fixtures/.gitattributes, and
test_byte_fixtures_are_intact checks their bytes so a conversion cannot go unnoticed.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from sitegen.common.diagnostics import ContentError, Diagnostic
from sitegen.content import load_site
from sitegen.content.load import MAX_BYTES
from sitegen.content.model import AgencyKind, District, Metric, Plan, Theme

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid" / "minimal"
INVALID = FIXTURES / "invalid"
PROJECT_CONTENT = Path(__file__).parent.parent / "content"
CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())

_EXPECT = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): \[(?P<code>[a-z0-9-]+)\] (?P<message>.+?)"
                     r"(?: \| hint: (?P<hint>.+))?$")
_HEAD = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): 错误: (?P<message>.*)$")
_QUOTE = re.compile(r"^  +\d+ \| ")
_CARET = re.compile(r"^ +\| *\^$")
_HINT = re.compile(r"^  提示: (?P<hint>.*)$")
_SUMMARY = re.compile(r"^共 (\d+) 个错误，涉及 (\d+) 个文件$")
_GITHUB = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<code>[a-z0-9-]+)"
                     r"::(?P<message>.+)$")


@dataclass(frozen=True)
class Expected:
    path: str
    line: int
    code: str
    message: str
    hint: str | None

    def matches(self, d: dict) -> bool:
        return (_ends_with(d["path"], self.path) and d["line"] == self.line and self.message in d["message"]
                and d.get("code", self.code) == self.code and (self.hint is None or self.hint in d["hint"]))


@dataclass(frozen=True)
class Case:
    name: str
    expected: list[Expected]
    generate_big: list[str]

    @property
    def valid(self) -> bool:
        return not self.expected


def _ends_with(shown: str, rel: str) -> bool:
    shown = PurePath(shown).as_posix()
    return shown == rel or shown.endswith("/" + rel)


def read_case(name: str) -> Case:
    expected, big = [], []
    for raw in (INVALID / name / "expect.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@generate-big "):
            big.append(line.split(None, 1)[1])
            continue
        m = _EXPECT.match(line)
        assert m, f"{name}/expect.txt: cannot read {raw!r}"
        expected.append(Expected(m["path"], int(m["line"]), m["code"], m["message"], m["hint"]))
    return Case(name, expected, big)


def make_content(case: Case, tmp_path: Path) -> Path:
    """valid/minimal with the case's files laid over it (and any generated ones)."""
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    case_dir = INVALID / case.name
    for f in sorted(case_dir.rglob("*")):
        if f.is_file() and f.name != "expect.txt":
            target = content / f.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    for rel in case.generate_big:
        # A valid file, padded with YAML comments to just over the limit: only its size is wrong.
        body = (VALID / rel).read_bytes()
        pad = b"# " + b"x" * 1000 + b"\n"
        (content / rel).write_bytes(body + pad * (MAX_BYTES // len(pad) + 1))
        assert (content / rel).stat().st_size > MAX_BYTES
    return content


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean_exit(result: Result, code: int) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output


def parse_text(output: str) -> list[dict]:
    """The text format back into diagnostics; every line must have one of the documented shapes."""
    diags: list[dict] = []
    lines = output.rstrip("\n").split("\n")
    summary = _SUMMARY.match(lines[-1])
    assert summary, f"no summary line at the end: {lines[-1]!r}"
    for line in lines[:-1]:
        if head := _HEAD.match(line):
            diags.append({"path": head["path"], "line": int(head["line"]), "col": int(head["col"]),
                          "message": head["message"], "hint": ""})
        elif _QUOTE.match(line) or _CARET.match(line):
            assert diags and not diags[-1]["hint"], f"source quote out of place: {line!r}"
        elif hint := _HINT.match(line):
            assert diags and not diags[-1]["hint"], f"hint out of place: {line!r}"
            diags[-1]["hint"] = hint["hint"]
        else:
            pytest.fail(f"unexpected line in text output: {line!r}")
    assert int(summary[1]) == len(diags)
    assert int(summary[2]) == len({d["path"] for d in diags})
    return diags


def assert_expected(case: Case, diags: list[dict]) -> None:
    shown = "\n".join(f"{d['path']}:{d['line']}:{d['col']}: {d['message']} | hint: {d['hint']}" for d in diags)
    assert len(diags) == len(case.expected), f"expected {len(case.expected)} diagnostics, got:\n{shown}"
    for want, got in zip(case.expected, diags):
        assert want.matches(got), f"expected {want}, got:\n{shown}"


# -- every case, in both formats -------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_case_json(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    result = run("validate", "--content", str(make_content(case, tmp_path)), "--format", "json")
    assert_clean_exit(result, 0 if case.valid else 1)
    diags = json.loads(result.stdout)
    assert all(set(d) == {"path", "line", "col", "message", "hint", "code"} for d in diags)
    keys = [(d["path"], d["line"], d["col"]) for d in diags]
    assert keys == sorted(keys), "diagnostics are not sorted by file and line"
    assert_expected(case, diags)


@pytest.mark.parametrize("name", CASES)
def test_case_text(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    content = make_content(case, tmp_path)
    result = run("validate", "--content", str(content))
    assert_clean_exit(result, 0 if case.valid else 1)
    if case.valid:
        assert re.fullmatch(r"通过：\d+ 份计划（其中草稿 \d+ 份），\d+ 条措施，\d+ 类单位\n", result.output)
        return
    diags = parse_text(result.output)
    assert_expected(case, diags)
    # The text format says exactly what the JSON format says: hint lines where there is a hint.
    as_json = json.loads(run("validate", "--content", str(content), "--format", "json").stdout)
    assert diags == [{k: v for k, v in d.items() if k != "code"} for d in as_json]


def test_byte_fixtures_are_intact() -> None:
    """The odd-bytes fixtures still hold the bytes they are about."""
    gbk = (INVALID / "invalid_utf8/plans/alpha/2024.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert "甲区" in gbk.decode("gbk")
    for rel in ("plans/alpha/2023.yaml", "districts.yaml"):
        assert (INVALID / "bom_accepted" / rel).read_bytes().startswith(b"\xef\xbb\xbf")
    for rel in ("plans/alpha/2024.yaml", "themes.yaml"):
        raw = (INVALID / "crlf_accepted" / rel).read_bytes()
        assert raw.count(b"\r\n") == raw.count(b"\n") > 5
    assert b"\x07" in (INVALID / "control_character/plans/alpha/2024.yaml").read_bytes()
    nfc = (INVALID / "nfc/plans/alpha/2024.yaml").read_text(encoding="utf-8")
    assert "\uf961" in nfc and "e\u0301" in nfc


def test_valid_overlays_are_loaded_as_written(tmp_path: Path) -> None:
    """The valid overlays are not just accepted: BOM, CRLF and NFC come out right in the model."""
    site = load_site(make_content(read_case("nfc"), tmp_path / "nfc")).site
    plan = next(p for p in site.plans if p.key == "alpha/2024")
    assert plan.subtitle == "（内部草稿，Café）" and "\u0301" not in plan.subtitle
    assert plan.goals[0].targets[0].words == "食品抽检合格率不低于98%"

    site = load_site(make_content(read_case("crlf_accepted"), tmp_path / "crlf")).site
    plan = next(p for p in site.plans if p.key == "alpha/2024")
    assert plan.parts[0].text == "围绕重点领域开展工作。\n突出校园食品安全。"

    site = load_site(make_content(read_case("bom_accepted"), tmp_path / "bom")).site
    assert [d.slug for d in site.districts] == ["alpha", "beta"]
    assert any(p.key == "alpha/2023" for p in site.plans)


# -- fail fast, formats, usage ----------------------------------------------------------------------


def test_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    """Refused where its first anchor is written, before any alias could be expanded
    (how long that takes is the benchmark's to report, not a test's)."""
    content = make_content(read_case("alias_bomb"), tmp_path)
    result = run("validate", "--content", str(content), "--format", "json")
    assert_clean_exit(result, 1)
    [d] = json.loads(result.stdout)
    assert (d["line"], d["code"]) == (2, "yaml-anchor") and d["path"].endswith("plans/alpha/2024.yaml")


def test_github_format(tmp_path: Path) -> None:
    case = read_case("several_errors_at_once")
    result = run("validate", "--content", str(make_content(case, tmp_path)), "--format", "github")
    assert_clean_exit(result, 1)
    lines = result.stdout.strip("\n").split("\n")
    assert len(lines) == len(case.expected)
    for want, line in zip(case.expected, lines):
        m = _GITHUB.match(line)
        assert m, f"not a GitHub annotation: {line!r}"
        assert _ends_with(m["file"], want.path)
        assert int(m["line"]) == want.line and int(m["col"]) >= 1
        assert want.message in m["message"] and m["code"] == want.code
    # The hint travels in the same annotation.
    assert "是不是" in lines[1]


def test_github_format_escapes() -> None:
    d = Diagnostic("C:\\plans\\a,b.yaml", 3, 4, "100% wrong\nsecond line", "fix it", "some-code")
    line = d.github()
    assert line == ("::error file=C%3A\\plans\\a%2Cb.yaml,line=3,col=4,title=some-code"
                    "::100%25 wrong%0Asecond line — fix it")
    # A whole-file problem (line 0) still gets a position GitHub accepts.
    assert Diagnostic("x.yaml", 0, 0, "too big").github() == "::error file=x.yaml,line=1,col=1::too big"


@pytest.mark.parametrize("args", [
    ["validate", "--no-such-option"],
    ["validate", "--format", "xml"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run(*args, "--content", str(VALID)) if args[0] == "validate" else run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Usage:" in result.output


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run("validate", "--content", str(tmp_path / "nowhere"), "--format", "json")
    assert_clean_exit(result, 1)
    [d] = json.loads(result.stdout)
    assert d["code"] == "no-content-folder" and d["message"] == "找不到内容文件夹"


# -- the model ---------------------------------------------------------------------------------------


def _valid_contents(tmp_path: Path) -> list[Path]:
    out = [VALID, PROJECT_CONTENT]
    for name in CASES:
        case = read_case(name)
        if case.valid:
            out.append(make_content(case, tmp_path / name))
    return out


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_valid_fixtures_round_trip_through_the_model(tmp_path: Path) -> None:
    contents = _valid_contents(tmp_path)
    assert len(contents) >= 5  # minimal, the project's content, and the valid overlays
    for content in contents:
        site = load_site(content).site
        assert site.plans
        for plan in site.plans:
            dumped = plan.model_dump(mode="json", exclude_defaults=True)
            json.dumps(dumped, ensure_ascii=False)  # plain JSON data
            assert Plan.model_validate(dumped) == plan, f"{content}: {plan.key} changes in a round trip"
            assert all(unicodedata.is_normalized("NFC", s) for s in _strings(dumped)), plan.key
        for model, records in ((District, site.districts), (AgencyKind, site.agencies),
                               (Theme, site.themes), (Metric, site.metrics)):
            for r in records:
                assert model.model_validate(r.model_dump(mode="json", exclude_defaults=True)) == r


def test_minimal_fixture_covers_what_it_should() -> None:
    """The valid fixture exercises the features the invalid cases lean on."""
    loaded = load_site(VALID)
    site = loaded.site
    assert [p.key for p in site.plans] == ["alpha/2023", "alpha/2024"]
    measures = [m for p in site.plans for m in p.measures()]
    assert any(m.no_agency for m in measures)
    names = {a.name for m in measures for a in m.agencies}
    assert "区市场和质量监管局" in names  # a former name
    assert "区教体局" in names  # a district-local name
    assert any(k.collective for k in site.agencies)
    assert any(t for p in site.plans for g in p.all_goals() for t in g.targets)
    assert any(m.targets for m in measures)
    assert set(loaded.documents) == {"alpha/2023", "alpha/2024"}


def test_project_content_validates() -> None:
    result = run("validate", "--content", str(PROJECT_CONTENT))
    assert_clean_exit(result, 0)
    assert result.output.startswith("通过：")


# -- what a reviewer checks ---------------------------------------------------------------------------


def test_an_agency_changed_against_its_clause_is_caught_at_its_line(content: Path) -> None:
    """The mistake the issue tried: the agency set to 区卫生健康委 while the clause says 区市场监管局负责."""
    plan = content / "plans" / "hedong" / "2024.yaml"
    lines = plan.read_text(encoding="utf-8").split("\n")
    at = lines.index("            responsibility: 区市场监管局负责")
    assert lines[at + 2] == "              - {name: 区市场监管局, role: 负责}"
    lines[at + 2] = "              - {name: 区卫生健康委, role: 负责}"
    plan.write_text("\n".join(lines), encoding="utf-8")
    result = run("validate", "--content", str(content), "--format", "json")
    assert_clean_exit(result, 1)
    got = [(d["line"], d["code"]) for d in json.loads(result.stdout)]
    assert got == [(at + 1, "clause-agency-not-listed"), (at + 3, "agency-not-in-clause")]


def test_reworded_text_is_caught_at_its_line(content: Path) -> None:
    plan = content / "plans" / "hedong" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    old = "强化企业主体责任，督促指导"
    assert text.count(old) == 1
    plan.write_text(text.replace(old, "强化企业主体责任，努力督促指导"), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = run("validate", "--content", str(content), "--format", "json")
    assert_clean_exit(result, 1)
    [d] = json.loads(result.stdout)
    assert (d["line"], d["code"]) == (line, "text-not-in-source") and "努力督促" in d["message"]


@pytest.mark.parametrize("name", ["agency_not_in_clause", "text_not_in_source"])
def test_github_annotations_for_the_reviewer_checks(name: str, tmp_path: Path) -> None:
    case = read_case(name)
    result = run("validate", "--content", str(make_content(case, tmp_path)), "--format", "github")
    assert_clean_exit(result, 1)
    lines = result.stdout.strip("\n").split("\n")
    assert len(lines) == len(case.expected)
    for want, line in zip(case.expected, lines):
        m = _GITHUB.match(line)
        assert m and _ends_with(m["file"], want.path) and int(m["line"]) == want.line, line
        assert m["code"] == want.code and want.message in m["message"]


def test_the_cli_loads_without_the_renderer():
    """`sitegen validate` (an editor's pre-commit check, CI's first step) starts without importing
    the build, Jinja or the outputs: a tenth of a second less on every run."""
    import subprocess
    import sys
    code = ("import sys, sitegen.cli; "
            "print(sorted(m for m in ('jinja2', 'sitegen.build.pipeline', 'sitegen.outputs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_cached_plan_s_was_is_checked_against_the_previous_plan_as_it_is_now(tmp_path: Path) -> None:
    """A plan from the cache is checked across files by its facts: renaming an id in 2023
    reports the unchanged 2024 plan's `was` at its line, without checking that plan again."""
    from sitegen.content import PlanCache, check_site

    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    plan = content / "plans/alpha/2024.yaml"
    shutil.copyfile(INVALID / "was_unknown_id/plans/alpha/2024.yaml", plan)
    plan.write_text(plan.read_text(encoding="utf-8").replace("was: fundng", "was: funding"), encoding="utf-8")
    cache = PlanCache()
    assert load_site(content, cache).site.plans
    earlier = content / "plans/alpha/2023.yaml"
    earlier.write_text(earlier.read_text(encoding="utf-8").replace("id: funding", "id: budget"), encoding="utf-8")
    for check in (load_site, check_site):
        with pytest.raises(ContentError) as e:
            check(content, cache)
        [d] = [d for d in e.value.diagnostics if d.code == "was-unknown-id"]
        assert (d.path.endswith("plans/alpha/2024.yaml"), d.line) == (True, 44) and "'was: funding'" in d.message
    assert cache.hits >= 2  # the 2024 plan came from the cache both times


def test_validate_counts_the_site_from_facts_as_the_site_itself_counts(tmp_path: Path) -> None:
    from sitegen.content import PlanCache, check_site

    site = load_site(VALID).site
    cache = PlanCache()
    load_site(VALID, cache)
    again = PlanCache()
    again.add_pickled(cache.pickled())
    summary = check_site(VALID, again)
    assert (summary.plans, summary.drafts, summary.measures, summary.agency_kinds) == (
        len(site.plans), sum(p.status.value == "草稿" for p in site.plans),
        sum(len(p.measures()) for p in site.plans), len(site.agencies))
    assert again.hits == len(site.plans) and not again.plans  # counted without unpickling a plan


def test_the_plan_cache_is_read_back_only_under_the_key_it_was_saved_with(tmp_path: Path) -> None:
    """The key covers the versions of the libraries whose objects the cache pickles (and how YAML
    is typed), and the checking code: another version of any of them reads an empty cache."""
    from sitegen.content import PlanCache, cache_key, library_versions
    from sitegen.content.cache import checking_code

    cache = PlanCache()
    site = load_site(VALID, cache).site
    path = tmp_path / "plans.pickle"
    cache.save(path)
    assert PlanCache.load(path).entries == cache.entries and len(cache.entries) == len(site.plans)
    versions = library_versions()
    assert {"python", "pydantic", "pydantic-core", "pyyaml"} <= versions.keys()
    for library in versions:
        other = cache_key({**versions, library: versions[library] + "-other"})
        assert other != cache_key() and PlanCache.load(path, other).entries == {}
    package = Path(__file__).parent.parent / "sitegen"
    assert set(checking_code()) == set((package / "content").rglob("*.py")) | {package / "common" / "diagnostics.py"}
