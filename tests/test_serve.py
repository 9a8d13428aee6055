"""`sitegen serve`: serves the built site (drafts too), shows content errors in the page,
reloads on every save, and says so when its port is taken."""

from __future__ import annotations

import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from serving import fetch, free_port

ROOT = Path(__file__).resolve().parent.parent


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
        # the error page is styled: its stylesheet is served, not the error page again
        sheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', page).group(1)
        assert "内容有误" not in fetch(base + sheet) and "{" in fetch(base + sheet)
        plan.write_text(plan.read_text(encoding="utf-8").replace("status: 不存在", "status: 正式"),
                        encoding="utf-8")
        assert wait_for(lambda: "内容有误" not in fetch(base + "/plans/wuqing/2022/"))
        assert proc.poll() is None, "the server died on bad content"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def start(project: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def page_version(html: str) -> str:
    m = re.search(r'<script src="/__sitegen/reload.js" data-version="(\d+)" defer></script>', html)
    assert m, "the served page does not carry its build version"
    return m[1]


def test_error_page_quotes_the_line_in_chinese(project):
    plan = project / "content" / "plans" / "wuqing" / "2022.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: 正式", "status: 不存在"), encoding="utf-8")
    port = free_port()
    proc = start(project, port)
    try:
        assert wait_for(lambda: "内容有误" in fetch(f"http://127.0.0.1:{port}/"))
        page = fetch(f"http://127.0.0.1:{port}/")
        # As the terminal shows it: place, message, the line itself with the column marked, hint.
        assert "content/plans/wuqing/2022.yaml:5:9" in page
        assert "&#39;不存在&#39; 不是有效的 status" in page
        assert re.search(r"<pre class=\"quote\">   5 \| status: <mark>不存在</mark></pre>", page), page
        assert "提示：请用其中之一" in page
        assert "error" not in page.split("<main", 1)[1].lower().replace('class="errors"', "")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_save_right_after_a_page_load_is_not_lost(project):
    """The page says which build it shows; the server answers a page that is behind at once.
    So a save made before the page's script has asked anything still reloads the page."""
    districts = project / "content" / "districts.yaml"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(project, port)
    try:
        assert wait_for(lambda: "武清区" in fetch(base + "/districts/wuqing/"))
        loaded = page_version(fetch(base + "/districts/wuqing/"))
        # Two quick saves, the second before any rebuild could have finished: the last one wins.
        districts.write_text(districts.read_text(encoding="utf-8").replace("武清区", "武清区甲"), encoding="utf-8")
        districts.write_text(districts.read_text(encoding="utf-8").replace("武清区甲", "武清区乙"), encoding="utf-8")
        # What reload.js asks: "anything newer than the build my page shows?"
        newer = fetch(f"{base}/__sitegen/wait?since={loaded}", timeout=60)
        assert newer != loaded
        for _ in range(5):  # the second save may come as its own rebuild: follow versions, never a clock
            page = fetch(base + "/districts/wuqing/")
            if "武清区乙" in page:
                break
            fetch(f"{base}/__sitegen/wait?since={page_version(page)}", timeout=60)
        assert "武清区乙" in page, "the last save never showed"
        assert int(page_version(page)) > int(loaded)
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_drafts_and_its_reload_script_starts_from_the_pages_version(project):
    from click.testing import CliRunner
    from conftest import next_year

    from sitegen.cli import main

    year = next_year(project / "content", "hedong")
    result = CliRunner().invoke(main, ["new", "--content", str(project / "content"), "--district", "hedong",
                                       "--year", str(year)])
    assert result.exit_code == 0, result.output
    port = free_port()
    proc = start(project, port)
    try:
        assert wait_for(lambda: "草稿" in fetch(f"http://127.0.0.1:{port}/plans/hedong/{year}/"))
        script = fetch(f"http://127.0.0.1:{port}/__sitegen/reload.js")
        assert 'getAttribute("data-version")' in script and "/__sitegen/wait?since=" in script
        assert "setInterval" not in script  # no polling that starts from an unknown version
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sources/002_48b630690f3c38a2.txt", timeout=5) as r:
            assert r.headers["Content-Type"] == "text/plain; charset=utf-8"  # Chinese text, never guessed
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_busy_port_is_reported_with_a_way_out(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=project,
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert f"端口 {port} 已被占用" in proc.stderr
    assert f"--port {port + 1}" in proc.stderr and f"make serve PORT={port + 1}" in proc.stderr


def test_serve_outside_a_project_says_which_folder_it_needs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--port", str(free_port())], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "找不到模板文件夹 templates/" in proc.stderr and "找不到内容文件夹 content/" in proc.stderr


def test_a_tab_closed_while_it_is_answered_prints_no_traceback(project):
    """Browser tabs closed while their reload poll waits (the connection reset, as a closed tab
    or a dropped network leaves it): answering them later is no error for the editor to read."""
    districts = project / "content" / "districts.yaml"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(project, port)
    try:
        assert wait_for(lambda: "武清区" in fetch(base + "/districts/wuqing/"))
        version = page_version(fetch(base + "/districts/wuqing/"))
        tabs = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        for tab in tabs:
            tab.sendall(f"GET /__sitegen/wait?since={version} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        time.sleep(0.5)  # not an assertion: lets the server take up the polls before they close
        for tab in tabs:
            tab.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not a clean close
            tab.close()
        districts.write_text(districts.read_text(encoding="utf-8").replace("武清区", "武清区甲"), encoding="utf-8")
        assert wait_for(lambda: "武清区甲" in fetch(base + "/districts/wuqing/"))  # the polls were answered
        assert proc.poll() is None
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0].decode("utf-8", "replace")
    assert "Traceback" not in output and "Error" not in output, output
