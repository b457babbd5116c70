"""Team mode in a real headless Chromium: signing in, and a viewer who cannot review."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from sanctionwatch.api.app import create_app
from sanctionwatch.service import users
from sanctionwatch.settings import Settings

from .browser_support import chromium, require_browser, screenshot, serve, watched_page

playwright_api = require_browser()
pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sample: ModuleType) -> Iterator[str]:
    path, engine = sample.build_sample_store(tmp_path_factory.mktemp("team"))
    users.add_user(engine, "vic", PASSWORD, "viewer")
    users.add_user(engine, "ann", PASSWORD, "analyst")
    engine.dispose()
    with serve(create_app(Settings(database=path, team=True))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium(playwright_api) as launched:
        yield launched


def sign_in(page: Any, base_url: str, path: str, username: str) -> None:
    page.goto(base_url + path)
    assert "/login?next=" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")


def test_a_viewer_cannot_review(base_url: str, browser: Any, sample: ModuleType) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        sign_in(page, base_url, f"/incidents/{sample.LOCATED.id}", "vic")
        assert page.url.endswith(f"/incidents/{sample.LOCATED.id}")  # back where they were going
        assert page.locator("#account-link").inner_text() == "vic"
        assert page.locator("#review-denied").is_visible()
        assert page.locator("#review-confirm").count() == 0
        # Even a hand-made request with the page's own CSRF token is refused.
        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        response = page.request.post(
            f"{base_url}/incidents/{sample.LOCATED.id}/review", form={"decision": "rejected", "csrf_token": token or ""}
        )
        assert response.status == 403
        status = page.request.get(f"{base_url}/api/v1/incidents/{sample.LOCATED.id}").json()["review_status"]
        assert status == "unreviewed"
        screenshot(page, "team-viewer.png")
        watched.errors.clear()  # the deliberate 403 above
        watched.assert_clean()


def test_an_analyst_reviews_under_their_name_and_signs_out(base_url: str, browser: Any, sample: ModuleType) -> None:
    with watched_page(browser) as watched:
        page = watched.page
        sign_in(page, base_url, f"/incidents/{sample.UNLOCATED.id}", "ann")
        page.fill("input[name=note]", "Seen in two reports")
        with page.expect_navigation():
            page.click("#review-confirm")
        page.reload()
        assert page.locator("h1 .badge").inner_text() == "confirmed"
        # The decision is in the audit trail under the analyst's name.
        row = page.locator("#audit-trail tr.audit-row").first
        assert "ann" in row.inner_text() and "Seen in two reports" in row.inner_text()
        with page.expect_navigation():
            page.click("#sign-out")
        assert "/login" in page.url
        page.goto(base_url + "/")
        assert "/login" in page.url
        watched.assert_clean()
