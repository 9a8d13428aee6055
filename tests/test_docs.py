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
