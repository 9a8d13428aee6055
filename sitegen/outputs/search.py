"""Full-text search: a Pagefind index of the plan, duty and district theme pages (docs/search.md);
each task is indexed once, on its plan page (the others mark their task lists data-pagefind-ignore).

Pagefind's extended build (from PyPI, offline) indexes a *copy* of each
searchable page made for the index only; the published HTML is not changed.
The copy differs from the page mainly in three ways (all of them: docs/search.md):

- every Han character stands alone (spaces around it), so the index holds
  single characters and the search page looks a term up as an exact phrase of
  them: what a page contains is found whatever a dictionary or the browser's
  Intl.Segmenter would have made of it (they disagree, and recall suffers);
- each measure starts with a heading carrying the measure's anchor (and each
  section's heading carries the section's), because Pagefind builds
  sub-results only from headings with ids: a result lands on the task;
- the page's metadata, filters and sort key sit in empty elements at the top
  of its body.

The index files are read back into memory, so they join the other output
files and are written by the same atomic swap.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import multiprocessing
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sitegen.common.gcpause import worker_start
from sitegen.site import urls
from sitegen.site.pages import Page
from sitegen.site.pages.common import summary

BUNDLE = str(urls.output_path(urls.search_bundle()).parent)  # "pagefind", under the site root
# Files of Pagefind's bundled UIs: the search page has its own (static/search.js).
_UNUSED = re.compile(r"^pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$|^playground/")

# Han ideographs: unified, extension A, compatibility, and the supplementary planes.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"([{_HAN}])")
_SPACES = re.compile(r"[ \t\r\n\f]{2,}")
# Pagefind indexes 6.9 as a compound whose parts share one position, so no phrase
# finds it; a decimal point becomes 丶 (U+4E36, the "dot" radical, absent from the
# plans), a word of its own: 6.9 -> 6 丶 9. The search page spells queries the same way.
_DECIMAL = re.compile(r"(?<=[0-9])\.(?=[0-9])")
DECIMAL_POINT = "\u4e36"
# Pagefind holds a whole index in memory while it builds it, 11-13 bytes for each byte of the
# copies it reads (1.9 GB for the 166 MB of copies of 1,000 plans; 614 MB for a third of them):
# a bigger site is indexed in shards of whole districts, each by its own Pagefind run, and the
# search page merges them (Pagefind's mergeIndex). 64 MiB of copies is at most about 800 MB.
SHARD_BYTES = 64 * 2**20
SHARDS = "shards/"  # under the bundle: shards/<hash of its files>/, all of it named by content
SHARD_LIST = "shards.json"  # under the bundle: the other shards' folders, for the search page
# The loader and WebAssembly come from the first shard only: a merged index uses them.
_LOADER = re.compile(r"^(pagefind[^/]*\.js|wasm\.[^/]*)$")
# A plan outranks the theme and duty pages that name the query in their headings (they come next).
PLAN_WEIGHT = 3


class SearchError(RuntimeError):
    """Pagefind is missing or failed: the build stops and nothing is written."""


# --- text ---------------------------------------------------------------------------


def _fold(ch: str) -> str:
    """Full-width letters and digits, and compatibility ideographs, as the query will spell them (NFKC)."""
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A or 0xF900 <= o <= 0xFAFF:
        return unicodedata.normalize("NFKC", ch)
    return ch


def normalise(text: str) -> str:
    """Text as the search compares it: NFKC-folded letters, digits and ideographs, lower case."""
    return "".join(_fold(c) for c in text).lower()


class _Spacing(dict):
    """str.translate's table for spaced(): each character folded, a Han one with a space each side.
    Filled as characters are first met, so translate runs in C for all but a text's new characters."""

    def __missing__(self, o: int) -> str:
        ch = _fold(chr(o))
        self[o] = value = f" {ch} " if _HAN_RE.fullmatch(ch) else ch
        return value


_SPACING = _Spacing()


def spaced(text: str, *, tidy: bool = True) -> str:
    """Every Han character as a word of its own: '抽检6.9批' -> ' 抽 检 6 丶 9 批 '. Runs of spaces
    are made one unless `tidy` is false (a whole page for the index: Pagefind reads any run as one)."""
    text = _DECIMAL.sub(f" {DECIMAL_POINT} ", text.translate(_SPACING))
    return _SPACES.sub(" ", text) if tidy else text


# --- what each page says about itself ------------------------------------------------


def _measures(value) -> Iterable[dict]:
    """Every measure shown in a page's context (a view with its anchor and base, as
    pages.common.measure_view makes), as one dict: its base with its anchor on this page."""
    if isinstance(value, dict):
        if "anchor" in value and "base" in value:
            yield {**value["base"], "anchor": value["anchor"]}
            return
        for v in value.values():
            yield from _measures(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _measures(v)


def _heading(m: dict, page_kind: str) -> str:
    """A measure's sub-result title: its year (on pages of several plans of one district), number, first phrase."""
    first = m["paragraphs"][0] if m["paragraphs"] else ""
    what = m["label"] or summary(first)
    where = f"{m['year']}年 · " if page_kind in ("theme", "duty") else ""
    return f"{where}{m['number']}{what}"


def _kind(page: Page) -> str:
    return {"plan.html": "plan", "duty.html": "duty", "theme_district.html": "theme"}.get(page.template, "page")


_KIND_LABELS = {"plan": "计划", "duty": "单位职责", "theme": "主题", "page": "页面"}


def _join_years(years: set[int]) -> str:
    ys = sorted(years)
    return str(ys[0]) if len(ys) == 1 else "、".join(map(str, ys))


def page_facts(page: Page) -> dict:
    """Metadata, filters and sort key of a searchable page, and its measures' sub-result titles."""
    kind = _kind(page)
    context = page.view()
    measures = list(_measures(context))
    districts = sorted({m["district_name"] for m in measures})
    years = {m["year"] for m in measures}
    statuses = sorted({m["status"] for m in measures} - {"正式"})
    if kind == "duty":
        agencies = [context["agency"]["kind"]]
    else:
        agencies = sorted({d["kind"] for m in measures for d in m["duties"]})
    meta = {"title": page.title, "kind": _KIND_LABELS[kind], "district": "、".join(districts),
            "year": _join_years(years) if years else "", "status": "、".join(statuses)}
    if kind == "plan":
        meta["plan"] = context["plan"]["title"]
        meta["status"] = context["plan"]["status"]
    # title: not offered to readers; the search page ranks a page the query names first
    filters = {"kind": [_KIND_LABELS[kind]], "title": [page.title], "district": districts,
               "year": [str(y) for y in sorted(years)], "agency": agencies,
               "theme": sorted({t["name"] for m in measures for t in m["themes"]})}
    names = ""
    if kind == "duty":
        agency = context["agency"]
        aliases = [n for n in agency.get("aliases", ()) if n != agency["name"]]
        former = agency.get("former", [])
        names = "；".join(p for p in (aliases and "又称" + "、".join(aliases), former and "曾称" + "、".join(former)) if p)
    return {"meta": {k: v for k, v in meta.items() if v},
            "names": names,
            "weight": PLAN_WEIGHT if kind == "plan" else 1,
            "filters": {k: v for k, v in filters.items() if v},
            "sort": {"year": str(max(years))} if years else {},
            "headings": {m["anchor"]: _heading(m, kind) for m in measures}}


# --- the copy Pagefind indexes ----------------------------------------------------------


def _attr_value(text: str) -> str:
    # Pagefind reads "key:value" pairs split on commas.
    return html.escape(text.replace(",", "，"), quote=True)


def _facts_html(facts: dict) -> str:
    parts = [f'<span data-pagefind-meta="{_attr_value(k)}:{_attr_value(v)}"></span>' for k, v in facts["meta"].items()]
    parts += [f'<span data-pagefind-filter="{k}:{_attr_value(v)}"></span>'
              for k, values in facts["filters"].items() for v in values]
    parts += [f'<span data-pagefind-sort="{k}:{_attr_value(v)}"></span>' for k, v in facts["sort"].items()]
    return "".join(parts)


_HEADING = re.compile(r"h[1-6]")
# Boilerplate repeated on every page: indexing it would make every page match its words.
NOT_INDEXED = {"legend", "permalink", "neighbours"}  # neighbours: links to other plans and comparisons
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# The pages are the site's own, valid HTML (vnu-checked): a tag is "<...>" with its attribute
# values quoted and escaped. The copy spaces the whole page at once (str.translate, in C; Han
# characters in attribute values get spaces too, which the index never reads) and then visits only
# the tags it may rewrite, found by one regex; html.parser took most of the index's time.
_VISITED = re.compile(r'<(/?)(li|section|main|h[1-6])\b([^>]*)>'
                      r'|<([a-z][a-z0-9]*)\b([^>]*\bclass="[^"]*\b(?:derived|'
                      + "|".join(sorted(NOT_INDEXED)) + r')\b[^>]*)>'
                      r"|<!--.*?-->", re.S)
_ATTR = re.compile(r'([^\s=/>]+)(="[^"]*")?')


def _attrs(text: str) -> list[tuple[str, str | None]]:
    """A start tag's attributes as written (values still escaped); None for a bare attribute."""
    return [(k, v[2:-1] if v else None) for k, v in _ATTR.findall(text)]


class _IndexCopy:
    """Re-emits a page with spaced Han text, measure headings, and its facts in the body."""

    def __init__(self, facts: dict) -> None:
        self.facts = facts
        self.out: list[str] = []
        self.pending_id: str | None = None  # a section's id, for its heading
        # A heading the site derives from its section's only task (span.derived) is that
        # task's title: it takes the task's anchor, so a match in it lands on the task.
        self.heading_at: int | None = None  # where in out the open section heading's tag is
        self.derived_at: int | None = None  # that tag, once the heading proved derived

    def feed(self, page_html: str) -> None:
        text = spaced(page_html, tidy=False)
        out, at = self.out, 0
        for m in _VISITED.finditer(text):
            out.append(text[at:m.start()])
            at = m.end()
            closing, tag, rest, other, other_rest = m.groups()
            if tag is None and other is None:  # a comment: dropped
                continue
            if closing:
                if tag[0] == "h":
                    self.heading_at = None
                out.append(m.group())
            else:
                self._start(tag or other, m.group(), rest if tag else other_rest)
        out.append(text[at:])

    @staticmethod
    def _tag(tag: str, attrs: list[tuple[str, str | None]], end: str = ">") -> str:
        return "<" + tag + "".join(f" {k}" if v is None else f' {k}="{v}"' for k, v in attrs) + end

    def _start(self, tag: str, written: str, rest: str) -> None:
        attrs = _attrs(rest)
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        end = " />" if rest.rstrip().endswith("/") else ">"
        if tag == "li" and "measure" in classes and a.get("id") in self.facts["headings"]:
            anchor = a["id"]
            self.out.append(self._tag(tag, [(k, v) for k, v in attrs if k != "id"]))
            if self.derived_at is not None:
                self.out[self.derived_at] = re.sub(r' id="[^"]*"', f' id="{anchor}"', self.out[self.derived_at], count=1)
                self.derived_at = None
                return
            self.out.append(f'<h6 id="{anchor}">{html.escape(spaced(self.facts["headings"][anchor]), quote=False)}</h6>')
            return
        if tag == "section" and a.get("id"):
            self.pending_id = a["id"]
            self.out.append(self._tag(tag, [(k, v) for k, v in attrs if k != "id"]))
            return
        changed = False
        if NOT_INDEXED & set(classes):
            attrs, changed = [*attrs, ("data-pagefind-ignore", None)], True
        if "derived" in classes and self.heading_at is not None:
            self.derived_at = self.heading_at
        if _HEADING.fullmatch(tag):
            self.derived_at = None
            self.heading_at = None
            if self.pending_id and not a.get("id"):
                attrs, changed = [*attrs, ("id", self.pending_id)], True
                self.pending_id = None
                self.heading_at = len(self.out)
        body = "data-pagefind-body" in a
        if body and self.facts["weight"] != 1:
            attrs, changed = [*attrs, ("data-pagefind-weight", str(self.facts["weight"]))], True
        self.out.append(self._tag(tag, attrs, end) if changed else written)
        if body:
            self.out.append(_facts_html(self.facts))
            if self.facts["names"]:  # an agency's other names: found by them, not shown
                self.out.append(f"<p>{html.escape(spaced(self.facts['names']), quote=False)}</p>")


_IGNORED = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-pagefind-ignore[\s/>=]")


def without_ignored(page_html: str) -> str:
    """The page less each element marked data-pagefind-ignore, found by counting its own tag only
    (an unclosed <p> or <li> inside cannot end it early). The task lists of duty and theme pages
    are most of their bytes: cut here by string search, the copy never reads them."""
    parts, at = [], 0
    while m := _IGNORED.search(page_html, at):
        parts.append(page_html[at:m.start()])
        tag, at = m.group(1), m.end()
        if tag in _VOID:
            continue
        opening, depth = re.compile(f"<{tag}[\\s>]|</{tag}\\s*>"), 1
        while depth and (n := opening.search(page_html, at)):
            depth += -1 if n.group().startswith("</") else 1
            at = n.end()
        if depth:  # never closed: the rest of the page is inside it
            at = len(page_html)
    parts.append(page_html[at:])
    return "".join(parts)


def index_copy(page: Page, page_html: str) -> str:
    """The HTML Pagefind indexes for a page (never published)."""
    copy = _IndexCopy(page_facts(page))
    copy.feed(without_ignored(page_html))
    return "".join(copy.out)


# --- running Pagefind ----------------------------------------------------------------------


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
            _write_doc(site, rel, text.encode("utf-8"))
    return write


def _write_doc(site: Path, rel: str, data: bytes) -> None:
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
_WIDTHS = {24: 1, 25: 2, 26: 4, 27: 8}


def _decode(data: bytes, i: int = 0):
    """One CBOR item at i (the kinds Pagefind writes: integers, strings, arrays, maps) and where it ends."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        arg = info
    else:
        n = _WIDTHS[info]
        arg, i = int.from_bytes(data[i:i + n], "big"), i + n
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = bytes(data[i:i + arg])
        return (raw if major == 2 else raw.decode("utf-8")), i + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, i = _decode(data, i)
            items.append(item)
        return (items if major == 4 else ("map", list(zip(items[::2], items[1::2])))), i
    raise ValueError(f"CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    info, n = next((info, n) for info, n in _WIDTHS.items() if arg < 1 << (8 * n))
    return bytes([major << 5 | info]) + arg.to_bytes(n, "big")


def _encode(value) -> bytes:
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, tuple):  # ("map", [(key, value), ...])
        return _head(5, len(value[1])) + b"".join(_encode(k) + _encode(v) for k, v in value[1])
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)


def _read(blob: bytes):
    """A Pagefind data file's value; refuses one it could not write back byte for byte."""
    raw = gzip.decompress(blob)
    try:
        if not raw.startswith(_DCD):
            raise ValueError("no pagefind_dcd header")
        value, end = _decode(raw, len(_DCD))
        if end != len(raw) or _DCD + _encode(value) != raw:
            raise ValueError("does not round-trip")
    except (ValueError, KeyError, IndexError, StopIteration) as e:
        raise SearchError(f"Pagefind 的数据文件格式未知（{e}）：是否升级了 Pagefind？") from e
    return value


def _write(value) -> bytes:
    return gzip.compress(_DCD + _encode(value), compresslevel=9, mtime=0)


def _rename(value, names: dict[str, str]):
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, tuple):
        return ("map", [(_rename(k, names), _rename(v, names)) for k, v in value[1]])
    return value


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's bundle with its filter files in a fixed order (see above)."""
    out = dict(files)
    names: dict[str, str] = {}
    for path in sorted(p for p in files if p.endswith(".pf_filter")):
        value = _read(files[path])
        value = [value[0], sorted(value[1], key=lambda pair: pair[0])]
        data = _write(value)
        old = path.rsplit("/", 1)[1].removesuffix(".pf_filter")
        lang = old.rsplit("_", 1)[0]
        new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
        names[old] = new
        del out[path]
        out[path.replace(old, new)] = data
    if not names:
        return out
    for path in sorted(p for p in files if p.endswith(".pf_meta")):
        value = _rename(_read(files[path]), names)
        # its list of filter files, [[name, file], ...], is in hash-map order too
        value = [sorted(v) if isinstance(v, list) and v and all(
            isinstance(x, list) and len(x) == 2 and x[1] in names.values() for x in v) else v for v in value]
        meta = _write(value)
        old = path.rsplit("/", 1)[1].removeprefix("pagefind.").removesuffix(".pf_meta")
        new = f"{old.rsplit('_', 1)[0]}_{hashlib.sha256(meta).hexdigest()[:15]}"
        del out[path]
        out[path.replace(old, new)] = meta
        entry = f"{BUNDLE}/pagefind-entry.json"
        out[entry] = out[entry].replace(f'"{old}"'.encode(), f'"{new}"'.encode())
    return out


def search_files(pages: list[Page], files: Mapping[str, bytes], *, workers: int = 1,
                 shard_bytes: int | None = None) -> dict[str, bytes]:
    """The search index of the rendered site (files as render_site returns them). The index copies
    are made by `workers` forked processes; Pagefind indexes them a shard at a time (see SHARD_BYTES)."""
    # A district's pages together: their page facts read the same measure views (memo.py),
    # and a shard holds whole districts.
    searchable = sorted((p for p in pages if p.searchable), key=lambda p: p.group)
    if not searchable:
        return {}
    out: dict[str, bytes] = {}
    more: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-copies-") as tmp:
        copies = Path(tmp)
        sizes = _write_copies(searchable, files, workers, copies)
        for i, rels in enumerate(shards(searchable, sizes, shard_bytes or SHARD_BYTES)):
            bundle = canonical(run_pagefind(functools.partial(_move, copies, rels)))
            if i == 0:  # the first shard is the bundle pagefind.js is loaded from
                out.update(bundle)
                continue
            kept = {rel.removeprefix(BUNDLE + "/"): body for rel, body in bundle.items()
                    if not _LOADER.search(rel.removeprefix(BUNDLE + "/"))}
            name = hashlib.sha256(b"".join(k.encode() + b"\0" + v for k, v in sorted(kept.items()))).hexdigest()[:12]
            more.append(f"{SHARDS}{name}/")
            out.update((f"{BUNDLE}/{SHARDS}{name}/{rel}", body) for rel, body in kept.items())
    out[f"{BUNDLE}/{SHARD_LIST}"] = (json.dumps(more) + "\n").encode()
    return out


def shards(pages: list[Page], sizes: Mapping[str, int], limit: int) -> list[list[str]]:
    """The pages' output paths in shards of whole districts (pages grouped by district, in order),
    as few as keep each near or under `limit` bytes of index copies, of about equal size."""
    groups: dict[str, list[str]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(str(page.out_path))
    total = sum(sizes.values())
    n = max(1, -(-total // limit))
    target = total / n
    out: list[list[str]] = [[] for _ in range(n)]
    done = 0
    for rels in groups.values():
        size = sum(sizes[r] for r in rels)
        out[min(n - 1, int((done + size / 2) / target))].extend(rels)  # by the district's midpoint
        done += size
    return [s for s in out if s]


def _move(copies: Path, rels: list[str], site: Path) -> None:
    """A write_site for run_pagefind: these index copies, moved from where the workers wrote them."""
    for rel in rels:
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (copies / rel).replace(target)


_COPYING: tuple | None = None  # (pages, files, folder): what forked workers copy; inherited, never pickled


def _write_copies(pages: list[Page], files: Mapping[str, bytes], workers: int, site: Path) -> dict[str, int]:
    """Writes each page's index copy under site; returns {output path: bytes written}."""
    global _COPYING
    _COPYING = (pages, files, site)
    try:
        if workers == 1:
            return dict(_copy_range((0, len(pages))))
        step = max(1, len(pages) // (workers * 8))
        pieces = [(i, min(i + step, len(pages))) for i in range(0, len(pages), step)]
        with multiprocessing.get_context("fork").Pool(workers, worker_start) as pool:
            return {rel: size for piece in pool.imap_unordered(_copy_range, pieces) for rel, size in piece}
    finally:
        _COPYING = None


def _copy_range(piece: tuple[int, int]) -> list[tuple[str, int]]:
    pages, files, site = _COPYING  # type: ignore[misc]
    sizes = []
    for page in pages[piece[0]:piece[1]]:
        rel = str(page.out_path)
        copy = index_copy(page, files[rel].decode("utf-8")).encode("utf-8")
        _write_doc(site, rel, copy)
        sizes.append((rel, len(copy)))
    return sizes
