"""The copy of a page Pagefind indexes (never published). It differs from the page in three ways:

- every Han character stands alone (cjk.py), so the index holds single characters;
- each measure starts with a heading carrying the measure's anchor (and each section's
  heading carries the section's), because Pagefind builds sub-results only from headings
  with ids: a result lands on the task;
- the page's metadata, filters and sort key (facts.py) sit in empty elements at the top of its body.

What the page marks data-pagefind-ignore is cut out first (the task lists of duty and theme
pages: a task is indexed once, on its plan page).
"""

from __future__ import annotations

import html
import re

from sitegen.outputs.search.cjk import Spacer
from sitegen.outputs.search.facts import page_facts
from sitegen.site.pages import Page

_HEADING = re.compile(r"h[1-6]")
# Boilerplate repeated on every page: indexing it would make every page match its words.
NOT_INDEXED = frozenset({"legend", "permalink", "neighbours"})  # neighbours: links to other plans and comparisons
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

# The pages are the site's own, valid HTML (vnu-checked): a tag is "<...>" with its attribute
# values quoted and escaped. The copy spaces the whole page at once (str.translate, in C; Han
# characters in attribute values get spaces too, which the index never reads) and then visits only
# the tags it may rewrite, found by one regex; html.parser took most of the index's time.
_VISITED = re.compile(r'<(/?)(li|section|main|h[1-6])\b([^>]*)>'
                      r'|<([a-z][a-z0-9]*)\b([^>]*\bclass="[^"]*\b(?:derived|'
                      + "|".join(sorted(NOT_INDEXED)) + r')\b[^>]*)>'
                      r"|<!--.*?-->", re.S)
_ATTR = re.compile(r'([^\s=/>]+)(="[^"]*")?')
_IGNORED = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore[\s/>=]")

Attrs = list[tuple[str, "str | None"]]


def _attrs(text: str) -> Attrs:
    """A start tag's attributes as written (values still escaped); None for a bare attribute."""
    return [(k, v[2:-1] if v else None) for k, v in _ATTR.findall(text)]


def _tag(tag: str, attrs: Attrs, end: str = ">") -> str:
    return "<" + tag + "".join(f" {k}" if v is None else f' {k}="{v}"' for k, v in attrs) + end


def _attr_value(text: str) -> str:
    # Pagefind reads "key:value" pairs split on commas.
    return html.escape(text.replace(",", "，"), quote=True)


def _facts_html(facts: dict) -> str:
    parts = [f'<span data-pagefind-meta="{_attr_value(k)}:{_attr_value(v)}"></span>' for k, v in facts["meta"].items()]
    parts += [f'<span data-pagefind-filter="{k}:{_attr_value(v)}"></span>'
              for k, values in facts["filters"].items() for v in values]
    parts += [f'<span data-pagefind-sort="{k}:{_attr_value(v)}"></span>' for k, v in facts["sort"].items()]
    return "".join(parts)


class _IndexCopy:
    """Re-emits a page with spaced Han text, measure headings, and its facts in the body."""

    def __init__(self, facts: dict, spacer: Spacer) -> None:
        self.facts = facts
        self.spaced = spacer
        self.out: list[str] = []
        self.pending_id: str | None = None  # a section's id, for its heading
        # A heading the site derives from its section's only task (span.derived) is that
        # task's title: it takes the task's anchor, so a match in it lands on the task.
        self.heading_at: int | None = None  # where in out the open section heading's tag is
        self.derived_at: int | None = None  # that tag, once the heading proved derived

    def feed(self, page_html: str) -> None:
        text = self.spaced(page_html, tidy=False)
        out, at = self.out, 0
        for m in _VISITED.finditer(text):
            out.append(text[at:m.start()])
            at = m.end()
            closing, tag, rest, other, other_rest = m.groups()
            if tag is None and other is None:  # a comment: dropped
                continue
            if closing:
                if tag[0] == "h":
                    self.heading_at = None
                out.append(m.group())
            else:
                self._start(tag or other, m.group(), rest if tag else other_rest)
        out.append(text[at:])

    def _start(self, tag: str, written: str, rest: str) -> None:
        attrs = _attrs(rest)
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "measure" in classes and a.get("id") in self.facts["headings"]:
            self._measure(attrs, a["id"])
        elif tag == "section" and a.get("id"):
            self.pending_id = a["id"]
            self.out.append(_tag(tag, [(k, v) for k, v in attrs if k != "id"]))
        else:
            end = " />" if rest.rstrip().endswith("/") else ">"
            self._other(tag, written, attrs, a, classes, end)

    def _measure(self, attrs: Attrs, anchor: str) -> None:
        """A measure's <li>: its anchor moves to a heading of its own, or to the derived section heading."""
        self.out.append(_tag("li", [(k, v) for k, v in attrs if k != "id"]))
        if self.derived_at is not None:
            self.out[self.derived_at] = re.sub(r' id="[^"]*"', f' id="{anchor}"', self.out[self.derived_at], count=1)
            self.derived_at = None
            return
        self.out.append(f'<h6 id="{anchor}">{html.escape(self.spaced(self.facts["headings"][anchor]), quote=False)}</h6>')

    def _other(self, tag: str, written: str, attrs: Attrs, a: dict, classes: list[str], end: str) -> None:
        """Boilerplate marked ignored, a section heading given its section's id, the body given its facts."""
        changed = False
        if NOT_INDEXED.intersection(classes):
            attrs, changed = [*attrs, ("data-pagefind-ignore", None)], True
        if "derived" in classes and self.heading_at is not None:
            self.derived_at = self.heading_at
        if _HEADING.fullmatch(tag):
            self.derived_at = None
            self.heading_at = None
            if self.pending_id and not a.get("id"):
                attrs, changed = [*attrs, ("id", self.pending_id)], True
                self.pending_id = None
                self.heading_at = len(self.out)
        body = "data-pagefind-body" in a
        if body and self.facts["weight"] != 1:
            attrs, changed = [*attrs, ("data-pagefind-weight", str(self.facts["weight"]))], True
        self.out.append(_tag(tag, attrs, end) if changed else written)
        if body:
            self.out.append(_facts_html(self.facts))
            if self.facts["names"]:  # an agency's other names: found by them, not shown
                self.out.append(f"<p>{html.escape(self.spaced(self.facts['names']), quote=False)}</p>")


def without_ignored(page_html: str) -> str:
    """The page less each element marked data-pagefind-ignore, found by counting its own tag only
    (an unclosed <p> or <li> inside cannot end it early). The task lists of duty and theme pages
    are most of their bytes: cut here by string search, the copy never reads them."""
    parts, at = [], 0
    while m := _IGNORED.search(page_html, at):
        parts.append(page_html[at:m.start()])
        tag, at = m.group(1), m.end()
        if tag in _VOID:
            continue
        opening, depth = re.compile(f"<{tag}[\\s>]|</{tag}\\s*>"), 1
        while depth and (n := opening.search(page_html, at)):
            depth += -1 if n.group().startswith("</") else 1
            at = n.end()
        if depth:  # never closed: the rest of the page is inside it
            at = len(page_html)
    parts.append(page_html[at:])
    return "".join(parts)


def index_copy(page: Page, page_html: str, spacer: Spacer | None = None) -> str:
    """The HTML Pagefind indexes for a page; `spacer`: one kept for a run's pages (a new one if none)."""
    copy = _IndexCopy(page_facts(page), spacer if spacer is not None else Spacer())
    copy.feed(without_ignored(page_html))
    return "".join(copy.out)
