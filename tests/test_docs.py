"""The docs stay true: their examples are checked by the same code that checks content."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_full_example_in_content_format_doc_validates(content):
    doc = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    example = re.search(r"## A full example\s+```yaml\n(.*?)```", doc, re.S).group(1)
    (content / "plans" / "jizhou" / "2018.yaml").write_text(example, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 0, result.output


def test_readme_starts_with_the_serve_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert blocks[:2] == ["make serve", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_contributing_example_is_what_validate_prints(tmp_path, monkeypatch):
    """CONTRIBUTING.md shows the output of one mistake; it must be the real output, byte for byte."""
    import shutil

    doc = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"\n```\n(content/plans/hedong/2024\.yaml:.*?)\n```", doc, re.S).group(1)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    plan = tmp_path / "content" / "plans" / "hedong" / "2024.yaml"
    lines = plan.read_text(encoding="utf-8").split("\n")
    at = lines.index("            responsibility: 区市场监管局负责")
    lines[at + 2] = lines[at + 2].replace("区市场监管局", "区卫生健康委")
    plan.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # paths are shown relative to where the editor runs it
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.output.rstrip("\n") == example


def test_contributing_commands_exist(tmp_path, monkeypatch):
    """Every `sitegen …` and `make …` line an editor is told to type is a real command."""
    from test_deploy import assert_sitegen_args_parse, sitegen_calls

    monkeypatch.chdir(tmp_path)
    (tmp_path / "text.txt").write_text("", encoding="utf-8")  # the file `sitegen import` is shown reading

    doc = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", doc, re.S)
    seen = set()
    for line in "\n".join(blocks).splitlines():
        line = line.split("#", 1)[0].strip()
        for call in sitegen_calls(line):
            assert_sitegen_args_parse(call)
            seen.add(call[0])
        if line.startswith("make "):
            target = line.split()[1]
            assert re.search(rf"^{target}:", makefile, re.M), line
            seen.add("make " + target)
    assert {"new", "import", "make validate", "make serve", "make setup"} <= seen
