"""Shared parts of the browser tests: Chromium, a uvicorn server in a thread, a page watcher.

Needs Debian's /usr/bin/chromium (driven through Playwright's CDP client); the importing test
module is skipped without it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
SCREENSHOT_DIRECTORY = Path(__file__).resolve().parents[2] / "screenshots"
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MILLISECONDS = 10_000


def require_browser() -> Any:
    """The Playwright sync API, or a skip of the calling module when Chromium or Playwright is missing."""
    if not CHROMIUM_PATH.exists():
        pytest.skip(f"{CHROMIUM_PATH} is not installed; the browser tests need it", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on 127.0.0.1; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@contextmanager
def chromium(playwright_api: Any) -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGUMENTS)
        try:
            yield launched
        finally:
            launched.close()


class PageWatch:
    """Console errors, page errors and every request URL a page made."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", self._record_failure)

    def _record_failure(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")

    def third_party_requests(self) -> list[str]:
        local_schemes = ("data", "blob")
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in local_schemes and urlsplit(url).hostname != "127.0.0.1"
        ]

    def xss_flag(self) -> object:
        return self.page.evaluate("() => window.__xss")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.third_party_requests() == []
        assert self.xss_flag() is None


@contextmanager
def watched_page(browser: Any, width: int = 1280, height: int = 1000) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MILLISECONDS)
    try:
        yield PageWatch(page)
    finally:
        context.close()


def wait_for_map(page: Any) -> None:
    """Until map.js has drawn every layer (basemap, seas, points) of the page's first map."""
    page.wait_for_selector("div.map[data-ready]")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length > 100")


def screenshot(page: Any, name: str) -> None:
    SCREENSHOT_DIRECTORY.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / name), full_page=True)


def open_every_point_popup(page: Any) -> list[str]:
    """Zoom into clusters until each point is its own marker (or, at the closest zoom, a cluster
    lists the incidents it holds), then open every popup; their texts."""
    texts = []
    for _ in range(10):
        clusters = page.locator(".leaflet-marker-pane .cluster-icon")
        if clusters.count() == 0:
            break
        clusters.first.click(force=True)
        page.wait_for_timeout(400)  # the zoom animation, after which markers are redrawn
        popup = page.locator(".leaflet-popup-content")
        if popup.count() and "incidents here" in popup.last.inner_text():
            texts.append(popup.last.inner_text())  # points too close to part: listed together
            page.keyboard.press("Escape")
            break
    markers = page.locator(".leaflet-marker-pane .point-icon")
    for index in range(markers.count()):
        markers.nth(index).click(force=True)
        popup = page.locator(".leaflet-popup-content").last
        popup.wait_for()
        texts.append(popup.inner_text())
    return texts
