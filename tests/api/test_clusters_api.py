"""GET/POST /api/v1/clusters: listing with the incident filters, one cluster, merge and split."""

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
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clusters") / "store.db"
    engine = create_database_engine(path)
    ingest_articles(engine, [seed(), verbatim_copy(), own_report()])
    engine.dispose()
    return path


@pytest.fixture()
def client(store: Path, tmp_path: Path) -> Iterator[TestClient]:
    copy = tmp_path / "store.db"
    copy.write_bytes(store.read_bytes())
    with TestClient(create_app(Settings(database=copy)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_list_and_read_a_cluster(client: TestClient) -> None:
    page = client.get("/api/v1/clusters", params={"type": "labor_export"}).json()
    assert page["total"] == 1
    cluster = client.get(f"/api/v1/clusters/{page['items'][0]['id']}").json()
    assert {"id", "type", "incident_ids", "article_ids", "reports", "independent_sources", "outlets", "earliest", "merged", "conflicts"} <= set(cluster)
    assert (len(cluster["reports"]), cluster["independent_sources"]) == (3, 2)
    assert any(s["why_one_source"] for s in cluster["sources"])
    incident = client.get(f"/api/v1/incidents/{cluster['incident_ids'][0]}").json()
    assert incident["cluster_id"] == cluster["id"] and incident["cluster"]["independent_sources"] == 2


def test_min_sources_filter_and_its_errors(client: TestClient) -> None:
    assert client.get("/api/v1/clusters", params={"min_sources": 2}).json()["total"] == 1
    assert client.get("/api/v1/clusters", params={"min_sources": 3}).json()["total"] == 0
    incidents = client.get("/api/v1/incidents", params={"min_sources": 2}).json()["items"]
    assert incidents and all(i["cluster"]["independent_sources"] >= 2 for i in incidents)
    bad = client.get("/api/v1/incidents", params={"min_sources": "lots"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "min_sources"
    assert client.get("/api/v1/clusters/c-unknown").status_code == 404


def test_merge_and_split(client: TestClient) -> None:
    labour = client.get("/api/v1/clusters", params={"type": "labor_export"}).json()["items"][0]["id"]
    other = client.get("/api/v1/clusters", params={"type": "context_enforcement"}).json()["items"][0]["id"]
    assert client.post(f"/api/v1/clusters/{labour}/merge", content="other=x", headers={"content-type": "text/plain"}).status_code in (400, 415)  # every bad body is the 400 of the one error format
    merged = client.post(f"/api/v1/clusters/{labour}/merge", json={"other": other, "note": "same dispatch"}).json()
    assert merged["type"] and any(d["kind"] == "merge" for d in merged["decisions"])
    incident = merged["incident_ids"][-1]
    alone = client.post(f"/api/v1/clusters/{merged['id']}/split", json={"incident_id": incident}).json()
    assert alone["incident_ids"] == [incident]
    assert client.post(f"/api/v1/clusters/{merged['id']}/split", json={"incident_id": "i-nope"}).status_code in (400, 404)
