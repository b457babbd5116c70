"""GET /api/v1/export?format=csv over HTTP: the bytes of the reference CSV built from incident records.

The endpoint writes CSV from plain rows (``service.exports.export_matching``); here its answer,
after an analyst's edit and a rejection through the API, equals ``export_csv`` over
``iter_incidents`` for the same filters (tests/service/test_export_rows.py covers both backends).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.service import exports
from sanctionwatch.service.incidents import make_query
from sanctionwatch.store.queries import iter_incidents

from .sample_store import HOSTILE, LOCATED, UNLOCATED


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "any"},
        {"status": "any", "bom": "true"},
        {"type": "maritime_transfer"},
        {"q": "corrected", "status": "any"},
        {"since": "2024-01-01", "sort": "oldest"},
        {"country": "KP", "sort": "confidence"},
    ],
)
def test_csv_over_http_equals_the_csv_of_the_records(client: TestClient, params: dict[str, str]) -> None:
    edit = {"decision": "edited", "edits": {"summary": "=Corrected (編集)", "type": "maritime_transfer"}}
    assert client.post(f"/api/v1/incidents/{LOCATED.id}/review", json=edit).status_code == 200
    assert client.post(f"/api/v1/incidents/{HOSTILE.id}/review", json={"decision": "rejected"}).status_code == 200
    response = client.get("/api/v1/export", params={"format": "csv", **params})
    assert response.status_code == 200
    filters = {key: value for key, value in params.items() if key != "bom"}
    engine = client.app.state.engine  # type: ignore[attr-defined]
    expected = "".join(exports.export_csv(iter_incidents(engine, make_query(**filters)), bom="bom" in params))
    assert response.content.decode("utf-8") == expected
    if not filters:
        # The edit is what is exported, guarded; the rejected incident is not in the default export.
        assert "'=Corrected (編集)" in expected and HOSTILE.id not in expected and UNLOCATED.id in expected
