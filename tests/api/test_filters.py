"""The list filters and sort keys added for the workspace, through the JSON API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.model import Actor, Article, Incident, TimeRange
from sanctionwatch.model.incident import SanctionsLink
from sanctionwatch.settings import Settings
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.incidents import replace_incidents

from .sample_store import HOSTILE, LOCATED, UNLOCATED, build_sample_store

UNDATED_TEXT = "Hackers stole coins."
LAZARUS_LINK = SanctionsLink(list="UN", reference="KPe.034", name="Lazarus Group", matched_alias="Lazarus", score=1.0, reason="alias")
UNDATED = Incident(
    article_id="a-undated", type="cyber_theft", evidence=(UNDATED_TEXT,), evidence_spans=((0, len(UNDATED_TEXT)),),
    actors=(Actor("Lazarus", "KP", sanctions_links=(LAZARUS_LINK,)),), confidence=0.95, extractor_version="test-1",
)  # fmt: skip
OPEN_ENDED = Incident(
    article_id="a-undated", type="cyber_theft", evidence=("Open.",), evidence_spans=((100, 105),),
    time=TimeRange(start=None, end=date(2025, 6, 21)), confidence=0.1, extractor_version="test-1",
)  # fmt: skip


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    path, engine = build_sample_store(tmp_path)
    with engine.begin() as connection:
        upsert_article(connection, Article(id="a-undated", text=UNDATED_TEXT + " " * 90 + "Open.", published=date(2025, 7, 1)))
        replace_incidents(connection, "a-undated", [UNDATED, OPEN_ENDED], run_id=None)
    engine.dispose()
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def ids(client: TestClient, **parameters: str) -> list[str]:
    response = client.get("/api/v1/incidents", params=parameters)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"certainty": "reported"}, [LOCATED]),
        ({"certainty": "none"}, [OPEN_ENDED, UNDATED]),
        ({"attribution": "journalist_observation"}, [UNLOCATED]),
        ({"source": "Example News"}, [LOCATED, UNLOCATED]),
        ({"source": "Example"}, []),  # exact outlet names, not a substring search
        # A date filter leaves undated incidents out unless asked to keep them.
        ({"since": "2024-01-01"}, [OPEN_ENDED, HOSTILE, LOCATED]),
        ({"since": "2024-01-01", "undated": "include"}, [OPEN_ENDED, HOSTILE, LOCATED, UNDATED]),
        ({"undated": "only"}, [UNDATED]),
        ({"until": "2023-12-31"}, [OPEN_ENDED, UNLOCATED]),  # "by June 2025" may have begun before
        ({}, [OPEN_ENDED, HOSTILE, LOCATED, UNLOCATED, UNDATED]),  # newest first, undated last
        ({"sort": "oldest"}, [UNLOCATED, LOCATED, HOSTILE, OPEN_ENDED, UNDATED]),
        ({"sort": "confidence"}, [UNDATED, LOCATED, HOSTILE, UNLOCATED, OPEN_ENDED]),
        ({"sort": "type"}, [OPEN_ENDED, UNDATED, LOCATED, UNLOCATED, HOSTILE]),
        ({"sort": "sources"}, [OPEN_ENDED, HOSTILE, LOCATED, UNLOCATED, UNDATED]),  # no clusters: one source each
        ({"place": "dandong"}, [LOCATED]),
        ({"place": "YELLOW"}, [UNLOCATED]),
        ({"place": "Dandong Yellow"}, []),
        ({"sanctioned": "yes"}, [UNDATED]),
        ({"sanctioned": "no"}, [OPEN_ENDED, HOSTILE, LOCATED, UNLOCATED]),
    ],
)
def test_filters_and_sorts(client: TestClient, parameters: dict[str, str], expected: list[Incident]) -> None:
    assert ids(client, **parameters) == [incident.id for incident in expected]


def test_certainty_and_attribution_filters_follow_the_analysts_edit(client: TestClient) -> None:
    assert ids(client, certainty="asserted") == [UNLOCATED.id]
    client.post(f"/api/v1/incidents/{LOCATED.id}/review", json={"decision": "edited", "edits": {"certainty": "asserted"}})
    assert ids(client, certainty="asserted") == [LOCATED.id, UNLOCATED.id]
    assert ids(client, certainty="reported") == []


@pytest.mark.parametrize(
    ("parameters", "parameter"),
    [
        ({"certainty": "likely"}, "certainty"),
        ({"attribution": "rumour"}, "attribution"),
        ({"undated": "yes"}, "undated"),
        ({"sort": "random"}, "sort"),
        ({"source": "x" * 201}, "source"),
        ({"sanctioned": "maybe"}, "sanctioned"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_new_parameters_are_400_naming_the_parameter(client: TestClient, parameters: dict[str, str], parameter: str) -> None:
    response = client.get("/api/v1/incidents", params=parameters)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_exports_honour_the_new_filters(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "jsonl", "undated": "only"})
    assert [line for line in response.text.splitlines() if line] and all(UNDATED.id in line for line in response.text.splitlines() if line)


def test_the_summary_twin_counts_what_the_list_page_shows(client: TestClient) -> None:
    body = client.get("/summary.json", params={"timeline": "year"}).json()
    assert body["incident_count"] == 5
    assert body["timeline"]["total"] == 5 and body["timeline"]["undated"] == 1
    assert {item["value"]: item["count"] for item in body["facets"]["certainty"]} == {"not stated": 2, "asserted": 1, "reported": 1, "speculative": 1}
    assert body["map"]["with_point"] == 2 and body["map"]["without_place"] == 2
    assert client.get("/summary.json", params={"timeline": "week"}).status_code == 400


def test_the_list_page_redirects_away_empty_form_fields(client: TestClient) -> None:
    response = client.get("/?q=&type=cyber_theft&country=&sort=", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/?type=cyber_theft"


def test_rejected_stay_hidden_unless_asked(client: TestClient) -> None:
    response = client.post(f"/api/v1/incidents/{HOSTILE.id}/review", json={"decision": "rejected"})
    assert response.status_code == 200
    assert HOSTILE.id not in ids(client)
    assert ids(client, status="rejected") == [HOSTILE.id]




def test_the_sanctions_filter_follows_an_edit_of_the_actors(client: TestClient) -> None:
    edit = {"decision": "edited", "note": "not Lazarus", "edits": {"actors": [{"name": "unknown hackers", "country": "KP"}]}}
    assert client.post(f"/api/v1/incidents/{UNDATED.id}/review", json=edit).status_code == 200
    assert ids(client, sanctioned="yes") == []
    assert UNDATED.id in ids(client, sanctioned="no")
