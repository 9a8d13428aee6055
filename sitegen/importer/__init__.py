"""`sitegen import`: turn a plan's extracted text, or its Word file, into a draft plan YAML to review.

    sitegen import content/sources/005_….txt --district hedong --year 2025 [--strict]

The draft is a starting point, never a publication: page furniture is
removed, the text is split into parts, items and measures, page breaks are
mended, agencies and roles are read from the responsibility clauses or
columns, and themes and targets are suggested. Everything a machine guesses
is marked `# review:` in the file; the report says, in Chinese, what was
found, how much of the source the draft carries (sitegen.content.faithful's
coverage) and every text not understood. What to check is in
docs/importing.md. The importer never writes over a file.

One module a concern, in the order the import runs (pipeline.py runs them):

- source: the file's bytes to text (or a Word file read, docx), then to a draft tree of either shape
- cleanup: line ends, page numbers, running headers and footers, Word marks
- header: the title, the covering notice above it, the subtitle and intro below it
- paragraphs: lines cut by the page width or a page break joined back
- numbering: the markers of parts, items and numbered paragraphs (一、 （一） 1． （1） ①)
- clauses: responsibility clauses in running text, and a body cut into measures at them
- prose: a prose plan's outline to sections and measures
- columns, text_table, table: a table plan's columns by meaning, a text table's cells, rows to measures
- docx: a Word file, its plan table as rows
- agencies, themes, targets, suggest: what an editor must confirm, put on each measure
- ids, emit: content-derived ids, and the YAML with its review remarks
- report: the report and its warnings, in Chinese
- draft, errors: the draft tree, and why an import stops
- newplan: `sitegen new`, next year's plan started from the last one
"""

from __future__ import annotations

from sitegen.importer.errors import ImportError_, ParseError, PlanImportError, StrictFailure
from sitegen.importer.pipeline import Imported, draft_plan, import_plan
from sitegen.importer.report import report
from sitegen.importer.source import parse

__all__ = ["ImportError_", "PlanImportError", "Imported", "ParseError", "StrictFailure", "draft_plan", "import_plan",
           "parse", "report"]
