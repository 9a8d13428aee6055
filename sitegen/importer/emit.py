"""The draft written as YAML by hand, with the `# review:` remarks an editor needs.

A YAML library would drop the `# review:` comments an editor needs, so the
draft is written by this small emitter: block mappings and lists, `|-`
blocks for long or multi-line text, flow lists for slugs, and quoting
whenever a plain scalar would not read back as the same string. Whatever it
writes must load with sitegen.content.load.parse_text and validate as a Plan; the
importer checks that before anything is written.
"""

from __future__ import annotations

import json

import yaml

from sitegen.importer.draft import Draft, MeasureDraft, SectionDraft, TargetDraft

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

REVIEW_SUGGESTED = "# review: suggested"
BLOCK_OVER = 60  # characters: longer text is written as a `|-` block, like the hand-written plans

# --- scalars ----------------------------------------------------------------------------------

_BAD_START = set("-?:,[]{}#&*!|>'\"%@`")


def plain_ok(s: str, *, flow: bool = False) -> bool:
    """Whether s can be written unquoted and read back as the same string."""
    if not s or s != s.strip() or "\n" in s or "\t" in s or s[0] in _BAD_START:
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    try:
        return yaml.load(f"k: {s}", Loader=_Loader) == {"k": s}
    except yaml.YAMLError:
        return False


def scalar(s: str, *, flow: bool = False) -> str:
    return s if plain_ok(s, flow=flow) else json.dumps(s, ensure_ascii=False)


def number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def flow_list(values: list[str]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, indent: int, text: str) -> None:
        for line in text.split("\n"):
            self.lines.append(" " * indent + "# " + line)

    def key(self, indent: int, key: str, value: str | None = None, comment: str | None = None,
            dash: bool = False) -> None:
        lead = " " * indent + ("- " if dash else "")
        line = f"{lead}{key}:" + (f" {value}" if value is not None else "")
        self.lines.append(line + (f"  {comment}" if comment else ""))

    def text(self, indent: int, key: str, value: str, dash: bool = False) -> None:
        value = "\n".join(ln.strip() for ln in value.split("\n")).strip()
        if "\n" in value or len(value) > BLOCK_OVER:
            self.key(indent, key, "|-", dash=dash)
            pad = " " * (indent + (4 if dash else 2))
            for line in value.split("\n"):
                self.lines.append(pad + line if line else "")
        else:
            self.key(indent, key, scalar(value), dash=dash)

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


# --- the plan ------------------------------------------------------------------------------------


def emit(draft: Draft, *, district: str, year: int, source_file: str) -> str:
    w = Writer()
    w.lines.append("# yaml-language-server: $schema=../../schema/plan.schema.json")
    w.lines.append(f"# DRAFT from `sitegen import {source_file}`: check every line against the source "
                   "and every `# review:` remark (docs/importing.md), then remove these remarks.")
    w.text(0, "title", draft.title)
    if draft.subtitle:
        w.text(0, "subtitle", draft.subtitle)
    w.key(0, "district", scalar(district))
    w.key(0, "year", str(year))
    # An import is a draft until an editor has reviewed it: 草稿 plans stay off the published site.
    w.key(0, "status", "草稿", comment=f"# review: 审核完成后改为 {draft.status}（原文所示）")
    if draft.issuer:
        w.text(0, "issuer", draft.issuer)
    if draft.date:
        w.key(0, "date", draft.date)
    if draft.publicity:
        w.text(0, "publicity", draft.publicity)
    if draft.follows:
        w.text(0, "follows", draft.follows)
    w.key(0, "shape", draft.shape)
    if draft.columns:
        w.key(0, "columns", flow_list(draft.columns))
    w.key(0, "source")
    w.key(2, "file", scalar(source_file))
    if draft.heading:
        w.text(2, "heading", draft.heading)
    if draft.notice:
        w.text(0, "notice", draft.notice)
    if draft.intro:
        w.text(0, "intro", draft.intro)
    for remark in draft.review:
        w.comment(0, f"review: {remark}")
    w.key(0, "parts")
    _sections(w, draft.parts, 2)
    if draft.closing:
        w.text(0, "closing", draft.closing)
    return w.render()


def _sections(w: Writer, sections: list[SectionDraft], indent: int) -> None:
    for s in sections:
        for remark in s.review:
            w.comment(indent, f"review: {remark}")
        w.key(indent, "id", s.id, dash=True)
        ind = indent + 2
        if s.number:
            w.key(ind, "number", scalar(s.number))
        if s.title:
            w.text(ind, "title", s.title)
        if s.text:
            w.text(ind, "text", s.text)
        if s.goals:
            w.key(ind, "goals")
            for g in s.goals:
                w.key(ind + 2, "id", g.id, dash=True)
                if g.number:
                    w.key(ind + 4, "number", scalar(g.number))
                w.text(ind + 4, "text", g.text)
                _targets(w, g.targets, ind + 4)
        if s.measures:  # before items: the page shows a section's own measures first, as the plan prints them
            w.key(ind, "measures")
            for m in s.measures:
                _measure(w, m, ind + 2)
        if s.items:
            w.key(ind, "items")
            _sections(w, s.items, ind + 2)


def _measure(w: Writer, m: MeasureDraft, indent: int) -> None:
    for remark in m.review:
        w.comment(indent, f"review: {remark}")
    w.key(indent, "id", m.id, dash=True)
    mi = indent + 2
    if m.number:
        w.key(mi, "number", scalar(m.number))
    if m.label:
        w.text(mi, "label", m.label)
    w.text(mi, "text", m.text)
    if m.task_type:
        w.key(mi, "task_type", scalar(m.task_type))
    if m.responsibility:
        w.text(mi, "responsibility", m.responsibility)
    if m.supporting:
        w.text(mi, "supporting", m.supporting)
    if m.agencies:
        w.key(mi, "agencies")
        for a in m.agencies:
            line = f"{{name: {scalar(a.name, flow=True)}, role: {scalar(a.role, flow=True)}}}"
            w.lines.append(" " * (mi + 2) + "- " + line + (f"  # {a.comment}" if a.comment else ""))
    else:
        w.key(mi, "no_agency", "true", comment="# review: no agency named")
    w.key(mi, "themes", flow_list(m.themes), comment=REVIEW_SUGGESTED)
    _targets(w, m.targets, mi)
    if m.note:
        w.text(mi, "note", m.note)


def _targets(w: Writer, targets: list[TargetDraft], indent: int) -> None:
    if not targets:
        return
    w.key(indent, "targets", comment=REVIEW_SUGGESTED)
    for t in targets:
        w.key(indent + 2, "metric", scalar(t.metric), dash=True, comment=REVIEW_SUGGESTED)
        ti = indent + 4
        w.key(ti, "value", number(t.value))
        if t.value_max is not None:
            w.key(ti, "value_max", number(t.value_max))
        w.key(ti, "unit", scalar(t.unit))
        if t.qualifier:
            w.key(ti, "qualifier", scalar(t.qualifier))
        w.text(ti, "words", t.words)

