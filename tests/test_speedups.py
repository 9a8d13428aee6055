"""The speed-ups that reach into Jinja2's and MarkupSafe's internals (sitegen.speedups): used
only while the libraries are as they expect, and the site built with them is the site built
without them, byte for byte."""

from __future__ import annotations

from pathlib import Path

import jinja2
from building import build_files, project_in
from markupsafe import Markup

from sitegen import speedups
from sitegen.site.render import environment

ROOT = Path(__file__).resolve().parent.parent


def test_the_seed_site_is_the_same_built_with_the_speedups_and_without(tmp_path, monkeypatch):
    """Every page and data file, through the real build."""
    assert speedups.in_use(environment(ROOT / "templates"))  # what the build below renders with
    fast = build_files(project_in(tmp_path / "fast", ROOT / "content"))
    monkeypatch.setenv(speedups.SWITCH, "0")
    assert speedups.in_use(environment(ROOT / "templates")) == ()  # what the build below renders with
    stock = build_files(project_in(tmp_path / "stock", ROOT / "content"))
    assert sorted(fast) == sorted(stock)
    assert [name for name in fast if fast[name] != stock[name]] == []
    assert sum(name.endswith(".html") for name in fast) > 100


def test_the_environment_renders_with_every_speedup_when_fast():
    """With the locked libraries every speed-up passes its check; without `fast`, none is used."""
    assert speedups.in_use(environment(ROOT / "templates")) == tuple(s.name for s in speedups.RENDERING)
    assert speedups.in_use(environment(ROOT / "templates", fast=False)) == ()


def test_a_speedup_whose_library_changed_is_left_out(monkeypatch):
    """A speed-up is used only while the library is as it expects: a release whose
    Environment.getattr takes other arguments, or whose escape escapes otherwise, turns that
    one off and leaves the other."""
    names = [s.name for s in speedups.RENDERING]
    with monkeypatch.context() as patched:
        getattr_ = jinja2.Environment.getattr
        patched.setattr(jinja2.Environment, "getattr", lambda self, obj, name: getattr_(self, obj, name))
        passed, failed = speedups.checked()
        assert [s.name for s in passed] == [n for n in names if n != "dict-first lookups"]
        assert list(failed) == ["dict-first lookups"]
    with monkeypatch.context() as patched:
        patched.setattr("markupsafe.escape", lambda s: Markup(str(s).replace("<", "&#60;")))
        passed, failed = speedups.checked()
        assert [s.name for s in passed] == [n for n in names if n != "escape"] and list(failed) == ["escape"]
    assert [s.name for s in speedups.checked()[0]] == names


def test_blocks_and_macros_fall_back_when_jinja_compiles_otherwise(monkeypatch):
    """A Jinja whose code generator or macros are not as read leaves those two speed-ups out."""
    import jinja2.compiler
    import jinja2.runtime

    with monkeypatch.context() as patched:
        patched.setattr(jinja2.compiler.CodeGenerator, "blockvisit", lambda self, nodes, frame, extra=None: None)
        passed, failed = speedups.checked()
        assert "blocks as one string" in failed and "escape" in [s.name for s in passed]
    with monkeypatch.context() as patched:
        patched.delattr(jinja2.runtime.Macro, "__call__")
        patched.setattr(jinja2.runtime.Macro, "__call__", lambda self, *a, **k: Markup("other"))
        passed, failed = speedups.checked()
        assert "macros run by their function" in failed


def test_a_speedup_that_renders_otherwise_is_left_out():
    """The probe is rendered with the speed-ups and compared with stock Jinja: one that changes
    the output (here every lookup answering "x") is left out, the others kept."""
    wrong = speedups.Speedup("wrong", lambda: {"getattr": lambda self, obj, attribute: "x"}, lambda cls: None)
    passed, failed = speedups.checked(speedups.RENDERING + (wrong,))
    assert [s.name for s in passed] == [s.name for s in speedups.RENDERING]
    assert list(failed) == ["wrong"]
    assert speedups.in_use(environment(ROOT / "templates", fast=(wrong,))) == ()
    assert speedups.in_use(environment(ROOT / "templates", fast=(wrong, speedups.RENDERING[0]))) == ("escape",)


def test_the_switch_turns_every_speedup_off(monkeypatch):
    monkeypatch.setenv(speedups.SWITCH, "0")
    assert speedups.in_use(environment(ROOT / "templates")) == ()
