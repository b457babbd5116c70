"""The cluster on the incident page, the source count in the list, the min_sources filter."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.service.ingestion import ingest_articles
from sanctionwatch.settings import Settings
from sanctionwatch.store import create_database_engine

sys.path.insert(0, str(Path(__file__).parents[1] / "service"))
from cluster_articles import own_report, seed, verbatim_copy


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("pages") / "store.db"
    ingest_articles(create_database_engine(path), [seed(), verbatim_copy(), own_report()])
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _labour_incident(client: TestClient) -> dict:  # type: ignore[type-arg]
    items = client.get("/api/v1/incidents", params={"type": "labor_export"}).json()["items"]
    return next(i for i in items if i["article"]["id"] == seed().id)


def test_incident_page_shows_its_cluster(client: TestClient) -> None:
    page = client.get(f"/incidents/{_labour_incident(client)['id']}").text
    assert "Reported by 3 outlets, 2 independent" in page
    assert "One source:" in page and "near-duplicate" in page
    assert "Where the reports differ" in page  # 1,000–2,000 workers against about 1,500


def test_list_shows_source_counts_and_filters_by_them(client: TestClient) -> None:
    page = client.get("/", params={"type": "labor_export"}).text
    assert "3 reports, 2 independent" in page
    assert 'name="min_sources"' in page
    filtered = client.get("/", params={"min_sources": "2"}).text
    assert "3 reports, 2 independent" in filtered
    assert "No incidents match these filters." in client.get("/", params={"min_sources": "3"}).text


def test_sanctions_links_are_shown_on_the_incident_page(tmp_path: Path) -> None:
    from datetime import date

    from sanctionwatch.model import Article

    path = tmp_path / "komid.db"
    article = Article(
        id="a-komid", published=date(2018, 7, 7),
        text=("North Korea has been selling weapons to Sudan in violation of UN sanctions. The Korea Mining Development "
              "Trading Corporation, known as KOMID, sold rocket launchers to the government of Sudan, a UN panel said."),
    )  # fmt: skip
    ingest_articles(create_database_engine(path), [article])
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as test_client:
        items = test_client.get("/api/v1/incidents").json()["items"]
        linked = next(i for i in items if any(a["sanctions_links"] for a in i["actors"]))
        page = test_client.get(f"/incidents/{linked['id']}").text
    assert "UN list KPe.001" in page


@pytest.mark.browser
def test_the_cluster_section_in_chromium(tmp_path: Path) -> None:
    from .browser_support import chromium, require_browser, screenshot, serve, watched_page

    playwright_api = require_browser()
    path = tmp_path / "store.db"
    ingest_articles(create_database_engine(path), [seed(), verbatim_copy(), own_report()])
    with serve(create_app(Settings(database=path))) as url, chromium(playwright_api) as browser, watched_page(browser) as watch:
        page = watch.page
        page.goto(url + "/?min_sources=2")
        page.click("a.source-count")
        line = page.locator("#cluster-line").inner_text()
        assert "Reported by 3 outlets, 2 independent" in line
        assert page.locator("#cluster-conflicts tbody tr").count() >= 2
        screenshot(page, "incident-cluster.png")
