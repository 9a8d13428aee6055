"""Deployment and CI configuration: they parse, and they call commands that exist, as documented."""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import click
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent
NETLIFY = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
DEPLOYING = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def assert_sitegen_args_parse(args: list[str]) -> None:
    """args (after `sitegen`) name a real command with options it accepts; nothing is run."""
    assert args and args[0] in main.commands, f"no sitegen command {args[:1]}"
    command = main.commands[args[0]]
    try:
        command.make_context(args[0], list(args[1:]))
    except click.ClickException as e:  # pragma: no cover - the message is the point
        pytest.fail(f"sitegen {' '.join(args)}: {e.format_message()}")


def sitegen_calls(shell: str) -> list[list[str]]:
    """The sitegen invocations in a shell command line: `sitegen …`, `.venv/bin/sitegen …`, `python -m sitegen …`."""
    calls = []
    for part in re.split(r"&&|;|\|\|", shell):
        words = shlex.split(part)
        for i, w in enumerate(words):
            if Path(w).name == "sitegen":
                calls.append(words[i + 1:])
                break
    return calls


# -- netlify.toml -------------------------------------------------------------------------------


# What a clean clone installs before it builds: the runtime lock, hashes checked, then sitegen
# alone, built by the lock's setuptools (no build isolation fetching an unpinned one).
NETLIFY_INSTALL = ["python -m pip install --require-hashes -r requirements.lock",
                   "python -m pip install --no-deps --no-build-isolation ."]


def test_netlify_builds_with_the_documented_command_and_publishes_public():
    build = NETLIFY["build"]
    assert build["publish"] == "public"
    preview = NETLIFY["context"]["deploy-preview"]["command"]
    for command in (build["command"], preview):
        assert f"```sh\n{command}" in DEPLOYING or f"\n{command}\n" in DEPLOYING, f"docs/deploying.md does not document {command!r}"
        steps = [s.strip() for s in command.split("&&")]
        assert steps[:2] == NETLIFY_INSTALL, "a clean clone installs the runtime lock, then sitegen without deps"
        [call] = sitegen_calls(command)
        assert_sitegen_args_parse(call)
    assert sitegen_calls(build["command"]) == [["build"]]
    assert sitegen_calls(preview) == [["build", "--drafts"]], "deploy previews show drafts"


def test_netlify_pins_a_python_the_project_supports():
    version = NETLIFY["build"]["environment"]["PYTHON_VERSION"]
    assert re.fullmatch(r"3\.\d+", version)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    low = pyproject["project"]["requires-python"].removeprefix(">=")
    assert tuple(map(int, version.split("."))) >= tuple(map(int, low.split(".")))


# -- lock files ---------------------------------------------------------------------------------


def _lock(name: str) -> dict[str, tuple[Requirement, list[str]]]:
    """A lock file's entries by normalised name: (the pinned requirement, its hashes)."""
    text = (ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")
    entries = {}
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        spec, *hashes = line.split("--hash=")
        req = Requirement(spec.strip())
        entries[canonicalize_name(req.name)] = (req, [h.strip() for h in hashes])
    return entries


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME, DEV = _lock("requirements.lock"), _lock("requirements-dev.lock")


@pytest.mark.parametrize("name", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_is_pinned_with_hashes(name):
    for key, (req, hashes) in _lock(name).items():
        [pin] = req.specifier
        assert pin.operator == "==", f"{name}: {key} is not pinned"
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{name}: {key} has no hash"


def _assert_locked(wants: list[str], lock: dict, name: str) -> None:
    for want in map(Requirement, wants):
        key = canonicalize_name(want.name)
        assert key in lock, f"{name} lacks {want} (run `make lock`)"
        [pin] = lock[key][0].specifier
        assert want.specifier.contains(pin.version, prereleases=True), f"{name}: {key}=={pin.version} is not {want}"


def test_the_locks_satisfy_pyproject():
    """A dependency added to pyproject.toml, or a range moved, without `make lock` fails here
    (and `make setup`'s pip check fails the same way)."""
    runtime = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    _assert_locked(runtime, RUNTIME, "requirements.lock")
    _assert_locked(runtime + PYPROJECT["project"]["optional-dependencies"]["test"], DEV, "requirements-dev.lock")


def test_the_tests_run_on_the_versions_the_site_is_built_with():
    for key, (req, hashes) in RUNTIME.items():
        assert key in DEV, f"requirements-dev.lock lacks {key}"
        assert (str(DEV[key][0]), DEV[key][1]) == (str(req), hashes), f"{key} differs between the lock files"


def test_one_python_for_the_locks_ci_and_netlify():
    netlify = NETLIFY["build"]["environment"]["PYTHON_VERSION"]
    [locked] = re.findall(r"--python-version (\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"))
    ci = {step["with"]["python-version"] for path in WORKFLOWS
          for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
          for step in job["steps"] if "setup-python" in step.get("uses", "")}
    assert {netlify, locked} | ci == {netlify}


def test_make_setup_installs_the_dev_lock_then_sitegen_alone():
    dry = subprocess.run(["make", "--no-print-directory", "-n", "-B", "setup"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    pips = [line.split("pip ", 1)[1] for line in dry.splitlines() if "/pip " in line]
    assert pips[0] == "install --quiet --require-hashes -r requirements-dev.lock"
    assert pips[1] == "install --quiet --no-deps --no-build-isolation -e ."


def test_netlify_serves_the_custom_404():
    [rule] = [r for r in NETLIFY["redirects"] if r.get("status") == 404]
    assert rule["from"] == "/*" and rule["to"] == "/404.html"


def _headers(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for rule in NETLIFY["headers"]:
        pattern = rule["for"]
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            for k, v in rule["values"].items():
                # Netlify joins the values of every rule that matches, as this does.
                out[k] = f"{out[k]}, {v}" if k in out else v
    return out


def test_security_headers_on_every_page():
    h = _headers("/plans/hedong/2024/")
    csp = {d.split()[0]: d.split()[1:] for d in h["Content-Security-Policy"].split(";") if d.strip()}
    assert "'unsafe-inline'" not in h["Content-Security-Policy"]
    assert "'unsafe-eval'" not in h["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    # Pagefind: its WebAssembly, its worker and the index it fetches, all from this site.
    assert "'wasm-unsafe-eval'" in csp["script-src"] and "'self'" in csp["script-src"]
    assert csp["connect-src"] == ["'self'"] and csp["worker-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Cache-Control" not in h, "pages must not be cached for long"


@pytest.mark.parametrize("path", ["/pagefind/index/zh-hans_1a2b3c.pf_index", "/pagefind/fragment/zh-hans_17d138d.pf_fragment",
                                  "/pagefind/shards/3dda14b3585a/pagefind-entry.json",
                                  "/pagefind/shards/3dda14b3585a/index/zh-hans_1a2b3c.pf_index",
                                  "/assets/style.0123456789.css"])
def test_content_hashed_files_are_cached_for_a_year(path):
    assert _headers(path)["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/pagefind/pagefind.js", "/pagefind/pagefind-entry.json", "/pagefind/shards.json",
                                  "/static/style.css"])
def test_files_with_fixed_names_are_not_cached_for_long(path):
    # Their names do not change with their content: a long cache would serve a stale copy.
    assert "immutable" not in _headers(path).get("Cache-Control", "")


def test_built_templates_need_no_inline_script_or_style(tmp_path):
    """The CSP forbids inline scripts and style attributes; the templates have none."""
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{template.name}: inline <script>"
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), f"{template.name}: inline style or handler"


# -- GitHub Actions -------------------------------------------------------------------------------


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


def test_there_is_a_workflow_for_pull_requests_and_main():
    assert WORKFLOWS, "no workflow in .github/workflows"
    triggers = {}
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers.update(data.get("on", data.get(True)) or {})  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert "main" in triggers["push"]["branches"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_steps_use_pinned_actions_and_existing_make_targets(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    runs = []
    for job in data["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                action, _, version = step["uses"].partition("@")
                assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", version), f"{action} is not pinned: {version!r}"
            else:
                runs.append(step["run"])
    targets = _makefile_targets()
    for run in runs:
        words = shlex.split(run)
        assert words[0] == "make" and words[1] in targets, f"not a make target: {run!r}"
        # What make would run (not running it): every sitegen call parses.
        dry = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, check=True)
        for line in dry.stdout.splitlines():
            if "bin/sitegen" not in line:
                continue  # make's own shell steps (e.g. installing system packages)
            for call in sitegen_calls(line):
                assert_sitegen_args_parse(call)
    joined = "\n".join(runs)
    # The order of the issue: install, validate as annotations, build, test.
    assert [w for w in ("make setup", "make validate FORMAT=github", "make build", "make test") if w in joined] == \
        ["make setup", "make validate FORMAT=github", "make build", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_make_serve_passes_the_port_through():
    # --no-print-directory: under `make test` the inner make would add "Leaving directory" lines
    dry = subprocess.run(["make", "--no-print-directory", "-n", "serve", "PORT=8123"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert dry.stdout.strip().splitlines()[-1].endswith("sitegen serve --port 8123")


def test_published_texts_are_served_as_utf8():
    assert _headers("/sources/002_48b630690f3c38a2.txt")["Content-Type"] == "text/plain; charset=utf-8"
