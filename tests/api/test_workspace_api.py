"""Saved searches through the JSON API and the dashboard's forms; the exports' new columns."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from .sample_store import HOSTILE, LOCATED, UNLOCATED


def test_saved_searches_through_the_api(client: TestClient) -> None:
    made = client.post("/api/v1/searches", json={"name": "Sea", "query": "/?type=maritime_transfer&limit=5"})
    assert made.status_code == 201
    body = made.json()
    assert body["query"] == "type=maritime_transfer" and body["feed"].startswith("/feeds/")
    assert client.post("/api/v1/searches", json={"name": "Sea", "query": ""}).status_code == 400
    bad = client.post("/api/v1/searches", json={"name": "Bad", "query": "since=soon"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "since"
    assert [item["name"] for item in client.get("/api/v1/searches").json()["items"]] == ["Sea"]
    feed = client.get(body["feed"])
    assert feed.status_code == 200 and f"urn:sanctionwatch:incident:{UNLOCATED.id}" in feed.text
    assert LOCATED.id not in feed.text
    assert client.delete(f"/api/v1/searches/{body['id']}").status_code == 204
    assert client.delete(f"/api/v1/searches/{body['id']}").status_code == 404
    assert client.get(body["feed"]).status_code == 404


def test_the_list_page_saves_its_filters_and_then_offers_the_feed(client: TestClient) -> None:
    page = client.get("/", params={"type": "labor_export"}).text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token and 'name="query" value="type=labor_export"' in page
    saved = client.post("/searches", data={"name": "Labour", "query": "type=labor_export", "csrf_token": token.group(1)}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/searches"
    listing = client.get("/searches").text
    assert "Labour" in listing and "Atom feed" in listing
    again = client.get("/", params={"type": "labor_export"}).text
    assert 'rel="alternate" type="application/atom+xml"' in again and 'id="save-search-form"' not in again
    forged = client.post("/searches", data={"name": "X", "query": "", "csrf_token": "0" * 64})
    assert forged.status_code == 403


def test_csv_has_the_analysts_columns_and_guards_every_text_cell(client: TestClient) -> None:
    response = client.get("/api/v1/export", params={"format": "csv"})
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(response.text))}
    located = rows[LOCATED.id]
    assert (located["latitude"], located["longitude"], located["points"]) == ("40.12", "124.38", "40.12 124.38")
    assert located["published"] == "2024-05-20" and located["url"] == "https://news.example.org/workers"
    assert located["review_status"] == "unreviewed" and located["quantity_item"] == ""
    assert located["actors"] == "North Korean authorities (KP, perpetrator)"
    unlocated = rows[UNLOCATED.id]
    assert unlocated["latitude"] == "" and unlocated["vessels"] == "Unnamed tanker"
    assert unlocated["actors"].startswith("'@SUM")  # guarded: it would be a formula
    for row in rows.values():
        for column, value in row.items():
            if column not in ("latitude", "longitude", "confidence", "quantity_min", "quantity_max"):
                assert not value.startswith(("=", "+", "-", "@")), (column, value)
    assert rows[HOSTILE.id]["source"].startswith("Source <svg")  # exports are data, not HTML


def test_export_status_filter_includes_rejected_on_request(client: TestClient) -> None:
    client.post(f"/api/v1/incidents/{HOSTILE.id}/review", json={"decision": "rejected"})
    default = client.get("/api/v1/export", params={"format": "jsonl"}).text
    assert HOSTILE.id not in default
    rejected = client.get("/api/v1/export", params={"format": "jsonl", "status": "rejected"}).text
    assert HOSTILE.id in rejected and LOCATED.id not in rejected


def test_bulk_review_of_chosen_ids_and_of_a_filter(client: TestClient) -> None:
    chosen = client.post("/api/v1/review/bulk", json={"decision": "confirmed", "note": "two sources", "ids": [LOCATED.id, LOCATED.id]})
    assert chosen.json() == {"reviewed": 1, "decision": "confirmed"}
    assert client.get(f"/api/v1/incidents/{LOCATED.id}").json()["review_note"] == "two sources"
    no_reason = client.post("/api/v1/review/bulk", json={"decision": "rejected", "note": " ", "query": ""})
    assert no_reason.status_code == 400 and no_reason.json()["parameter"] == "note"
    by_filter = client.post("/api/v1/review/bulk", json={"decision": "rejected", "note": "off topic", "query": "type=smuggling_other"})
    assert by_filter.json()["reviewed"] == 1
    assert [item["id"] for item in client.get("/api/v1/incidents").json()["items"]] == [LOCATED.id, UNLOCATED.id]


def test_bulk_form_on_the_list_page(client: TestClient) -> None:
    page = client.get("/", params={"type": "maritime_transfer"}).text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token and 'form="bulk"' in page and "all 1 matching" in page
    done = client.post(
        "/review/bulk",
        data={"decision": "rejected", "note": "duplicate", "scope": "all", "query": "type=maritime_transfer", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/?type=maritime_transfer&reviewed=1+rejected"
    assert "Reviewed: 1 rejected." in client.get(done.headers["location"]).text
    assert client.get(f"/api/v1/incidents/{UNLOCATED.id}").json()["review_status"] == "rejected"
