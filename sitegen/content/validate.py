"""Load the whole content folder, check it, and build the Site model.

Every problem of every file is collected before anything is reported (as
MkDocs does with its config), so an editor fixes a pull request in one pass.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import pickle
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sitegen.common.diagnostics import ContentError, Diagnostic
from sitegen.common.filehash import FileHashes
from sitegen.common.parallel import cores, fork_map
from sitegen.common.gcpause import paused
from sitegen.content.faithful import missing_text, read_source
from sitegen.content.faithful import squash as squash_source
from sitegen.content.load import Document, LoadError, display_path, load_file
from sitegen.content.model import (
    PLAN_KEY_PATTERN,
    SLUG_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
    AgencyKind,
    Comparison,
    District,
    Goal,
    Measure,
    Metric,
    Plan,
    Site,
    SiteInfo,
    Status,
    Target,
    Theme,
    squash,
)
from sitegen.content.registry import Registry

_PLAN = TypeAdapter(Plan)

REGISTRIES: dict[str, type[BaseModel]] = {
    "districts.yaml": District,
    "agencies.yaml": AgencyKind,
    "themes.yaml": Theme,
    "metrics.yaml": Metric,
}
PLAN_SUFFIXES = (".yaml", ".yml")
SITE_FILE = "site.yaml"  # optional: the site's title, description and address
ABOUT_FILE = "pages/about.md"  # optional: the about page, Markdown
COMPARISONS = "comparisons.yaml"  # optional: editor-configured diffs of any two plans


@dataclass(frozen=True)
class Loaded:
    """A checked site and the documents it came from (for line numbers later on)."""

    site: Site
    documents: dict[str, Document]  # plan key (district/year) -> its document


class Facts(typing.NamedTuple):
    """What the checks across plan files, and `sitegen validate`'s summary, read of a checked
    plan: kept beside it in the plan cache, so a cached plan is not unpickled to be counted."""

    district: str
    year: int
    draft: bool
    measures: int
    ids: frozenset[str]  # its measures' and goals' ids, which the next year's `was` may name
    was: tuple[tuple[tuple, str], ...]  # (location, old id) of each of its `was` ids


def facts(plan: Plan) -> Facts:
    measures = plan.measures()
    return Facts(plan.district, plan.year, plan.status is Status.draft, len(measures),
                 frozenset([m.id for m in measures] + [g.id for g in plan.all_goals()]) - {None},
                 tuple(_was_links(plan)))


@dataclass
class _PlanFile:
    """A plan file that loaded, as a run goes through it."""

    doc: Document
    rel: str  # its path under content/
    plan: Plan | None  # None for one the cache holds, until the site is built
    facts: Facts | None  # None until checked


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
    parsed or checked again."""
    # Frozen when loaded: the model lives until the command ends, and a full collection would
    # otherwise walk its millions of objects once more (0.6 s at 1,000 plans, after `validate`).
    with paused(freeze=True):
        return _checker(Path(content), cache, parallel, unpickle=True).run()


def check_site(content: Path, cache: PlanCache | None = None) -> Summary:
    """Check everything under content/ as load_site does, without building the site: plans the
    cache (or the parallel check) holds are counted from their facts, never unpickled."""
    with paused(freeze=True):
        return _checker(Path(content), cache, True, unpickle=False).run(site=False)


def _checker(content: Path, cache: PlanCache | None, parallel: bool, *, unpickle: bool) -> _Checker:
    # Without a cache the parallel check still pays: it fills a cache for this run only.
    cache = cache if cache is not None else PlanCache()
    if parallel:  # not from a process running threads (sitegen serve): forking one is unsafe
        _check_in_parallel(content, cache, unpickle)
    return _Checker(content, cache)


PARALLEL_MIN_PLANS = 64  # below this, starting workers costs more than it saves


def _check_in_parallel(content: Path, cache: PlanCache, unpickle: bool = True) -> None:
    """Check the plan files the cache does not hold yet on every core, into the cache; the run
    that follows then takes them from it, and only cross-file checks (and plans with problems,
    whose messages it makes itself) are left for one core. Each worker checks its share of the
    files as a whole run would, against the same registries and sources. With `unpickle`, the
    plans are unpickled as each share comes back (while the workers go on with the rest)."""
    workers = cores()
    if workers < 2:
        return
    try:
        registries = _registries_sha(content)
    except OSError:
        return  # a registry is missing: the run reports it, and caches nothing
    todo = []
    for path in _Checker(content).plan_files():
        rel = path.relative_to(content).as_posix()
        entry = cache.entries.get(rel)
        try:
            if entry is None or entry[1] != registries or entry[0] != cache.hashes.file(path):
                todo.append(rel)
        except OSError:
            pass
    if len(todo) < PARALLEL_MIN_PLANS:
        return
    # Four shares a worker, handed out as workers free up: plan files differ in size (蓟州's are
    # twice the others), and two equal halves left one worker idle for a tenth of the time.
    shares = workers * 4
    known = cache.hashes.known()  # as forked: the workers hand back only what they add

    def check_share(rels: list[str]) -> tuple[dict[str, tuple[tuple, bytes]], dict]:
        share = PlanCache()
        share.hashes.add(known)
        checker = _Checker(content, share)
        checker._plan_files = [content / rel for rel in rels]
        try:
            checker.run(site=False)
        except ContentError:
            pass  # the run in the parent reports every problem; only the plans that passed are wanted
        return share.pickled(), share.hashes.known(besides=known)

    for shipped, hashes in fork_map(check_share, [todo[i::shares] for i in range(shares)], workers):
        cache.add_pickled(shipped)
        cache.hashes.add(hashes)  # the run that follows asks for them again
        if unpickle:
            for rel in shipped:
                cache.plan(rel)


def _registries_sha(content: Path) -> bytes:
    """What a cached plan was checked against (OSError when a registry cannot be read)."""
    return _sha(b"\0".join((content / n).read_bytes() for n in REGISTRIES))


def _sha(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


# The checks a cached plan passed are the code's: a change to any of these files empties the cache.
_CHECK_CODE = ("content/validate.py", "content/model.py", "content/load.py", "content/faithful.py",
               "content/registry.py", "common/diagnostics.py")


def _code_fingerprint() -> bytes:
    here = Path(__file__).parent.parent
    return _sha(b"".join((here / name).read_bytes() for name in _CHECK_CODE))


class PlanCache:
    """Plans that passed every per-file check, by the bytes they were checked against.

    An entry holds the plan file's hash, the registries' hash, its source text's hash and the
    plan's Facts; it is used only when all three hashes are as they were, so a cached plan is
    one that the full check would pass again. Plans with problems are never cached: their
    messages are always made afresh. The plan itself is kept pickled until something asks for
    it (`plan`): checking and counting read the facts alone. Kept in memory by `sitegen serve`,
    on disk by `sitegen build` and `sitegen validate` (.sitegen-cache/).
    """

    VERSION = 5

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, bytes, str | None, bytes | None, Facts]] = {}
        # Plans as saved, each pickled on its own: saving re-pickles only new entries, a worker
        # hands its plans over in the same form, and a plan is unpickled when first asked for.
        self.blobs: dict[str, bytes] = {}
        self.plans: dict[str, Plan] = {}
        self.hits = 0
        self.hashes = FileHashes()  # of the files checked, for as long as the cache lives
        self.dirty = True  # differs from what is saved

    def get(self, rel: str, sha: bytes, registries: bytes, content: Path) -> Facts | None:
        """The facts of the plan checked from these bytes, if it is held."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != sha or entry[1] != registries:
            return None
        source, source_sha = entry[2], entry[3]
        if source is not None:
            try:
                if self.hashes.file(content / "sources" / source) != source_sha:
                    return None
            except OSError:
                return None
        self.hits += 1
        return entry[4]

    def plan(self, rel: str) -> Plan:
        """A held plan, unpickled the first time it is asked for (then kept: serve's rebuilds
        see the same object each time)."""
        plan = self.plans.get(rel)
        if plan is None:
            plan = self.plans[rel] = pickle.loads(self.blobs[rel])
        return plan

    def put(self, rel: str, sha: bytes, registries: bytes, content: Path, plan: Plan) -> Facts:
        """Holds a plan that passed every check; returns its facts."""
        source = plan.source.file if plan.source else None
        source_sha = self.hashes.file(content / "sources" / source) if source else None
        known = facts(plan)
        self.entries[rel] = (sha, registries, source, source_sha, known)
        self.plans[rel] = plan
        self.blobs.pop(rel, None)
        self.dirty = True
        return known

    def keep_only(self, rels: set[str]) -> None:
        for rel in set(self.entries) - rels:
            del self.entries[rel]
            self.blobs.pop(rel, None)
            self.plans.pop(rel, None)
            self.dirty = True

    def pickled(self) -> dict[str, tuple[tuple, bytes]]:
        """Every entry with its plan pickled: {rel: (entry, blob)}, as saved and as workers ship them."""
        for rel in self.entries:
            if rel not in self.blobs:
                self.blobs[rel] = _dumps(self.plans[rel])
        return {rel: (entry, self.blobs[rel]) for rel, entry in self.entries.items()}

    def add_pickled(self, shipped: dict[str, tuple[tuple, bytes]]) -> None:
        for rel, (entry, blob) in shipped.items():
            self.entries[rel] = entry
            self.blobs[rel] = blob
            self.plans.pop(rel, None)
        self.dirty = True

    @classmethod
    def load(cls, path: Path) -> PlanCache:
        cache = cls()
        try:
            with open(path, "rb") as f, paused():  # the facts: tens of thousands of small objects
                version, code, shipped = pickle.load(f)
            if version == cls.VERSION and code == _code_fingerprint():
                cache.add_pickled(shipped)
        except Exception:  # a missing, old or damaged cache is an empty one
            cache.entries, cache.blobs, cache.plans = {}, {}, {}
        cache.dirty = False
        return cache

    def save(self, path: Path) -> None:
        if not self.dirty and path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump((self.VERSION, _code_fingerprint(), self.pickled()), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        self.dirty = False


class _Pickler(pickle.Pickler):
    """Pickles the frozen records by their fields alone: pydantic's own __setstate__ costs a
    Python call with several attribute sets per object, seconds for a thousand plans."""

    def reducer_override(self, obj):
        if isinstance(obj, BaseModel):
            return _revive, (type(obj), obj.__dict__, obj.__pydantic_fields_set__)
        return NotImplemented


def _dumps(obj) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


_set = object.__setattr__


def _revive(cls, fields: dict, fields_set: set):
    obj = cls.__new__(cls)
    _set(obj, "__dict__", fields)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


class _Checker:
    def __init__(self, content: Path, cache: PlanCache | None = None):
        self.content = content
        self.diags: list[Diagnostic] = []
        self.cache = cache
        self._plan_files: list[Path] | None = None
        self._names: dict[tuple[int, str], tuple[list[str], re.Pattern]] = {}

    def error(self, doc: Document, loc, message: str, hint: str = "", *, key: bool = False, code: str) -> None:
        self.diags.append(doc.diag(tuple(loc), message, hint, key=key, code=code))

    # -- stage 1: read files -------------------------------------------------------

    def read(self, path: Path) -> Document | None:
        try:
            doc = load_file(path)
            doc._file = path
        except LoadError as e:
            self.diags.append(e.diagnostic)
            return None
        except OSError as e:
            self.diags.append(Diagnostic(display_path(path), 0, 0, f"无法读取文件：{e.strerror}",
                                         code="unreadable-file"))
            return None
        if doc.data is None:
            self.diags.append(Diagnostic(doc.path, 1, 1, "文件是空的",
                                         "写入内容；如果是误加的文件，请删除它", "empty-file"))
            return None
        return doc

    def typed(self, doc: Document, adapter: TypeAdapter, root: Any) -> Any:
        try:
            return adapter.validate_python(doc.data)
        except ValidationError as e:
            errors = e.errors()
            # A misspelt key also makes the key it should have been "missing": say it once,
            # as the unknown key with its did-you-mean, which is where the fix is.
            misspelt = {tuple(err["loc"][:-1]) + (_close_field(err, root),) for err in errors
                        if err["type"] == "extra_forbidden"}
            for err in errors:
                # pydantic also calls a list too short when its only items failed; those
                # failures are reported, and "must not be empty" would be misleading.
                if err["type"] == "too_short" and isinstance(err.get("input"), (list, tuple)) \
                        and len(err["input"]) >= err.get("ctx", {}).get("min_length", 1):
                    continue
                if err["type"] == "missing" and tuple(err["loc"]) in misspelt:
                    continue
                self.diags.append(_explain(doc, err, root))
            return None

    def run(self, site: bool = True) -> Loaded | Summary:
        if not self.content.is_dir():
            raise ContentError([Diagnostic(display_path(self.content), 0, 0, "找不到内容文件夹",
                                           "请在项目文件夹（含 content/、templates/、static/）中运行，"
                                           "或用 --content 指定内容文件夹", "no-content-folder")])
        registries: dict[str, tuple[Document, tuple]] = {}
        for name, model in REGISTRIES.items():
            path = self.content / name
            if not path.exists():
                self.diags.append(Diagnostic(display_path(path), 0, 0, f"缺少 {name}",
                                             f"每个网站都需要 content/{name}，见 docs/content-format.md",
                                             "missing-registry"))
                continue
            doc = self.read(path)
            if doc is None:
                continue
            records = self.typed(doc, TypeAdapter(list[model]), list[model])
            if records is not None:
                registries[name] = (doc, tuple(records))
                self.unique_slugs(doc, records, name)

        info = SiteInfo()
        if (self.content / SITE_FILE).exists():
            doc = self.read(self.content / SITE_FILE)
            if doc is not None:
                info = self.typed(doc, TypeAdapter(SiteInfo), SiteInfo) or info
        about_path = self.content / ABOUT_FILE
        about = about_path.read_text(encoding="utf-8") if about_path.is_file() else ""

        # The cache is trusted only against registries that all loaded.
        registries_sha = None
        if self.cache is not None and len(registries) == len(REGISTRIES):
            registries_sha = _registries_sha(self.content)
        plans: list[_PlanFile] = []
        fresh: dict[int, tuple[str, bytes]] = {}  # id of a plan checked now -> (rel path, file hash)
        for path in self.plan_files():
            rel = path.relative_to(self.content).as_posix()
            if registries_sha is not None:
                try:
                    sha = self.cache.hashes.file(path)
                except OSError:
                    sha = None
                held = self.cache.get(rel, sha, registries_sha, self.content) if sha else None
                if held is not None:
                    plans.append(_PlanFile(Document.unread(path), rel, None, held))
                    continue
            doc = self.read(path)
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                self.error(doc, (), "计划文件必须由键值组成（title:、district: …）",
                           "见 docs/content-format.md 中的完整示例", code="plan-not-mapping")
                continue
            plan = self.typed(doc, _PLAN, Plan)
            if plan is not None:
                plans.append(_PlanFile(doc, rel, plan, None))
                if registries_sha is not None and sha is not None:
                    fresh[id(plan)] = (rel, sha)

        def records(name: str) -> tuple:
            return registries.get(name, (None, ()))[1]

        districts, kinds, themes, metrics = (records(n) for n in REGISTRIES)
        registry = Registry(kinds)
        if "agencies.yaml" in registries:
            self.check_registry(registries["agencies.yaml"][0], kinds, registry, districts)
        # Cross-file checks need the registries; when one failed to load, its
        # own errors are reported and the lookups against it are skipped.
        have = {n: n in registries for n in REGISTRIES}
        district_slugs = {d.slug for d in districts}
        theme_slugs = {t.slug for t in themes}
        metric_by_slug = {m.slug: m for m in metrics}
        seen: dict[tuple[str, int], Document] = {}
        for f in plans:
            if f.facts is None:
                before = len(self.diags)
                self.check_plan(f.doc, f.plan, have, district_slugs, registry, theme_slugs, metric_by_slug)
                if len(self.diags) == before and id(f.plan) in fresh:
                    f.facts = self.cache.put(*fresh[id(f.plan)], registries_sha, self.content, f.plan)
                else:
                    f.facts = facts(f.plan)
            key = (f.facts.district, f.facts.year)
            if key in seen:
                self.error(f.doc, ("year",), f"{f.facts.district} {f.facts.year} 年有第二份计划"
                           f"（第一份是 {seen[key].path}）",
                           "一个区一年只有一份计划；请删除或重命名其中一个文件", code="duplicate-plan")
            else:
                seen[key] = f.doc

        checked = [(f.doc, f.facts) for f in plans]
        self.check_was(checked)
        comparisons = self.comparisons(checked, district_slugs if have["districts.yaml"] else None)

        if self.cache is not None:
            self.cache.keep_only({p.relative_to(self.content).as_posix() for p in self.plan_files()})
        if self.diags:
            raise ContentError(self.diags)
        if not site:
            return Summary(len(plans), sum(f.draft for _, f in checked), sum(f.measures for _, f in checked),
                           len(kinds))
        for f in plans:
            f.doc.release()  # a thousand plans' YAML trees are not worth keeping once checked
            if f.plan is None:
                f.plan = self.cache.plan(f.rel)
        plans.sort(key=lambda f: (f.facts.district, f.facts.year))
        built = Site(districts=districts, agencies=kinds, themes=themes, metrics=metrics,
                     plans=tuple(f.plan for f in plans), info=info, about=about, comparisons=comparisons)
        return Loaded(built, {f.plan.key: f.doc for f in plans})

    def comparisons(self, plans: list[tuple[Document, Facts]], districts: set[str] | None) -> tuple:
        path = self.content / COMPARISONS
        if not path.exists():
            return ()
        doc = self.read(path)
        if doc is None:
            return ()
        records = self.typed(doc, TypeAdapter(list[Comparison]), list[Comparison])
        if records is None:
            return ()
        self.unique_slugs(doc, records, COMPARISONS)
        years: dict[str, list[int]] = {}
        # A plan file that failed to load still exists: its own errors say what is wrong.
        for district, year in {(p.district, p.year) for _, p in plans} | self.plan_file_keys():
            years.setdefault(district, []).append(year)
        for i, c in enumerate(records):
            for side in ("old", "new"):
                district, year = getattr(c, side).split("/")
                if district not in years:
                    if districts is None or district in districts:
                        self.error(doc, (i, side), f"区 '{district}' 没有计划",
                                   "只能比较 content/plans/ 中已有的计划", code="comparison-no-plans")
                    else:
                        self.error(doc, (i, side), f"未知的区 '{district}'",
                                   _did_you_mean(district, districts, "districts.yaml"), code="unknown-district")
                elif int(year) not in years[district]:
                    have = "、".join(str(y) for y in sorted(years[district]))
                    self.error(doc, (i, side), f"{district} 没有 {year} 年的计划",
                               f"{district} 有这些年份的计划：{have}", code="comparison-unknown-plan")
            if c.old == c.new:
                self.error(doc, (i, "new"), f"比较 '{c.slug}' 把 {c.old} 与它自己比较",
                           "在 `old` 和 `new` 中写两份不同的计划", code="comparison-with-itself")
        return tuple(records)

    def check_was(self, plans: list[tuple[Document, Facts]]) -> None:
        """`was` names an id of the district's previous plan: that is what the diff links."""
        loaded = {(f.district, f.year): f for _, f in plans}
        files = self.plan_file_keys() | set(loaded)
        for doc, f in plans:
            if not f.was:
                continue
            before = [y for d, y in files if d == f.district and y < f.year]
            if not before:
                for loc, _ in f.was:
                    self.error(doc, loc, f"'was' 指向更早的计划，但 {f.district} 在 {f.year} 年之前没有计划",
                               "删去 `was:`；它用来把措施连到上一年的 id", code="was-without-earlier-plan")
                continue
            previous = loaded.get((f.district, max(before)))
            if previous is None:
                continue  # the previous plan did not load; its own errors say why
            for loc, id_ in f.was:
                if id_ not in previous.ids:
                    self.error(doc, loc, f"'was: {id_}' 不是 {previous.year} 年计划中的 id",
                               _did_you_mean(id_, previous.ids, f"plans/{previous.district}/{previous.year}.yaml"),
                               code="was-unknown-id")

    def plan_file_keys(self) -> set[tuple[str, int]]:
        """(district folder, year) of every plan file, loaded or not."""
        return {(p.parent.name, int(p.stem)) for p in self.plan_files() if p.stem.isdigit()}

    def plan_files(self) -> list[Path]:
        if self._plan_files is None:  # listed once a run: three checks ask
            root = self.content / "plans"
            self._plan_files = sorted(p for p in root.rglob("*") if p.suffix in PLAN_SUFFIXES and p.is_file()) \
                if root.is_dir() else []
        return self._plan_files

    # -- stage 2: cross-checks ---------------------------------------------------

    def unique_slugs(self, doc: Document, records, name: str) -> None:
        # Current and former slugs share one space: each is (or redirects to) one URL.
        first: dict[str, tuple] = {}
        for i, r in enumerate(records):
            for loc, slug in [((i, "slug"), r.slug)] + [((i, "former_slugs", j), s)
                                                        for j, s in enumerate(getattr(r, "former_slugs", ()))]:
                if slug in first:
                    line = doc.where(first[slug])[0]
                    renamed = "；改名后旧 slug 只能留在 former_slugs 中" if hasattr(r, "former_slugs") else ""
                    self.error(doc, loc, f"slug '{slug}' 在 {name} 中用了两次（第一次在第 {line} 行）",
                               f"slug 是网址的一部分，必须唯一{renamed}", code="duplicate-slug")
                else:
                    first[slug] = loc

    def check_registry(self, doc: Document, kinds, registry: Registry, districts) -> None:
        index = {k.slug: i for i, k in enumerate(kinds)}
        # A duty page's data file is /data/agencies/<kind>-<district>.csv: with hyphens in
        # slugs, two kind-district pairs could name one file.
        stems: dict[str, str] = {}
        for i, k in enumerate(kinds):
            for d in districts:
                other = stems.setdefault(f"{k.slug}-{d.slug}", k.slug)
                if other != k.slug:
                    self.error(doc, (i, "slug"), f"单位类别 '{k.slug}' 在区 '{d.slug}' 与单位类别 '{other}' "
                               f"会共用数据文件 {k.slug}-{d.slug}.csv",
                               "换一个 slug：不要是另一类单位的 slug 加上某个区的 slug", code="data-file-clash")
        for where, name, first, second in registry.clashes:
            scope = f"（{where} 区）" if where else ""
            self.error(doc, (index[second],), f"单位名称 '{name}'{scope} 同时列在 "
                       f"'{first}' 和 '{second}' 下", "一个名称只能指一类单位；只在一处保留它",
                       code="agency-name-clash")
        known = {d.slug for d in districts}
        for i, kind in enumerate(kinds):
            for district in kind.local:
                if known and district not in known:
                    self.error(doc, (i, "local", district), f"local 中的区 '{district}' 不存在",
                               _did_you_mean(district, known, "districts.yaml"), key=True,
                               code="unknown-district")

    def check_plan(self, doc: Document, plan: Plan, have, district_slugs: set[str], registry: Registry,
                   theme_slugs: set[str], metric_by_slug: dict[str, Metric], placed: bool = True) -> None:
        rel = Path(doc.path)
        parts = rel.parts
        # Expected location: plans/<district>/<year>.yaml under the content folder
        # (not for a file given to `sitegen diff`, which may sit anywhere).
        if not placed:
            pass
        elif len(parts) < 3 or parts[-3] != "plans":
            self.error(doc, (), "计划文件不在区的文件夹中",
                       f"请移到 content/plans/{plan.district}/{plan.year}.yaml", code="wrong-folder")
        else:
            folder, stem = parts[-2], rel.stem
            if folder != plan.district:
                self.error(doc, ("district",), f"计划写的区是 '{plan.district}'，文件却在 "
                           f"plans/{folder}/ 中", f"把文件移到 content/plans/{plan.district}/{plan.year}.yaml，"
                           "或改正 `district`", code="wrong-folder")
            if stem != str(plan.year):
                self.error(doc, ("year",), f"计划写的年份是 {plan.year}，文件名却是 {rel.name}",
                           f"把文件命名为 {plan.year}.yaml，或改正 `year`", code="wrong-year-filename")

        if plan.updated and plan.date and plan.updated < plan.date:
            self.error(doc, ("updated",), f"'updated' {plan.updated} 早于计划的发布日期 {plan.date}",
                       "`updated` 是本站最近一次更正这份计划的日期；请改正日期", code="updated-before-date")

        if have["districts.yaml"] and plan.district not in district_slugs:
            self.error(doc, ("district",), f"未知的区 '{plan.district}'",
                       _did_you_mean(plan.district, district_slugs, "districts.yaml"), code="unknown-district")

        if plan.source is None:
            if plan.status is not Status.draft:
                self.error(doc, (), "缺少必填的键 'source'",
                           "写明本计划依据的公开原文：source: {file: …}（只有草稿可以暂时没有）",
                           code="missing-source")
        elif Path(plan.source.file).name != plan.source.file or plan.source.file in (".", ".."):
            self.error(doc, ("source", "file"), f"原文文件 '{plan.source.file}' 不是文件名",
                       "写 content/sources/ 中的文件名，不带文件夹", code="bad-source-name")
        elif not (self.content / "sources" / plan.source.file).is_file():
            self.error(doc, ("source", "file"), f"content/sources/ 中找不到原文文件 '{plan.source.file}'",
                       "把公开原文放到那里，或改正文件名", code="source-not-found")
        else:
            self.check_faithful(doc, self.content / "sources" / plan.source.file)

        ids: dict[str, tuple] = {}

        def claim(id_: str | None, loc: tuple) -> None:
            if id_ is None:
                return
            if id_ in ids:
                line = doc.where(ids[id_] + ("id",))[0]
                self.error(doc, loc + ("id",), f"id '{id_}' 在本计划中用了两次（第一次在第 {line} 行）",
                           "同一计划中 id 必须唯一；给这一条一个新 id（旧 id 永不改号）", code="duplicate-id")
            else:
                ids[id_] = loc

        for i, goal in enumerate(plan.goals):
            self.check_goal(doc, goal, ("goals", i), claim, have, metric_by_slug)
        for loc, section in _sections(plan):
            claim(section.id, loc)
            for i, goal in enumerate(section.goals):
                self.check_goal(doc, goal, loc + ("goals", i), claim, have, metric_by_slug)
            for i, measure in enumerate(section.measures):
                mloc = loc + ("measures", i)
                claim(measure.id, mloc)
                self.check_measure(doc, plan, measure, mloc, have, registry, theme_slugs, metric_by_slug)

    def check_goal(self, doc, goal: Goal, loc, claim, have, metrics) -> None:
        claim(goal.id, loc)
        for j, target in enumerate(goal.targets):
            self.check_target(doc, target, goal.text, loc + ("targets", j), have, metrics)

    def check_measure(self, doc, plan: Plan, m: Measure, loc, have, registry: Registry, themes, metrics) -> None:
        if not m.agencies and not m.no_agency:
            self.error(doc, loc, f"措施 '{m.id}' 没有列出责任单位",
                       "用 `agencies:` 列出每个单位及其职责，计划未列明时写 `no_agency: true`",
                       code="no-agency")
        if m.agencies and m.no_agency:
            self.error(doc, loc + ("no_agency",), f"措施 '{m.id}' 既列了 agencies 又写了 no_agency: true",
                       "两者只保留一个", key=True, code="agencies-and-no-agency")
        if have["agencies.yaml"]:
            for j, ref in enumerate(m.agencies):
                if registry.resolve(ref.name, plan.district) is None:
                    close = registry.suggest(ref.name, plan.district)
                    hint = (f"是不是 {' 或 '.join(repr(c) for c in close)}？" if close else "") + \
                        "如果名称没错，请把它加入 content/agencies.yaml（作为名称、别名或曾用名）"
                    self.error(doc, loc + ("agencies", j, "name"), f"未知的责任单位 '{ref.name}'", hint,
                               code="unknown-agency")
            self.check_clause(doc, plan, m, loc, registry)
        if have["themes.yaml"]:
            for j, theme in enumerate(m.themes):
                if theme not in themes:
                    self.error(doc, loc + ("themes", j), f"未知的主题 '{theme}'",
                               _did_you_mean(theme, themes, "themes.yaml"), code="unknown-theme")
        for j, target in enumerate(m.targets):
            self.check_target(doc, target, m.text, loc + ("targets", j), have, metrics)

    def check_target(self, doc, t: Target, text: str, loc, have, metrics: dict[str, Metric]) -> None:
        if have["metrics.yaml"]:
            metric = metrics.get(t.metric)
            if metric is None:
                self.error(doc, loc + ("metric",), f"未知的指标 '{t.metric}'",
                           _did_you_mean(t.metric, metrics, "metrics.yaml"), code="unknown-metric")
            elif t.unit != metric.unit and t.unit not in metric.unit_aliases:
                units = "'、'".join((metric.unit,) + metric.unit_aliases)
                self.error(doc, loc + ("unit",), f"单位 '{t.unit}' 与指标 '{t.metric}' 不符",
                           f"请用 '{units}'，或换一个以 {t.unit} 计量的指标", code="unit-mismatch")
        if t.value_max is not None and t.value_max < t.value:
            self.error(doc, loc + ("value_max",), f"value_max {t.value_max:g} 小于 value {t.value:g}",
                       "范围写作 value: 下限，value_max: 上限", code="range-reversed")
        if squash(t.words) not in squash(text):
            self.error(doc, loc + ("words",), f"指标原话 '{t.words}' 不在正文中",
                       "从该指标所属的正文中原样复制这段话", code="target-words-not-in-text")

    # -- stage 3: against the published text -------------------------------------------

    def check_faithful(self, doc: Document, source: Path) -> None:
        """Every paragraph of the plan's own words must still be in its published source."""
        try:
            text = squash_source(read_source(source))
        except Exception as e:  # not UTF-8, a damaged .docx, …: say so at `source.file`, never a traceback
            self.error(doc, ("source", "file"), f"无法读取原文文件 {source.name}：{type(e).__name__}: {e}",
                       "原文须为 UTF-8 文本或 .docx 文件", code="unreadable-source")
            return
        for loc, para in missing_text(doc.data, text):
            line, col = doc.paragraph_line(loc, para)
            shown = para.strip()
            shown = shown if len(shown) <= 30 else shown[:30] + "…"
            self.diags.append(Diagnostic(
                doc.path, line, col, f"{_field_name(loc)} 的文字在原文 {source.name} 中找不到：“{shown}”",
                "发布的文字必须与原文一致：只修复分页造成的断字，不改写、不增删；对照原文改回", "text-not-in-source"))

    def _names_longest_first(self, registry: Registry, district: str) -> tuple[list[str], re.Pattern]:
        """The district's registry names, longest first, and a pattern finding any of them."""
        key = (id(registry), district)
        if key not in self._names:  # once a district, not once a measure
            names = sorted(registry.names_for(district), key=len, reverse=True)
            self._names[key] = (names, re.compile("|".join(map(re.escape, filter(None, names))) or "(?!)"))
        return self._names[key]

    def check_clause(self, doc: Document, plan: Plan, m: Measure, loc, registry: Registry) -> None:
        """The agencies list and the published clause (responsibility / supporting) must agree,
        as a reviewer checks: every listed name is in the clause, every registry name in the clause is listed."""
        fields = [(f, getattr(m, f)) for f in ("responsibility", "supporting") if getattr(m, f)]
        if not fields:
            return  # the plan prints no clause for this measure: nothing to hold the list against
        clause = "\n".join(squash(v) for _, v in fields)
        for j, ref in enumerate(m.agencies):
            if squash(ref.name) not in clause:
                where = "、".join(f for f, _ in fields)
                self.error(doc, loc + ("agencies", j, "name"),
                           f"责任单位 '{ref.name}' 不在本措施的 {where} 原文中",
                           f"agencies 只列原文写明的单位；对照 {where} 改正名称，或删去这一项",
                           code="agency-not-in-clause")
        listed = sorted({squash(a.name) for a in m.agencies}, key=len, reverse=True)
        names, any_name = self._names_longest_first(registry, plan.district)
        for field, value in fields:
            masked = squash(value)
            # A listed name covers the shorter names inside it (区市场监管局 holds 市场监管局).
            for name in listed:
                masked = masked.replace(name, "\0" * len(name))
            if not any_name.search(masked):
                continue  # the usual case, found in one scan instead of one per name
            for name in names:
                if name and name in masked:
                    masked = masked.replace(name, "\0" * len(name))
                    line, col = doc.paragraph_line(loc + (field,), name)  # the caret under the name
                    self.diags.append(Diagnostic(doc.path, line, col, f"{field} 原文写了 '{name}'，但 agencies 中没有它",
                                                 f"在 agencies 中加上 {{name: {name}, role: …}}",
                                                 "clause-agency-not-listed"))


def _sections(plan: Plan):
    """(location, section) for every section, with locations as in the YAML file."""

    def walk(sections, loc):
        for i, s in enumerate(sections):
            here = loc + (i,)
            yield here, s
            yield from walk(s.items, here + ("items",))

    yield from walk(plan.parts, ("parts",))


def _was_links(plan: Plan):
    """(location, old id) for every `was` id of the plan's goals and measures."""
    lists = [((), "goals", plan.goals)]
    for loc, section in _sections(plan):
        lists += [(loc, "goals", section.goals), (loc, "measures", section.measures)]
    for loc, key, units in lists:
        for i, unit in enumerate(units):
            for j, id_ in enumerate(unit.was):  # most have none: no location made for them
                yield loc + (key, i, "was", j), id_


def load_plan(path: Path, site: Site, content: Path) -> Plan:
    """One plan file from anywhere (e.g. a test fixture given to `sitegen diff`), checked against the
    site's registries but not against its place in content/plans/; raises ContentError."""
    checker = _Checker(Path(content))
    doc = checker.read(Path(path))
    plan = None
    if doc is not None:
        if not isinstance(doc.data, dict):
            checker.error(doc, (), "a plan file must be a mapping of keys (title:, district:, …)")
        else:
            plan = checker.typed(doc, TypeAdapter(Plan), Plan)
    if plan is not None:
        have = {n: True for n in REGISTRIES}
        checker.check_plan(doc, plan, have, {d.slug for d in site.districts}, Registry(site.agencies),
                           {t.slug for t in site.themes}, {m.slug: m for m in site.metrics}, placed=False)
    if checker.diags:
        raise ContentError(checker.diags)
    return plan


def _did_you_mean(value: str, known, where: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.5)
    if close:
        return f"是不是 {' 或 '.join(repr(c) for c in close)}？"
    return f"请使用 content/{where} 中定义的值"


# -- pydantic errors, in an editor's words -------------------------------------------


def _model_at(root: Any, loc: tuple) -> type[BaseModel] | None:
    """The model class whose field holds loc[-1], by following loc through the annotations."""
    current = _first_model(root)
    for part in loc:
        if current is None:
            return None
        if isinstance(part, str) and part in current.model_fields:
            current = _first_model(current.model_fields[part].annotation)
    return current


def _first_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if isinstance(arg, (type, types.GenericAlias, types.UnionType)) or typing.get_origin(arg):
            found = _first_model(arg)
            if found is not None:
                return found
    return None


def _close_field(err: dict, root: Any) -> str | None:
    """The allowed key an unknown key was probably meant to be."""
    loc = tuple(err["loc"])
    model = _model_at(root, loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    close = difflib.get_close_matches(loc[-1], sorted(model.model_fields), n=1, cutoff=0.6)
    return close[0] if close else None


def _field_name(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


_EXPECTED = {"string_type": "文字", "int_parsing": "整数", "int_type": "整数",
             "float_parsing": "数字", "float_type": "数字", "bool_parsing": "true 或 false",
             "bool_type": "true 或 false", "list_type": "列表", "tuple_type": "列表",
             "dict_type": "键值（mapping）", "model_type": "键值（mapping）",
             "date_type": "日期（YYYY-MM-DD）", "date_parsing": "日期（YYYY-MM-DD）",
             "date_from_datetime_parsing": "日期（YYYY-MM-DD）"}
_MODEL_NAMES = {"plan": "计划", "section": "部分", "measure": "措施", "goal": "目标", "target": "指标",
                "agencyref": "责任单位", "source": "source", "district": "区", "agencykind": "单位类别",
                "theme": "主题", "metric": "指标", "localnames": "local", "comparison": "比较",
                "siteinfo": "网站信息"}


def _explain(doc: Document, err: dict, root: Any) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    field = _field_name(loc)
    shown = repr(value) if not isinstance(value, (dict, list)) else {"dict": "键值", "list": "列表"}[type(value).__name__]
    if kind == "missing":
        model = _model_at(root, loc[:-1])
        what = _MODEL_NAMES.get(model.__name__.lower(), model.__name__) if model else "条目"
        return doc.diag(loc[:-1], f"这个{what}缺少必填的键 '{field}'",
                        f"加上 `{field}:`（见 docs/content-format.md）", code="missing-key")
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = _close_field(err, root)
        hint = f"是不是 '{close}'？" if close else ""
        hint += f"这里可用的键：{', '.join(allowed)}" if allowed else ""
        return doc.diag(loc, f"未知的键 '{field}'", hint, key=True, code="unknown-key")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == SLUG_PATTERN:
        return doc.diag(loc, f"{shown} 不是有效的 {field}",
                        "slug 和 id 只用小写英文字母、数字和连字符（最多 40 个），例如 'school-meals'；"
                        "不能有 '/'、'..' 或中文", code="invalid-slug")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == PLAN_KEY_PATTERN:
        return doc.diag(loc, f"{shown} 不是一份计划", "写成 区/年份，例如 jizhou/2018", code="invalid-plan-key")
    if kind in ("greater_than_equal", "less_than_equal") and field == "year":
        return doc.diag(loc, f"年份 {value} 不合理", f"计划年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间",
                        code="implausible-year")
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "").replace("' or '", "'、'").replace("', '", "'、'")
        return doc.diag(loc, f"{shown} 不是有效的 {field}", f"请用其中之一：{expected}", code="invalid-choice")
    if kind == "too_short":
        return doc.diag(loc, f"'{field}' 不能为空", f"在 `{field}:` 下至少列出一项", code="empty-list")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        expected = _EXPECTED.get(kind, err["msg"])
        return doc.diag(loc, f"'{field}' 应为{expected}，而不是 {shown}",
                        "YAML 会把它读成数字或日期，请给文字加引号，例如 number: \"48\""
                        if expected == "文字" else "", code="wrong-type")
    return doc.diag(loc, f"'{field}'：{err['msg']}", "", code="invalid-value")
