"""The checked-plan cache: plans that passed every per-file check, kept by the bytes they came from.

`sitegen build` and `sitegen validate` keep it on disk (.sitegen-cache/),
`sitegen serve` in memory. A cached plan is used only when its file, the
registries and its published source are byte for byte as they were when it
was checked, and the cache file only when it was written by the same checking
code with the same versions of the libraries whose objects it holds.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pydantic
import pydantic_core
import yaml

from sitegen.common.filehash import FileHashes, digest
from sitegen.common.gcpause import paused
from sitegen.content.facts import Facts, facts
from sitegen.content.layout import REGISTRIES, SOURCES
from sitegen.content.model import Plan

FORMAT = 6  # the layout of the cache file; raised when it changes


def registries_sha(content: Path) -> bytes:
    """What a cached plan was checked against (OSError when a registry cannot be read)."""
    return digest(b"\0".join((content / n).read_bytes() for n in REGISTRIES))


def library_versions() -> dict[str, str]:
    """The versions of what makes and pickles the cached objects: Python (pickle), pydantic and its
    core (the models' state), PyYAML (how a scalar is typed)."""
    return {"python": sys.version, "pydantic": pydantic.VERSION, "pydantic-core": pydantic_core.__version__,
            "pyyaml": yaml.__version__}


def checking_code() -> list[Path]:
    """The files whose code decides what passes: the content package and the diagnostics."""
    package = Path(__file__).parent
    return sorted(package.rglob("*.py")) + [package.parent / "common" / "diagnostics.py"]


def cache_key(versions: dict[str, str] | None = None) -> bytes:
    """The key a cache file is written with and read back only under: the file format, the library
    versions (library_versions() unless given) and the checking code, byte for byte."""
    versions = library_versions() if versions is None else versions
    parts = [str(FORMAT).encode()] + [f"{k}={v}".encode() for k, v in sorted(versions.items())]
    root = Path(__file__).parent.parent
    for path in checking_code():
        parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    return digest(b"\0".join(parts))


Entry = tuple[bytes, bytes, "str | None", "bytes | None", Facts]  # file, registries, source, source's hash, facts


class PlanCache:
    """Plans that passed every per-file check, by the bytes they were checked against.

    An entry holds the plan file's hash, the registries' hash, its source text's hash and the
    plan's Facts; it is used only when all three hashes are as they were, so a cached plan is
    one that the full check would pass again. Plans with problems are never cached: their
    messages are always made afresh. The plan itself is kept pickled until something asks for
    it (`plan`): checking and counting read the facts alone.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
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
                if self.hashes.file(content / SOURCES / source) != source_sha:
                    return None
            except OSError:
                return None
        self.hits += 1
        return entry[4]

    def holds(self, rel: str, path: Path, registries: bytes) -> bool:
        """Whether the plan file is held as checked from its present bytes (its source aside)."""
        entry = self.entries.get(rel)
        try:
            return entry is not None and entry[1] == registries and entry[0] == self.hashes.file(path)
        except OSError:
            return True  # unreadable: nothing to check ahead, the run reports it

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
        source_sha = self.hashes.file(content / SOURCES / source) if source else None
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

    def pickled(self) -> dict[str, tuple[Entry, bytes]]:
        """Every entry with its plan pickled: {rel: (entry, blob)}, as saved and as workers ship them."""
        for rel in self.entries:
            if rel not in self.blobs:
                self.blobs[rel] = pickle.dumps(self.plans[rel], protocol=pickle.HIGHEST_PROTOCOL)
        return {rel: (entry, self.blobs[rel]) for rel, entry in self.entries.items()}

    def add_pickled(self, shipped: dict[str, tuple[Entry, bytes]]) -> None:
        for rel, (entry, blob) in shipped.items():
            self.entries[rel] = entry
            self.blobs[rel] = blob
            self.plans.pop(rel, None)
        self.dirty = True

    @classmethod
    def load(cls, path: Path, key: bytes | None = None) -> PlanCache:
        """The cache saved at path if it was saved under this key (cache_key() unless given), else an empty one."""
        cache = cls()
        try:
            with open(path, "rb") as f, paused():  # the facts: tens of thousands of small objects
                saved_key, shipped = pickle.load(f)
            if saved_key == (cache_key() if key is None else key):
                cache.add_pickled(shipped)
        except Exception:  # noqa: BLE001 - a missing, old or damaged cache is an empty one
            cache.entries, cache.blobs, cache.plans = {}, {}, {}
        cache.dirty = False
        return cache

    def save(self, path: Path, key: bytes | None = None) -> None:
        """Writes the cache under this key (cache_key() unless given), unless nothing changed since."""
        if not self.dirty and path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump((cache_key() if key is None else key, self.pickled()), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        self.dirty = False
