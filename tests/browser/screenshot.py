"""Phone and desktop screenshots of pages, for people to look at (not a test).

    python -m tests.browser.screenshot [--out DIR] [--content DIR] [PAGE ...]

PAGE is a site path (/plans/hedong/2024/) or a full http(s) URL; with none, one page
of each kind is taken. Site paths are served from a fresh build of --content
(content/ by default). Writes DIR/<page>-phone.png (360 px) and -desktop.png (1280 px).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from .site import SEED, BrowserMissing, build_site, launch, representatives, serve

WIDTHS = {"phone": (360, 740), "desktop": (1280, 800)}


def name_of(page: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", page.split("://", 1)[-1]).strip("-") or "home"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.screenshot", description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", metavar="PAGE")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--content", type=Path, default=SEED)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        pages = args.pages
        base = ""
        if not pages or any(not p.startswith(("http://", "https://")) for p in pages):
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="screenshots-")))
            site = build_site(args.content, tmp / "public")
            base = stack.enter_context(serve(site))
            pages = pages or list(representatives(site).values())
        args.out.mkdir(parents=True, exist_ok=True)
        p = stack.enter_context(sync_playwright())
        try:
            browser = launch(p)
        except BrowserMissing as e:
            print(e, file=sys.stderr)
            return 1
        for label, (width, height) in WIDTHS.items():
            ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      device_scale_factor=1, is_mobile=width < 600)
            tab = ctx.new_page()
            for page in pages:
                url = page if page.startswith(("http://", "https://")) else base + "/" + page.lstrip("/")
                tab.goto(url, wait_until="load")
                file = args.out / f"{name_of(page)}-{label}.png"
                tab.screenshot(path=str(file), full_page=True)
                print(file)
            ctx.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
