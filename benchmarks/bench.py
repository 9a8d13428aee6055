"""`make bench`: build a synthetic corpus and time sitegen on it, then Hugo on the same pages.

    python benchmarks/bench.py [--plans 1000] [--work DIR] [--repeat 1]

Prints one table (times are wall-clock seconds; with --repeat N, the best and
the median of N runs). Each command runs in its own process, so its peak
memory (max RSS, the largest of the process and its workers) is its own;
the disks are synced before each. The Hugo run builds one Markdown file per
sitegen HTML page, holding that page's title and text, with a one-line
template: the same number of pages with the same text, without sitegen's
views, data files or search index. Both are timed into an empty folder (a
first build, a clean clone) and over their last output: Hugo then overwrites
its files, sitegen writes over its spare (the output before the last, kept
beside it: sitegen/build/write.py).
"""

from __future__ import annotations

import argparse
import html.parser
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from make_corpus import make_corpus  # noqa: E402

from sitegen.build.write import spare_of  # noqa: E402


def run(cmd: list[str], cwd: Path = ROOT, expect: int = 0) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in bytes, stdout) of one command in its own process, which must
    end with the exit status given."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode("utf-8", "replace")  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != expect:
        raise SystemExit(f"failed: {' '.join(cmd)} (exit status {proc.returncode})\n{out}")
    return took, usage.ru_maxrss * 1024, out


# A cold build of the pages alone, as Hugo builds them (what `sitegen serve` shows first after a
# save), into an empty folder: `Builder.build(data=False)`, which the CLI does not offer.
PAGES_ONLY = """
import sys
from pathlib import Path
from sitegen.build import Builder
from sitegen.common.project import Project
Builder(Project.at(Path(%r), content=Path(sys.argv[1]), out=Path(sys.argv[2]))).build(search=False, data=False)
""" % str(ROOT)


def repeat(n: int, cmd: list[str], before=None) -> tuple[list[float], int, str]:
    times, peak, out = [], 0, ""
    for _ in range(n):
        if before:
            before()
        os.sync()  # the last command's writes flushed now, not while this one runs
        t, m, out = run(cmd)
        times.append(t)
        peak = max(peak, m)
    return times, peak, out


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "tr", "div"):
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip and data.strip():
            self.parts.append(data.strip() + " ")


def hugo_site(public: Path, site: Path) -> int:
    """One Markdown page per sitegen page, with its title and text; returns the page count."""
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "p").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n',
                                    encoding="utf-8")
    layout = ('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
              "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n")
    (site / "layouts" / "_default" / "single.html").write_text(layout, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(layout, encoding="utf-8")
    n = 0
    for page in sorted(public.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        title = parser.title.strip().replace('"', "'")
        body = "".join(parser.parts)
        (site / "content" / "p" / f"{n:06d}.md").write_text(f'---\ntitle: "{title}"\n---\n\n{body}\n',
                                                             encoding="utf-8")
        n += 1
    return n


def hostile(sitegen: list[str], work: Path) -> tuple[float, float]:
    """Seconds `sitegen validate` takes on the tests' smallest valid content folder, and on the
    same folder with the alias bomb of the hostile-input set (nine levels of nine aliases, a
    billion strings if expanded): refused at its first anchor, it should take about as long."""
    fixtures = ROOT / "tests" / "fixtures"
    valid, bomb = work / "hostile-valid", work / "hostile-bomb"
    for folder in (valid, bomb):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(fixtures / "valid" / "minimal", folder)
    shutil.copytree(fixtures / "invalid" / "alias_bomb", bomb, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("expect.txt"))
    validate = sitegen + ["validate", "--no-cache", "--format", "json", "--content"]
    took_valid = run(validate + [str(valid)])[0]
    took_bomb, _, out = run(validate + [str(bomb)], expect=1)
    if '"yaml-anchor"' not in out:
        raise SystemExit(f"the alias bomb was not refused as an anchor:\n{out}")
    return took_valid, took_bomb


def in_process(content: Path, work: Path) -> dict:
    """Diff time per plan pair, and a rebuild after one plan's text is edited (sitegen serve's path)."""
    from sitegen.build import Builder
    from sitegen.common.project import Project
    from sitegen.content import load_site
    from sitegen.diff import Differ
    from sitegen.site.diffs import site_diffs

    site = load_site(content).site
    specs = site_diffs(site)
    started = time.perf_counter()
    differ = Differ(site)  # as the build diffs: one for the site, the district's diffs in a row
    for spec in specs:
        differ.diff(spec.old, spec.new)
    per_pair = (time.perf_counter() - started) / max(1, len(specs))

    out = work / "public-rebuild"
    builder = Builder(Project(content, out, ROOT / "templates", ROOT / "static"))
    builder.build(search=False)
    plan = sorted((content / "plans").glob("*/*.yaml"))[len(specs) // 2]
    text = plan.read_text(encoding="utf-8")
    source = content / "sources" / f"{plan.parent.name}-{plan.stem}.txt"
    source_text = source.read_text(encoding="utf-8")
    at = text.index("text: ") + len("text: ")
    pages, data, rendered = [], [], 0
    try:
        # Three saves of one plan, each changing one character of one measure's text (a comma to
        # 、 and back; the source gets the new wording too, as an editor's fix would).
        for old, new in (("，", "、"), ("、", "，"), ("，", "、")):
            current = plan.read_text(encoding="utf-8")
            edited = current[:at] + current[at:].replace(old, new, 1)
            line = next(ln for ln in edited[at:].splitlines() if ln.strip())
            source.write_text(source_text + line.strip() + "\n", encoding="utf-8")
            plan.write_text(edited, encoding="utf-8")
            started = time.perf_counter()
            result = builder.build(search=False, data=False)  # what sitegen serve shows first
            pages.append(time.perf_counter() - started)
            rendered = result.rendered
            started = time.perf_counter()
            builder.build(search=False)  # then the data files, feeds and SQLite (no page rendered again)
            data.append(time.perf_counter() - started)
    finally:
        plan.write_text(text, encoding="utf-8")
        source.write_text(source_text, encoding="utf-8")
    return {"pairs": len(specs), "per_pair": per_pair, "rebuild": pages, "rebuild_data": data,
            "rebuild_pages": rendered}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each timed command")
    ap.add_argument("--no-hugo", action="store_true")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    content, public = work / "content", work / "public"
    stats = make_corpus(args.plans, content)
    cache = ROOT / ".sitegen-cache"
    sitegen = [str(BIN / "sitegen")]
    n = args.repeat

    def cold() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    rows = []
    v_cold, v_mem, _ = repeat(n, sitegen + ["validate", "--content", str(content), "--no-cache"])
    v_warm, _, _ = repeat(n, sitegen + ["validate", "--content", str(content)])
    build_ns = sitegen + ["build", "--content", str(content), "--out", str(public), "--no-search"]

    def empty() -> None:  # no output and no spare: a first build
        for folder in (public, spare_of(public)):
            shutil.rmtree(folder, ignore_errors=True)

    b_ns, b_mem, _ = repeat(n, build_ns + ["--no-cache"], before=empty)
    run(build_ns + ["--no-cache"])  # untimed: from now on there is a spare to write over
    b_over, _, _ = repeat(n, build_ns + ["--no-cache"])
    b_warm, _, _ = repeat(n, build_ns)
    pages = sum(1 for _ in public.rglob("*.html"))
    files = sum(1 for p in public.rglob("*") if p.is_file())
    b_s, bs_mem, _ = repeat(n, sitegen + ["build", "--content", str(content), "--out", str(public), "--no-cache"])
    pages_out = work / "public-pages"
    p_ns, _, _ = repeat(n, [sys.executable, "-c", PAGES_ONLY, str(content), str(pages_out)],
                        before=lambda: shutil.rmtree(pages_out, ignore_errors=True))
    extra = in_process(content, work)
    small, bomb = hostile(sitegen, work)
    hugo = None
    if not args.no_hugo:
        if shutil.which("hugo") is None:
            raise SystemExit("hugo is not installed (make bench installs it: apt-get install hugo)")
        # The pages as the no-search build wrote them (the search build adds only pagefind/).
        hugo_pages = hugo_site(public, work / "hugo")
        dest = work / "hugo-public"
        cmd = ["hugo", "--quiet", "--source", str(work / "hugo"), "--destination", str(dest)]
        # Into an empty folder, as every sitegen build writes its output (a fresh folder swapped
        # in) and as a clean clone deploys; then over its last output, whose files Hugo
        # overwrites in place, for reference.
        h, h_mem, _ = repeat(n, cmd, before=lambda: shutil.rmtree(dest, ignore_errors=True))
        h_over, _, _ = repeat(n, cmd)
        hugo = (hugo_pages, h, h_mem, h_over)

    def fmt(ts: list[float]) -> str:
        return f"{min(ts):.2f}" + (f" (median {statistics.median(ts):.2f})" if len(ts) > 1 else "")

    mib = 1024 * 1024
    rows = [
        ("corpus", f"{stats['plans']} plans, {stats['measures']} measures, {stats['districts']} districts"),
        ("validate, cold (s)", fmt(v_cold)),
        ("validate, plan cache warm (s)", fmt(v_warm)),
        ("full build without search, into an empty folder (s)", fmt(b_ns)),
        ("  the same, over its last output (s)", fmt(b_over)),
        ("  the same, over its last output, plan cache warm (s)", fmt(b_warm)),
        ("  pages only, no data files, cold (s)", fmt(p_ns)),
        ("full build with search (s)", fmt(b_s)),
        ("HTML pages written / all files", f"{pages} / {files}"),
        ("pages per second (no search)", f"{pages / min(b_ns):.0f}"),
        ("peak memory: validate / build / build+search (MiB)",
         f"{v_mem / mib:.0f} / {b_mem / mib:.0f} / {bs_mem / mib:.0f}"),
        ("diff per plan pair (ms)", f"{extra['per_pair'] * 1000:.1f} ({extra['pairs']} pairs)"),
        ("rebuild after one plan edited: pages (s)",
         f"{fmt(extra['rebuild'])} ({extra['rebuild_pages']} pages rendered; 3 edits)"),
        ("  then data files, feeds, SQLite (s)", fmt(extra['rebuild_data'])),
        ("validate, alias bomb refused / a small valid folder (s)", f"{bomb:.2f} / {small:.2f}"),
    ]
    if hugo:
        rows += [(f"hugo {hugo[0]} pages, same text, into an empty folder (s)", fmt(hugo[1])),
                 ("  the same, over its last output (s)", fmt(hugo[3])),
                 ("sitegen / hugo (no search)", f"{min(b_ns) / min(hugo[1]):.1f} x into empty folders, "
                                                f"{min(b_over) / min(hugo[3]):.1f} x over their last output, "
                                                f"{min(p_ns) / min(hugo[1]):.1f} x pages only (empty folders)")]
    rows.append(("machine", f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                            f"load average {os.getloadavg()[0]:.1f} at the end"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':{width}} | value")
    print(f"{'-' * width}-|-{'-' * 40}")
    for k, v in rows:
        print(f"{k:{width}} | {v}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
