"""A synthetic content folder of N plans made from the seed plans, for the tests that need
many plans (`from synthetic import make_corpus`) and for the benchmark
(`benchmarks/make_corpus.py --plans 1000 --out /tmp/corpus` writes one).

Districts are clones of the seed districts (hedong-01, hedong-02, …, named
河东01区 …), each with a run of consecutive years. The first year of a district
is its seed plan; every later year is the year before with edits, so the
district diffs have work to do: a few measures' texts changed (words inserted
or cut), one measure dropped, one added. Every plan gets its own source text
(the seed's, plus the new paragraphs), so `sitegen validate` checks the
corpus exactly as it checks real content. The registries are the project's own,
with the seeds' district-local agency names given to their clones.

The output is never committed and never goes into content/.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content"
YEARS = 10
LAST_YEAR = 2024
PHRASES = ("，并建立健全长效机制", "，确保各项措施落到实处", "，按季度通报工作进展", "，加大督导检查力度",
           "，实现全覆盖", "，完善信息共享和联动机制", "，对发现的问题限期整改", "，强化结果运用",
           "，开展专项培训", "，定期开展风险会商", "，推动智慧监管平台应用", "，落实属地管理责任")


def _dump(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    path.write_text(text, encoding="utf-8")


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _sections(node):
    for s in node:
        yield s
        yield from _sections(s.get("items", []))


def _measures(plan: dict) -> list[tuple[dict, int]]:
    return [(s, i) for s in _sections(plan["parts"]) for i in range(len(s.get("measures", [])))]


def _edit_text(text: str, rng: random.Random) -> str:
    paras = text.split("\n")
    i = rng.randrange(len(paras))
    p = paras[i]
    if len(p) > 30 and rng.random() < 0.4:  # cut a few characters out of the middle
        a = rng.randrange(5, len(p) - 20)
        p = p[:a] + p[a + rng.randrange(3, 12):]
    else:  # insert a phrase before the paragraph's last punctuation mark
        at = len(p) - 1 if p and p[-1] in "。；" else len(p)
        p = p[:at] + rng.choice(PHRASES) + p[at:]
    paras[i] = p
    return "\n".join(paras)


def evolve(plan: dict, year: int, rng: random.Random, extra: list[str]) -> dict:
    """Next year's plan: some texts edited, one measure dropped, one added; new paragraphs go to extra."""
    plan = copy.deepcopy(plan)
    plan["year"] = year
    if isinstance(plan.get("date"), dt.date):
        d = plan["date"]
        plan["date"] = d.replace(year=year, day=min(d.day, 28))
    slots = _measures(plan)
    editable = [(s, i) for s, i in slots if not s["measures"][i].get("targets")]
    for s, i in rng.sample(editable, min(len(editable), max(1, len(slots) // 10))):
        m = s["measures"][i]
        m["text"] = _edit_text(m["text"], rng)
        extra.extend(m["text"].split("\n"))
    # Drop one measure from a section that keeps at least one.
    droppable = [(s, i) for s, i in slots if len(s["measures"]) > 1]
    if droppable:
        s, i = rng.choice(droppable)
        del s["measures"][i]
    # Add one: a sibling's copy with new words and a new id.
    s, i = rng.choice(_measures(plan))
    new = copy.deepcopy(s["measures"][i])
    new["id"] = f"added-{year}-{rng.randrange(10**6)}"
    new["text"] = _edit_text(new["text"], rng)
    new.pop("targets", None)
    new.pop("was", None)
    extra.extend(new["text"].split("\n"))
    s["measures"].insert(i + 1, new)
    return plan


def make_corpus(plans: int, out: Path, seed: int = 1, years: int = YEARS) -> dict:
    """Write `plans` plans into `out` (emptied first), `years` consecutive years a district, the
    edits drawn from `seed`; returns the counts of plans, districts and measures written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("themes.yaml", "metrics.yaml", "site.yaml", "pages/about.md"):
        if (SEED / name).exists():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SEED / name, out / name)
    seeds = sorted((_load(p) for p in (SEED / "plans").glob("*/*.yaml")), key=lambda p: p["district"])
    seed_districts = {d["slug"]: d for d in _load(SEED / "districts.yaml")}
    n_districts = max(1, -(-plans // years))
    districts, clones = [], {}
    for k in range(n_districts):
        s = seeds[k % len(seeds)]
        base = seed_districts[s["district"]]
        n = k // len(seeds) + 1
        slug = f"{base['slug']}-{n:02d}"
        districts.append({"slug": slug, "name": f"{base['name'][:-1]}{n:02d}区", "city": base["city"]})
        clones.setdefault(base["slug"], []).append(slug)
    _dump(districts, out / "districts.yaml")
    kinds = _load(SEED / "agencies.yaml")
    for kind in kinds:
        local = kind.get("local") or {}
        kind["local"] = {c: copy.deepcopy(v) for d, v in local.items() for c in clones.get(d, [])}
        if not kind["local"]:
            del kind["local"]
    _dump(kinds, out / "agencies.yaml")

    written = measures = 0
    first_year = LAST_YEAR - years + 1
    for k, district in enumerate(districts):
        s = seeds[k % len(seeds)]
        source = (SEED / "sources" / s["source"]["file"]).read_text(encoding="utf-8")
        plan = copy.deepcopy(s)
        plan["district"] = district["slug"]
        plan.pop("updated", None)
        extra: list[str] = []
        for j in range(min(years, plans - written)):
            year = first_year + j
            rng = random.Random(f"{seed}/{district['slug']}/{year}")
            if j == 0:
                plan["year"] = year
            else:
                plan = evolve(plan, year, rng, extra)
            plan["title"] = f"{district['name']} {year} 年食品安全监督管理计划"
            name = f"{district['slug']}-{year}.txt"
            plan["source"] = {**plan["source"], "file": name}
            (out / "sources").mkdir(exist_ok=True)
            (out / "sources" / name).write_text("\n".join([plan["title"], source, *extra]) + "\n", encoding="utf-8")
            _dump(plan, out / "plans" / district["slug"] / f"{year}.yaml")
            written += 1
            measures += len(_measures(plan))
    # A few editor comparisons across districts, as content/comparisons.yaml has.
    full = districts[: plans // years]  # those with every year
    comparisons = [{"slug": f"compare-{a['slug']}-{b['slug']}", "title": f"{a['name']}与{b['name']}",
                    "context": "两个不同区的计划。", "old": f"{a['slug']}/{LAST_YEAR}", "new": f"{b['slug']}/{LAST_YEAR}"}
                   for a, b in zip(full[:5], full[1:6])]
    if comparisons:
        _dump(comparisons, out / "comparisons.yaml")
    return {"plans": written, "districts": len(districts), "measures": measures}

