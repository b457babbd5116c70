"""Requests that used to break the tool: bad edits, huge numbers, ids with slashes (issue 10,
items 6, 7, 9, 10), and one error format for every bad parameter (issue 11)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.model import Article, Incident
from sanctionwatch.settings import Settings
from sanctionwatch.store.articles import upsert_article
from sanctionwatch.store.engine import create_database_engine
from sanctionwatch.store.incidents import replace_incidents

from .sample_store import HOSTILE, LOCATED, UNLOCATED


def review(client: TestClient, incident_id: str, body: object):  # type: ignore[no-untyped-def]
    # Encoded here: JSON's \\u escapes carry lone surrogates that a UTF-8 body could not.
    return client.post(
        f"/api/v1/incidents/{incident_id}/review",
        content=json.dumps(body, ensure_ascii=True),
        headers={"Content-Type": "application/json"},
    )


PAGES = (
    "/",
    f"/incidents/{LOCATED.id}",
    "/articles/a-plain",
    "/api/v1/incidents",
    f"/api/v1/incidents/{LOCATED.id}",
    "/api/v1/articles/a-plain",
    "/api/v1/export?format=jsonl",
    "/api/v1/export?format=csv",
    "/api/v1/export?format=geojson",
    "/?status=any",
)


def every_page_renders(client: TestClient) -> None:
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])


@pytest.mark.parametrize(
    ("edits", "parameter"),
    [
        ({"time": "soon"}, "time"),
        ({"time": {"start": "soon"}}, "time"),
        ({"time": {"start": "2024-06-01", "end": "2024-05-01"}}, "time"),
        ({"time": {"start": "2024-06-01", "precision": "fortnight"}}, "time"),
        ({"summary": "\udfff"}, "summary"),
        ({"summary": "a\x00b"}, "summary"),
        ({"summary": 7}, "summary"),
        ({"commodity": "x" * 20_000_000}, "commodity"),
        ({"quantity": {"min": 5}}, "quantity"),
        ({"quantity": {"min": "five", "unit": "tons"}}, "quantity"),
        ({"quantity": {"min": 9, "max": 1, "unit": "tons"}}, "quantity"),
        ({"quantity": {"min": 9, "unit": ""}}, "quantity"),
        ({"quantity": {"min": 1, "unit": "tons", "colour": "red"}}, "quantity"),
        ({"provisions": "UNSCR 2397"}, "provisions"),
        ({"certainty": "certain"}, "certainty"),
        ({"type": None}, "type"),
        ({"article_id": "a-other"}, "article_id"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_field_and_nothing_breaks(client: TestClient, edits, parameter) -> None:  # type: ignore[no-untyped-def]
    response = review(client, LOCATED.id, {"decision": "edited", "edits": edits})
    assert response.status_code == 400, response.text[:300]
    assert response.json()["parameter"] == parameter
    assert len(response.text) < 2_000  # the error never echoes a 20 MB value
    stored = client.get(f"/api/v1/incidents/{LOCATED.id}").json()
    assert stored["review_status"] == "unreviewed" and stored["summary"] == LOCATED.summary
    every_page_renders(client)


def test_a_note_with_a_lone_surrogate_is_refused(client: TestClient) -> None:
    response = review(client, LOCATED.id, {"decision": "confirmed", "note": "ok \ud800"})
    assert (response.status_code, response.json()["parameter"]) == (400, "note")
    every_page_renders(client)


@pytest.mark.parametrize(
    ("edits", "stored"),
    [
        ({"time": {"start": "2024-06-01"}}, {"start": "2024-06-01", "end": None, "precision": "day", "text": None}),
        ({"quantity": {"min": 10, "unit": "tons"}}, {"min": 10, "max": None, "unit": "tons", "item": None}),
    ],
)
def test_a_partial_edit_is_completed_and_every_page_renders(client: TestClient, edits, stored) -> None:  # type: ignore[no-untyped-def]
    assert review(client, LOCATED.id, {"decision": "edited", "edits": edits}).status_code == 200
    (field,) = edits
    assert client.get(f"/api/v1/incidents/{LOCATED.id}").json()[field] == stored
    every_page_renders(client)


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()["items"]]


def test_filters_and_exports_follow_an_edited_type(client: TestClient) -> None:
    assert review(client, LOCATED.id, {"decision": "edited", "edits": {"type": "luxury_goods"}}).status_code == 200
    assert ids(client.get("/api/v1/incidents", params={"type": "luxury_goods"})) == [LOCATED.id]
    assert LOCATED.id not in ids(client.get("/api/v1/incidents", params={"type": "labor_export"}))
    exported = [json.loads(line) for line in client.get("/api/v1/export", params={"type": "luxury_goods"}).text.splitlines()]
    assert [(record["id"], record["type"]) for record in exported] == [(LOCATED.id, "luxury_goods")]
    assert "luxury_goods" in client.get("/").text  # the type facet counts the edit


def test_filters_follow_edited_text_and_dates(client: TestClient) -> None:
    edits = {"summary": "Zinc concentrate shipped.", "time": {"start": "2019-03-01", "end": "2019-03-31", "precision": "month"}}
    assert review(client, UNLOCATED.id, {"decision": "edited", "edits": edits}).status_code == 200
    assert ids(client.get("/api/v1/incidents", params={"q": "zinc"})) == [UNLOCATED.id]
    assert ids(client.get("/api/v1/incidents", params={"until": "2019-12-31"})) == [UNLOCATED.id]
    assert UNLOCATED.id not in ids(client.get("/api/v1/incidents", params={"since": "2023-01-01"}))


def test_an_incident_reset_to_unreviewed_is_listed_as_unreviewed(client: TestClient) -> None:
    review(client, HOSTILE.id, {"decision": "confirmed"})
    review(client, HOSTILE.id, {"decision": "unreviewed"})
    assert HOSTILE.id in ids(client.get("/api/v1/incidents", params={"status": "unreviewed"}))
    assert client.get("/api/v1/incidents", params={"status": "unreviewed"}).json()["total"] == 3


@pytest.mark.parametrize(
    ("parameters", "parameter"),
    [
        ({"offset": "9223372036854775808"}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "1e3"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"sort": "price"}, "sort"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"orphaned": "maybe"}, "orphaned"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_every_bad_parameter_is_one_400_format(client: TestClient, parameters, parameter) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/incidents", params=parameters)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "parameter"} and body["parameter"] == parameter


def test_dashboard_refuses_a_huge_offset_with_400(client: TestClient) -> None:
    assert client.get("/", params={"offset": "9223372036854775808"}).status_code == 400


@pytest.mark.parametrize("sort", ["newest", "oldest", "confidence", "type", "added"])
def test_keyset_pages_walk_every_incident_once_in_every_order(client: TestClient, sort: str) -> None:
    review(client, UNLOCATED.id, {"decision": "edited", "edits": {"time": {"start": None, "end": None}}})  # one undated
    whole = ids(client.get("/api/v1/incidents", params={"sort": sort, "limit": 500}))
    seen: list[str] = []
    cursor = None
    while True:
        params = {"sort": sort, "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/incidents", params=params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == whole and sorted(seen) == sorted([LOCATED.id, HOSTILE.id, UNLOCATED.id])


def test_a_cursor_of_another_order_is_refused(client: TestClient) -> None:
    cursor = client.get("/api/v1/incidents", params={"sort": "newest", "limit": 1}).json()["next_cursor"]
    response = client.get("/api/v1/incidents", params={"sort": "confidence", "cursor": cursor})
    assert (response.status_code, response.json()["parameter"]) == (400, "cursor")


def test_openapi_declares_ranges_choices_and_no_422(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/incidents"]["get"]["parameters"]}
    assert parameters["limit"]["maximum"] == 500 and parameters["limit"]["minimum"] == 1
    assert parameters["offset"]["maximum"] == 100_000
    assert "labor_export" in json.dumps(parameters["type"])
    assert "unreviewed" in json.dumps(parameters["status"])
    assert "422" not in json.dumps(schema["paths"])
    assert "HTTPValidationError" not in json.dumps(schema)


def test_an_article_id_with_a_slash_works_everywhere(tmp_path: Path) -> None:
    path = str(tmp_path / "slash.db")
    engine = create_database_engine(path)
    text = "North Korea sent 300 workers to Russia in May 2024, a source said."
    article = Article(id="dailynk/2024/05/workers", text=text, published=date(2024, 6, 1))
    incident = Incident(article_id=article.id, type="labor_export", evidence=(text,), evidence_spans=((0, len(text)),))
    with engine.begin() as connection:
        upsert_article(connection, article)
        replace_incidents(connection, article.id, [incident], run_id=None)
    engine.dispose()
    with TestClient(create_app(Settings(database=path)), base_url="http://127.0.0.1") as client:
        api = client.get("/api/v1/articles/dailynk/2024/05/workers")
        assert api.status_code == 200 and api.json()["id"] == article.id
        assert client.get("/articles/dailynk/2024/05/workers").status_code == 200
        page = client.get(f"/incidents/{incident.id}")
        assert page.status_code == 200 and "/articles/dailynk" in page.text
