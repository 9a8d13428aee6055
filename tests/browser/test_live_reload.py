"""`sitegen serve` in a real browser: a save made right after a page has loaded, before its
reload script has asked the server anything, still reloads the page.

The script's first request is held back by the browser until the save has been rebuilt, so
the test does not depend on how fast anything is: only on what the page knows and asks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from serving import fetch, free_port

ROOT = Path(__file__).resolve().parents[2]


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(url, timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("sitegen serve never came up")


def test_a_save_before_the_first_question_still_reloads_the_page(open_page, tmp_path):
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(base + "/__sitegen/version")
        page = open_page()
        held = []
        page.route("**/__sitegen/wait*", lambda route: held.append(route))
        with page.expect_request("**/__sitegen/wait*"):
            page.goto(base + "/districts/wuqing/")
        assert "武清区" in page.content() and "武清区乙" not in page.content()
        version = page.eval_on_selector("script[data-version]", "s => s.dataset.version")

        # The editor saves; the server rebuilds; only then may the page's script ask.
        districts = tmp_path / "content" / "districts.yaml"
        districts.write_text(districts.read_text(encoding="utf-8").replace("武清区", "武清区乙"), encoding="utf-8")
        assert fetch(f"{base}/__sitegen/wait?since={version}", timeout=60) != version
        for route in held:
            route.continue_()
        page.unroute("**/__sitegen/wait*")

        page.wait_for_function("document.body.textContent.includes('武清区乙')", timeout=60_000)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
