"""Team mode through the real app: sign-in, sessions, roles, API tokens, CSRF, open paths."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.api.app import create_app
from sanctionwatch.service import searches, users
from sanctionwatch.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture()
def team_app(tmp_path: Path, sample: ModuleType):  # type: ignore[no-untyped-def]
    path, engine = sample.build_sample_store(tmp_path)
    for name, role in (("ada", "admin"), ("ann", "analyst"), ("vic", "viewer")):
        users.add_user(engine, name, PASSWORD, role)
    engine.dispose()
    return create_app(Settings(database=path, team=True))


@pytest.fixture()
def client(team_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    # https: the session cookie is Secure, so a client on plain http would never send it back.
    with TestClient(team_app, base_url="https://127.0.0.1") as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next: str = "/") -> object:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"username": username, "password": password, "next": next, "csrf_token": token}, follow_redirects=False
    )


def test_anonymous_requests_are_sent_to_sign_in(client: TestClient) -> None:
    page = client.get("/incidents/x?y=1", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fincidents%2Fx%3Fy%3D1"
    api = client.get("/api/v1/incidents")
    assert api.status_code == 401 and "error" in api.json() and api.headers["www-authenticate"] == "Bearer"
    for open_path in ("/static/app.css", "/api/v1/health", "/map/seas.json", "/login"):
        assert client.get(open_path).status_code == 200, open_path
    assert "default-src 'self'" in api.headers["content-security-policy"]  # even a 401 carries the headers


def test_sign_in_sets_a_secure_session_cookie_and_sign_out_ends_it(client: TestClient) -> None:
    response = sign_in(client, "ann", next="/searches")
    assert response.status_code == 303 and response.headers["location"] == "/searches"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "sanctionwatch_session=" in cookie
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag.lower() in cookie.lower(), flag
    home = client.get("/")
    assert home.status_code == 200 and 'id="account-link">ann</a>' in home.text
    assert client.get("/api/v1/me").json() == {"username": "ann", "role": "analyst", "scopes": ["read", "review"]}
    client.post("/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
    assert client.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(client: TestClient, target: str) -> None:
    assert sign_in(client, "ann", next=target).headers["location"] == "/"  # type: ignore[attr-defined]


def test_a_forged_or_wrong_sign_in_is_refused(client: TestClient) -> None:
    client.get("/login")
    forged = client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": "0" * 64})
    assert forged.status_code == 403
    wrong = sign_in(client, "ann", "not the password")
    assert wrong.status_code == 401 and "wrong username or password" in wrong.text  # type: ignore[attr-defined]


def test_repeated_failures_are_rate_limited(client: TestClient) -> None:
    for _ in range(users.MAX_FAILURES):
        assert sign_in(client, "ada", "guess guess guess").status_code == 401  # type: ignore[attr-defined]
    locked = sign_in(client, "ada")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0  # type: ignore[attr-defined]


def test_a_viewer_reads_but_cannot_review(client: TestClient, sample: ModuleType) -> None:
    sign_in(client, "vic")
    html = client.get(f"/incidents/{sample.LOCATED.id}").text
    assert 'id="review-denied"' in html and 'id="review-confirm"' not in html
    refused = client.post(
        f"/incidents/{sample.LOCATED.id}/review", data={"decision": "rejected", "csrf_token": csrf_of(html)}
    )
    assert refused.status_code == 403
    api = client.post(f"/api/v1/incidents/{sample.LOCATED.id}/review", json={"decision": "rejected"})
    assert api.status_code == 403 and api.json()["error"]
    assert client.get(f"/api/v1/incidents/{sample.LOCATED.id}").json()["review_status"] == "unreviewed"
    assert 'id="save-search-form"' not in client.get("/").text


def test_api_tokens_act_within_their_scopes(team_app, sample: ModuleType) -> None:  # type: ignore[no-untyped-def]
    engine = team_app.state.engine
    reader, _ = users.issue_token(engine, "ann", "reader", "read")
    reviewer, _ = users.issue_token(engine, "ann", "reviewer", "read,review")
    with TestClient(team_app, base_url="https://127.0.0.1") as api:
        assert api.get("/api/v1/incidents", headers={"Authorization": f"Bearer {reader}"}).status_code == 200
        path = f"/api/v1/incidents/{sample.LOCATED.id}/review"
        assert api.post(path, json={"decision": "confirmed"}, headers={"Authorization": f"Bearer {reader}"}).status_code == 403
        done = api.post(path, json={"decision": "confirmed"}, headers={"Authorization": f"Bearer {reviewer}"})
        assert done.status_code == 200 and done.json()["review_status"] == "confirmed"
        assert api.get("/api/v1/incidents", headers={"Authorization": "Bearer swt_made_up"}).status_code == 401
        assert api.get("/api/v1/incidents", headers={"Authorization": "Basic abc"}).status_code == 401


def test_saved_search_feeds_are_open_by_their_key_only(team_app) -> None:  # type: ignore[no-untyped-def]
    saved = searches.save_search(team_app.state.engine, "Labour", "type=labor_export")
    with TestClient(team_app, base_url="https://127.0.0.1") as anonymous:
        feed = anonymous.get(f"/feeds/{saved.feed_key}.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        assert anonymous.get("/feeds/guessed-key.atom").status_code == 404
        assert anonymous.get("/searches", follow_redirects=False).status_code == 303


def test_an_account_page_makes_a_token_shown_once(client: TestClient) -> None:
    sign_in(client, "ann")
    page = client.get("/account")
    made = client.post("/account/tokens", data={"name": "export job", "scopes": ["read"], "csrf_token": csrf_of(page.text)})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    token = re.search(r'<code id="new-token">(swt_[^<]+)</code>', made.text)
    assert token and "export job" in made.text
    assert token.group(1) not in client.get("/account").text
