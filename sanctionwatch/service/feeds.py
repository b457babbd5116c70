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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from sanctionwatch.engines import EngineSpec, ExtractionEngine, open_engine
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
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline
from sanctionwatch.service.ingestion import IngestReport, store_article, store_outcome
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


def _entry_article(
    entry: FeedEntry,
    page_text: str | None,
    page_title: str | None,
    published: date | None,
    source: str,
    *,
    stated: date | None = None,
) -> Article:
    """``published``: the page's metadata date, before the feed entry's; ``stated``: a date the
    page states in words, used only when neither gives one."""
    url = canonical_url(entry.url) if entry.url else None
    text = page_text if page_text and len(page_text) >= len(entry.summary_text) else entry.summary_text
    record = {
        "id": make_article_id(url=url, text=text),
        "text": text,
        "published": (
            published or (entry.published.date() if entry.published else None) or stated or date.today()
        ).isoformat(),
        "title": page_title or entry.title,
        "url": entry.url,
        "source": source,
    }
    return article_from_record(record)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page (or a feed entry whose summary is the article), made into an article where
    ``to_article`` runs: in an engine's worker, so that trafilatura runs in parallel too."""

    url: str  # as asked for
    source: str
    final_url: str | None = None  # after redirects; None with no page
    body: bytes | None = None  # None: the entry's summary is the whole article
    entry: FeedEntry | None = None

    @property
    def key(self) -> str:
        return self.url

    @property
    def canonical_url(self) -> str | None:
        return canonical_url(self.final_url) if self.final_url else None

    def to_article(self) -> Article:
        if self.body is None:
            assert self.entry is not None, "a FetchedPage without a body is an entry's summary"
            return _entry_article(self.entry, None, None, None, self.source)
        page = extract_page(self.body, url=self.final_url)
        entry = self.entry or FeedEntry(
            guid=self.url, url=self.final_url, title=page.title or "", summary_text="", author=page.author, published=None
        )
        if not page.text.strip() and len(entry.summary_text) < MIN_SUMMARY_CHARACTERS:
            raise InputError("no article text found on the page", path=self.url)
        return _entry_article(entry, page.text, page.title, page.published, self.source, stated=page.stated_date)


def fetch_page(
    url: str, *, settings: Settings, gate: HostGate | None = None, entry: FeedEntry | None = None, source: str | None = None
) -> FetchedPage:
    """Fetch one page politely through the SSRF-safe fetcher; reading it is left to the engine."""
    result = fetch(url, settings=fetch_settings(settings), gate=gate)
    return FetchedPage(url, source or _host(url), result.final_url, result.body, entry)


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
    """Fetch one page, extract its main text, store it with its incidents (all in this process)."""
    page = fetch_page(url, settings=settings, gate=gate, entry=entry, source=source)
    return store_article(
        engine, page.to_article(), pipeline=pipeline, run_id=run_id, canonical_url=page.canonical_url, report=report
    )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url


def ingest_urls(
    engine: Engine,
    urls: Sequence[str],
    *,
    settings: Settings,
    report: IngestReport,
    pipeline: Pipeline | None = None,
    extraction: EngineSpec | None = None,
    on_retry: Callable[[str], object] | None = None,
) -> IngestReport:
    """``sanctionwatch ingest URL``: each page once; a refused or failing URL is reported and skipped.

    Pages are fetched here, one after the other (politeness is per host); the engine reads and
    extracts them; this function stores.
    """
    run_id = start_run(engine, kind="ingest-url", extractor_version=EXTRACTOR_VERSION)

    def pages() -> Iterator[FetchedPage]:
        for url in urls:
            try:
                check_url(url, allow_private_networks=settings.allow_private_networks)
                yield fetch_page(url, settings=settings)
            except SanctionWatchError as exc:
                report.failed += 1
                report.errors.append(f"{url}: {exc}")

    with open_engine(extraction, pipeline=pipeline, on_retry=on_retry) as extractor:
        for page, outcome in extractor.map(pages()):
            assert isinstance(page, FetchedPage)
            store_outcome(engine, page, outcome, run_id=run_id, canonical_url=page.canonical_url, report=report)
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
    extractor: ExtractionEngine,
    run_id: int | None,
    gate: HostGate,
    interval_minutes: int,
    on_entry: Callable[[FeedEntry], object] | None = None,
) -> None:
    """One poll of one feed; failures are recorded on the feed, never raised.

    The feed's own state (validators, next poll) is written only after every new entry of it
    is stored, so a crash in between means the entries are fetched again, never lost.
    """
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
        pages = _new_entry_pages(engine, record, parsed.entries, settings=settings, report=report, gate=gate, source=source, on_entry=on_entry)
        for page, outcome in extractor.map(pages):
            assert isinstance(page, FetchedPage) and page.entry is not None
            article_id = store_outcome(engine, page, outcome, run_id=run_id, canonical_url=page.canonical_url, report=report)
            if article_id is not None:
                with engine.begin() as connection:
                    feed_store.record_entry(connection, record.id, page.entry.guid, url=page.entry.url, article_id=article_id)
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


def _new_entry_pages(
    engine: Engine,
    record: feed_store.FeedRecord,
    entries: Iterable[FeedEntry],
    *,
    settings: Settings,
    report: FeedPassReport,
    gate: HostGate,
    source: str,
    on_entry: Callable[[FeedEntry], object] | None,
) -> Iterator[FetchedPage]:
    """The entries not seen before, their pages fetched (or their summary, with no link)."""
    for entry in entries:
        if on_entry:
            on_entry(entry)
        with engine.connect() as connection:
            seen = feed_store.entry_seen(connection, record.id, entry.guid)
        if seen:
            report.unchanged += 1
            continue
        try:
            if entry.url:
                yield fetch_page(entry.url, settings=settings, gate=gate, entry=entry, source=source)
            elif len(entry.summary_text) >= MIN_SUMMARY_CHARACTERS:
                yield FetchedPage(entry.guid, source, entry=entry)
        except SanctionWatchError as exc:
            report.failed += 1
            report.errors.append(f"{entry.url or entry.guid}: {exc}")


def fetch_feeds(
    engine: Engine,
    *,
    settings: Settings,
    pipeline: Pipeline | None = None,
    interval_minutes: int = DEFAULT_POLL_INTERVAL_MINUTES,
    force: bool = False,
    on_entry: Callable[[FeedEntry], object] | None = None,
    on_feed: Callable[[feed_store.FeedRecord], object] | None = None,
    extraction: EngineSpec | None = None,
    on_retry: Callable[[str], object] | None = None,
) -> FeedPassReport:
    """One pass over the feeds that are due (all unpaused feeds with ``force``).

    ``extraction`` names the engine that reads and extracts the pages; fetching and storing
    happen here. A stage that fails on an article keeps what the earlier stages found.
    """
    report = FeedPassReport()
    gate = HostGate(settings.fetch_min_delay_per_host_seconds)
    run_id = start_run(engine, kind="fetch", extractor_version=EXTRACTOR_VERSION)
    now = _now()
    due = [r for r in feed_store.list_feeds(engine) if (force and not r.paused) or _due(r, now)]
    with open_engine(extraction, on_error="skip", pipeline=pipeline, on_retry=on_retry) as extractor:
        for record in due:
            if on_feed:
                on_feed(record)
            poll_feed(
                engine, record, settings=settings, report=report, extractor=extractor, run_id=run_id, gate=gate,
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
