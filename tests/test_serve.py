"""`sitegen serve`: serves the built site and shows content errors in the page."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_serve_rebuilds_and_shows_validation_errors_in_the_browser(project):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "武清区" in fetch(base + "/plans/wuqing/2022/")), "site never came up"
        plan = project / "content" / "plans" / "wuqing" / "2022.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("status: 正式", "status: 不存在"),
                        encoding="utf-8")
        assert wait_for(lambda: "内容有误" in fetch(base + "/plans/wuqing/2022/"))
        page = fetch(base + "/")
        assert "content/plans/wuqing/2022.yaml" in page and "status" in page
        plan.write_text(plan.read_text(encoding="utf-8").replace("status: 不存在", "status: 正式"),
                        encoding="utf-8")
        assert wait_for(lambda: "内容有误" not in fetch(base + "/plans/wuqing/2022/"))
        assert proc.poll() is None, "the server died on bad content"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
