"""Where sitegen reaches past a library's documented API for speed: the one module that may.

Everything else in sitegen uses its libraries through their public, documented API. A speed-up
lives here only while it pays a few percent of the 1,000-plan build (docs/performance.md has
the figures), and each is checked before it is used: the internal it leans on must be there
and behave as this code expects, and a probe rendered with it must come out byte for byte as
the stock library renders it. One that fails its check is left out and the stock path is used:
the same output, only slower. `SITEGEN_SPEEDUPS=0` in the process environment leaves them all
out (a way out should a library release break one in a way its check does not see); the tests
build the seed site both ways and compare every file.

One section a library; each names the versions its internals were read from, which
pyproject.toml's upper bounds hold to.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass

import jinja2
import jinja2.compiler
import jinja2.runtime
import markupsafe

SWITCH = "SITEGEN_SPEEDUPS"  # "0": the stock path everywhere


def enabled() -> bool:
    """Whether the speed-ups may be used at all in this process (see SWITCH)."""
    return os.environ.get(SWITCH, "1") != "0"


# == Jinja2 3.1 and MarkupSafe 3.0: rendering templates ==========================================
#
# Four speed-ups. Rendering every page of the 1,000-plan corpus on one core took 16.1 CPU-s
# with stock Jinja and 8.6 with escape and dict-first lookups (12.3 without the lookups, 11.7
# without the escape: benchmarks/speedups.py); the whole build's CPU falls by about a sixth.
# Blocks as one string and macros run by their function are worth little of a full build
# (about 1 % together) but a fifth of the rendering in a one-plan rebuild, whose metric and
# overview pages are long runs of small pieces: `sitegen serve` answers a save sooner.
#
# - escape: a template's `{{ value }}` is compiled to `escape(value)`, and MarkupSafe's escape
#   wraps each result in a Markup, a Python-level `Markup.__new__` for each of millions of
#   values. The compiled code only joins that result into its output (a macro's or block's
#   output is wrapped in Markup as a whole), so the wrapping is never read. The templates get an
#   escape that returns the same text as a str, from MarkupSafe's `_escape_inner` (the C
#   function behind its escape), put into the compiled module's globals where its `escape` is.
#
# - dict-first lookups: views are dicts, and `m.text` compiles to `environment.getattr(m,
#   "text")`, which tries Python's getattr first and the key after it fails: an exception
#   raised and caught for each of millions of lookups. `Environment.getattr` is
#   public by name and the sandbox overrides it, but it is not in Jinja's documented API. A
#   plain dict's attributes are exactly those of the dict type (it has no __dict__), so looking
#   the key up first, for a name that is not one of them, returns what Jinja's order returns.
#
# - blocks as one string: a `{% block %}` yields every piece of its output, and each passes up
#   through the child template's root and the layout's; compiled to fill a list and yield it
#   once (as Jinja compiles macros), a block costs one call a run of output (CodeGenerator
#   internals: Frame.block_frame, Frame.buffer, CodeGenerator.buffer).
#
# - macros run by their function: `view|cached(macro)` calls a one-argument macro's compiled
#   function (Macro._func) instead of Macro.__call__, which sorts out defaults, keywords and
#   callers, then wraps the function's Markup in a Markup again.


@dataclass(frozen=True)
class Speedup:
    """A speed-up of rendering: its name, the class attributes it gives the Jinja environment
    class, and its check of that class (None when it may be used, else why not)."""

    name: str
    attributes: Callable[[], dict]
    check: Callable[[type[jinja2.Environment]], str | None]


def _escape_to_str() -> Callable | None:
    """MarkupSafe's escape as a str in, str out function: None if MarkupSafe has no
    `_escape_inner` (it came with 3.0)."""
    inner = getattr(markupsafe, "_escape_inner", None)
    if not callable(inner):
        return None

    def escape(value) -> str:
        # markupsafe.escape's own steps, less the Markup around the result.
        if type(value) is str:
            return inner(value)
        if hasattr(value, "__html__"):
            return value.__html__()
        return inner(str(value))

    return escape


class _Html:
    def __html__(self) -> str:
        return "<i>safe</i>"


class _Str(str):
    pass


# Every kind of value a template prints: plain text with each special character, numbers,
# None, marked-safe text, an object with __html__, a str subclass, an empty string.
_ESCAPE_SAMPLES = ("<甲&'\">", "plain", "", 3, 2.5, None, True, markupsafe.Markup("<b>乙</b>"), _Html(),
                   _Str("<c>"), "&amp;", "\x00<\n>")


def _escaping_template_class(escape: Callable) -> type[jinja2.Template]:
    class EscapingTemplate(jinja2.Template):
        @classmethod
        def from_code(cls, environment, code, globals, uptodate=None):
            template = super().from_code(environment, code, globals, uptodate)
            # The compiled module's functions (root, blocks, macros) share its globals, where
            # the module imported jinja2.runtime's escape.
            template.root_render_func.__globals__["escape"] = escape
            return template

    return EscapingTemplate


def _escape_attributes() -> dict:
    return {"template_class": _escaping_template_class(_escape_to_str())}


def _check_escape(environment_class: type[jinja2.Environment]) -> str | None:
    escape = _escape_to_str()
    if escape is None:
        return "markupsafe has no _escape_inner"
    for value in _ESCAPE_SAMPLES:
        if escape(value) != str(markupsafe.escape(value)):
            return f"escapes {value!r} otherwise than markupsafe.escape"
    if _parameters(jinja2.Template.from_code) != ["environment", "code", "globals", "uptodate"]:
        return "jinja2.Template.from_code has another signature"
    if jinja2.Environment().from_string("{{ x }}").root_render_func.__globals__.get("escape") is not markupsafe.escape:
        return "compiled templates do not read escape from their globals"
    if environment_class().from_string("{{ x }}").root_render_func.__globals__.get("escape") is markupsafe.escape:
        return "templates are not made by the environment's template_class"
    return None


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _dict_first_getattr(self, obj, attribute):
    if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
        try:
            return obj[attribute]
        except KeyError:
            pass
    return jinja2.Environment.getattr(self, obj, attribute)


def _getattr_attributes() -> dict:
    return {"getattr": _dict_first_getattr}


def _check_getattr(environment_class: type[jinja2.Environment]) -> str | None:
    if _parameters(jinja2.Environment.getattr) != ["self", "obj", "attribute"]:
        return "jinja2.Environment.getattr has another signature"
    if "environment.getattr(" not in _probe_environment(environment_class).compile("{{ a.b }}", raw=True):
        return "templates do not look attributes up through environment.getattr"
    return None


class _OneStringBlocks(jinja2.compiler.CodeGenerator):
    """Compiles a `{% block %}` body to fill a list and yield its text once, as Jinja already
    compiles macros, instead of yielding every piece of output through the child template's
    root and the layout's."""

    def blockvisit(self, nodes, frame) -> None:
        if frame.block_frame and frame.parent is None and frame.buffer is None:  # a block's own body
            self.buffer(frame)
            super().blockvisit(nodes, frame)
            self.writeline(f"yield concat({frame.buffer})")
            return
        super().blockvisit(nodes, frame)


def _blocks_attributes() -> dict:
    return {"code_generator_class": _OneStringBlocks}


def _check_blocks(environment_class: type[jinja2.Environment]) -> str | None:
    generator = jinja2.compiler.CodeGenerator
    if _parameters(generator.blockvisit) != ["self", "nodes", "frame"]:
        return "jinja2's CodeGenerator.blockvisit has another signature"
    if _parameters(generator.buffer) != ["self", "frame"]:
        return "jinja2's CodeGenerator.buffer has another signature"
    frame = jinja2.compiler.Frame(jinja2.compiler.EvalContext(jinja2.Environment(), None))
    if not all(hasattr(frame, name) for name in ("block_frame", "parent", "buffer")):
        return "jinja2's Frame has no block_frame, parent or buffer"
    code = _probe_environment(environment_class).compile("{% block b %}{{ x }}{% endblock %}", raw=True)
    if "yield concat(" not in code:
        return "blocks are not compiled to one string"
    return None


def _call_macro(macro, view):
    """macro(view), by the macro's compiled function when that is all the call does (one
    argument, no caller, no catch-alls): Macro.__call__ sorts out defaults, keywords and callers,
    then wraps the function's Markup in a Markup again. Any other macro is called as usual."""
    if (type(macro) is jinja2.runtime.Macro and len(macro.arguments) == 1
            and not (macro.caller or macro.catch_kwargs or macro.catch_varargs)
            and not macro._environment.is_async and macro._default_autoescape):
        out = macro._func(view)
        return out if type(out) is markupsafe.Markup else markupsafe.Markup(out)
    return macro(view)


def _macro_attributes() -> dict:
    return {"call_macro": staticmethod(_call_macro)}


_MACRO_FIELDS = ("_func", "_environment", "_default_autoescape", "arguments", "caller", "catch_kwargs",
                 "catch_varargs")


def _check_macros(environment_class: type[jinja2.Environment]) -> str | None:
    env = _probe_environment(environment_class)
    macros = env.get_template("macros.html").module
    if not all(hasattr(macros.m, name) for name in _MACRO_FIELDS):
        return "jinja2's Macro lacks a field the fast call reads"
    for value in _ESCAPE_SAMPLES:
        fast, stock = environment_class.call_macro(macros.m, value), macros.m(value)
        if fast != stock or type(fast) is not type(stock):
            return f"a macro run by its function gives {fast!r} where its call gives {stock!r}"
    return None


def _parameters(function) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


RENDERING = (
    Speedup("escape", _escape_attributes, _check_escape),
    Speedup("dict-first lookups", _getattr_attributes, _check_getattr),
    Speedup("blocks as one string", _blocks_attributes, _check_blocks),
    Speedup("macros run by their function", _macro_attributes, _check_macros),
)


# The probe: a page in a layout, with every place output goes (straight out, a macro, a call
# block, a set block, a filter block, a block, super(), self.<block>(), a loop, a concatenation,
# the escape filter) and every kind of lookup (a key, a missing key with a default, a key named
# like a dict method, a method, an attribute of an object, an item by subscript).
_PROBE = {
    "layout.html": "<title>{% block title %}题{% endblock %}</title><main>{% block main %}{% endblock %}</main>"
                   "{{ self.title() }}{% block tail %}[{{ s }}]{% endblock %}\n",
    "macros.html": "{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}"
                   "{% macro c(v, sep='、') %}[{{ v }}{{ sep }}]{{ caller() }}{% endmacro %}",
    "page.html": '{% extends "layout.html" %}{% import "macros.html" as ui %}'
                 "{% block title %}{{ super() }}·{{ d.title }}{% endblock %}"
                 "{% block main %}{{ s }}|{{ n }}|{{ f }}|{{ none }}|{{ h }}|{{ safe }}|{{ sub }}|{{ ui.m(s) }}|"
                 "{% call ui.c(s) %}{{ s }}{% endcall %}|{% set x %}{{ s }}{% endset %}{{ x }}|"
                 "{% filter upper %}{{ s }}{% endfilter %}|{{ s ~ '<' ~ safe }}|{{ s|e }}|"
                 "{% for k in d.list %}{{ loop.index }}{{ k.name }}{% endfor %}|{{ d.items()|list|length }}{{ d.keys()|list }}|"
                 "{{ d['title'] }}{{ d.get('nope', '无') }}|{{ o.real }}{{ d.missing is defined }}|"
                 "{% block inner %}<i>{{ d.title }}</i>{% endblock %}{% endblock %}",
}


def _probe_environment(environment_class: type[jinja2.Environment]) -> jinja2.Environment:
    return environment_class(loader=jinja2.DictLoader(_PROBE), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _probe_values() -> dict:
    return {"s": "<甲&'\">", "n": 3, "f": 2.5, "none": None, "h": _Html(), "safe": markupsafe.Markup("<b>乙</b>"),
            "sub": _Str("<c>"), "o": 7,
            "d": {"title": "标题&", "list": [{"name": "<一>"}, {"name": "二"}], "items": "<键>"}}


def _probe_render(environment_class: type[jinja2.Environment]) -> str:
    return _probe_environment(environment_class).get_template("page.html").render(_probe_values())


def _renders_as(stock: str, environment_class: type[jinja2.Environment]) -> str | None:
    """None if the probe renders as `stock` with this class, else what went wrong."""
    try:
        if _probe_render(environment_class) == stock:
            return None
        return "the probe renders otherwise than stock Jinja"
    except Exception as error:  # noqa: BLE001 -- a speed-up that breaks rendering is left out, whatever it raised
        return f"the probe fails: {type(error).__name__}: {error}"


def _with(speedups: tuple[Speedup, ...]) -> type[jinja2.Environment]:
    attributes: dict = {"speedups": tuple(s.name for s in speedups)}
    for speedup in speedups:
        attributes.update(speedup.attributes())
    return type("Environment", (jinja2.Environment,), attributes)


def checked(speedups: tuple[Speedup, ...] = RENDERING) -> tuple[tuple[Speedup, ...], dict[str, str]]:
    """The speed-ups that pass their checks, and why each other one was left out (name ->
    reason). Each runs its own check, then the probe is rendered with all that passed."""
    passed, failed = [], {}
    for speedup in speedups:
        try:
            reason = speedup.check(_with((speedup,)))
        except Exception as error:  # noqa: BLE001 -- an internal not as expected may fail in any way
            reason = f"{type(error).__name__}: {error}"
        if reason:
            failed[speedup.name] = reason
        else:
            passed.append(speedup)
    return (_on_the_probe(tuple(passed), failed) if passed else ()), failed


def _on_the_probe(speedups: tuple[Speedup, ...], failed: dict[str, str]) -> tuple[Speedup, ...]:
    """Those of the speed-ups with which the probe renders as stock Jinja renders it: all of
    them together; else those that pass alone, if they pass together; else none. Adds why to
    `failed` for each left out."""
    try:
        stock = _probe_render(jinja2.Environment)
    except Exception as error:  # noqa: BLE001 -- a library this unlike the one read is not sped up at all
        failed.update((s.name, f"the probe fails with stock Jinja: {type(error).__name__}: {error}") for s in speedups)
        return ()
    if _renders_as(stock, _with(speedups)) is None:
        return speedups
    alone = []
    for speedup in speedups:
        if reason := _renders_as(stock, _with((speedup,))):
            failed[speedup.name] = reason
        else:
            alone.append(speedup)
    if alone and _renders_as(stock, _with(tuple(alone))) is None:
        return tuple(alone)
    failed.update((s.name, "the probe renders otherwise with the others") for s in alone)
    return ()


def environment_class(fast: bool | tuple[Speedup, ...] = True) -> type[jinja2.Environment]:
    """The Jinja environment class to render with: jinja2.Environment with those of the speed-ups
    (all of RENDERING when `fast` is True, these when a tuple, none when False) that pass their
    checks, unless SWITCH says none."""
    wanted = RENDERING if fast is True else tuple(fast or ())
    if not (wanted and enabled()):
        return jinja2.Environment
    passed, _ = checked(wanted)
    return _with(passed) if passed else jinja2.Environment


def in_use(environment: jinja2.Environment) -> tuple[str, ...]:
    """The names of the speed-ups this environment renders with."""
    return getattr(type(environment), "speedups", ())
