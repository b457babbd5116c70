"""Running extraction over articles and storing the results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sanctionwatch.engines import EngineSpec, Outcome, WorkItem, item_key, open_engine
from sanctionwatch.errors import InputError, SanctionWatchError
from sanctionwatch.model import Article, Incident
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline
from sanctionwatch.service.clusters import recluster_article
from sanctionwatch.service.inputs import read_articles, read_sources
from sanctionwatch.service.sanctions import link_for_store
from sanctionwatch.store.articles import find_stored_duplicate, get_article, iter_article_ids, upsert_article
from sanctionwatch.store.incidents import count_current_incidents, replace_incidents
from sanctionwatch.store.runs import finish_run, start_run


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    incidents: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed; "
            f"{self.incidents} incidents stored"
        )


def iter_input_articles(
    paths: Sequence[str | Path], *, published: date | None, on_error: Callable[[InputError], None]
) -> Iterator[Article]:
    for path in paths:
        try:
            yield from read_articles(path, published=published, on_error=on_error)
        except InputError as exc:
            on_error(exc)


def iter_input_sources(
    paths: Sequence[str | Path], *, published: date | None, on_error: Callable[[InputError], None]
) -> Iterator[WorkItem]:
    """The inputs' articles, HTML files left for the engine's workers to read."""
    for path in paths:
        try:
            yield from read_sources(path, published=published, on_error=on_error)
        except InputError as exc:
            on_error(exc)


def store_article(
    engine: Engine,
    article: Article,
    *,
    pipeline: Pipeline,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str:
    """Store one article and its incidents in one transaction; returns the stored article id.

    An unchanged article is not re-extracted. Extraction runs before the transaction opens, so
    a crash leaves either the whole article with its incidents or nothing.
    """
    stored_id = stored_unchanged(engine, article, canonical_url=canonical_url)
    if stored_id is not None:
        report.unchanged += 1
        return stored_id
    return store_extracted(
        engine, article, pipeline.extract(article), run_id=run_id, canonical_url=canonical_url, report=report
    )


def stored_unchanged(engine: Engine, article: Article, *, canonical_url: str | None = None) -> str | None:
    """The id of the stored copy of ``article`` when its text is unchanged (nothing to extract)."""
    with engine.connect() as connection:
        stored = find_stored_duplicate(connection, article, canonical_url=canonical_url)
    if stored is not None and stored.content_hash == article.content_hash:
        return str(stored.id)
    return None


def store_extracted(
    engine: Engine,
    article: Article,
    incidents: Sequence[Incident],
    *,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str:
    """Store an article with the incidents extracted from it, in one transaction; the stored id.

    Keyed by article: an article stored already (same id, canonical URL or content hash) is
    ``unchanged`` and its incidents are left as they are, so storing the same result twice (a
    batch sent again after its worker died) adds nothing. Sanctions-list links are made here
    (they read the store), and the article's clusters are brought up to date in the transaction.
    """
    incidents = link_for_store(engine, list(incidents))
    with engine.begin() as connection:
        result = upsert_article(connection, article, canonical_url=canonical_url)
        if result.status == "unchanged":
            report.unchanged += 1
            return result.article_id
        if result.article_id != article.id:
            incidents = [i.with_changes(article_id=result.article_id) for i in incidents]
        replace_incidents(connection, result.article_id, incidents, run_id=run_id)
        recluster_article(connection, result.article_id)
        recluster_article(connection, result.article_id)
    setattr(report, result.status, getattr(report, result.status) + 1)
    report.incidents += len(incidents)
    return result.article_id


def outcome_error(item: WorkItem, outcome: Outcome) -> str:
    """The line that reports a failed item, naming it once."""
    key, error = item_key(item), outcome.error or "failed"
    return error if error.startswith(key) else f"{key}: {error}"


def store_outcome(
    engine: Engine,
    item: WorkItem,
    outcome: Outcome,
    *,
    run_id: int | None,
    canonical_url: str | None = None,
    report: IngestReport,
) -> str | None:
    """Store what an engine made of one item; a failed item (or store fault) is counted and
    reported, never raised. The stored article id, or None."""
    if outcome.article is None or not outcome.ok:
        report.failed += 1
        report.errors.append(outcome_error(item, outcome))
        return None
    try:
        return store_extracted(
            engine, outcome.article, outcome.incidents, run_id=run_id, canonical_url=canonical_url, report=report
        )
    except SanctionWatchError as exc:
        report.failed += 1
        report.errors.append(f"{item_key(item)}: {exc}")
        return None


def ingest_articles(
    engine: Engine,
    articles: Iterable[WorkItem],
    *,
    pipeline: Pipeline | None = None,
    extraction: EngineSpec | None = None,
    on_article: Callable[[WorkItem], object] | None = None,
    on_retry: Callable[[str], object] | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store articles with their incidents; one bad article is recorded and skipped.

    ``extraction`` names the engine that extracts (default: this process); this function alone
    reads and writes the store. An article whose stored copy is unchanged is not sent to it.
    """
    report = report or IngestReport()
    run_id = start_run(engine, kind="ingest", extractor_version=EXTRACTOR_VERSION)

    def to_extract() -> Iterator[WorkItem]:
        for item in articles:
            if isinstance(item, Article) and stored_unchanged(engine, item) is not None:
                report.unchanged += 1
                if on_article:
                    on_article(item)
                continue
            yield item

    with open_engine(extraction, pipeline=pipeline, on_retry=on_retry) as extractor:
        for item, outcome in extractor.map(to_extract()):
            store_outcome(engine, item, outcome, run_id=run_id, report=report)
            if on_article:
                on_article(item)
    finish_run(
        engine,
        run_id,
        articles=report.new + report.updated + report.unchanged,
        incidents=report.incidents,
        failures=report.failed,
    )
    return report


@dataclass(slots=True)
class ReextractReport:
    articles: int = 0
    added: int = 0
    kept: int = 0
    hidden: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.articles} articles re-extracted with extractor {EXTRACTOR_VERSION}: {self.added} new incidents, "
            f"{self.kept} kept, {self.hidden} no longer found (hidden, reviews kept); {self.failed} failed"
        )


def reextract_articles(
    engine: Engine,
    *,
    pipeline: Pipeline | None = None,
    extraction: EngineSpec | None = None,
    on_article: Callable[[str], object] | None = None,
    on_retry: Callable[[str], object] | None = None,
) -> ReextractReport:
    """Run the current extractor again over every stored article, one transaction per article.

    Analysts' reviews are kept: an incident keeps its id when it is found again, and one that is
    no longer found is hidden, not deleted. One article that fails is recorded and skipped.
    ``extraction`` names the engine (default: this process); this function alone writes.
    """
    report = ReextractReport()
    run_id = start_run(engine, kind="reextract", extractor_version=EXTRACTOR_VERSION)

    def stored_articles() -> Iterator[Article]:
        for article_id in iter_article_ids(engine):
            try:
                yield get_article(engine, article_id)
            except SanctionWatchError as exc:  # deleted meanwhile, or unreadable
                report.failed += 1
                report.errors.append(f"{article_id}: {exc}")

    with open_engine(extraction, pipeline=pipeline, on_retry=on_retry) as extractor:
        for item, outcome in extractor.map(stored_articles()):
            _store_reextracted(engine, item, outcome, run_id=run_id, report=report)
            if on_article:
                on_article(item_key(item))
    finish_run(engine, run_id, articles=report.articles, incidents=report.added + report.kept, failures=report.failed)
    return report


def _store_reextracted(engine: Engine, item: WorkItem, outcome: Outcome, *, run_id: int, report: ReextractReport) -> None:
    article_id = item_key(item)
    if not outcome.ok:
        report.failed += 1
        report.errors.append(outcome_error(item, outcome))
        return
    try:
        found = link_for_store(engine, list(outcome.incidents))
        with engine.begin() as connection:
            before = count_current_incidents(connection, article_id)
            added, kept = replace_incidents(connection, article_id, found, run_id=run_id)
            recluster_article(connection, article_id)
    except SanctionWatchError as exc:
        report.failed += 1
        report.errors.append(f"{article_id}: {exc}")
        return
    report.articles += 1
    report.added += added
    report.kept += kept
    report.hidden += max(0, before - kept)
