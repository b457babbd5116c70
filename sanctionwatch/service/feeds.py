"""Following feeds: adding them, polling them politely, storing their new articles.

One pass (``fetch_feeds``) takes every feed that is due and not paused, asks for it with a
conditional GET, fetches each new entry's page through the same safe fetcher, extracts the main
text, stores the article with its incidents (one transaction per article) and records the
entry. A feed that fails is retried later with exponential backoff that honours Retry-After,
and paused after ``feed_pause_after_failures`` failures in a row. Stopping the process at any
moment loses nothing stored: the next pass finds stored articles unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from sanctionwatch.errors import FeedError, FetchError, HTTPStatusError, InputError, SanctionWatchError
from sanctionwatch.ingest.charset import decode_document
from sanctionwatch.ingest.feed_types import FeedEntry, ParsedFeed
from sanctionwatch.ingest.feeds import discover_feeds, parse_feed
from sanctionwatch.ingest.http import FetchResult, FetchSettings, fetch
from sanctionwatch.ingest.pages import extract_page
from sanctionwatch.ingest.politeness import Backoff, HostGate
from sanctionwatch.ingest.ssrf import check_url
from sanctionwatch.ingest.urls import canonical_url
from sanctionwatch.model import Article, make_article_id
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline, default_pipeline
from sanctionwatch.service.ingestion import IngestReport, store_article
from sanctionwatch.service.inputs import article_from_record
from sanctionwatch.settings import Settings
from sanctionwatch.store import feeds as feed_store
from sanctionwatch.store.runs import finish_run, start_run

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL_MINUTES = 60
# Entry summaries shorter than this are teasers, not articles: without the page they are skipped.
MIN_SUMMARY_CHARACTERS = 400


@dataclass(slots=True)
class FeedPassReport(IngestReport):
    feeds_polled: int = 0
    feeds_failed: int = 0
    feeds_not_modified: int = 0
    feed_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.feeds_polled} feeds polled ({self.feeds_not_modified} not modified, {self.feeds_failed} failed); "
            f"articles: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed; "
            f"{self.incidents} incidents stored"
        )


def fetch_settings(settings: Settings) -> FetchSettings:
    return FetchSettings(
        timeout_seconds=settings.fetch_timeout_seconds,
        max_body_bytes=settings.fetch_max_body_bytes,
        min_delay_per_host_seconds=settings.fetch_min_delay_per_host_seconds,
        allow_private_networks=settings.allow_private_networks,
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _is_feed(result: FetchResult) -> ParsedFeed | None:
    try:
        return parse_feed(result.body, url=result.final_url, headers=result.headers)
    except FeedError:
        return None


def add_feed(engine: Engine, url: str, *, settings: Settings, name: str | None = None) -> feed_store.FeedRecord:
    """Check, fetch and store a feed; the URL of an HTML page is replaced by the feed it links.

    Raises BlockedURLError for a URL the SSRF guard refuses, FetchError when it cannot be
    fetched, FeedError when it is neither a feed nor a page that links one.
    """
    limits = fetch_settings(settings)
    check_url(url, allow_private_networks=settings.allow_private_networks)
    result = fetch(url, settings=limits)
    parsed = _is_feed(result)
    feed_url = result.final_url
    if parsed is None:
        html = decode_document(result.body, header_charset=result.charset, content_type=result.content_type)
        candidates = discover_feeds(html, result.final_url)
        if not candidates:
            raise FeedError(f"{url} is neither a feed nor a page that links to one", url=url)
        feed_url = candidates[0]
        check_url(feed_url, allow_private_networks=settings.allow_private_networks)
        parsed = parse_feed(fetch(feed_url, settings=limits).body, url=feed_url)
    return feed_store.add_feed(engine, feed_url, name=name, title=parsed.title or None)


def _entry_article(entry: FeedEntry, page_text: str | None, page_title: str | None, published: date | None, source: str) -> Article:
    url = canonical_url(entry.url) if entry.url else None
    text = page_text if page_text and len(page_text) >= len(entry.summary_text) else entry.summary_text
    record = {
        "id": make_article_id(url=url, text=text),
        "text": text,
        "published": (published or (entry.published.date() if entry.published else None) or date.today()).isoformat(),
        "title": page_title or entry.title,
        "url": entry.url,
        "source": source,
    }
    return article_from_record(record)


def ingest_page(
    engine: Engine,
    url: str,
    *,
    settings: Settings,
    report: IngestReport,
    pipeline: Pipeline,
    run_id: int | None,
    gate: HostGate | None = None,
    entry: FeedEntry | None = None,
    source: str | None = None,
) -> str | None:
    """Fetch one page, extract its main text, store it with its incidents; the article id."""
    result = fetch(url, settings=fetch_settings(settings), gate=gate)
    page = extract_page(result.body, url=result.final_url)
    if entry is None:
        entry = FeedEntry(guid=url, url=result.final_url, title=page.title or "", summary_text="", author=page.author, published=None)
    if not page.text.strip() and len(entry.summary_text) < MIN_SUMMARY_CHARACTERS:
        raise InputError("no article text found on the page", path=url)
    article = _entry_article(entry, page.text, page.title, page.published, source or _host(url))
    return store_article(
        engine,
        article,
        pipeline=pipeline,
        run_id=run_id,
        canonical_url=canonical_url(result.final_url),
        report=report,
    )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url


def ingest_urls(
    engine: Engine, urls: Sequence[str], *, settings: Settings, report: IngestReport, pipeline: Pipeline | None = None
) -> IngestReport:
    """``sanctionwatch ingest URL``: each page once; a refused or failing URL is reported and skipped."""
    pipeline = pipeline or default_pipeline()
    run_id = start_run(engine, kind="ingest-url", extractor_version=EXTRACTOR_VERSION)
    for url in urls:
        try:
            check_url(url, allow_private_networks=settings.allow_private_networks)
            ingest_page(engine, url, settings=settings, report=report, pipeline=pipeline, run_id=run_id)
        except SanctionWatchError as exc:
            report.failed += 1
            report.errors.append(f"{url}: {exc}")
    finish_run(engine, run_id, articles=report.new + report.updated, incidents=report.incidents, failures=report.failed)
    return report


def _due(record: feed_store.FeedRecord, now: datetime) -> bool:
    if record.paused:
        return False
    if not record.next_poll_at:
        return True
    return datetime.fromisoformat(record.next_poll_at) <= now


def poll_feed(
    engine: Engine,
    record: feed_store.FeedRecord,
    *,
    settings: Settings,
    report: FeedPassReport,
    pipeline: Pipeline,
    run_id: int | None,
    gate: HostGate,
    interval_minutes: int,
    on_entry: Callable[[FeedEntry], object] | None = None,
) -> None:
    """One poll of one feed; failures are recorded on the feed, never raised."""
    backoff = Backoff(pause_after_failures=settings.feed_pause_after_failures)
    now = _now()
    report.feeds_polled += 1
    try:
        result = fetch(record.url, settings=fetch_settings(settings), etag=record.etag, last_modified=record.last_modified, gate=gate)
        if result.not_modified:
            report.feeds_not_modified += 1
            parsed = None
        else:
            parsed = parse_feed(result.body, url=result.final_url, headers=result.headers)
    except FetchError as exc:
        failures = record.consecutive_failures + 1
        retry_after = exc.retry_after_seconds if isinstance(exc, HTTPStatusError) else None
        delay = backoff.next_delay(failures, retry_after)
        paused = backoff.should_pause(failures)
        feed_store.update_feed(
            engine,
            record.id,
            consecutive_failures=failures,
            last_error=str(exc)[:500],
            last_error_at=now.isoformat(),
            next_poll_at=(now + timedelta(seconds=delay)).isoformat(),
            paused=paused,
        )
        report.feeds_failed += 1
        report.feed_errors.append(f"feed {record.id} {record.url}: {exc}" + (" (paused)" if paused else ""))
        return
    if parsed is not None:
        source = record.name or parsed.title or _host(record.url)
        for entry in parsed.entries:
            if on_entry:
                on_entry(entry)
            _store_entry(engine, record, entry, settings=settings, report=report, pipeline=pipeline, run_id=run_id, gate=gate, source=source)
    lifetime = result.cache_lifetime_seconds or 0
    # A server's max-age may lengthen the interval, but never beyond a day (BAD_INPUTS 6).
    wait_seconds = min(max(interval_minutes * 60, lifetime), 24 * 3600)
    feed_store.update_feed(
        engine,
        record.id,
        etag=result.etag or record.etag,
        last_modified=result.last_modified or record.last_modified,
        last_success_at=now.isoformat(),
        consecutive_failures=0,
        next_poll_at=(now + timedelta(seconds=wait_seconds)).isoformat(),
        title=(parsed.title if parsed is not None and parsed.title else record.title),
    )


def _store_entry(
    engine: Engine,
    record: feed_store.FeedRecord,
    entry: FeedEntry,
    *,
    settings: Settings,
    report: FeedPassReport,
    pipeline: Pipeline,
    run_id: int | None,
    gate: HostGate,
    source: str,
) -> None:
    with engine.connect() as connection:
        seen = feed_store.entry_seen(connection, record.id, entry.guid)
    if seen:
        report.unchanged += 1
        return
    try:
        if entry.url:
            article_id = ingest_page(
                engine, entry.url, settings=settings, report=report, pipeline=pipeline, run_id=run_id, gate=gate, entry=entry, source=source
            )
        elif len(entry.summary_text) >= MIN_SUMMARY_CHARACTERS:
            article = _entry_article(entry, None, None, None, source)
            article_id = store_article(engine, article, pipeline=pipeline, run_id=run_id, report=report)
        else:
            return
    except SanctionWatchError as exc:
        report.failed += 1
        report.errors.append(f"{entry.url or entry.guid}: {exc}")
        return
    with engine.begin() as connection:
        feed_store.record_entry(connection, record.id, entry.guid, url=entry.url, article_id=article_id)


def fetch_feeds(
    engine: Engine,
    *,
    settings: Settings,
    pipeline: Pipeline | None = None,
    interval_minutes: int = DEFAULT_POLL_INTERVAL_MINUTES,
    force: bool = False,
    on_entry: Callable[[FeedEntry], object] | None = None,
    on_feed: Callable[[feed_store.FeedRecord], object] | None = None,
) -> FeedPassReport:
    """One pass over the feeds that are due (all unpaused feeds with ``force``)."""
    pipeline = pipeline or default_pipeline(on_error="skip")
    report = FeedPassReport()
    gate = HostGate(settings.fetch_min_delay_per_host_seconds)
    run_id = start_run(engine, kind="fetch", extractor_version=EXTRACTOR_VERSION)
    now = _now()
    for record in feed_store.list_feeds(engine):
        if not (force and not record.paused) and not _due(record, now):
            continue
        if on_feed:
            on_feed(record)
        poll_feed(
            engine, record, settings=settings, report=report, pipeline=pipeline, run_id=run_id, gate=gate,
            interval_minutes=interval_minutes, on_entry=on_entry,
        )  # fmt: skip
    finish_run(engine, run_id, articles=report.new + report.updated, incidents=report.incidents, failures=report.failed)
    return report


def watch_feeds(
    engine: Engine,
    *,
    settings: Settings,
    interval_minutes: int,
    on_pass: Callable[[FeedPassReport], None],
    sleep: Callable[[float], None] = time.sleep,
    max_passes: int | None = None,
) -> None:
    """Fetch due feeds, sleep a minute, repeat until interrupted (or ``max_passes``)."""
    passes = 0
    while max_passes is None or passes < max_passes:
        on_pass(fetch_feeds(engine, settings=settings, interval_minutes=interval_minutes))
        passes += 1
        if max_passes is not None and passes >= max_passes:
            return
        sleep(60)
