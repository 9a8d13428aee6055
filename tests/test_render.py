"""The template helpers: the cached filter renders a macro once per view dict, one district at a time."""

from __future__ import annotations

from sitegen.site.memo import DistrictMemo
from sitegen.site.render import environment


def _env(tmp_path, source: str):
    (tmp_path / "t.html").write_text(source, encoding="utf-8")
    env = environment(tmp_path)
    calls = []
    env.globals["count"] = lambda: calls.append(1) or ""
    return env, calls


def test_cached_renders_a_macro_once_per_view(tmp_path):
    env, calls = _env(tmp_path, "{% macro m(v) %}{{ count() }}<b>{{ v.x }}</b>{% endmacro %}"
                                "{{ a|cached(m) }}{{ a|cached(m) }}{{ b|cached(m) }}{{ m(a) }}")
    out = env.get_template("t.html").render(a={"x": "<甲>"}, b={"x": "乙"})
    assert out == "<b>&lt;甲&gt;</b>" * 2 + "<b>乙</b><b>&lt;甲&gt;</b>"  # escaped, as uncached
    assert len(calls) == 3  # a once, b once, and the uncached call


def test_cached_runs_any_macro_as_a_call_would(tmp_path):
    """`cached` runs a one-argument macro by its compiled function; a macro with defaults, a
    caller or catch-alls goes through Jinja's call, so its output is the same either way."""
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


class _Html:
    def __html__(self):
        return "<i>safe</i>"


def test_every_output_is_escaped_once(tmp_path):
    """The templates' own escape (sitegen.site.render._escape, no Markup wrapping) escapes as
    markupsafe does, wherever output goes: straight out, through a macro, a call block, a
    set block and a filter block; marked-safe values and macro output are not escaped twice."""
    env, _ = _env(tmp_path, (
        "{% macro m(v) %}[{{ v }}]{% endmacro %}{% macro c(v) %}[{{ v }}]{{ caller() }}{% endmacro %}"
        "{{ s }}|{{ n }}|{{ h }}|{{ safe }}|{{ m(s) }}|{% call c(s) %}{{ s }}{% endcall %}|"
        "{% set block %}{{ s }}{% endset %}{{ block }}|{% filter upper %}{{ s }}{% endfilter %}|"
        "{{ s ~ '<' }}|{{ s|e }}|{{ q }}"))
    from markupsafe import Markup
    out = env.get_template("t.html").render(s="<甲&'\">", n=3, h=_Html(), safe=Markup("<b>乙</b>"), q="'\"")
    e = "&lt;甲&amp;&#39;&#34;&gt;"
    assert out == (f"{e}|3|<i>safe</i>|<b>乙</b>|[{e}]|[{e}]{e}|{e}|{e.upper()}|{e}&lt;|{e}|&#39;&#34;")


def test_a_block_yields_its_text_once_and_renders_as_jinja_does(tmp_path):
    """Blocks are compiled to fill a list (render._CodeGenerator): a child template's block
    hands its parent one string, not a piece per output, and the page is what stock Jinja
    renders: loops, conditions, sets, super(), self, macros and a block inside a block."""
    import jinja2

    (tmp_path / "base.html").write_text("<head>{% block head %}默认{% endblock %}</head>"
                                        "<main>{% block main %}{% endblock %}</main>{{ self.head() }}",
                                        encoding="utf-8")
    (tmp_path / "t.html").write_text(
        '{% extends "base.html" %}{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}'
        "{% block head %}{{ super() }}+{{ title }}{% endblock %}"
        "{% block main %}{% set n = xs|length %}{% for x in xs %}<p>{{ loop.index }}{{ x }}</p>{% if x == 2 %}"
        "{{ m(x) }}{% endif %}{% endfor %}{{ n }}{% block inner %}<i>{{ title }}</i>{% endblock %}{% endblock %}",
        encoding="utf-8")
    env = environment(tmp_path)
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True,
                               undefined=jinja2.StrictUndefined)
    values = {"xs": [1, 2, "<3>"], "title": "标题&"}
    template = env.get_template("t.html")
    assert template.render(**values) == stock.get_template("t.html").render(**values)
    context = template.new_context(values)
    "".join(template.root_render_func(context))  # defines the macro, as a render does
    pieces = list(template.blocks["main"](context))
    assert pieces == ["<p>11</p><p>22</p><b>2</b><p>3&lt;3&gt;</p>3<i>标题&amp;</i>"]


def test_a_measure_is_rendered_once_for_all_its_districts_pages(monkeypatch):
    """A district's plan, duty and theme pages show the same measures: each measure's text,
    extras and theme links, and each agency chip, are rendered by their macro once for all of
    them (the pages are rendered district by district, as the workers do)."""
    from collections import Counter
    from pathlib import Path

    import jinja2.runtime

    from sitegen.build.pipeline import ordered, prepare
    from sitegen.common.project import Project
    from sitegen.site import render
    from sitegen.site.derive import DiffCache
    from sitegen.site.render import render_page

    project = Project.at(Path(__file__).resolve().parent.parent)
    prepared = prepare(project, False, None, DiffCache(), parallel=False)
    site, idx, pages = prepared.site, prepared.idx, prepared.pages
    env = environment(project.templates)
    calls: Counter = Counter()
    invoke, call = jinja2.runtime.Macro._invoke, render._call

    def counting(self, arguments, autoescape):  # a macro called by a template
        calls[self.name] += 1
        return invoke(self, arguments, autoescape)

    def counting_cached(macro, view):  # a macro run by `cached` (by its compiled function)
        calls[macro.name] += 1
        return call(macro, view)

    monkeypatch.setattr(jinja2.runtime.Macro, "_invoke", counting)
    monkeypatch.setattr(render, "_call", counting_cached)
    shown = [p for p in ordered(pages, []) if p.group and p.template in ("plan.html", "duty.html", "theme_district.html")]
    assert {p.template for p in shown} == {"plan.html", "duty.html", "theme_district.html"}
    for page in shown:
        render_page(env, site.info, page)
    measures = sum(len(placed) for placed in idx.placed.values())
    assert calls["measure_body"] == calls["measure_text"] == calls["theme_links"] == calls["measure_extras"] == measures
    assert calls["chip"] == sum(len(ds) for ds in idx.duties.values())
