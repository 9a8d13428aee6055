"""Why an import stops: the exceptions of `sitegen import`, with messages in Chinese for editors.

ParseError is raised while reading the text (the file is not known there);
the pipeline turns it into PlanImportError, naming the file and, where one line
is to blame, its number. PlanImportError's message is what the command line prints.
"""

from __future__ import annotations

from pathlib import Path


class PlanImportError(Exception):
    """The import cannot be done; the message (Chinese) names the file and says what to do."""


# The name the command line has always caught; PlanImportError says what it is without shadowing a builtin.
ImportError_ = PlanImportError


class StrictFailure(PlanImportError):
    """--strict and the import has warnings: nothing written; `report` says why, the message sums it up."""

    def __init__(self, report: str, warnings: int):
        super().__init__(f"--strict：导入有 {warnings} 条警告（见上面的报告），未写入任何文件；"
                         "请按警告核对原文，或不加 --strict 导入，在草稿中逐条审核")
        self.report = report


class ParseError(Exception):
    """The text cannot be read as a plan at all.

    `at` is the line to blame, as printed, where there is one: the pipeline
    finds it in the file to name its line number (the text read here has
    been normalised, so its own line numbers are not the file's).
    """

    def __init__(self, message: str, at: str | None = None):
        super().__init__(message)
        self.message = message
        self.at = at

    def located(self, file: Path, text: str | None = None) -> str:
        """The message prefixed with the file and, when `at` is found in its `text`, the line number."""
        line = _line_of(self.at, text) if self.at and text is not None else None
        return f"{file}:{line}: {self.message}" if line else f"{file}: {self.message}"


def _line_of(wanted: str, text: str) -> int | None:
    wanted = wanted.strip()
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() == wanted:
            return n
    return None
