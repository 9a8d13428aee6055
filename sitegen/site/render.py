"""The Jinja2 environment: autoescaped, strict, and with formatting filters only."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

try:  # MarkupSafe 3: the C function behind escape(), a str in and a str out
    from markupsafe import _escape_inner
except ImportError:  # MarkupSafe 2 (Jinja allows it): the same text, through a Markup
    def _escape_inner(s: str) -> str:
        return str(markupsafe.escape(s))

from sitegen.content.model import SiteInfo
from sitegen.outputs.sitemap import absolute
from sitegen.site import urls
from sitegen.site.memo import DistrictMemo
from sitegen.site.pages import Page


def _escape(value) -> str:
    """What a template's `{{ value }}` writes: markupsafe.escape without wrapping the result in
    Markup. Compiled templates use it only for output, which is joined into the page (a macro's
    or block's output is wrapped in Markup as a whole), so the wrapping was never read; it cost
    a Python-level Markup.__new__ for each of millions of values (docs/performance.md, item 18)."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class _Template(jinja2.Template):
    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        # The compiled module imported jinja2.runtime's escape into its namespace; its functions
        # (root, blocks, macros) read it from there.
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class _CodeGenerator(CodeGenerator):
    """Compiles a `{% block %}` to fill a list and yield its text once. Jinja's own block yields
    every piece of output (a few thousand on a duty page), and each yield passes up through the
    child template's root and the base template's; a list filled by `extend` takes one call for
    each run of output. Macros are compiled this way already."""

    def blockvisit(self, nodes, frame) -> None:
        if frame.block_frame and frame.parent is None and frame.buffer is None:  # a block's body
            self.buffer(frame)
            super().blockvisit(nodes, frame)
            self.writeline(f"yield concat({frame.buffer})")
            return
        super().blockvisit(nodes, frame)


class _Environment(jinja2.Environment):
    """Views are dicts: `m.text` looks the key up first. Jinja's own order tries the attribute
    first and the key after a failed getattr, which was a fifth of rendering time at scale.
    A key the dict lacks still falls back to Jinja's lookup (and StrictUndefined)."""

    template_class = _Template
    code_generator_class = _CodeGenerator

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Fragments:
    """`view|cached(macro)` in a template: the macro's output for that view dict, made once
    (Hugo's partialCached). A district's measures are shown on its plan, duty and theme pages
    from the same view dicts (pages.common.measure_view), so each is rendered once while that
    district's pages are rendered. Keyed by the dict's identity, so the macro must read only
    that dict, and the dict must not change once shown; the dict is held with its output,
    so its id is not reused while the entry lives."""

    def __init__(self) -> None:
        self._memo = DistrictMemo()

    def enter(self, scope: str) -> None:
        """The page about to be rendered is of this group: another group's fragments are dropped."""
        self._memo.get(scope, None, lambda: None)

    def __call__(self, view: dict, macro) -> Markup:
        # A filter, not a global function: Jinja calls a filter directly, a function through
        # Context.call (about a microsecond more, for each of a million calls at 1,000 plans).
        values, key = self._memo.values, (macro.name, id(view))
        try:
            return values[key][1]
        except KeyError:
            values[key] = (view, _call(macro, view))
            return values[key][1]


def _call(macro, view: dict) -> Markup:
    """macro(view), by the macro's compiled function when that is all the call does: a macro of
    one argument, no caller, no catch-alls (Jinja's Macro.__call__ sorts out defaults, keywords
    and callers, then wraps the function's Markup in a Markup again: about 5 % of the plan,
    duty and theme pages' rendering at 1,000 plans, docs/performance.md item 24)."""
    if (type(macro) is jinja2.runtime.Macro and len(macro.arguments) == 1
            and not (macro.caller or macro.catch_kwargs or macro.catch_varargs)
            and not macro._environment.is_async and macro._default_autoescape):
        out = macro._func(view)
        return out if type(out) is Markup else Markup(out)
    return macro(view)


def environment(templates: Path) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # Plan text is untrusted: escape everything unless a template says otherwise.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["urls"] = urls
    env.filters["cached"] = Fragments()
    env.filters["cn_date"] = cn_date
    return env


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    return env.get_template(template).render(**context)


def render_page(env: jinja2.Environment, info: SiteInfo, page: Page) -> str:
    env.filters["cached"].enter(page.group)
    return render(env, page.template, {**page.view(), "page": page, "site": info,
                                       "description": page.meta_description(),
                                       "canonical": absolute(info.base_url, page.url)})
