"""The `sitegen` command: options in, pipeline called, one line out, exit code.

Exit codes: 0 success, 1 invalid content (or a failed step), 2 usage error.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import click

from sitegen import __version__
from sitegen.common.diagnostics import ContentError, Diagnostic, format_diagnostics
from sitegen.common.project import Project

FORMATS = click.Choice(["text", "github", "json"])


def _root() -> Path:
    # The project folder is the working directory: commands are run from a checkout.
    return Path.cwd()


CACHE_DIR = ".sitegen-cache"  # in the project folder; git ignores it


def _plan_cache(project: Project, fresh: bool):
    """The checked-plan cache for this content folder (see sitegen.content.PlanCache), and its file."""
    from sitegen.content import PlanCache

    key = hashlib.blake2b(str(project.content.resolve()).encode(), digest_size=6).hexdigest()
    path = _root() / CACHE_DIR / f"plans-{key}.pickle"
    return (PlanCache() if fresh else PlanCache.load(path)), path


def _save_cache(cache, path: Path) -> None:
    try:
        cache.save(path)
    except OSError:  # a read-only checkout: the next run is only slower
        pass


cache_option = click.option("--no-cache", is_flag=True,
                            help=f"check every plan anew, ignoring {CACHE_DIR}/ (it is still refreshed)")


def _report(diags: list[Diagnostic], fmt: str) -> None:
    click.echo(format_diagnostics(diags, fmt), err=fmt == "text")


content_option = click.option("--content", type=click.Path(file_okay=False, path_type=Path), default=None,
                              help="content folder (default: ./content)")
format_option = click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
                             help="how to print problems: text, GitHub annotations, or JSON")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """Build the static site of district food-safety supervision plans."""


@main.command()
@content_option
@format_option
@cache_option
def validate(content: Path | None, fmt: str, no_cache: bool) -> None:
    """Check all content; print every problem as file:line:col."""
    from sitegen.content import check_site

    project = Project.at(_root(), content)
    cache, cache_path = _plan_cache(project, no_cache)
    try:
        summary = check_site(project.content, cache)
    except ContentError as e:
        _save_cache(cache, cache_path)  # the plans that passed need no second check
        _report(e.diagnostics, fmt)
        sys.exit(1)
    _save_cache(cache, cache_path)
    if fmt == "json":
        click.echo("[]")
    elif fmt == "text":
        click.echo(f"通过：{summary.plans} 份计划（其中草稿 {summary.drafts} 份），"
                   f"{summary.measures} 条措施，{summary.agency_kinds} 类单位")


@main.command(name="build")
@content_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="output folder (default: ./public)")
@click.option("--drafts", is_flag=True, help="include 草稿 plans (serve and deploy previews do)")
@format_option
@click.option("--no-search", is_flag=True, help="skip the search index (quicker local builds, benchmarks)")
@cache_option
def build_cmd(content: Path | None, out: Path | None, drafts: bool, fmt: str, no_search: bool,
              no_cache: bool) -> None:
    """Validate, index for search, then write the site atomically (a failed build keeps the old output)."""
    from sitegen.build import build
    from sitegen.outputs.search import SearchError

    project = Project.at(_root(), content, out)
    started = time.perf_counter()
    cache, cache_path = _plan_cache(project, no_cache)
    try:
        result = build(project, drafts=drafts, search=not no_search, cache=cache)
    except ContentError as e:
        _save_cache(cache, cache_path)
        _report(e.diagnostics, fmt)
        click.echo("生成失败：未写入任何文件", err=True)
        sys.exit(1)
    except SearchError as e:
        click.echo(f"错误：{e}", err=True)
        click.echo("生成失败：未写入任何文件", err=True)
        sys.exit(1)
    _save_cache(cache, cache_path)
    took = time.perf_counter() - started
    left_out = f"，未含草稿 {result.drafts_left_out} 份（加 --drafts 可包含）" if result.drafts_left_out else ""
    no_index = "（未生成搜索索引）" if no_search else ""
    click.echo(f"已生成 {result.pages} 个页面：{result.plans} 份计划（{result.measures} 条措施）{left_out}，"
               f"输出到 {project.out}{no_index}，用时 {took:.2f} 秒")


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write (default: content/schema/plan.schema.json; '-' for stdout)")
def schema(out: Path | None) -> None:
    """Write the JSON Schema of a plan file (for yaml-language-server)."""
    from sitegen.content.schema import plan_schema

    text = json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
    if out is not None and str(out) == "-":
        click.echo(text, nl=False)
        return
    target = out or _root() / "content" / "schema" / "plan.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"已写入 {target}")


@main.command()
@content_option
@click.option("--district", required=True, help="district slug, e.g. hedong")
@click.option("--year", required=True, type=int, help="year of the new plan")
def new(content: Path | None, district: str, year: int) -> None:
    """Start next year's plan from the district's latest one (ids kept, status 草稿)."""
    from sitegen.importer.newplan import NewPlanError, new_plan

    project = Project.at(_root(), content)
    try:
        path = new_plan(project.content, district, year)
    except NewPlanError as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(1)
    click.echo(f"已写入 {path}（草稿）：修改后运行 `sitegen validate`；预览用 `sitegen serve`，"
               "草稿不会出现在正式网站上，直到把 status 改为 正式")


@main.command()
@content_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="output folder (default: ./public)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(content: Path | None, out: Path | None, host: str, port: int) -> None:
    """Build (drafts included), serve locally, and rebuild when content, templates or static files change."""
    from sitegen.build import check_project
    from sitegen.build.serve import PortBusy
    from sitegen.build.serve import serve as serve_site

    project = Project.at(_root(), content, out)
    try:
        check_project(project)  # outside a project, say so at once rather than serve an error page
    except ContentError as e:
        _report(e.diagnostics, "text")
        sys.exit(1)
    try:
        serve_site(project, host, port)
    except PortBusy:
        click.echo(f"错误：端口 {port} 已被占用（也许另一个 sitegen serve 还在运行）。\n"
                   f"  换一个端口：sitegen serve --port {port + 1}（或 make serve PORT={port + 1}）", err=True)
        sys.exit(1)


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--district", required=True, help="district slug, e.g. hedong")
@click.option("--year", required=True, type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write (default: content/plans/DISTRICT/YEAR.yaml)")
@click.option("--strict", is_flag=True, help="exit non-zero, writing nothing, when the import has a warning")
@content_option
def import_cmd(file: Path, district: str, year: int, out: Path | None, strict: bool, content: Path | None) -> None:
    """Turn a plan's extracted text (.txt) or Word file (.docx) into a draft plan YAML to review."""
    from sitegen.importer import ImportError_, StrictFailure, import_plan

    project = Project.at(_root(), content)
    try:
        report = import_plan(file, district, year, project.content, out, strict=strict)
    except StrictFailure as e:
        click.echo(e.report)
        click.echo("错误：使用了 --strict，而导入有警告（见上文）：未写入任何文件", err=True)
        sys.exit(1)
    except ImportError_ as e:
        click.echo(f"错误：{e}", err=True)
        sys.exit(1)
    click.echo(report)


@main.command(name="diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@content_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="a summary for the terminal, or JSON (docs/diff-format.md)")
def diff_cmd(old: Path, new: Path, content: Path | None, fmt: str) -> None:
    """Show what changed from plan OLD to plan NEW (registries from --content)."""
    from sitegen.content import load_plan, load_site
    from sitegen.diff import diff_plans, to_json, to_text

    project = Project.at(_root(), content)
    try:
        site = load_site(project.content).site
        plans = []
        problems: list[Diagnostic] = []
        for path in (old, new):
            try:
                plans.append(load_plan(path, site, project.content))
            except ContentError as e:
                problems += e.diagnostics
        if problems:
            raise ContentError(problems)
    except ContentError as e:
        _report(e.diagnostics, "text")
        sys.exit(1)
    result = diff_plans(plans[0], plans[1], site)
    if fmt == "json":
        click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(to_text(result), nl=False)


run = main  # the console script (pyproject.toml)

if __name__ == "__main__":  # pragma: no cover
    main()
