"""Problems found in content, and how they are printed.

Every stage reports problems as Diagnostic values instead of raising on the
first one, so an editor sees all mistakes of all files in one run.
Messages and hints are in Chinese, for the editors who read them; `code` is a
stable English name of the kind of problem, for scripts (`--format json`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the content root's parent when possible, for clickable output
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based
    message: str
    hint: str = ""
    code: str = ""  # stable English id, e.g. "unknown-agency"

    def quote(self, source_lines: list[str] | None) -> tuple[str, str] | None:
        """The offending line and a caret under the column, or None when there is no line to show."""
        if not source_lines or not 1 <= self.line <= len(source_lines):
            return None
        src = source_lines[self.line - 1].rstrip("\r\n")
        return src, " " * _display_width(src[: max(self.col - 1, 0)]) + "^"

    def text(self, source_lines: list[str] | None = None) -> str:
        parts = [f"{self.path}:{self.line}:{self.col}: 错误: {self.message}"]
        quoted = self.quote(source_lines)
        if quoted:
            # Quote the offending line with a caret, as Hugo and compilers do.
            parts.append(f"  {self.line:>4} | {quoted[0]}")
            parts.append(f"       | {quoted[1]}")
        if self.hint:
            parts.append(f"  提示: {self.hint}")
        return "\n".join(parts)

    def github(self) -> str:
        # GitHub workflow commands need %, CR and LF escaped in the message.
        msg = self.message + (f" — {self.hint}" if self.hint else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # Property values also need ':' and ',' escaped (a Windows drive, a comma in a name).
        file = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") \
            .replace(":", "%3A").replace(",", "%2C")
        title = f",title={self.code}" if self.code else ""
        return f"::error file={file},line={max(self.line, 1)},col={max(self.col, 1)}{title}::{msg}"


def _display_width(s: str) -> int:
    """Terminal columns of s: CJK characters take two, so the caret lines up."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s) in content")
        self.diagnostics = sorted(diagnostics)


def read_lines(diagnostics: list[Diagnostic]) -> dict[str, list[str] | None]:
    """The lines of every file the diagnostics name (None when unreadable), to quote them."""
    cache: dict[str, list[str] | None] = {}
    for d in diagnostics:
        if d.path not in cache:
            try:
                cache[d.path] = Path(d.path).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                cache[d.path] = None
    return cache


def summary(diagnostics: list[Diagnostic]) -> str:
    files = len({d.path for d in diagnostics})
    return f"共 {len(diagnostics)} 个错误，涉及 {files} 个文件"


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> str:
    diagnostics = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diagnostics)
    lines = read_lines(diagnostics)
    out = [d.text(lines[d.path]) for d in diagnostics]
    out.append(summary(diagnostics))
    return "\n".join(out)
