"""Rebuilding after a change: remake only what the change touched.

A `Builder` is a session of builds of one project (what `sitegen serve`
keeps). After each build it keeps a `Record` of what the output holds and
what it was made from: the hash of every content, template and static file,
what each page and data file depends on (`Page.deps`, `Output.deps`: content
files), and the list of files (as Lektor keeps its build state). The next
build hashes the files again, loads the content (unchanged plans come from
the plan cache, diffs of unchanged pairs from the diff cache), and picks:

- a page is rendered again when it is new, its dependencies changed, or one
  of the files it depends on changed; every page when a template, a static
  file or site.yaml changed;
- a data file is made again on the same terms, against the content as the
  data files in the output were made from (a build may leave them out);
- the published texts that changed are copied; the small whole-site files
  (sitemap, robots.txt, static files, _redirects) are written every time, the
  joined all-plans files and the search index whenever data files are made.

It runs the pipeline's own functions (pipeline.py) on that subset, into a
side folder whose files are then moved into the output, and deletes what is
gone. The first build of a session, or one after the output folder went
away, writes a whole new output as `build()` does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.build.pipeline import (
    BuildResult,
    Prepared,
    check_project,
    data_files,
    other_files,
    prepare,
    published_texts,
    render_and_make,
    templates,
)
from sitegen.build.write import Patch, Staging
from sitegen.common.filehash import FileHashes
from sitegen.common.gcpause import Rebuilds, paused
from sitegen.common.parallel import cores
from sitegen.common.project import Project
from sitegen.content import PlanCache
from sitegen.outputs import Joined, Output
from sitegen.outputs.assets import Assets, assets
from sitegen.outputs.search import search_files
from sitegen.site.derive import DiffCache
from sitegen.site.pages import Page

Hashes = dict[str, bytes]  # file path ('/'-separated, relative to its folder) -> hash of its bytes
Deps = dict[str, "frozenset[str] | None"]  # output path -> the content files it depends on (None: every build)


@dataclass(frozen=True)
class Snapshot:
    """The content, templates and static files as a build found them, by hash."""

    content: Hashes
    code: Hashes  # templates/… and static/…

    @classmethod
    def take(cls, project: Project, hashes: FileHashes) -> Snapshot:
        code = {**{"templates/" + k: v for k, v in hash_tree(project.templates, hashes).items()},
                **{"static/" + k: v for k, v in hash_tree(project.static, hashes).items()}}
        return cls(hash_tree(project.content, hashes), code)


def hash_tree(root: Path, hashes: FileHashes) -> Hashes:
    """Every file under root (relative, '/'-separated) -> hash of its bytes."""
    out: Hashes = {}
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = hashes.file(path)
    return out


def changed(before: Hashes, now: Hashes) -> set[str]:
    return {k for k in before.keys() | now.keys() if before.get(k) != now.get(k)}


@dataclass(frozen=True)
class Record:
    """What a build left in the output, and what from."""

    seen: Snapshot  # the files the pages were made from
    data_seen: Hashes | None  # the content the data files were made from; None: the output has none
    deps: Deps  # each page and data file in the output
    data: frozenset[str]  # the data files and the search index in the output
    files: frozenset[str]  # every file in the output


@dataclass(frozen=True)
class Todo:
    """What a build remakes."""

    pages: list[Page]
    outputs: list[Output]
    texts: dict[str, Path]  # published texts to copy, by output path


def pick(record: Record, seen: Snapshot, pages: list[Page], outputs: list[Output], texts: dict[str, Path],
         content: Path) -> Todo:
    """What is out of date in the output the record describes, now that the files (content/ and
    the rest) are as seen."""
    everything = record.seen.code != seen.code or record.seen.content.get("site.yaml") != seen.content.get("site.yaml")
    since = None if everything else changed(record.seen.content, seen.content)
    data_since = None if record.data_seen is None else changed(record.data_seen, seen.content)

    def stale(rel: str, deps: frozenset[str] | None, since: set[str] | None) -> bool:
        return (since is None or deps is None or record.deps.get(rel, ()) != deps or bool(deps & since)
                or rel not in record.files)

    return Todo([p for p in pages if stale(str(p.out_path), p.deps, since)],
                [o for o in outputs if stale(o.rel, o.deps, data_since)],
                {rel: path for rel, path in texts.items()
                 if since is None or path.relative_to(content).as_posix() in since or rel not in record.files})


class Builder:
    """Builds of one project, each remaking what changed since the one before (see the module's note).

    `build(data=False)` (sitegen serve's first answer to a save) renders the pages and keeps
    the data files and search index the output holds, until a build with data.
    """

    def __init__(self, project: Project, *, drafts: bool = False, plans: PlanCache | None = None,
                 workers: int | None = None, background_cleanup: bool = False):
        self.project = project
        self.drafts = drafts
        self.plans = plans if plans is not None else PlanCache()
        self.diffs = DiffCache()
        self.workers = workers if workers is not None else cores()
        self.background_cleanup = background_cleanup  # serve: the old output is deleted after the swap
        self.record: Record | None = None  # of the last good build
        self._env: tuple[tuple, jinja2.Environment] | None = None  # kept while templates and assets are unchanged
        self.rendered: set[str] = set()  # out paths of the pages the last build rendered
        self.made: set[str] = set()  # out paths of the data files the last build made
        self.builds = 0  # successful builds so far
        self.collector = Rebuilds()

    def build(self, *, search: bool = True, data: bool = True) -> BuildResult:
        project = self.project
        check_project(project)
        seen = Snapshot.take(project, self.plans.hashes)  # before loading: a save made meanwhile is seen next time
        self.collector.start()  # the last build's model back in the collector's sight
        with paused(freeze=True):
            prepared = prepare(project, self.drafts, self.plans, self.diffs, parallel=self.workers > 1)
        self.collector.loaded()  # the garbage the last builds left, collected when it has grown
        static = assets(project.static, prepared.site)
        env = self._templates(seen, static)
        outputs, joined = data_files(prepared.site, prepared.idx) if data else ([], [])
        texts = published_texts(project, prepared.site)
        record = self.record if project.out.is_dir() else None
        todo = pick(record, seen, prepared.pages, outputs, texts, project.content) if record else \
            Todo(prepared.pages, outputs, texts)
        with Patch(project.out, record.files) if record else Staging(project.out) as folder:
            index = self._write(folder, env, prepared, static, todo, joined, search=search and data)
            if data:
                data_out = {o.rel for o in outputs} | {j.rel for j in joined} | index
            else:  # the data files and search index as the last build left them
                data_out = set(record.data) if record else set()
            files = {str(p.out_path) for p in prepared.pages} | set(texts) | folder.written | data_out
            if record:
                folder.commit(record.files - files)
            else:
                folder.commit(background_cleanup=self.background_cleanup)
        self.record = self._record(seen, prepared, outputs if data else None, data_out, files)
        self.builds += 1
        self.rendered = {str(p.out_path) for p in todo.pages}
        self.made = {o.rel for o in todo.outputs}
        return prepared.result(rendered=len(todo.pages))

    def _templates(self, seen: Snapshot, static: Assets) -> jinja2.Environment:
        # One environment while the templates and the assets' names are unchanged, its templates
        # compiled once (compiling them is a good part of a small rebuild).
        key = (seen.code, static.names)
        if self._env is None or self._env[0] != key:
            self._env = (key, templates(self.project.templates, static))
        return self._env[1]

    def _write(self, folder: Staging | Patch, env: jinja2.Environment, prepared: Prepared, static: Assets,
               todo: Todo, joined: list[Joined], *, search: bool) -> set[str]:
        """The pipeline's steps on what is to be remade, into folder; returns the search index's files."""
        render_and_make(env, prepared, todo.pages, todo.outputs, folder, self.workers)
        folder.write_all(other_files(prepared.site, prepared.pages, static))
        folder.copy_all(todo.texts)
        for j in joined:  # the per-plan files are made (or kept) now
            folder.write_chunks(j.rel, j.chunks(folder.read))
        if not search:
            return set()
        index = search_files(prepared.pages, folder.files(), workers=self.workers)  # reads the pages back
        folder.write_all(index)
        return set(index)

    def _record(self, seen: Snapshot, prepared: Prepared, outputs: list[Output] | None, data_out: set[str],
                files: set[str]) -> Record:
        """The record of a build that made these data files (outputs None: kept the last build's)."""
        deps: Deps = {str(p.out_path): p.deps for p in prepared.pages}
        last = self.record
        if outputs is not None:
            deps.update((o.rel, o.deps) for o in outputs)
            data_seen: Hashes | None = seen.content
        else:
            deps.update((rel, d) for rel, d in (last.deps.items() if last else ()) if rel in data_out)
            data_seen = last.data_seen if last and data_out else None
        return Record(seen, data_seen, deps, frozenset(data_out), frozenset(files))
