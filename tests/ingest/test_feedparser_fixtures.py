"""Every feedparser fixture feed, served over HTTP on 127.0.0.1, fetched and parsed.

What sanctionwatch owes each (shared/peer/README.md): no crash, no hang, entries or a clear
FeedError, and no live markup in any text that could reach a page.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from sanctionwatch.errors import FeedError
from sanctionwatch.ingest.feeds import parse_feed
from sanctionwatch.ingest.http import FetchSettings, fetch

from .conftest import Request, send_response, start_server

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "peer" / "feedparser"
SETTINGS = FetchSettings(allow_private_networks=True, timeout_seconds=5.0)
HEADER_LINE = re.compile(r"^Header:\s*([A-Za-z-]+):\s*(.*?)\s*$", re.MULTILINE)
LIVE_MARKUP = re.compile(r"<\s*(script|img|iframe|svg|object|embed|style|a\s|form|meta|base|link)\b|on\w+\s*=\s*[\"']", re.I)
SERVED_HEADERS = {"content-type", "content-language", "etag", "last-modified"}


def declared_headers(body: bytes) -> dict[str, str]:
    """The response headers a fixture's comment asks for (feedparser's ``Header:`` lines)."""
    head = body[:2048].decode("latin-1")
    return {name: value for name, value in HEADER_LINE.findall(head) if name.lower() in SERVED_HEADERS}


def serve_file(body: bytes, headers: dict[str, str]):
    def handler(request: Request, connection: socket.socket) -> None:
        send_response(connection, 200, body, headers)

    return handler


def live_markup_problems(name: str, feed) -> list[str]:
    problems = []
    texts = [feed.title]
    for entry in feed.entries:
        texts += [entry.title, entry.summary_text, entry.author or "", *entry.categories]
        for link in (entry.url, feed.link):
            if link and not link.lower().startswith(("http://", "https://")):
                problems.append(f"{name}: non-http link {link!r}")
    for text in texts:
        if LIVE_MARKUP.search(text):
            problems.append(f"{name}: live markup in {text[:80]!r}")
    return problems


@pytest.mark.corpus
@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/peer/feedparser is absent")
def test_every_feedparser_fixture_parses_or_fails_clearly() -> None:
    files = sorted(path for path in FIXTURES.rglob("*") if path.is_file())
    assert len(files) > 2000
    state, tcp_server = start_server()
    try:
        for index, path in enumerate(files):
            body = path.read_bytes()
            state.routes[f"/f{index}"] = serve_file(body, declared_headers(body))
        failures: list[str] = []
        outcomes = {"entries": 0, "empty": 0, "feed_error": 0}
        for index, path in enumerate(files):
            name = str(path.relative_to(FIXTURES))
            try:
                result = fetch(state.url(f"/f{index}"), settings=SETTINGS)
                feed = parse_feed(result.body, url=result.final_url, headers=result.headers)
            except FeedError:
                outcomes["feed_error"] += 1
                continue
            except Exception as error:  # the point of the test: nothing else may escape
                failures.append(f"{name}: {type(error).__name__}: {error}")
                continue
            outcomes["entries" if feed.entries else "empty"] += 1
            failures += live_markup_problems(name, feed)
    finally:
        state.stopping.set()
        tcp_server.shutdown()
        tcp_server.server_close()
    assert failures == [], "\n".join(failures[:30])
    assert outcomes["entries"] > 1000, outcomes  # many fixtures test feed-level fields only
