"""Load the whole content folder, check it, and build the Site model.

Every problem of every file is collected before anything is reported (as
MkDocs does with its config), so an editor fixes a pull request in one pass.
A run reads the registries, then each plan file (or takes it from the plan
cache when its bytes are as they were), checks each plan on its own, then
what needs several files; only a folder without problems becomes a Site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from sitegen.common.diagnostics import ContentError, Diagnostic
from sitegen.common.gcpause import paused
from sitegen.common.parallel import cores, fork_map
from sitegen.content.cache import PlanCache, registries_sha
from sitegen.content.checks.across import (
    check_comparisons,
    check_one_plan_a_year,
    check_was,
)
from sitegen.content.checks.plan import Lookups, check_plan
from sitegen.content.checks.registries import check_agency_kinds, check_unique_slugs
from sitegen.content.facts import Facts, facts
from sitegen.content.layout import (
    ABOUT_FILE,
    COMPARISONS,
    REGISTRIES,
    SITE_FILE,
    plan_file_keys,
    plan_files,
)
from sitegen.content.load import Document, LoadError, decode, display_path, load_file
from sitegen.content.messages import validated
from sitegen.content.model import Comparison, Plan, Site, SiteInfo
from sitegen.content.registry import Registry

_PLAN = TypeAdapter(Plan)


@dataclass(frozen=True)
class Loaded:
    """A checked site and the documents it came from (for line numbers later on)."""

    site: Site
    documents: dict[str, Document]  # plan key (district/year) -> its document


@dataclass(frozen=True)
class Summary:
    """A checked site, counted (what `sitegen validate` reports)."""

    plans: int
    drafts: int
    measures: int
    agency_kinds: int


def load_site(content: Path, cache: PlanCache | None = None, parallel: bool = True) -> Loaded:
    """Load and check everything under content/, or raise ContentError with every problem.
    With a cache, a plan file checked before against the same registries and source is not
    parsed or checked again. `parallel=False` from a process running threads (sitegen serve):
    forking one is unsafe."""
    # Frozen when loaded: the model lives until the command ends, and a full collection would
    # otherwise walk its millions of objects once more (0.6 s at 1,000 plans, after `validate`).
    with paused(freeze=True):
        cache = cache if cache is not None else PlanCache()
        if parallel:
            check_ahead(Path(content), cache, unpickle=True)
        checked = _Run(Path(content), cache).check()
        return _built(checked, cache)


def check_site(content: Path, cache: PlanCache | None = None) -> Summary:
    """Check everything under content/ as load_site does, without building the site: plans the
    cache (or the parallel check) holds are counted from their facts, never unpickled."""
    with paused(freeze=True):
        # Without a cache the parallel check still pays: it fills a cache for this run only.
        cache = cache if cache is not None else PlanCache()
        check_ahead(Path(content), cache, unpickle=False)
        checked = _Run(Path(content), cache).check()
    found = [f.facts for f in checked.plans]
    return Summary(len(found), sum(f.draft for f in found), sum(f.measures for f in found),
                   len(checked.records["agencies.yaml"]))


def load_plan(path: Path, site: Site, content: Path) -> Plan:
    """One plan file from anywhere (e.g. a test fixture given to `sitegen diff`), checked against the
    site's registries but not against its place in content/plans/; raises ContentError."""
    problems: list[Diagnostic] = []
    found = _read_plan(Path(path), problems, {})
    if found is not None:
        known = Lookups(Path(content), {d.slug for d in site.districts}, Registry(site.agencies),
                        {t.slug for t in site.themes}, {m.slug: m for m in site.metrics})
        check_plan(*found, known, problems, placed=False)
    if problems:
        raise ContentError(problems)
    return found[1]


def check_plan_file(path: Path) -> tuple[Document, Plan]:
    """One plan file on its own, before anything else reads it: readable, well-formed YAML, a mapping,
    a valid plan by its model (not checked against any registry); raises ContentError."""
    problems: list[Diagnostic] = []
    found = _read_plan(Path(path), problems, {})
    if found is None:
        raise ContentError(problems)
    return found


# -- reading files -----------------------------------------------------------------------------------


def _read(path: Path, problems: list[Diagnostic], scalars: dict[str, Any]) -> Document | None:
    """A content file's document, or None with its problem added (unreadable, bad YAML, empty)."""
    try:
        doc = load_file(path, scalars)
    except LoadError as e:
        problems.append(e.diagnostic)
        return None
    except OSError as e:
        problems.append(Diagnostic(display_path(path), 0, 0, f"无法读取文件：{e.strerror}", code="unreadable-file"))
        return None
    if doc.data is None:
        problems.append(Diagnostic(doc.path, 1, 1, "文件是空的", "写入内容；如果是误加的文件，请删除它", "empty-file"))
        return None
    return doc


def _read_plan(path: Path, problems: list[Diagnostic], scalars: dict[str, Any]) -> tuple[Document, Plan] | None:
    doc = _read(path, problems, scalars)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(doc.diag((), "计划文件必须由键值组成（title:、district: …）",
                                 "见 docs/content-format.md 中的完整示例", code="plan-not-mapping"))
        return None
    plan = validated(doc, _PLAN, Plan, problems)
    return None if plan is None else (doc, plan)


# -- one run over the folder ---------------------------------------------------------------------------


@dataclass
class _PlanFile:
    """A plan file that loaded, as a run goes through it."""

    doc: Document
    rel: str  # its path under content/
    plan: Plan | None  # None for one the cache holds, until the site is built
    facts: Facts


@dataclass
class _Checked:
    """A content folder that passed every check: what a Site is built from."""

    records: dict[str, tuple]  # registry file name -> its records
    info: SiteInfo
    about: str
    comparisons: tuple[Comparison, ...]
    plans: list[_PlanFile]


class _Run:
    """One check of a content folder: its problems, and what it shares between files."""

    def __init__(self, content: Path, cache: PlanCache, files: list[Path] | None = None):
        self.content = content
        self.cache = cache
        self.files = plan_files(content) if files is None else files
        self.problems: list[Diagnostic] = []
        self.scalars: dict[str, Any] = {}  # short scalars as typed, for every file of the run (load.parse_text)

    def check(self) -> _Checked:
        """Every check, every file; raises ContentError with every problem found."""
        if not self.content.is_dir():
            raise ContentError([Diagnostic(display_path(self.content), 0, 0, "找不到内容文件夹",
                                           "请在项目文件夹（含 content/、templates/、static/）中运行，"
                                           "或用 --content 指定内容文件夹", "no-content-folder")])
        registries = self.registries()
        records = {name: registries[name][1] if name in registries else () for name in REGISTRIES}
        known = self.lookups(registries, records)
        info, about = self.site_info(), self.about()
        # The cache is trusted only against registries that all loaded.
        against = registries_sha(self.content) if len(registries) == len(REGISTRIES) else None
        plans = [f for f in (self.plan_file(path, against, known) for path in self.files) if f is not None]
        checked = [(f.doc, f.facts) for f in plans]
        check_one_plan_a_year(checked, self.problems)
        files = plan_file_keys(self.files)
        check_was(checked, files, self.problems)
        comparisons = self.comparisons(checked, files, known.districts)
        self.cache.keep_only({p.relative_to(self.content).as_posix() for p in self.files})
        if self.problems:
            raise ContentError(self.problems)
        return _Checked(records, info, about, comparisons, plans)

    def registries(self) -> dict[str, tuple[Document, tuple]]:
        """Each registry that loaded: its document and records."""
        out = {}
        for name, model in REGISTRIES.items():
            path = self.content / name
            if not path.exists():
                self.problems.append(Diagnostic(display_path(path), 0, 0, f"缺少 {name}",
                                                f"每个网站都需要 content/{name}，见 docs/content-format.md",
                                                "missing-registry"))
                continue
            doc = _read(path, self.problems, self.scalars)
            records = None if doc is None else validated(doc, TypeAdapter(list[model]), list[model], self.problems)
            if records is not None:
                out[name] = (doc, tuple(records))
                check_unique_slugs(doc, records, name, self.problems)
        return out

    def lookups(self, registries: dict[str, tuple[Document, tuple]], records: dict[str, tuple]) -> Lookups:
        """What plans are checked against; agencies.yaml is checked against the districts on the way."""
        districts, kinds, themes, metrics = (records[n] for n in REGISTRIES)
        registry = Registry(kinds)
        if "agencies.yaml" in registries:
            check_agency_kinds(registries["agencies.yaml"][0], kinds, registry, districts, self.problems)
        return Lookups(self.content,
                       {d.slug for d in districts} if "districts.yaml" in registries else None,
                       registry if "agencies.yaml" in registries else None,
                       {t.slug for t in themes} if "themes.yaml" in registries else None,
                       {m.slug: m for m in metrics} if "metrics.yaml" in registries else None)

    def site_info(self) -> SiteInfo:
        if not (self.content / SITE_FILE).exists():
            return SiteInfo()
        doc = _read(self.content / SITE_FILE, self.problems, self.scalars)
        info = None if doc is None else validated(doc, TypeAdapter(SiteInfo), SiteInfo, self.problems)
        return info or SiteInfo()

    def about(self) -> str:
        path = self.content / ABOUT_FILE
        if not path.is_file():
            return ""
        try:
            return decode(path.read_bytes(), display_path(path))
        except LoadError as e:
            self.problems.append(e.diagnostic)
        except OSError as e:
            self.problems.append(Diagnostic(display_path(path), 0, 0, f"无法读取文件：{e.strerror}",
                                            code="unreadable-file"))
        return ""

    def plan_file(self, path: Path, registries: bytes | None, known: Lookups) -> _PlanFile | None:
        """One plan file, from the cache or read and checked on its own; None when it did not load."""
        rel = path.relative_to(self.content).as_posix()
        sha = None
        if registries is not None:
            try:
                sha = self.cache.hashes.file(path)
            except OSError:
                pass  # read below, which says why it cannot be
            held = self.cache.get(rel, sha, registries, self.content) if sha else None
            if held is not None:
                return _PlanFile(Document.unread(path), rel, None, held)
        found = _read_plan(path, self.problems, self.scalars)
        if found is None:
            return None
        doc, plan = found
        before = len(self.problems)
        check_plan(doc, plan, known, self.problems)
        if len(self.problems) == before and sha is not None:
            return _PlanFile(doc, rel, plan, self.cache.put(rel, sha, registries, self.content, plan))
        return _PlanFile(doc, rel, plan, facts(plan))

    def comparisons(self, checked: list[tuple[Document, Facts]], files: set[tuple[str, int]],
                    districts: set[str] | None) -> tuple[Comparison, ...]:
        path = self.content / COMPARISONS
        if not path.exists():
            return ()
        doc = _read(path, self.problems, self.scalars)
        records = None if doc is None else validated(doc, TypeAdapter(list[Comparison]), list[Comparison],
                                                      self.problems)
        if records is None:
            return ()
        check_unique_slugs(doc, records, COMPARISONS, self.problems)
        check_comparisons(doc, records, checked, files, districts, self.problems)
        return tuple(records)


def _built(checked: _Checked, cache: PlanCache) -> Loaded:
    """The Site of a checked folder, its plans in (district, year) order."""
    plans = checked.plans
    for f in plans:
        f.doc.release()  # a thousand plans' YAML trees are not worth keeping once checked
        if f.plan is None:
            f.plan = cache.plan(f.rel)
    plans.sort(key=lambda f: (f.facts.district, f.facts.year))
    districts, kinds, themes, metrics = (checked.records[n] for n in REGISTRIES)
    site = Site(districts=districts, agencies=kinds, themes=themes, metrics=metrics,
                plans=tuple(f.plan for f in plans), info=checked.info, about=checked.about,
                comparisons=checked.comparisons)
    return Loaded(site, {f.plan.key: f.doc for f in plans})


# -- the per-file checks on every core, ahead of the run ------------------------------------------------

PARALLEL_MIN_PLANS = 64  # below this, starting workers costs more than it saves


def check_ahead(content: Path, cache: PlanCache, unpickle: bool = True) -> None:
    """Check the plan files the cache does not hold yet on every core, into the cache; the run
    that follows then takes them from it, and only cross-file checks (and plans with problems,
    whose messages it makes itself) are left for one core. Each worker checks its share of the
    files as a whole run would, against the same registries and sources. With `unpickle`, the
    plans are unpickled as each share comes back (while the workers go on with the rest)."""
    workers = cores()
    if workers < 2:
        return
    try:
        registries = registries_sha(content)
    except OSError:
        return  # a registry is missing: the run reports it, and caches nothing
    todo = [rel for path in plan_files(content)
            if not cache.holds(rel := path.relative_to(content).as_posix(), path, registries)]
    if len(todo) < PARALLEL_MIN_PLANS:
        return
    # Four shares a worker, handed out as workers free up: plan files differ in size (蓟州's are
    # twice the others), and two equal halves left one worker idle for a tenth of the time.
    shares = workers * 4
    known = cache.hashes.known()  # as forked: the workers hand back only what they add

    def check_share(rels: list[str]) -> tuple[dict, dict]:
        share = PlanCache()
        share.hashes.add(known)
        try:
            _Run(content, share, [content / rel for rel in rels]).check()
        except ContentError:
            pass  # the run in the parent reports every problem; only the plans that passed are wanted
        return share.pickled(), share.hashes.known(besides=known)

    for shipped, hashes in fork_map(check_share, [todo[i::shares] for i in range(shares)], workers):
        cache.add_pickled(shipped)
        cache.hashes.add(hashes)  # the run that follows asks for them again
        if unpickle:
            for rel in shipped:
                cache.plan(rel)
