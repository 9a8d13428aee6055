"""Hostile files through every command that reads them: each fails with a Chinese message that
names the file (and its line), exit code 1, never a traceback.

A plan file can be anything an editor (or a broken tool) leaves in content/plans/: not a
mapping, empty, not text, bad YAML, a billion-laughs alias bomb, duplicate keys, nesting
past the limit, too big, unknown keys, wrong types, keys that are not words. `sitegen
validate`, `build`, `diff`, `new` and the faithfulness report (`python -m
sitegen.content.faithful`) read plan files; `sitegen import` reads a source text or Word file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from sitegen.content import faithful
from sitegen.content.load import MAX_BYTES, MAX_DEPTH
from sitegen.content.text import HAN_CHAR

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid" / "minimal"
GOOD = (VALID / "plans" / "alpha" / "2024.yaml").read_text(encoding="utf-8")
assert "year: 2024\n" in GOOD and "status: 草稿\n" in GOOD and "title: 甲区" in GOOD


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _deep(levels: int) -> str:
    return "".join("  " * i + "k:\n" for i in range(levels)) + "  " * levels + "v\n"


HOSTILE: dict[str, bytes] = {
    "top-level-list": b"- title\n- district\n",
    "top-level-scalar": "只有一句话\n".encode(),
    "empty": b"",
    "comment-only": b"# nothing here\n",
    "binary": bytes(range(256)) * 8,
    "gbk": GOOD.encode("gbk"),
    "bad-yaml": b"title: [unclosed\nyear: 2024\n",
    "alias-bomb": _bomb().encode(),
    "duplicate-keys": GOOD.replace("year: 2024\n", "year: 2024\nyear: 2025\n").encode(),
    "too-deep": _deep(MAX_DEPTH + 8).encode(),
    "huge": GOOD.encode() + b"#" * MAX_BYTES + b"\n",
    "unknown-keys": GOOD.replace("status: 草稿\n", "status: 草稿\ncolour: red\n").encode(),
    "wrong-types": GOOD.replace("year: 2024\n", "year: [2024]\n").replace("title: 甲区", "title:\n  - 甲区").encode(),
    "number-key": GOOD.replace("status: 草稿\n", "status: 草稿\n12: x\n").encode(),
    "null-key": GOOD.replace("status: 草稿\n", "status: 草稿\n~: x\n").encode(),
    "control-character": GOOD.replace("subtitle: （内部草稿）", "subtitle: （内部\x07草稿）").encode(),
}

# "<file>:<line>:<col>: 错误: <message>" as validate prints it, or "错误：<file>:<line>:<col>: <message>" (new).
_LINE = re.compile(r"^(?:错误：)?(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:错误: )?(?P<message>.+)$", re.MULTILINE)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_reported(result: Result, path: Path) -> None:
    """Exit code 1, no traceback, and a Chinese message at a line of `path`."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, result.output
    assert_names(result.output, path)


def assert_names(output: str, path: Path) -> None:
    found = [m for m in _LINE.finditer(output) if Path(m["path"]).resolve() == path.resolve()]
    assert found, f"no file:line message for {path}:\n{output}"
    assert all(HAN_CHAR.search(m["message"]) for m in found), output


def content_with(tmp_path: Path, data: bytes) -> tuple[Path, Path]:
    """A valid content folder whose latest plan of alpha is `data`."""
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    plan = content / "plans" / "alpha" / "2024.yaml"
    plan.write_bytes(data)
    return content, plan


@pytest.mark.parametrize("case", HOSTILE)
def test_validate(case: str, tmp_path: Path) -> None:
    content, plan = content_with(tmp_path, HOSTILE[case])
    assert_reported(invoke("validate", "--content", str(content), "--no-cache"), plan)


@pytest.mark.parametrize("case", HOSTILE)
def test_build(case: str, tmp_path: Path) -> None:
    content, plan = content_with(tmp_path, HOSTILE[case])
    out = tmp_path / "public"
    result = invoke("build", "--content", str(content), "--out", str(out), "--no-search", "--no-cache")
    assert_reported(result, plan)
    assert not out.exists()


@pytest.mark.parametrize("case", HOSTILE)
def test_diff_either_side(case: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    bad, good = tmp_path / "bad.yaml", content / "plans" / "alpha" / "2023.yaml"
    bad.write_bytes(HOSTILE[case])
    assert_reported(invoke("diff", str(bad), str(good), "--content", str(content)), bad)
    assert_reported(invoke("diff", str(good), str(bad), "--content", str(content)), bad)


def test_diff_of_a_list_against_a_published_plan(tmp_path: Path) -> None:
    """A file whose top level is a list, against a real plan (this once ended in a TypeError)."""
    bad = tmp_path / "list.yaml"
    bad.write_bytes(HOSTILE["top-level-list"])
    result = invoke("diff", str(bad), str(ROOT / "content" / "plans" / "hedong" / "2024.yaml"),
                    "--content", str(ROOT / "content"))
    assert_reported(result, bad)
    assert "计划文件必须由键值组成" in result.output


@pytest.mark.parametrize("case", HOSTILE)
def test_new_from_a_bad_latest_plan(case: str, tmp_path: Path) -> None:
    content, plan = content_with(tmp_path, HOSTILE[case])
    assert_reported(invoke("new", "--content", str(content), "--district", "alpha", "--year", "2025"), plan)
    assert not (content / "plans" / "alpha" / "2025.yaml").exists()  # nothing copied from it


@pytest.mark.parametrize("case", HOSTILE)
def test_faithfulness_report(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, plan = content_with(tmp_path, HOSTILE[case])
    assert faithful.main([str(content)]) == 1
    out = capsys.readouterr().out
    assert_names(out, plan)
    assert "alpha/2023" in out  # the other plans are still reported


def test_faithfulness_report_as_a_command(tmp_path: Path) -> None:
    """`python -m sitegen.content.faithful` over a folder of nothing but hostile plans."""
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    plans = []
    for i, data in enumerate(HOSTILE.values()):
        plans.append(content / "plans" / f"d{i:02d}" / "2024.yaml")
        plans[-1].parent.mkdir(parents=True)
        plans[-1].write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "sitegen.content.faithful", str(content)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert proc.returncode == 1
    for plan in plans:
        assert_names(proc.stdout, plan)


def test_faithfulness_report_of_an_unreadable_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A plan whose source is not UTF-8, or a .docx that is not one: said at the plan's `source.file` line."""
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    source = content / "sources" / "alpha-2023.txt"
    source.write_bytes("甲区".encode("gbk"))
    plan = content / "plans" / "alpha" / "2023.yaml"
    assert faithful.main([str(content)]) == 1
    out = capsys.readouterr().out
    assert_names(out, plan)
    [m] = [m for m in _LINE.finditer(out) if m["path"].endswith("2023.yaml")]
    line = plan.read_text(encoding="utf-8").splitlines()[int(m["line"]) - 1]
    assert "alpha-2023.txt" in line and "无法读取原文文件" in m["message"]


IMPORTED = {
    "binary.txt": bytes(range(256)) * 8,
    "empty.txt": b"",
    "no-plan.txt": "只有一句话\n".encode(),
    "nul.txt": b"title\x00\x00\n",
    "corrupt.docx": b"this is not a zip file\n",
    "no-word-part.docx": None,  # a zip without Word's parts
    "truncated.docx": (ROOT / "tests" / "fixtures" / "import" / "hedong.docx.docx").read_bytes()[:3000],
}


@pytest.mark.parametrize("name", IMPORTED)
def test_import(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if IMPORTED[name] is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not word")
    else:
        path.write_bytes(IMPORTED[name])
    out = tmp_path / "draft.yaml"
    result = invoke("import", str(path), "--district", "alpha", "--year", "2030", "--content", str(VALID),
                    "--out", str(out))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    # A problem of the whole file names the file; one at a line adds the line.
    [message] = [line for line in result.output.splitlines() if line.startswith("错误：")]
    assert message.startswith(f"错误：{path}") and HAN_CHAR.search(message[len(f"错误：{path}"):]), message
    assert not out.exists()
