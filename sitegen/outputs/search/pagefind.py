"""Running Pagefind's extended build over a folder of pages, and making its bundle reproducible.

The index files are read back into memory, so they join the other output files and
are written by the same atomic swap.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from sitegen.outputs.search import cbor
from sitegen.site import urls

BUNDLE = str(urls.output_path(urls.search_bundle()).parent)  # "pagefind", under the site root
# Files of Pagefind's bundled UIs: the search page has its own (static/search.js).
_UNUSED = re.compile(r"^pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$|^playground/")


class SearchError(RuntimeError):
    """Pagefind is missing or failed: the build stops and nothing is written."""


def pagefind_binary() -> Path:
    """The extended binary from the pagefind_bin_extended wheel: only it segments Chinese."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as e:
        raise SearchError("Pagefind 的 extended 版本未安装（pip install 'pagefind[extended]'）；"
                          "或用 sitegen build --no-search 跳过搜索索引") from e
    return Path(get_executable())


def run_pagefind(write_site: Callable[[Path], None]) -> dict[str, bytes]:
    """Index the pages write_site(folder) puts into an empty folder; returns the bundle's files as
    {path under the site: bytes}."""
    exe = pagefind_binary()
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as tmp:
        site, bundle = Path(tmp) / "site", Path(tmp) / "bundle"
        site.mkdir()
        write_site(site)
        cmd = [str(exe), "--site", str(site), "--output-path", str(bundle)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
        if proc.returncode != 0 or "(Extended)" not in proc.stdout:
            log = (proc.stdout + proc.stderr).strip()
            raise SearchError(f"Pagefind 建立索引失败（退出码 {proc.returncode}）：\n{log}")
        files = {}
        for f in sorted(bundle.rglob("*")):
            rel = f.relative_to(bundle).as_posix()
            if f.is_file() and not _UNUSED.search(rel):
                files[f"{BUNDLE}/{rel}"] = f.read_bytes()
    return files


def writing(docs: dict[str, str]) -> Callable[[Path], None]:
    """A write_site for run_pagefind: these {output path: html} documents."""
    def write(site: Path) -> None:
        for rel, text in docs.items():
            write_doc(site, rel, text.encode("utf-8"))
    return write


def write_doc(site: Path, rel: str, data: bytes) -> None:
    target = site / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


# --- reproducible output ---------------------------------------------------------------------
# Pagefind 1.5.2 writes the values of each filter in hash-map order, so two runs over
# the same pages differ in the filter files, their fingerprinted names, the metadata
# file naming them, and its name in pagefind-entry.json. Everything else is stable.
# The filter files are rewritten with their values sorted (their CBOR read and written
# back exactly), renamed by a hash of their content, and the names carried through.

_DCD = b"pagefind_dcd"  # Pagefind's header in front of the CBOR of its data files


def load_data(blob: bytes):
    """A Pagefind data file's value; refuses one it could not write back byte for byte."""
    raw = gzip.decompress(blob)
    try:
        if not raw.startswith(_DCD):
            raise ValueError("no pagefind_dcd header")
        value, end = cbor.decode(raw, len(_DCD))
        if end != len(raw) or _DCD + cbor.encode(value) != raw:
            raise ValueError("does not round-trip")
    except (ValueError, KeyError, IndexError, StopIteration) as e:
        raise SearchError(f"Pagefind 的数据文件格式未知（{e}）：是否升级了 Pagefind？") from e
    return value


def dump_data(value) -> bytes:
    """A Pagefind data file holding value (gzip without a timestamp: the same bytes every build)."""
    return gzip.compress(_DCD + cbor.encode(value), compresslevel=9, mtime=0)


def _rename(value, names: dict[str, str]):
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, tuple):
        return ("map", [(_rename(k, names), _rename(v, names)) for k, v in value[1]])
    return value


def _sorted_filters(path: str, blob: bytes) -> tuple[str, str, bytes]:
    """A filter file with its values sorted: (its old name, its new name, its bytes)."""
    value = load_data(blob)
    data = dump_data([value[0], sorted(value[1], key=lambda pair: pair[0])])
    old = path.rsplit("/", 1)[1].removesuffix(".pf_filter")
    return old, f"{old.rsplit('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}", data


def _renamed_meta(path: str, blob: bytes, names: dict[str, str]) -> tuple[str, str, bytes]:
    """The metadata file naming the renamed filter files: (its old name, its new name, its bytes)."""
    value = _rename(load_data(blob), names)
    # its list of filter files, [[name, file], ...], is in hash-map order too
    value = [sorted(v) if isinstance(v, list) and v and all(
        isinstance(x, list) and len(x) == 2 and x[1] in names.values() for x in v) else v for v in value]
    meta = dump_data(value)
    old = path.rsplit("/", 1)[1].removeprefix("pagefind.").removesuffix(".pf_meta")
    return old, f"{old.rsplit('_', 1)[0]}_{hashlib.sha256(meta).hexdigest()[:15]}", meta


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's bundle with its filter files in a fixed order (see above)."""
    out = dict(files)
    names: dict[str, str] = {}
    for path in sorted(p for p in files if p.endswith(".pf_filter")):
        old, new, data = _sorted_filters(path, files[path])
        names[old] = new
        del out[path]
        out[path.replace(old, new)] = data
    if not names:
        return out
    for path in sorted(p for p in files if p.endswith(".pf_meta")):
        old, new, meta = _renamed_meta(path, files[path], names)
        del out[path]
        out[path.replace(old, new)] = meta
        entry = f"{BUNDLE}/pagefind-entry.json"
        out[entry] = out[entry].replace(f'"{old}"'.encode(), f'"{new}"'.encode())
    return out
