"""The JSON API against a real SQLite file: filters, paging, errors, review and exports."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.settings import Settings

from .sample_store import ALL_INCIDENTS, HOSTILE, LOCATED, UNLOCATED, XSS_IMG


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in response.json()["items"]]


def test_list_returns_every_incident_with_total(client: TestClient) -> None:
    response = client.get("/api/v1/incidents")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3
    assert ids(response) == [incident.id for incident in ALL_INCIDENTS]
    assert body["items"][1]["article"]["source"] == "Example News"


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"type": "labor_export"}, [LOCATED]),
        ({"country": "cn"}, [LOCATED, UNLOCATED]),
        ({"since": "2024-01-01"}, [HOSTILE, LOCATED]),
        ({"until": "2023-12-31"}, [UNLOCATED]),
        ({"since": "2024-05-02", "until": "2024-05-04"}, [HOSTILE, LOCATED]),
        ({"q": "dandong"}, [LOCATED]),
        ({"q": "' OR 1=1 --"}, []),
        ({"q": "%"}, []),
        ({"status": "confirmed"}, []),
    ],
)
def test_filters(client: TestClient, parameters: dict[str, str], expected: list) -> None:  # type: ignore[type-arg]
    response = client.get("/api/v1/incidents", params=parameters)
    assert response.status_code == 200
    assert ids(response) == [incident.id for incident in expected]
    assert response.json()["total"] == len(expected)


def test_pagination_keeps_total(client: TestClient) -> None:
    response = client.get("/api/v1/incidents", params={"limit": 1, "offset": 1})
    assert ids(response) == [LOCATED.id]
    assert response.json()["total"] == 3


@pytest.mark.parametrize(
    ("parameters", "parameter"),
    [
        ({"limit": 100000}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"since": "notadate"}, "since"),
        ({"until": "2024-13-45"}, "until"),
        ({"since": "2025-01-01", "until": "2024-01-01"}, "since"),
        ({"type": "bogus"}, "type"),
        ({"country": "XXX"}, "country"),
        ({"status": "deleted"}, "status"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: TestClient, parameters: dict[str, object], parameter: str
) -> None:
    response = client.get("/api/v1/incidents", params=parameters)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


@pytest.mark.parametrize("parameter", ["limit", "offset"])
def test_a_non_integer_number_is_the_same_400_as_every_bad_parameter(client: TestClient, parameter: str) -> None:
    response = client.get("/api/v1/incidents", params={parameter: "abc"})
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter and "detail" not in response.json()


def test_get_incident_and_404(client: TestClient) -> None:
    found = client.get(f"/api/v1/incidents/{LOCATED.id}")
    assert found.status_code == 200
    assert found.json()["locations"][0]["lat"] == 40.12
    missing = client.get("/api/v1/incidents/i-doesnotexist")
    assert missing.status_code == 404
    assert "i-doesnotexist" in missing.json()["error"]


def test_get_article_lists_its_incidents(client: TestClient) -> None:
    response = client.get("/api/v1/articles/a-plain")
    assert response.status_code == 200
    body = response.json()
    assert body["published"] == "2024-05-20"
    assert {item["id"] for item in body["incidents"]} == {LOCATED.id, UNLOCATED.id}
    assert client.get("/api/v1/articles/a-missing").status_code == 404


def test_health(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    body = response.json()
    assert (body["status"], body["articles"], body["interrupted_runs"]) == ("ok", 2, 0)
    assert body["version"] and body["extractor_version"]


def test_health_says_when_start_up_work_is_done(client: TestClient) -> None:
    # The background integrity check and dashboard counts finish within seconds on three incidents.
    deadline = time.monotonic() + 30
    while not (prepared := client.get("/api/v1/health").json()["prepared"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert prepared is True
    # The prepared dashboard's counts are the ones the dashboard then serves.
    assert client.get("/summary.json").json()["incident_count"] == 3


def review(client: TestClient, incident_id: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/incidents/{incident_id}/review", json=body)


def test_confirm_is_stored(client: TestClient) -> None:
    response = review(client, LOCATED.id, {"decision": "confirmed", "note": "checked against satellite imagery"})
    assert response.status_code == 200
    assert response.json()["review_status"] == "confirmed"
    confirmed = client.get("/api/v1/incidents", params={"status": "confirmed"})
    assert ids(confirmed) == [LOCATED.id]
    assert confirmed.json()["items"][0]["review_note"] == "checked against satellite imagery"


def test_rejected_incident_leaves_default_list(client: TestClient) -> None:
    assert review(client, HOSTILE.id, {"decision": "rejected"}).status_code == 200
    assert HOSTILE.id not in ids(client.get("/api/v1/incidents"))
    assert client.get("/api/v1/incidents").json()["total"] == 2
    assert ids(client.get("/api/v1/incidents", params={"status": "rejected"})) == [HOSTILE.id]
    assert HOSTILE.id in ids(client.get("/api/v1/incidents", params={"status": "any"}))


def test_edit_changes_the_served_incident(client: TestClient) -> None:
    edits = {"summary": "Corrected.", "certainty": "asserted"}
    response = review(client, LOCATED.id, {"decision": "edited", "edits": edits})
    assert response.json()["summary"] == "Corrected."
    assert client.get(f"/api/v1/incidents/{LOCATED.id}").json()["certainty"] == "asserted"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"decision": "maybe"}, 400),
        ({"decision": "edited", "edits": {"article_id": "a-other"}}, 400),
        ({"decision": "edited", "edits": {"type": "bogus"}}, 400),
        ({"decision": "confirmed", "unexpected": 1}, 400),
        ({}, 400),
    ],
)
def test_bad_review_bodies(client: TestClient, body: dict[str, object], status: int) -> None:
    assert review(client, LOCATED.id, body).status_code == status
    assert client.get(f"/api/v1/incidents/{LOCATED.id}").json()["review_status"] == "unreviewed"


def test_review_of_missing_incident_is_404(client: TestClient) -> None:
    assert review(client, "i-missing", {"decision": "confirmed"}).status_code == 404


def test_review_refuses_a_form_encoded_body(client: TestClient) -> None:
    # What a cross-site HTML form could send: it must not change anything.
    response = client.post(
        f"/api/v1/incidents/{LOCATED.id}/review",
        content=json.dumps({"decision": "rejected"}),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code in (400, 415)
    assert client.get(f"/api/v1/incidents/{LOCATED.id}").json()["review_status"] == "unreviewed"


def test_export_jsonl_parses_and_keeps_text_verbatim(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "jsonl"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    assert [record["id"] for record in records] == [incident.id for incident in ALL_INCIDENTS]
    assert XSS_IMG in records[0]["summary"]  # exports stay exact; only HTML views escape


def test_export_honours_filters(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "jsonl", "type": "maritime_transfer"})
    assert [json.loads(line)["id"] for line in response.text.splitlines()] == [UNLOCATED.id]


def test_export_csv_has_bom_on_request_and_neutralises_formulas(client: TestClient) -> None:
    plain = client.get("/api/v1/export", params={"format": "csv", "type": "maritime_transfer"})
    assert plain.content.startswith(b"id,article_id,")
    response = client.get("/api/v1/export", params={"format": "csv", "type": "maritime_transfer", "bom": "true"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows[0]["summary"].startswith("'=HYPERLINK")
    assert rows[0]["commodity"] == "'+oil"


def test_export_geojson_uses_lon_lat_and_null_geometry(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "geojson"})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    geometries = {feature["id"]: feature["geometry"] for feature in collection["features"]}
    assert geometries[LOCATED.id] == {"type": "Point", "coordinates": [124.38, 40.12]}
    assert geometries[UNLOCATED.id] is None
    precision = {f["id"]: f["properties"]["time_precision"] for f in collection["features"]}
    assert precision[LOCATED.id] == "month"


@pytest.mark.parametrize("export_format", ["jsonl", "csv", "geojson"])
def test_export_filename_is_fixed_server_side(client: TestClient, export_format: str) -> None:
    response = client.get(
        "/api/v1/export",
        params={"format": export_format, "filename": "../../etc/passwd", "name": "x\r\nSet-Cookie: a=b"},
    )
    assert response.headers["content-disposition"] == f'attachment; filename="sanctionwatch-incidents.{export_format}"'
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("export_format", ["../../etc/passwd", "xlsx", ""])
def test_export_unknown_format_is_400(client: TestClient, export_format: str) -> None:
    response = client.get("/api/v1/export", params={"format": export_format})
    assert response.status_code == 400
    assert response.json()["parameter"] == "format"


def test_export_bad_filter_is_400_before_streaming(client: TestClient) -> None:
    assert client.get("/api/v1/export", params={"format": "csv", "since": "yesterday"}).status_code == 400


def test_security_headers_on_api_and_static(client: TestClient) -> None:
    for path in ("/api/v1/incidents", "/static/map.js"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_openapi_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/incidents", "/api/v1/incidents/{incident_id}", "/api/v1/export", "/api/v1/health"):
        assert path in paths
    assert not any(path.startswith("/incidents") for path in paths)  # dashboard pages stay out


def test_unexpected_error_is_500_without_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from sanctionwatch.service import incidents as incident_service

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret path /srv/db and SELECT * FROM incidents")

    monkeypatch.setattr(incident_service, "list_incidents", explode)
    quiet = TestClient(client.app, raise_server_exceptions=False, base_url="http://127.0.0.1")
    response = quiet.get("/api/v1/incidents")
    assert response.status_code == 500
    assert response.json() == {"error": "internal server error"}
    assert "secret" not in response.text


def test_store_error_is_503(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sanctionwatch.errors import StoreError

    with pytest.raises(StoreError):
        create_app(Settings(database=str(tmp_path / "missing-directory" / "x.db")))
    app = create_app(Settings(database=str(tmp_path / "ok.db")), create_database=True)
    app.state.engine.dispose()
    (tmp_path / "ok.db").unlink()
    (tmp_path / "ok.db").mkdir()  # the file is now a directory: SQLite cannot open it
    response = TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1").get("/api/v1/health")
    assert response.status_code == 503
    assert "error" in response.json()
