"""Following feeds end to end against the local fixture server: add, fetch, re-fetch, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sanctionwatch.engines import EngineSpec
from sanctionwatch.errors import BlockedURLError, FeedError
from sanctionwatch.service.feeds import add_feed, fetch_feeds, ingest_urls
from sanctionwatch.service.ingestion import IngestReport
from sanctionwatch.service.samples import sample_paths
from sanctionwatch.settings import Settings
from sanctionwatch.store import create_database_engine
from sanctionwatch.store.articles import count_articles
from sanctionwatch.store.feeds import get_feed, list_feeds
from sanctionwatch.store.queries import IncidentQuery, search_incidents

SEED = json.loads(Path(sample_paths()[0]).read_text(encoding="utf-8"))
LOCAL = Settings(allow_private_networks=True, fetch_timeout_seconds=5.0, fetch_min_delay_per_host_seconds=0.0, feed_pause_after_failures=3)


def _page() -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in SEED["text"].split("\n\n")[3:20] if p.strip())
    return (
        "<html><head><title>N. Korea dispatches large number of workers to China</title>"
        '<meta property="article:published_time" content="2024-05-16"></head>'
        f"<body><nav>Home | Politics</nav><article><h1>N. Korea dispatches workers</h1>{paragraphs}</article>"
        "<aside>Most Popular Articles</aside></body></html>"
    ).encode()


def _rss(server, guid: str = "seed-1") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local news</title>'
        f"<link>{server.url('/')}</link><item><title>Workers to China</title>"
        f"<link>{server.url('/article?utm_source=feed')}</link><guid>{guid}</guid>"
        "<pubDate>Thu, 16 May 2024 14:00:00 +0900</pubDate></item></channel></rss>"
    ).encode()


@pytest.fixture
def engine(tmp_path):
    return create_database_engine(tmp_path / "feeds.db")


@pytest.mark.parametrize("extraction", [None, EngineSpec("process", workers=2)], ids=["local", "process"])
def test_add_fetch_and_refetch(server, engine, extraction):
    server.route("/feed.xml", body=_rss(server), headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'})
    server.route("/article", body=_page(), headers={"Content-Type": "text/html; charset=utf-8"})
    record = add_feed(engine, server.url("/feed.xml"), settings=LOCAL, name="local")
    assert record.title == "Local news"

    first = fetch_feeds(engine, settings=LOCAL, force=True, extraction=extraction)
    assert (first.new, first.failed, first.feeds_failed) == (1, 0, 0), first.errors + first.feed_errors
    items, total = search_incidents(engine, IncidentQuery())
    assert total >= 1 and "labor_export" in {i["type"] for i in items}
    assert get_feed(engine, record.id).last_success_at is not None

    second = fetch_feeds(engine, settings=LOCAL, force=True, extraction=extraction)
    assert second.new == 0 and count_articles(engine) == 1
    assert search_incidents(engine, IncidentQuery())[1] == total
    conditional = [r for r in server.requests if r.path == "/feed.xml"][-1]
    assert conditional.headers.get("if-none-match") == '"v1"'


def test_html_page_discovers_its_feed(server, engine):
    server.route("/feed.xml", body=_rss(server), headers={"Content-Type": "application/rss+xml"})
    server.route(
        "/",
        body=f'<html><head><link rel="alternate" type="application/rss+xml" href="{server.url("/feed.xml")}"></head></html>'.encode(),
        headers={"Content-Type": "text/html"},
    )
    record = add_feed(engine, server.url("/"), settings=LOCAL)
    assert record.url == server.url("/feed.xml")


def test_page_without_feed_is_a_clear_error(server, engine):
    server.route("/", body=b"<html><body>nothing here</body></html>", headers={"Content-Type": "text/html"})
    with pytest.raises(FeedError, match="neither a feed"):
        add_feed(engine, server.url("/"), settings=LOCAL)
    assert list_feeds(engine) == []


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"])
def test_private_addresses_are_refused_at_add_time(engine, url):
    with pytest.raises(BlockedURLError):
        add_feed(engine, url, settings=Settings())
    assert list_feeds(engine) == []


def test_failing_feed_backs_off_then_pauses_and_others_go_on(server, engine):
    server.route("/good.xml", body=_rss(server), headers={"Content-Type": "application/rss+xml"})
    server.route("/article", body=_page(), headers={"Content-Type": "text/html"})
    server.route("/bad.xml", status=503, body=b"down", headers={"Retry-After": "120"})
    add_feed(engine, server.url("/good.xml"), settings=LOCAL)
    from sanctionwatch.store.feeds import add_feed as store_add_feed

    bad = store_add_feed(engine, server.url("/bad.xml"))
    for attempt in range(1, 4):
        report = fetch_feeds(engine, settings=LOCAL, force=True)
        assert report.feeds_failed == 1
        state = get_feed(engine, bad.id)
        assert state.consecutive_failures == attempt and "503" in (state.last_error or "")
    assert get_feed(engine, bad.id).paused
    assert count_articles(engine) == 1
    after = fetch_feeds(engine, settings=LOCAL, force=True)
    assert after.feeds_failed == 0  # paused feeds are not polled


@pytest.mark.parametrize("extraction", [None, EngineSpec("process", workers=2)], ids=["local", "process"])
def test_ingest_url_stores_one_page(server, engine, extraction):
    server.route("/article", body=_page(), headers={"Content-Type": "text/html"})
    report = ingest_urls(
        engine, [server.url("/article"), "ftp://127.0.0.1/x"], settings=LOCAL, report=IngestReport(), extraction=extraction
    )
    assert report.new == 1
    # only http and https are fetched; the refused URL is reported and the pass goes on
    assert report.failed == 1 and "ftp" in report.errors[0]


def test_watch_repeats_passes_until_stopped(server, engine):
    from sanctionwatch.service.feeds import watch_feeds

    server.route("/feed.xml", body=_rss(server), headers={"Content-Type": "application/rss+xml"})
    server.route("/article", body=_page(), headers={"Content-Type": "text/html"})
    add_feed(engine, server.url("/feed.xml"), settings=LOCAL)
    reports, sleeps = [], []
    watch_feeds(engine, settings=LOCAL, interval_minutes=1, on_pass=reports.append, sleep=sleeps.append, max_passes=2)
    assert len(reports) == 2 and sleeps == [60]
    assert reports[0].new == 1
    assert reports[1].feeds_polled == 0  # not due again for a minute: polite
    assert count_articles(engine) == 1


def test_same_article_in_two_feeds_is_stored_once(server, engine):
    server.route("/a.xml", body=_rss(server, guid="a-1"), headers={"Content-Type": "application/rss+xml"})
    server.route("/b.xml", body=_rss(server, guid="b-9"), headers={"Content-Type": "application/rss+xml"})
    server.route("/article", body=_page(), headers={"Content-Type": "text/html"})
    add_feed(engine, server.url("/a.xml"), settings=LOCAL)
    add_feed(engine, server.url("/b.xml"), settings=LOCAL)
    report = fetch_feeds(engine, settings=LOCAL, force=True)
    assert report.new == 1 and report.unchanged == 1
    assert count_articles(engine) == 1
