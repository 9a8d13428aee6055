"""The template environment: output escaped exactly as MarkupSafe escapes it, with the speed-ups
and without; the cached filter renders a macro once per view dict, one district at a time."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from sitegen.build.pipeline import ordered, prepare
from sitegen.common.project import Project
from sitegen.site.derive import DiffCache
from sitegen.site.memo import DistrictMemo, Fragments
from sitegen.site.render import environment, render_page

ROOT = Path(__file__).resolve().parent.parent
BOTH_WAYS = pytest.mark.parametrize("fast", [True, False], ids=["speedups", "stock"])


def _env(tmp_path, source: str, fast: bool = True):
    (tmp_path / "t.html").write_text(source, encoding="utf-8")
    env = environment(tmp_path, fast=fast)
    calls = []
    env.globals["count"] = lambda: calls.append(1) or ""
    return env, calls


class _Html:
    def __html__(self):
        return "<i>safe</i>"


@BOTH_WAYS
def test_every_output_is_escaped_once_as_markupsafe_does(tmp_path, fast):
    """Wherever output goes (straight out, through a macro, a call block, a set block, a filter
    block, a concatenation, the escape filter) it is escaped as markupsafe.escape escapes it;
    marked-safe values and macro output are not escaped twice."""
    env, _ = _env(tmp_path, (
        "{% macro m(v) %}[{{ v }}]{% endmacro %}{% macro c(v) %}[{{ v }}]{{ caller() }}{% endmacro %}"
        "{{ s }}|{{ n }}|{{ h }}|{{ safe }}|{{ m(s) }}|{% call c(s) %}{{ s }}{% endcall %}|"
        "{% set block %}{{ s }}{% endset %}{{ block }}|{% filter upper %}{{ s }}{% endfilter %}|"
        "{{ s ~ '<' }}|{{ s|e }}|{{ q }}|{{ none }}"), fast)
    s, q = "<甲&'\">", "'\""
    out = env.get_template("t.html").render(s=s, n=3, h=_Html(), safe=Markup("<b>乙</b>"), q=q, none=None)
    e = str(escape(s))
    assert e == "&lt;甲&amp;&#39;&#34;&gt;"
    assert out == (f"{e}|3|<i>safe</i>|<b>乙</b>|[{e}]|[{e}]{e}|{e}|{e.upper()}|{e}&lt;|{e}|{escape(q)}|None")


@BOTH_WAYS
def test_templates_render_as_stock_jinja_does(tmp_path, fast):
    """Blocks, super(), self, loops, conditions, sets, macros, a block inside a block, and
    lookups on dicts (a key, a key named like a dict method, a method) come out as a stock
    jinja2.Environment renders them."""
    (tmp_path / "base.html").write_text("<head>{% block head %}默认{% endblock %}</head>"
                                        "<main>{% block main %}{% endblock %}</main>{{ self.head() }}",
                                        encoding="utf-8")
    (tmp_path / "t.html").write_text(
        '{% extends "base.html" %}{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}'
        "{% block head %}{{ super() }}+{{ title }}{% endblock %}"
        "{% block main %}{% set n = xs|length %}{% for x in xs %}<p>{{ loop.index }}{{ x }}</p>{% if x == 2 %}"
        "{{ m(x) }}{% endif %}{% endfor %}{{ n }}{% block inner %}<i>{{ title }}</i>{% endblock %}"
        "{{ d.text }}{{ d.items()|list|length }}{{ d.get('no', '无') }}{% endblock %}",
        encoding="utf-8")
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    values = {"xs": [1, 2, "<3>"], "title": "标题&", "d": {"text": "<文>", "items": "键"}}
    out = environment(tmp_path, fast=fast).get_template("t.html").render(**values)
    assert out == stock.get_template("t.html").render(**values)
    assert "&lt;文&gt;2无" in out


def test_a_missing_key_is_an_error_with_the_speedups_as_without(tmp_path):
    for fast in (True, False):
        env, _ = _env(tmp_path, "{{ d.nope }}", fast)
        with pytest.raises(jinja2.UndefinedError):
            env.get_template("t.html").render(d={"text": "甲"})


def test_cached_renders_a_macro_once_per_view(tmp_path):
    env, calls = _env(tmp_path, "{% macro m(v) %}{{ count() }}<b>{{ v.x }}</b>{% endmacro %}"
                                "{{ a|cached(m) }}{{ a|cached(m) }}{{ b|cached(m) }}{{ m(a) }}")
    out = env.get_template("t.html").render(a={"x": "<甲>"}, b={"x": "乙"})
    assert out == "<b>&lt;甲&gt;</b>" * 2 + "<b>乙</b><b>&lt;甲&gt;</b>"  # escaped, as uncached
    assert len(calls) == 3  # a once, b once, and the uncached call


def test_cached_gives_what_a_call_gives(tmp_path):
    """A macro with defaults, varargs or keyword catch-alls gives the same through `cached` as called."""
    env, _ = _env(tmp_path, '{% macro one(v) %}<b>{{ v.x }}</b>{% endmacro %}'
                            '{% macro two(v, sep="、") %}{{ v.x }}{{ sep }}{{ varargs|length }}{% endmacro %}'
                            "{{ a|cached(one) }}|{{ a|cached(two) }}|{{ one(a) }}|{{ two(a) }}")
    assert env.get_template("t.html").render(a={"x": "<甲>"}) == \
        "<b>&lt;甲&gt;</b>|&lt;甲&gt;、0|<b>&lt;甲&gt;</b>|&lt;甲&gt;、0"


def test_cached_fragments_are_dropped_with_their_district(tmp_path):
    env, calls = _env(tmp_path, "{% macro m(v) %}{{ count() }}{{ v.x }}{% endmacro %}{{ a|cached(m) }}")
    a = {"x": "甲"}
    template, fragments = env.get_template("t.html"), env.filters["cached"]
    fragments.enter("hedong")
    template.render(a=a)
    template.render(a=a)
    assert len(calls) == 1
    fragments.enter("futian")  # another district's pages: hedong's fragments go
    template.render(a=a)
    assert len(calls) == 2


def test_district_memo_keeps_one_district():
    memo, made = DistrictMemo(), []

    def make(v):
        return lambda: made.append(v) or v

    assert memo.get("hedong", 1, make("a")) == "a"
    assert memo.get("hedong", 1, make("b")) == "a"
    assert memo.get("futian", 1, make("c")) == "c"
    assert memo.get("hedong", 1, make("d")) == "d"
    assert made == ["a", "c", "d"]


def test_a_measure_is_rendered_once_for_all_its_districts_pages():
    """A district's plan, duty and theme pages show the same measures: each measure's body, text,
    extras and theme links, and each agency chip, are rendered by their macro once for all of
    them (the pages are rendered district by district, as the workers do)."""
    project = Project.at(ROOT)
    prepared = prepare(project, False, None, DiffCache(), parallel=False)
    calls: Counter = Counter()

    def counting(macro, view):
        calls[macro.name] += 1
        return macro(view)

    env = environment(project.templates)
    env.filters["cached"] = Fragments(counting)  # before any template is loaded, which looks it up
    shown = [p for p in ordered(prepared.pages, [])
             if p.group and p.template in ("plan.html", "duty.html", "theme_district.html")]
    assert {p.template for p in shown} == {"plan.html", "duty.html", "theme_district.html"}
    for page in shown:
        render_page(env, prepared.site.info, page)
    idx = prepared.idx
    measures = sum(len(placed) for placed in idx.placed.values())
    assert calls["measure_body"] == calls["measure_text"] == calls["theme_links"] == calls["measure_extras"] == measures
    assert calls["chip"] == sum(len(ds) for ds in idx.duties.values())
