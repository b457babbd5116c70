"""Dashboard pages through TestClient: rendering, escaping, headers and the review form."""

from __future__ import annotations

import csv
import io
import json
import re
from types import ModuleType

import pytest
from fastapi.testclient import TestClient


def page_paths(sample: ModuleType) -> list[str]:
    incident_paths = [f"/incidents/{sample.HOSTILE.id}", f"/incidents/{sample.LOCATED.id}"]
    return ["/", *incident_paths, "/articles/a-hostile", "/articles/a-plain"]


def map_data(html: str, element_id: str = "incident-map") -> dict:  # type: ignore[type-arg]
    match = re.search(rf'<script type="application/json" id="{element_id}-data">(.*?)</script>', html, re.S)
    assert match, "map data block missing"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def map_points(html: str, element_id: str = "incident-map") -> list[dict]:  # type: ignore[type-arg]
    return map_data(html, element_id)["points"]  # type: ignore[no-any-return]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def test_list_page_shows_incidents_counts_timeline_and_map(client: TestClient, sample: ModuleType) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<span id="total">3</span>' in html
    # The analyst's line, written from the fields (the stored summary is the extractor's).
    assert "North Korean authorities reportedly sent 2,000 workers to Dandong, China (May 2024)." in html
    assert re.search(r'href="/\?type=labor_export">.*?Labour export</span></a> <span class="count">1</span>', html)
    # Bars are drawn for months that hold incidents: November 2023 and May 2024 (two).
    bars = re.findall(r'data-key="([0-9-]+)" data-count="(\d+)"', html)
    assert dict(bars) == {"2023-11": "1", "2024-05": "2"}
    points = map_points(html)
    assert len(points) == sample.LOCATED_POINT_COUNT
    assert all(point["lat"] is not None for point in points)
    assert 'href="/api/v1/incidents" class="json-twin"' in html  # the JSON twin


def test_list_page_filters_carry_into_links(client: TestClient) -> None:
    html = client.get("/", params={"type": "maritime_transfer", "q": "tanker"}).text
    assert '<span id="total">1</span>' in html
    assert 'href="/api/v1/incidents?q=tanker&amp;type=maritime_transfer"' in html
    assert map_points(html) == []  # the only match has no point


def test_list_page_paginates(client: TestClient, sample: ModuleType) -> None:
    html = client.get("/", params={"limit": 1, "offset": 1}).text
    assert html.count('class="incident-row"') == 1
    assert 'href="/?limit=1" rel="prev"' in html
    assert 'href="/?limit=1&amp;offset=2" rel="next"' in html


@pytest.mark.parametrize("index", range(5))
def test_no_payload_survives_unescaped(client: TestClient, sample: ModuleType, index: int) -> None:
    path = page_paths(sample)[index]
    html = client.get(path).text
    for payload in sample.XSS_PAYLOADS:
        assert payload not in html
    for fragment in ("<img src=x", "<svg onload", "<script>window", "<iframe", 'href="javascript:'):
        assert fragment not in html, (path, fragment)


def test_hostile_incident_text_is_shown_escaped(client: TestClient, sample: ModuleType) -> None:
    html = client.get(f"/incidents/{sample.HOSTILE.id}").text
    assert "Summary &lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html
    assert "Actor &lt;svg onload=&#34;window.__xss=3&#34;&gt;" in html
    # Highlighting escapes each segment: the mark wraps the escaped evidence sentence.
    assert '<mark id="mark-s1" class="evidence-mark">Smugglers &lt;img src=x onerror=&#34;window.__xss=1&#34;&gt; moved goods' in html
    assert "Intro &#34;&gt;&lt;iframe srcdoc=" in html
    # The map data keeps the text as data, with < and > escaped inside the JSON block.
    assert map_points(html)[0]["place"] == "Place " + sample.XSS_IMG


def test_javascript_url_is_not_a_link(client: TestClient) -> None:
    html = client.get("/articles/a-hostile").text
    assert "javascript:window.__xss=5" in html  # shown as text
    assert 'href="javascript' not in html


@pytest.mark.parametrize(
    ("incident_name", "label"),
    [
        ("LOCATED", "<strong>Reported:</strong>"),
        ("HOSTILE", "<strong>Speculative:</strong>"),
        ("UNLOCATED", "states this as fact"),
    ],
)
def test_certainty_is_labelled(client: TestClient, sample: ModuleType, incident_name: str, label: str) -> None:
    html = client.get(f"/incidents/{getattr(sample, incident_name).id}").text
    claim = re.search(r'<p class="claim-status[^"]*" id="claim-status">(.*?)</p>', html, re.S)
    assert claim and label in claim.group(1)


def test_evidence_view_shows_fields_and_highlight(client: TestClient, sample: ModuleType) -> None:
    html = client.get(f"/incidents/{sample.LOCATED.id}").text
    assert f'<mark id="mark-s1" class="evidence-mark">{sample.LOCATED_EVIDENCE}</mark>' in html
    assert html.count("<mark ") == 1
    for text in ("UNSCR 2397 OP8", "anonymous source", "Liaoning", "40.12, 124.38", "2,000 workers", "test-1"):
        assert text in html
    assert len(map_points(html)) == 1
    assert 'href="/api/v1/incidents/' in html


def test_unlocated_place_is_an_area_without_marker(client: TestClient, sample: ModuleType) -> None:
    html = client.get(f"/incidents/{sample.UNLOCATED.id}").text
    assert "area, no point" in html
    assert map_points(html) == []


def test_article_page_highlights_every_incident(client: TestClient, sample: ModuleType) -> None:
    html = client.get("/articles/a-plain").text
    assert html.count("<mark ") == 2
    assert html.count('class="incident-row legend-item"') == 2
    assert 'href="/api/v1/articles/a-plain"' in html


def test_security_headers_on_pages(client: TestClient) -> None:
    headers = client.get("/").headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "img-src 'self' data:" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_style(client: TestClient, sample: ModuleType) -> None:
    for path in page_paths(sample):
        html = client.get(path).text
        for match in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.S):
            attributes, body = match.groups()
            assert 'src="/static/' in attributes or 'type="application/json"' in attributes, attributes
            assert "src=" in attributes or body.strip().startswith("{")
        assert " style=" not in html and "<style" not in html


def test_missing_pages_are_escaped_404s(client: TestClient) -> None:
    response = client.get("/incidents/%3Cimg%20src=x%20onerror=alert(1)%3E")
    assert response.status_code == 404
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert client.get("/articles/missing").status_code == 404
    unknown = client.get("/no/such/<b>page</b>")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html")
    assert "<b>page" not in unknown.text


@pytest.mark.parametrize(
    "parameters", [{"type": "<script>x</script>"}, {"limit": "abc"}, {"limit": "100000"}, {"since": "notadate"}]
)
def test_bad_filters_give_an_escaped_400_page(client: TestClient, parameters: dict[str, str]) -> None:
    response = client.get("/", params=parameters)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>x" not in response.text


def test_spoofed_host_does_not_reach_links(client: TestClient, sample: ModuleType) -> None:
    response = client.get(f"/incidents/{sample.LOCATED.id}", headers={"Host": "evil.example"})
    assert response.status_code == 421  # refused outright (DNS rebinding), and nothing echoed
    assert "evil.example" not in response.text


def test_review_form_without_csrf_token_is_refused(client: TestClient, sample: ModuleType) -> None:
    client.get(f"/incidents/{sample.LOCATED.id}")  # sets the cookie
    response = client.post(
        f"/incidents/{sample.LOCATED.id}/review",
        data={"decision": "rejected", "csrf_token": "0" * 64},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()["review_status"] == "unreviewed"


def test_review_form_with_token_but_no_cookie_is_refused(client: TestClient, sample: ModuleType) -> None:
    token = csrf_token(client.get(f"/incidents/{sample.LOCATED.id}").text)
    client.cookies.clear()
    response = client.post(f"/incidents/{sample.LOCATED.id}/review", data={"decision": "rejected", "csrf_token": token})
    assert response.status_code == 403


def test_review_form_confirms(client: TestClient, sample: ModuleType) -> None:
    html = client.get(f"/incidents/{sample.LOCATED.id}").text
    response = client.post(
        f"/incidents/{sample.LOCATED.id}/review",
        data={"decision": "confirmed", "csrf_token": csrf_token(html), "summary": sample.LOCATED.summary,
              "type": "labor_export", "certainty": "reported", "note": "seen"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/incidents/{sample.LOCATED.id}#review"
    record = client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()
    assert record["review_status"] == "confirmed"
    assert record["review_note"] == "seen"
    assert record["summary"] == sample.LOCATED.summary  # unchanged fields are not stored as edits


def test_review_form_edits_only_changed_fields(client: TestClient, sample: ModuleType) -> None:
    html = client.get(f"/incidents/{sample.LOCATED.id}").text
    client.post(
        f"/incidents/{sample.LOCATED.id}/review",
        data={"decision": "edited", "csrf_token": csrf_token(html), "summary": "Fixed\r\nsummary",
              "type": "labor_export", "certainty": "asserted", "note": "the source states it"},
    )  # fmt: skip
    record = client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()
    assert record["review_status"] == "edited"
    assert record["summary"] == "Fixed\nsummary"
    assert record["certainty"] == "asserted"
    assert record["type"] == "labor_export"


def test_every_field_can_be_edited_with_a_reason_and_the_trail_shows_it(client: TestClient, sample: ModuleType) -> None:
    page = client.get(f"/incidents/{sample.LOCATED.id}").text
    assert 'id="audit-trail-empty"' in page
    token = csrf_token(page)
    no_reason = client.post(f"/incidents/{sample.LOCATED.id}/review", data={"decision": "rejected", "csrf_token": token})
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    form = {
        "decision": "edited", "csrf_token": token, "note": "second source gives Sinuiju",
        "summary": sample.LOCATED.summary, "type": "labor_export", "certainty": "reported", "attribution": "named_official",
        "time_start": "2024-05-01", "time_end": "2024-06-30", "time_precision": "month",
        "quantity_min": "1,500", "quantity_max": "2000", "quantity_unit": "persons", "quantity_item": "workers",
        "commodity": "", "provisions": "UNSCR 2397 OP8, UNSCR 2375 OP17",
        "actors": "North Korean authorities | KP | perpetrator\nLiaoning factory | CN | counterpart",
        "locations": "Sinuiju | KP | origin | 40.1, 124.4\nDandong | CN | destination | 40.12, 124.38",
        "vessels": "",
    }  # fmt: skip
    assert client.post(f"/incidents/{sample.LOCATED.id}/review", data=form, follow_redirects=False).status_code == 303
    record = client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()
    assert record["review_status"] == "edited" and record["attribution"] == "named_official"
    assert record["quantity"] == {"min": 1500, "max": 2000, "unit": "persons", "item": "workers"}
    assert record["time"]["end"] == "2024-06-30" and record["provisions"] == ["UNSCR 2397 OP8", "UNSCR 2375 OP17"]
    assert [a["name"] for a in record["actors"]] == ["North Korean authorities", "Liaoning factory"]
    assert record["locations"][0] == {"name": "Sinuiju", "country": "KP", "admin1": None, "role": "origin", "lat": 40.1, "lon": 124.4}
    assert record["locations"][1]["admin1"] == "Liaoning"  # kept for the unchanged place
    assert "summary" not in record["edited_fields"]  # unchanged fields are not edits
    trail = client.get(f"/api/v1/incidents/{sample.LOCATED.id}/reviews").json()["items"]
    assert len(trail) == 1 and trail[0]["note"] == "second source gives Sinuiju" and trail[0]["reviewer"] is None
    assert trail[0]["before"]["status"] == "unreviewed" and trail[0]["after"]["status"] == "edited"
    assert trail[0]["before"]["attribution"] == "anonymous_source" and trail[0]["after"]["attribution"] == "named_official"
    html = client.get(f"/incidents/{sample.LOCATED.id}").text
    assert 'id="audit-trail"' in html and "local analyst" in html and "second source gives Sinuiju" in html
    assert "anonymous_source</span> → <span class=\"after\">named_official" in html
    # The analyst's line follows the edited fields.
    assert "to Dandong, China (May–June 2024)" in html


@pytest.mark.parametrize(
    ("field", "value", "parameter"),
    [("locations", "Dandong | CN | site | 95, 124", "locations"), ("locations", "Dandong | CN | site | 1", "locations"),
     ("actors", "X | XYZ | perpetrator", "actors"), ("actors", "X | KP | boss", "actors"), ("quantity_min", "many", "quantity")],
)  # fmt: skip
def test_bad_edits_are_400_and_store_nothing(client: TestClient, sample: ModuleType, field: str, value: str, parameter: str) -> None:
    token = csrf_token(client.get(f"/incidents/{sample.LOCATED.id}").text)
    data = {"decision": "edited", "csrf_token": token, "note": "try", field: value}
    if field.startswith("quantity"):
        data |= {"quantity_max": "", "quantity_unit": "persons"}
    response = client.post(f"/incidents/{sample.LOCATED.id}/review", data=data)
    assert response.status_code == 400, (field, value)
    assert client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()["review_status"] == "unreviewed"
    assert client.get(f"/api/v1/incidents/{sample.LOCATED.id}/reviews").json()["items"] == []


def test_the_whole_trail_exports_as_csv_with_guarded_cells(client: TestClient, sample: ModuleType) -> None:
    client.post(f"/api/v1/incidents/{sample.UNLOCATED.id}/review", json={"decision": "rejected", "note": "=cmd|' /C calc'!A0"})
    client.post(f"/api/v1/incidents/{sample.UNLOCATED.id}/review", json={"decision": "confirmed", "note": "restored"})
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/review-events", params={"format": "csv"}).text)))
    assert [(r["decision"], r["field"], r["before"], r["after"]) for r in rows] == [
        ("rejected", "status", "unreviewed", "rejected"), ("rejected", "note", "—", "'=cmd|' /C calc'!A0"),
        ("confirmed", "status", "rejected", "confirmed"), ("confirmed", "note", "'=cmd|' /C calc'!A0", "restored"),
    ]  # fmt: skip
    assert rows[0]["note"].startswith("'=") and rows[0]["reviewer"] == "local analyst"
    lines = client.get("/api/v1/review-events", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == 2
    assert client.get("/api/v1/review-events", params={"format": "xml"}).status_code == 400
