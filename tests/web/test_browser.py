"""The dashboard in a real headless Chromium: map markers, no script from data, no third party.

Needs Debian's /usr/bin/chromium (driven through Playwright's CDP client); skipped without it.
Screenshots go to ``screenshots/`` at the repository root (git-ignored) for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = Path("/usr/bin/chromium")
if not CHROMIUM_PATH.exists():
    pytest.skip(f"{CHROMIUM_PATH} is not installed; the browser tests need it", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
uvicorn = pytest.importorskip("uvicorn")

from sanctionwatch.api.app import create_app  # noqa: E402
from sanctionwatch.settings import Settings  # noqa: E402

pytestmark = pytest.mark.browser

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sample: ModuleType) -> Iterator[str]:
    """The app over a fresh sample store, served by uvicorn in a thread on 127.0.0.1."""
    path, engine = sample.build_sample_store(tmp_path_factory.mktemp("browser"))
    engine.dispose()
    port = free_port()
    config = uvicorn.Config(create_app(Settings(database=path)), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGUMENTS)
        yield launched
        launched.close()


class PageWatch:
    """Console errors, page errors and every request URL a page made."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", self._record_failure)

    def _record_failure(self, response) -> None:  # type: ignore[no-untyped-def]
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


@pytest.fixture()
def watched(browser) -> Iterator[PageWatch]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MILLISECONDS)
    yield PageWatch(page)
    context.close()


def wait_for_map(page, marker_count: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(f'div.map[data-marker-count="{marker_count}"]')
    # The offline basemap is drawn as SVG paths once its GeoJSON has loaded.
    page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length > 100")


def test_list_page_map_and_no_script_execution(base_url: str, watched: PageWatch, sample: ModuleType) -> None:
    page = watched.page
    page.goto(base_url + "/")
    wait_for_map(page, sample.LOCATED_POINT_COUNT)
    assert page.locator("#total").inner_text() == "3"
    assert page.get_by_text("About 2,000 North Korean workers").count() == 1
    markers = page.locator(".leaflet-marker-pane .leaflet-marker-icon")
    assert markers.count() == sample.LOCATED_POINT_COUNT  # none for the incident without a point
    assert watched.xss_flag() is None
    # Open every popup: each is built from textContent, so the payloads show as text.
    popup_texts = []
    for index in range(markers.count()):
        markers.nth(index).click(force=True)
        popup = page.locator(".leaflet-popup-content").last
        popup.wait_for()
        popup_texts.append(popup.inner_text())
    assert any(sample.XSS_IMG in text for text in popup_texts)
    assert page.locator(".leaflet-popup-content img").count() == 0
    assert watched.xss_flag() is None
    stray_images = "main img:not(.leaflet-marker-icon):not(.leaflet-marker-shadow)"
    assert page.locator(stray_images).count() == 0
    SCREENSHOT_DIRECTORY.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "incident-list.png"), full_page=True)
    assert watched.errors == []
    assert watched.third_party_requests() == []


@pytest.mark.parametrize("path_kind", ["incident", "article"])
def test_hostile_pages_run_no_payload(base_url: str, watched: PageWatch, sample: ModuleType, path_kind: str) -> None:
    page = watched.page
    path = f"/incidents/{sample.HOSTILE.id}" if path_kind == "incident" else f"/articles/{sample.HOSTILE_ARTICLE.id}"
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    if path_kind == "incident":
        wait_for_map(page, 1)
        page.locator(".leaflet-marker-icon").first.click(force=True)
        page.locator(".leaflet-popup-content").wait_for()
    marks = page.locator("#article-text mark")
    assert marks.count() == 1
    assert sample.XSS_IMG in marks.first.inner_text()
    assert page.locator("#article-text img, #article-text svg, #article-text iframe, #article-text script").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert watched.xss_flag() is None
    if path_kind == "incident":
        page.screenshot(path=str(SCREENSHOT_DIRECTORY / "incident-hostile.png"), full_page=True)
    assert watched.errors == []
    assert watched.third_party_requests() == []


def test_confirm_through_the_review_form(base_url: str, watched: PageWatch, sample: ModuleType) -> None:
    page = watched.page
    page.goto(f"{base_url}/incidents/{sample.LOCATED.id}")
    wait_for_map(page, 1)
    assert "Reported:" in page.locator("#claim-status").inner_text()
    assert page.locator("#article-text mark").inner_text() == sample.LOCATED_EVIDENCE
    page.fill("input[name=note]", "Matches a second source")
    with page.expect_navigation():
        page.click("#review-confirm")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1 .badge").inner_text() == "confirmed"
    assert page.locator(".review-note").inner_text() == "Matches a second source"
    page.screenshot(path=str(SCREENSHOT_DIRECTORY / "incident-confirmed.png"), full_page=True)
    assert watched.errors == []
    assert watched.third_party_requests() == []
