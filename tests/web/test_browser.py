"""The dashboard in a real headless Chromium: no script from data, no third party, review form.

Screenshots go to ``screenshots/`` at the repository root (git-ignored) for a human to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from sanctionwatch.api.app import create_app
from sanctionwatch.settings import Settings

from .browser_support import chromium, open_every_point_popup, require_browser, screenshot, serve, wait_for_map, watched_page

playwright_api = require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sample: ModuleType) -> Iterator[str]:
    path, engine = sample.build_sample_store(tmp_path_factory.mktemp("browser"))
    engine.dispose()
    with serve(create_app(Settings(database=path))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(playwright_api) as launched:
        yield launched


def test_list_page_popups_keep_payloads_as_text(base_url: str, browser: Any, sample: ModuleType) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(base_url + "/")
        wait_for_map(page)
        assert page.locator("#total").inner_text() == "3"
        assert page.locator("div.map").get_attribute("data-point-count") == str(sample.LOCATED_POINT_COUNT)
        # The two located incidents are 2 km apart: one cluster at first, two markers once zoomed in.
        assert page.locator(".leaflet-marker-pane .cluster-icon").count() == 1
        popup_texts = open_every_point_popup(page)
        shown = "\n".join(popup_texts)
        assert "Dandong" in shown and "Place " + sample.XSS_IMG in shown  # both located incidents
        assert any("Place " + sample.XSS_IMG in text for text in popup_texts), popup_texts
        assert page.locator(".leaflet-popup-content img").count() == 0
        stray_images = "main img:not(.leaflet-marker-icon):not(.leaflet-marker-shadow)"
        assert page.locator(stray_images).count() == 0
        screenshot(page, "incident-list.png")
        watched.assert_clean()


@pytest.mark.parametrize("path_kind", ["incident", "article"])
def test_hostile_pages_run_no_payload(base_url: str, browser: Any, sample: ModuleType, path_kind: str) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        path = f"/incidents/{sample.HOSTILE.id}" if path_kind == "incident" else f"/articles/{sample.HOSTILE_ARTICLE.id}"
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        if path_kind == "incident":
            wait_for_map(page)
            page.locator(".leaflet-marker-icon").first.click(force=True)
            page.locator(".leaflet-popup-content").wait_for()
            assert "Place <img" in page.locator(".leaflet-popup-content").inner_text()
        marks = page.locator("#article-text mark")
        assert marks.count() == 1
        assert sample.XSS_IMG in marks.first.inner_text()
        assert page.locator("#article-text img, #article-text svg, #article-text iframe, #article-text script").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        if path_kind == "incident":
            screenshot(page, "incident-hostile.png")
        watched.assert_clean()


def test_a_review_decision_survives_a_reload(base_url: str, browser: Any, sample: ModuleType) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base_url}/incidents/{sample.LOCATED.id}")
        wait_for_map(page)
        assert "Reported:" in page.locator("#claim-status").inner_text()
        assert page.locator("#article-text mark").inner_text() == sample.LOCATED_EVIDENCE
        page.fill("input[name=note]", "Matches a second source")
        with page.expect_navigation():
            page.click("#review-confirm")
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1 .badge").inner_text() == "confirmed"
        assert page.locator(".review-note").inner_text() == "Matches a second source"
        screenshot(page, "incident-confirmed.png")
        watched.assert_clean()
