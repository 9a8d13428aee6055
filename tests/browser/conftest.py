"""Session fixtures of the site-quality checks: one build, one server, one browser.

Reusable by any browser test (the search tests build on them):
  built_site  the seed site (content/) built once into a temp folder
  site_url    that folder served over HTTP on 127.0.0.1 (a pagefind/ inside it too)
  browser     one headless Debian Chromium for the whole session
  open_page   a fresh page at a viewport width, closed after the test
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .site import SEED, BrowserMissing, build_site, launch, serve

# Headless Chromium on a 2-core VM loses about one page load in 40: the renderer crashes
# ("Page crashed", TargetClosedError) or the navigation is aborted (net::ERR_ABORTED, "frame was
# detached"). A browser test that fails that way runs again, up to
# twice; a failure of ours (an assertion, a timeout on our page) does not. The search tests
# have their own wider rule (test_search.py).
CHROMIUM_LOST = ["TargetClosedError", "Page crashed", "Target crashed", "net::ERR_ABORTED", "frame was detached"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents and item.get_closest_marker("flaky") is None:
            item.add_marker(pytest.mark.flaky(reruns=2, only_rerun=CHROMIUM_LOST))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    return build_site(SEED, tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


class _Browser:
    """The session's Chromium, launched again when it has died. The whole browser process was
    seen to go down once in a CI run; without this every later test failed with it, instead of
    the one test that was running (which runs again, see CHROMIUM_LOST)."""

    def __init__(self, playwright):
        self._playwright = playwright
        self._browser = launch(playwright)

    def _live(self):
        if not self._browser.is_connected():
            self._browser = launch(self._playwright)
        return self._browser

    def new_context(self, **kwargs):
        return self._live().new_context(**kwargs)

    def new_page(self, **kwargs):
        return self._live().new_page(**kwargs)

    def __getattr__(self, name):
        return getattr(self._live(), name)

    def close(self) -> None:
        if self._browser.is_connected():
            self._browser.close()


@pytest.fixture(scope="session")
def browser():
    # Imported here so the plain-Python checks run even where Playwright is broken.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = _Browser(p)
        except BrowserMissing as e:
            pytest.fail(str(e), pytrace=False)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """open_page(width=1280, height=800) -> a Page in its own context."""
    contexts = []

    def _open(width: int = 1280, height: int = 800):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=width < 600, has_touch=width < 600)
        contexts.append(ctx)
        return ctx.new_page()

    yield _open
    for ctx in contexts:
        ctx.close()
