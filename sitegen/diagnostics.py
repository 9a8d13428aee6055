"""Problems found in content, and how they are printed.

Every stage reports problems as Diagnostic values instead of raising on the
first one, so an editor sees all mistakes of all files in one run.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the content root's parent when possible, for clickable output
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based
    message: str
    hint: str = ""

    def text(self, source_lines: list[str] | None = None) -> str:
        head = f"{self.path}:{self.line}:{self.col}: error: {self.message}"
        parts = [head]
        if source_lines and 1 <= self.line <= len(source_lines):
            # Quote the offending line with a caret, as Hugo and compilers do.
            src = source_lines[self.line - 1].rstrip("\r\n")
            parts.append(f"  {self.line:>4} | {src}")
            parts.append("       | " + " " * _display_width(src[: max(self.col - 1, 0)]) + "^")
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)

    def github(self) -> str:
        # GitHub workflow commands need %, CR and LF escaped in the message.
        msg = self.message + (f" — {self.hint}" if self.hint else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # Property values also need ':' and ',' escaped (a Windows drive, a comma in a name).
        file = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A") \
            .replace(":", "%3A").replace(",", "%2C")
        return f"::error file={file},line={max(self.line, 1)},col={max(self.col, 1)}::{msg}"


def _display_width(s: str) -> int:
    """Terminal columns of s: CJK characters take two, so the caret lines up."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s) in content")
        self.diagnostics = sorted(diagnostics)


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> str:
    diagnostics = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.github() for d in diagnostics)
    cache: dict[str, list[str] | None] = {}
    out = []
    for d in diagnostics:
        if d.path not in cache:
            try:
                cache[d.path] = Path(d.path).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                cache[d.path] = None
        out.append(d.text(cache[d.path]))
    n = len(diagnostics)
    files = len({d.path for d in diagnostics})
    out.append(f"{n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}")
    return "\n".join(out)
