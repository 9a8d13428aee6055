"""What each template speed-up (sitegen/speedups.py) is worth: every page rendered on one core,
with all of them, none, and all but each, in CPU seconds.

    python benchmarks/speedups.py CONTENT_DIR [--rounds 2]

The site is loaded once. The pages are rendered a district at a time, each district by every
environment in turn (the order rotating), so a machine busy with other work slows all of them
alike; each district's views are made by an untimed pass first, as the build makes them once
for all its pages. Every environment must render every page to the same bytes.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import time
from pathlib import Path

from sitegen import speedups
from sitegen.build.pipeline import ordered, prepare
from sitegen.common.project import Project
from sitegen.outputs.assets import assets
from sitegen.site import urls
from sitegen.site.derive import DiffCache
from sitegen.site.render import environment, render_page

ROOT = Path(__file__).resolve().parent.parent


def districts(pages: list) -> list[list]:
    """The pages in the build's order, cut into runs of one district (or of 20 whole-site pages)."""
    runs: list[list] = [[]]
    for page in pages:
        run = runs[-1]
        if run and (page.group != run[-1].group or (not page.group and len(run) >= 20)):
            runs.append(run := [])
        run.append(page)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    project = Project.at(ROOT, args.content)
    prepared = prepare(project, False, None, DiffCache(), parallel=False)
    static = assets(project.static, prepared.site)
    info = prepared.site.info
    pages = ordered([p for p in prepared.pages if not p.late], []) + [p for p in prepared.pages if p.late]
    every = speedups.RENDERING
    configs = {"all": True, "none": False} | {
        f"all but {s.name}": tuple(o for o in every if o is not s) for s in every}
    envs = {}
    for name, fast in configs.items():
        env = envs[name] = environment(project.templates, fast)
        env.globals["urls"] = urls.for_templates(static.names)
        print(f"{name}: {', '.join(speedups.in_use(env)) or 'stock Jinja'}")
    untimed = environment(project.templates, False)  # its own: an environment's cached fragments are its own
    untimed.globals["urls"] = urls.for_templates(static.names)
    for page in pages:  # every diff made once, before any timed pass
        render_page(untimed, info, page)
    gc.set_threshold(50_000, 20, 100)  # as the build's workers
    names = list(envs)
    seconds = dict.fromkeys(names, 0.0)
    digests = {name: hashlib.blake2b() for name in names}
    for rnd in range(args.rounds):
        for i, run in enumerate(districts(pages)):
            for page in run:
                render_page(untimed, info, page)
            turn = (i + rnd) % len(names)
            for name in names[turn:] + names[:turn]:
                start = time.process_time()
                html = [render_page(envs[name], info, page) for page in run]
                seconds[name] += time.process_time() - start
                if rnd == 0:
                    digests[name].update("".join(html).encode())
    print(f"\n{len(pages)} pages, {args.rounds} rounds; CPU seconds a round:")
    for name in names:
        print(f"  {name:32} {seconds[name] / args.rounds:7.2f}  ({(seconds[name] - seconds['all']) / args.rounds:+.2f})")
    if len({d.hexdigest() for d in digests.values()}) != 1:
        raise SystemExit("the environments rendered different pages")


if __name__ == "__main__":
    main()
