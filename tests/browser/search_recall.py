"""Search recall: for each test query, the pages that contain it vs. what the search page finds.

The expected pages come from the built HTML: every indexed page (its
data-pagefind-body, less what is not indexed) whose text holds every term of
the query as a run of words, words being what Pagefind counts as words here
(a Han character, a run of letters and digits, a punctuation mark).
The found pages are what static/search.js's find() returns in Chromium, all
of them, not just the first five.

    python -m tests.browser.search_recall [--out public] [--baseline]

builds the seed site (unless --out names a built one), prints recall per
query and overall, and the queries that lose pages. --baseline also measures
plain Pagefind: the published pages indexed as they are (dictionary
segmentation) and each query typed into pagefind.search() as it is.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sitegen.outputs.search import DECIMAL_POINT, HAN, NOT_INDEXED, folded

from .search_queries import QUERIES
from .site import SEED, build_site, html_files, launch, serve, url_of

_TOKEN = re.compile(f"[{HAN}]|[0-9a-z]+|[^\\s{HAN}0-9a-z]")
_DECIMAL = re.compile(r"(?<=[0-9])\.(?=[0-9])")
_BLOCKS = {"address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
           "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol",
           "p", "section", "summary", "table", "td", "th", "tr", "ul", "br"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source"}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(_DECIMAL.sub(DECIMAL_POINT, folded(text)))


def terms(query: str) -> list[str]:
    """The search page's terms() in Python: NFKC, lower case, split at all but a decimal point."""
    q = re.sub(r"[^\w.]|_", " ", unicodedata.normalize("NFKC", query).lower())
    q = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", q)
    return q.split()


class _Blocks(HTMLParser):
    """The indexed text of a page, one string a block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside the index)
        self.blocks: list[str] = [""]

    def _inside(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag in _BLOCKS:
            self.blocks.append("")
        if tag in _VOID:
            return
        inside = "data-pagefind-body" in a or self._inside()
        if "data-pagefind-ignore" in a or classes & NOT_INDEXED or tag in ("script", "style"):
            inside = False
        self.stack.append((tag, inside))

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.blocks.append("")
        if tag in _VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self._inside():
            self.blocks[-1] += data


def indexed_blocks(file: Path) -> list[list[str]]:
    parser = _Blocks()
    parser.feed(file.read_text(encoding="utf-8"))
    return [tokens(b) for b in parser.blocks if b.strip()]


def _holds(block: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(block[i:i + n] == run for i in range(len(block) - n + 1))


def expected_pages(pages: dict[str, list[list[str]]], query: str) -> set[str]:
    runs = [tokens(t) for t in terms(query)]
    return {url for url, blocks in pages.items()
            if runs and all(any(_holds(b, run) for b in blocks) for run in runs)}


def indexed_pages(out: Path) -> dict[str, list[list[str]]]:
    """url -> token blocks, for every page the index holds (those with data-pagefind-body)."""
    pages = {}
    for f in html_files(out):
        if "data-pagefind-body" in f.read_text(encoding="utf-8"):
            pages[url_of(out, f)] = indexed_blocks(f)
    return pages


# --- in the browser --------------------------------------------------------------------------

FIND_ALL = """async ([q, filters, sort]) => {
  const m = await import('/static/search.js');
  const pf = await m.load('/pagefind/');
  const found = await m.find(pf, q, filters || {}, sort || {});
  const data = await Promise.all(found.results.map(async r =>
    [await r.result.data(), r.twin && await r.twin.data(), r.words]));
  return data.map(([d, twin, words]) => ({url: d.url, subs: m.matches(d, twin, words).map(s => s.url), meta: d.meta}));
}"""

PLAIN = """async (q) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({noWorker: true});
  const s = await pf.search(q);
  const data = await Promise.all(s.results.map(r => r.data()));
  return data.map(d => d.url);
}"""


def found_pages(page, query: str, filters: dict | None = None, sort: dict | None = None) -> list[dict]:
    return page.evaluate(FIND_ALL, [query, filters or {}, sort or {}])


@dataclass
class Row:
    query: str
    expected: set[str]
    found: set[str]
    missing: set[str] = field(init=False)
    extra: set[str] = field(init=False)

    def __post_init__(self):
        self.missing = self.expected - self.found
        self.extra = self.found - self.expected

    @property
    def recall(self) -> float:
        return 1.0 if not self.expected else len(self.expected & self.found) / len(self.expected)


def measure(out: Path, page, queries: list[str], plain: bool = False) -> list[Row]:
    pages = indexed_pages(out)
    rows = []
    for q in queries:
        found = page.evaluate(PLAIN, q) if plain else [r["url"] for r in found_pages(page, q)]
        rows.append(Row(q, expected_pages(pages, q), {u.split("#")[0] for u in found}))
    return rows


def report(rows: list[Row], title: str) -> str:
    expected = sum(len(r.expected) for r in rows)
    hit = sum(len(r.expected & r.found) for r in rows)
    lines = [title, f"{'query':<16} {'expected':>8} {'found':>6} {'recall':>7} {'extra':>6}"]
    for r in rows:
        lines.append(f"{r.query:<16} {len(r.expected):>8} {len(r.found & r.expected):>6} {r.recall:>7.0%} {len(r.extra):>6}")
    lines.append(f"overall recall {hit}/{expected} = {hit / expected if expected else 1:.1%}; "
                 f"queries losing pages: {', '.join(r.query for r in rows if r.missing) or 'none'}")
    return "\n".join(lines)


def _plain_site(out: Path, into: Path) -> Path:
    """The built site with the published pages indexed as they are, by plain Pagefind."""
    import shutil

    from sitegen.outputs.search import run_pagefind, writing

    shutil.copytree(out, into)
    shutil.rmtree(into / "pagefind", ignore_errors=True)
    docs = {url_of(out, f).lstrip("/") + ("index.html" if url_of(out, f).endswith("/") else ""):
            f.read_text(encoding="utf-8") for f in html_files(out)
            if "data-pagefind-body" in f.read_text(encoding="utf-8")}
    for rel, data in run_pagefind(writing(docs)).items():
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        (into / rel).write_bytes(data)
    return into


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="a built site (default: build the seed site into a temp folder)")
    ap.add_argument("--baseline", action="store_true", help="also measure plain Pagefind")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    queries = [q.query for q in QUERIES]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or build_site(SEED, Path(tmp) / "public")
        sites = [(out, False, "this site's search (static/search.js)")]
        if args.baseline:
            sites.append((_plain_site(out, Path(tmp) / "plain"), True,
                          "plain Pagefind (pages as published, queries as typed)"))
        with sync_playwright() as p:
            browser = launch(p)
            for folder, plain, title in sites:
                with serve(folder) as url:
                    page = browser.new_page()
                    page.goto(url + "/search/")
                    print(report(measure(out, page, queries, plain), title))
                    print()
                    page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
