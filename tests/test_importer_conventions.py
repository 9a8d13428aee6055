"""`sitegen import` on plans printed the ways other plans are: the committed plans re-set.

tests/fixtures/import/make_fixtures.py prints each committed plan again in
each convention (tables with other columns, other clause forms, PDF page
furniture, deeper numbering, Word files); the committed YAML is the truth.
For every fixture the import must find the measures, reproduce their texts
exactly and recover the (agency, role) pairs the convention states, each at
least FLOOR. Run this file as a script to print the figures:

    .venv/bin/python tests/test_importer_conventions.py
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter

from sitegen.cli import main
from sitegen.content.faithful import coverage
from sitegen.content.load import load_file, parse_text
from sitegen.content.model import AgencyKind, Plan
from sitegen.content.registry import Registry
from sitegen.content.sources import read_source
from sitegen.importer import draft_plan, parse
from sitegen.importer.agencies import AgencyReport, parse_agencies
from sitegen.importer.clauses import find_clauses
from sitegen.importer.cleanup import PAGE_NUMBER_RE, strip_furniture
from sitegen.importer.columns import column_role, read_columns

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
FIXTURES = ROOT / "tests" / "fixtures" / "import"
FLOOR = 0.95

_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
sys.modules["make_fixtures"] = mf  # dataclasses look their module up there
_spec.loader.exec_module(mf)  # type: ignore[union-attr]

PLANS = mf.plans()
CASES = [(k, plan, conv) for k, plan in enumerate(PLANS) for conv in mf.CONVENTIONS]
# The one warning a fixture is meant to raise: the 备注 column no synonym names.
EXPECTED_WARNINGS = {"synonyms": ["未识别的列“备注”"]}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@dataclass
class Figures:
    found: int
    expected: int
    texts: float  # share of the committed measure texts reproduced exactly (whitespace aside)
    pairs: float  # share of the (measure, agency, role) triples recovered
    coverage: float
    warnings: list[str]

    def line(self, name: str) -> str:
        return (f"{name:28} measures {self.found:3}/{self.expected:3}  texts {self.texts:6.1%}  "
                f"pairs {self.pairs:6.1%}  coverage {self.coverage:6.1%}  warnings {len(self.warnings)}")


def figures(k: int, plan: Plan, convention: str) -> Figures:
    imported = draft_plan(FIXTURES / mf.fixture_name(plan, convention), plan.district, plan.year, CONTENT)
    truth = mf.expected(plan, convention)
    measures = imported.draft.measures()
    want = Counter(_squash(t) for t, _ in truth)
    got = Counter(_squash(m.text) for m in measures)
    want_pairs = Counter((_squash(t), n, r) for t, pairs in truth for n, r in pairs)
    got_pairs = Counter((_squash(m.text), a.name, a.role) for m in measures for a in m.agencies)
    return Figures(len(measures), len(truth), sum((want & got).values()) / sum(want.values()),
                   sum((want_pairs & got_pairs).values()) / sum(want_pairs.values()),
                   imported.coverage.ratio, imported.warnings)


@pytest.fixture(scope="module")
def results(request) -> dict[str, Figures]:
    found = {mf.fixture_name(plan, conv): figures(k, plan, conv) for k, plan, conv in CASES}
    yield found
    # the figures per fixture, printed after the tests (pytest shows no print of a passing test)
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line("sitegen import on the published plans re-set in other conventions:")
            for name, f in found.items():
                reporter.write_line("  " + f.line(name))


@pytest.mark.parametrize(("k", "plan", "convention"), CASES, ids=[mf.fixture_name(p, c) for _, p, c in CASES])
def test_convention_imports(results, k, plan, convention):
    name = mf.fixture_name(plan, convention)
    f = results[name]
    assert FLOOR * f.expected <= f.found <= f.expected / FLOOR, f.line(name)
    assert f.texts >= FLOOR, f.line(name)
    assert f.pairs >= FLOOR, f.line(name)
    expected = EXPECTED_WARNINGS.get(convention, [])
    assert len(f.warnings) == len(expected), f.warnings
    assert all(w.startswith(e) for w, e in zip(f.warnings, expected)), f.warnings


def test_fixtures_are_what_the_script_makes(tmp_path):
    """The committed fixtures are the script's output for the committed plans: regenerate them if not."""
    for k, plan, conv in CASES:
        path = FIXTURES / mf.fixture_name(plan, conv)
        if conv == "docx":
            mf.docx_table(plan, tmp_path / path.name)
        elif conv == "docx-prose":
            mf.docx_prose(plan, tmp_path / path.name)
        else:
            assert path.read_text(encoding="utf-8") == mf.text(plan, conv, k), \
                f"{path.name} is stale: run tests/fixtures/import/make_fixtures.py"
            continue
        # a .docx zip carries its time of writing: compare what it says
        fresh = read_source(tmp_path / path.name)
        assert read_source(path) == fresh, f"{path.name} is stale: run make_fixtures.py"


# --- page furniture --------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["— 3 —", "- 3 -", "－3－", "—3—", "第3页", "第 3 页", "第 3 页 共 12 页",
                                  "3/12", "3 / 12", "·3·"])
def test_page_number_forms(line):
    assert PAGE_NUMBER_RE.match(line)


@pytest.mark.parametrize("line", ["3．加强监管", "2024年", "（3）", "区市场监管局", "一、总体要求"])
def test_not_page_numbers(line):
    assert not PAGE_NUMBER_RE.match(line)


PAGED = """天津市XX区2030年食品安全监督管理计划
为加强监管，制定本计划。
一、重点工作
（一）压实责任。落实属地管理责任，加强学校食堂监管。（牵头单位：区教

— 5 —

天津市XX区2030年食品安全监督管理计划

育局；配合单位：区市场监管局）
（二）强化宣传。开展食品安全宣传周活动。

— 6 —

天津市XX区2030年食品安全监督管理计划

（区食安办牵头，区教育局配合）
"""


def test_page_furniture_is_removed_before_paragraphs_are_joined(tmp_path):
    source = tmp_path / "paged.txt"
    source.write_text(PAGED, encoding="utf-8")
    imported = draft_plan(source, "hedong", 2030, CONTENT)
    first, second = imported.plan.measures()
    assert first.responsibility == "牵头单位：区教育局；配合单位：区市场监管局"  # not 区教—5—育局
    assert [(a.name, a.role.value) for a in first.agencies] == [("区教育局", "牵头"), ("区市场监管局", "配合")]
    assert second.text == "开展食品安全宣传周活动。"
    assert imported.plan.title == "天津市XX区2030年食品安全监督管理计划"  # the title itself stays
    assert imported.draft.furniture == ["— 5 —", "— 6 —"] + ["天津市XX区2030年食品安全监督管理计划"] * 2
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "--district", "hedong", "--year", "2030",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已删除页码、页眉页脚 4 行" in result.output and "— 5 —" not in out.read_text(encoding="utf-8")


def test_a_cover_page_keeps_its_title():
    lines = ["XX区2030年食品安全监督管理计划", "", "— 1 —", "", "一、重点工作", "做好工作。", "", "— 2 —", "",
             "XX区2030年食品安全监督管理计划", "", "（一）加强监管。", "", "— 3 —", "",
             "XX区2030年食品安全监督管理计划", "做好工作。"]
    out, removed = strip_furniture(lines)
    assert out[0] == lines[0] and not out[9] and not out[15]
    assert removed == ["— 1 —", "— 2 —", "— 3 —"] + ["XX区2030年食品安全监督管理计划"] * 2


def test_form_feeds_mark_pages():
    """pdftotext ends each page with a form feed: the header after it goes, with no page number to see."""
    text = PAGED.replace("— 5 —", "\f").replace("— 6 —", "\f")
    draft = parse(text)
    assert draft.furniture == ["天津市XX区2030年食品安全监督管理计划"] * 2
    assert draft.measures()[0].responsibility == "牵头单位：区教育局；配合单位：区市场监管局"


def test_a_running_header_without_page_numbers():
    header = "XX区食品安全委员会办公室文件"
    lines = ["XX区2030年食品安全监督管理计划", header, "一、重点工作", "做好工作，加强", "", header, "",
             "监管。", "", header, "", "做好宣传。"]
    out, removed = strip_furniture(lines)
    assert removed == [header, header] and out[1] == header  # the first, at the top, stays


def test_a_line_printed_twice_is_not_furniture_without_page_numbers():
    lines = ["XX区2030年食品安全监督管理计划", "区市场监管局", "做好工作。", "区市场监管局", "区市场监管局"]
    assert strip_furniture(lines) == (lines, [])


# --- numbering -------------------------------------------------------------------------------------

LEVELS = """XX区2030年食品安全监督管理计划
一、重点工作
（一）加强抽检。
1．抽检计划。
（1）制定抽检计划。（区市场监管局负责）
（2）公布抽检结果。（区市场监管局负责）
2．核查处置。
①做好不合格食品核查。（区市场监管局负责）
②做好信息公开。（区市场监管局负责）
(二)加强宣传。
1、开展宣传周活动。（区食安办牵头）
2. 开展科普活动。（区科协负责）
(1)进校园。（区教育局负责）
"""


def test_numbering_at_every_level(tmp_path):
    source = tmp_path / "levels.txt"
    source.write_text(LEVELS, encoding="utf-8")
    plan = draft_plan(source, "hedong", 2030, CONTENT).plan
    first, second = plan.parts[0].items
    assert [(s.number, s.title) for s in first.items] == [("1．", "抽检计划。"), ("2．", "核查处置。")]
    assert [(m.number, m.text) for s in first.items for m in s.measures] == [
        ("（1）", "制定抽检计划。"), ("（2）", "公布抽检结果。"), ("①", "做好不合格食品核查。"), ("②", "做好信息公开。")]
    # 1、 and 2. are one style (arabic numbers); (1) below 2. is a level deeper
    assert [s.number for s in second.items] == ["1、", "2."]
    assert [(m.number, m.text) for m in second.items[1].measures] == [(None, "开展科普活动。"), ("(1)", "进校园。")]
    assert not any(re.match(r"^[（(]?\d|^[①-⑳]", m.text) for m in plan.measures())


# --- clauses -----------------------------------------------------------------------------------------


def _registry() -> Registry:
    return Registry(tuple(TypeAdapter(list[AgencyKind]).validate_python(load_file(CONTENT / "agencies.yaml").data)))


@pytest.mark.parametrize(("clause", "expected"), [
    ("牵头单位：区食安办；配合单位：区教育局、区民政局",
     [("区食安办", "牵头"), ("区教育局", "配合"), ("区民政局", "配合")]),
    ("牵头单位:区食安办;配合单位:区教育局", [("区食安办", "牵头"), ("区教育局", "配合")]),
    ("责任单位：区市场监管局；配合单位：区公安分局", [("区市场监管局", "负责"), ("区公安分局", "配合")]),
    ("主责单位：区市场监管局，协办单位：区公安分局", [("区市场监管局", "负责"), ("区公安分局", "协助")]),
    ("区食安办牵头，区教育局、区民政局配合", [("区食安办", "牵头"), ("区教育局", "配合"), ("区民政局", "配合")]),
    ("区市场监管局、区农业农村委、区卫生健康委按职责分工负责",
     [("区市场监管局", "按职责分工负责"), ("区农业农村委", "按职责分工负责"), ("区卫生健康委", "按职责分工负责")]),
    ("责任单位:区食安办,区教育局协助", [("区食安办", "负责"), ("区教育局", "协助")]),
    ("区市场监管局负责，区科协参与", [("区市场监管局", "负责"), ("区科协", "参与")]),
    ("责任单位：区市场监管局 配合单位：区公安分局", [("区市场监管局", "负责"), ("区公安分局", "配合")]),
])
def test_clause_forms(clause, expected):
    report = AgencyReport()
    got = parse_agencies(clause, "负责", _registry(), "hedong", report)
    assert [(a.name, a.role) for a in got] == expected
    assert not report.unknown and not report.not_understood


@pytest.mark.parametrize(("text", "inner"), [
    ("做好工作。（牵头单位：区食安办；配合单位：区教育局）", "牵头单位：区食安办；配合单位：区教育局"),
    ("做好工作。(牵头单位:区食安办;配合单位:区教育局)", "牵头单位:区食安办;配合单位:区教育局"),
    ("做好工作。（区市场监管局按职责分工负责；配合单位：区教育局）", "区市场监管局按职责分工负责；配合单位：区教育局"),
    ("做好工作。（主责单位：区市场监管局）", "主责单位：区市场监管局"),
])
def test_clauses_are_found(text, inner):
    assert [i for _, _, i in find_clauses(text)] == [inner]


def test_a_clause_not_understood_is_reported(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text("XX区2030年食品安全监督管理计划\n一、重点工作\n（一）压实责任。做好工作。"
                      "（区市场监管局做好业务指导，区教育局配合）\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(source), "--district", "hedong", "--year", "2030",
                                       "--out", str(tmp_path / "d.yaml")])
    assert result.exit_code == 0, result.output
    assert "警告 1 条" in result.output and "责任单位的写法未能完全读懂" in result.output
    assert "# review: words after the name not understood" in (tmp_path / "d.yaml").read_text(encoding="utf-8")


# --- columns -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "role"), [
    ("序号", "number"), ("序 号", "number"), ("工作任务", "task"), ("重点任务", "task"), ("主要任务", "task"),
    ("具体措施", "text"), ("工作措施", "text"), ("主要内容", "text"), ("举措", "text"),
    ("责任单位", "lead"), ("牵头单位", "lead"), ("主责单位", "lead"), ("牵头单位（部门）", "lead"),
    ("配合单位", "support"), ("协办单位", "support"), ("参与单位", "support"),
    ("完成时限", "deadline"), ("时间节点", "deadline"), ("备注", None), ("完成情况", None),
])
def test_column_roles(header, role):
    assert column_role(header) == role


def test_header_gives_the_role():
    cols = read_columns(["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"])
    assert (cols.get("task"), cols.get("text"), cols.lead_role, cols.support_role) == (1, 2, "牵头", "配合")
    cols = read_columns(["序号", "工作任务", "责任单位"])  # 工作任务 alone holds the measures
    assert (cols.get("task"), cols.get("text"), cols.lead_role) == (None, 1, "负责")
    cols = read_columns(["序号", "重点任务", "工作措施", "主责单位", "协办单位", "备注"])
    assert (cols.lead_role, cols.support_role, cols.unknown) == ("负责", "协助", [5])


TABLE = """XX区2030年食品安全重点工作任务分工表
\t序号
\t工作任务
\t具体措施
\t牵头单位
\t配合单位
\t完成情况

\t1
\t压实责任
\t落实属地管理责任。
\t区食安办
\t区教育局
\t已完成

\t2
\t
\t加强学校食堂监管。
\t区教育局
\t
\t
"""


def _run(source: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["import", str(source), "--district", "hedong", "--year", "2030",
                                     "--out", str(out), *extra])


def test_a_column_not_understood_is_reported_and_kept(tmp_path):
    source = tmp_path / "table.txt"
    source.write_text(TABLE, encoding="utf-8")
    result = _run(source, tmp_path / "d.yaml")
    assert result.exit_code == 0, result.output
    assert "未识别的列“完成情况”（1 格有字）" in result.output
    plan = TypeAdapter(Plan).validate_python(parse_text((tmp_path / "d.yaml").read_text(encoding="utf-8"), "d").data)
    first, second = plan.measures()
    assert first.note == "完成情况：已完成" and second.note is None
    assert [(a.name, a.role.value) for a in first.agencies] == [("区食安办", "牵头"), ("区教育局", "配合")]
    assert len(plan.parts) == 1 and plan.parts[0].title == "压实责任"


def test_a_header_cell_wrapped_onto_two_lines(tmp_path):
    source = tmp_path / "table.txt"
    source.write_text(TABLE.replace("\t牵头单位\n", "\t牵头\n单位\n").replace("\t完成情况", "\t完成\n时限"),
                      encoding="utf-8")
    imported = draft_plan(source, "hedong", 2030, CONTENT)
    assert imported.plan.columns == ("序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限")
    assert [(a.name, a.role.value) for a in imported.plan.measures()[0].agencies] == [
        ("区食安办", "牵头"), ("区教育局", "配合")]
    assert not imported.warnings


def test_strict_writes_nothing_when_there_is_a_warning(tmp_path):
    source = tmp_path / "table.txt"
    source.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "d.yaml"
    result = _run(source, out, "--strict")
    assert result.exit_code == 1
    assert "未写入" in result.output and "未识别的列“完成情况”" in result.output and "--strict" in result.output
    assert not out.exists()
    source.write_text(TABLE.replace("完成情况", "完成时限"), encoding="utf-8")  # a column it knows
    result = _run(source, out, "--strict")
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output and out.exists()
    assert "note: 完成时限：已完成" in out.read_text(encoding="utf-8")


def test_a_table_whose_columns_are_not_recognised_is_reported(tmp_path):
    source = tmp_path / "table.txt"
    text = TABLE.replace("\t工作任务", "\t类目").replace("\t具体措施", "\t说明").replace("\t牵头单位", "\t甲") \
        .replace("\t序号", "\t号")
    source.write_text(text, encoding="utf-8")
    result = _run(source, tmp_path / "d.yaml")
    assert result.exit_code == 1 and "没有找到写明各列名称的表头行" in result.output
    assert "号 / 类目 / 说明 / 甲 / 配合单位 / 完成情况" in result.output
    source.write_text(text.replace("分工表\n", "分工表\n一、重点工作\n"), encoding="utf-8")  # prose it can read
    result = _run(source, tmp_path / "d.yaml")
    assert result.exit_code == 0, result.output
    assert "未能从列名认出序号、举措、责任单位等列，已按正文导入" in result.output
    assert "表格开头：号 / 类目 / 说明 / 甲 / 配合单位 / 完成情况" in result.output


def test_a_row_without_a_measure_is_reported(tmp_path):
    source = tmp_path / "table.txt"
    source.write_text(TABLE.replace("\t加强学校食堂监管。", "\t"), encoding="utf-8")
    result = _run(source, tmp_path / "d.yaml")
    assert "表格第 2 行没有举措文字，该行未导入：序号：2；牵头单位：区教育局" in result.output


# --- Word files ----------------------------------------------------------------------------------------


def test_word_file_through_the_command_line(tmp_path):
    plan = next(p for p in PLANS if p.district == "futian")
    source = FIXTURES / mf.fixture_name(plan, "docx")
    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "--district", "futian", "--year", "2023",
                                       "--out", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert "草稿（表格；原文为正式）" in result.output and "举措 58 条" in result.output
    draft = TypeAdapter(Plan).validate_python(parse_text(out.read_text(encoding="utf-8"), "d").data)
    assert draft.source.file == source.name and draft.title == plan.title
    # cells come as cells: each measure's text is exactly one committed text, agencies never in it
    committed = {m.text for m in plan.measures()}
    assert all(m.text in committed for m in draft.measures())


def test_word_table_merged_cells_and_text_after_it(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("XX区2030年食品安全重点工作安排")
    table = doc.add_table(rows=4, cols=4)
    for c, name in enumerate(["序号", "重点任务", "工作措施", "牵头单位"]):
        table.cell(0, c).text = name
    for r, (task, text, lead) in enumerate([("压实责任", "落实属地管理责任。", "区食安办"),
                                            ("", "加强学校食堂监管。", ""),
                                            ("强化宣传", "开展宣传周活动。", "区科协")], 1):
        table.cell(r, 0).text = str(r)
        table.cell(r, 2).text = text
        if task:
            table.cell(r, 1).text = task
        if lead:
            table.cell(r, 3).text = lead
    table.cell(1, 1).merge(table.cell(2, 1))  # 压实责任 over rows 1 and 2
    table.cell(1, 3).merge(table.cell(2, 3))  # 区食安办 leads both
    doc.add_paragraph("各单位要认真落实。")
    extra = doc.add_table(rows=1, cols=2)
    extra.cell(0, 0).text = "联系人名单和联系电话另行通知各单位"
    path = tmp_path / "plan.docx"
    doc.save(path)

    imported = draft_plan(path, "hedong", 2030, CONTENT)
    plan = imported.plan
    assert [p.title for p in plan.parts] == ["压实责任", "强化宣传"]
    assert [[(a.name, a.role.value) for a in m.agencies] for m in plan.measures()] == [
        [("区食安办", "牵头")], [("区食安办", "牵头")], [("区科协", "牵头")]]
    assert plan.closing == "各单位要认真落实。"
    assert any(w.startswith("文件中另有 1 个表格未导入") for w in imported.warnings)
    assert any("联系人名单和联系电话另行通知各单位" in w for w in imported.warnings)  # its text is named


def test_a_file_that_is_not_a_word_file_fails_cleanly(tmp_path):
    fake = tmp_path / "plan.docx"
    fake.write_text("not a word file", encoding="utf-8")
    result = _run(fake, tmp_path / "d.yaml")
    assert result.exit_code == 1 and "错误：" in result.output and "无法作为 Word 文件（.docx）读取" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "d.yaml").exists()


@pytest.mark.parametrize(("name", "data", "says"), [
    ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4, "另存为 .docx"),
    ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "这是 PDF 文件；请先把其中的文字提取为"),  # GB18030 decodes it
])
def test_a_doc_or_pdf_is_refused_with_what_to_do(tmp_path, name, data, says):
    source = tmp_path / name
    source.write_bytes(data)
    result = _run(source, tmp_path / "d.yaml")
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output


def test_faithfulness_reads_a_word_source():
    """A plan transcribed from a .docx: sitegen.content.faithful reads its text (tables as cells) to compare."""
    plan = next(p for p in PLANS if p.district == "hedong")
    text = read_source(FIXTURES / mf.fixture_name(plan, "docx"))
    assert plan.title in text.split("\n") and "\t具体措施" in text.split("\n")
    assert all(_squash(m.text) in _squash(text) for m in plan.measures())


def test_coverage_counts_what_the_draft_carries():
    cov = coverage(["加强食品安全监管"], "加强食品安全监管。开展宣传周活动。")
    assert (cov.covered, cov.total) == (8, 15) and cov.gaps == ("。开展宣传周活动。",)



def test_word_table_heading_rows_span_the_table(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("XX区2030年食品安全重点工作安排")
    table = doc.add_table(rows=6, cols=3)  # the last row left empty
    rows = [("序号", "具体措施", "责任单位"), ("一、加强领导", "", ""), ("1", "落实属地管理责任。", "区食安办"),
            ("二、强化宣传", "", ""), ("2", "开展宣传周活动。", "区科协")]
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value:
                table.cell(r, c).text = value
    for r in (1, 3):
        table.cell(r, 0).merge(table.cell(r, 2))  # a heading row: one cell across the table
    path = tmp_path / "plan.docx"
    doc.save(path)
    imported = draft_plan(path, "hedong", 2030, CONTENT)
    assert [(p.number, p.title, [m.text for m in p.measures]) for p in imported.plan.parts] == [
        ("一、", "加强领导", ["落实属地管理责任。"]), ("二、", "强化宣传", ["开展宣传周活动。"])]
    assert not imported.warnings


def test_word_automatic_numbering_is_read(tmp_path):
    """Numbers Word prints itself (一、 （一） 1．) are not in a paragraph's text: they are put back."""
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3．")]
    root = doc.part.numbering_part.element
    root.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="90">' + "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/></w:lvl>'
        for k, (f, t) in enumerate(levels)) + "</w:abstractNum>"))
    root.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        num_pr = doc.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = 90
        num_pr.get_or_add_ilvl().val = level

    doc.add_paragraph("XX区2030年食品安全监督管理计划")
    numbered("重点工作", 0)
    numbered("加强抽检。", 1)
    numbered("制定抽检计划。（区市场监管局负责）", 2)
    numbered("公布抽检结果。（区市场监管局负责）", 2)
    numbered("加强宣传。", 1)
    numbered("开展宣传周活动。（区食安办牵头）", 2)
    numbered("保障措施", 0)
    numbered("加强督查。（区食安办负责）", 2)  # a level restarts when one above it moves
    path = tmp_path / "plan.docx"
    doc.save(path)
    plan = draft_plan(path, "hedong", 2030, CONTENT).plan
    assert [(p.number, p.title) for p in plan.parts] == [("一、", "重点工作"), ("二、", "保障措施")]
    assert [(i.number, i.title) for i in plan.parts[0].items] == [("（一）", "加强抽检。"), ("（二）", "加强宣传。")]
    assert [(m.number, m.text) for m in plan.measures()] == [
        ("1．", "制定抽检计划。"), ("2．", "公布抽检结果。"), ("1．", "开展宣传周活动。"), ("1．", "加强督查。")]


if __name__ == "__main__":
    for k, plan, conv in CASES:
        print(figures(k, plan, conv).line(mf.fixture_name(plan, conv)))
    sys.exit(0)
