"""Running extraction over articles and storing the results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sanctionwatch.errors import InputError, SanctionWatchError
from sanctionwatch.model import Article
from sanctionwatch.nlp.pipeline import EXTRACTOR_VERSION, Pipeline, default_pipeline
from sanctionwatch.service.clusters import recluster_article
from sanctionwatch.service.inputs import read_articles
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
    with engine.connect() as connection:
        stored = find_stored_duplicate(connection, article, canonical_url=canonical_url)
    if stored is not None and stored.content_hash == article.content_hash:
        report.unchanged += 1
        return str(stored.id)
    incidents = link_for_store(engine, pipeline.extract(article))
    with engine.begin() as connection:
        result = upsert_article(connection, article, canonical_url=canonical_url)
        if result.status == "unchanged":
            report.unchanged += 1
            return result.article_id
        if result.article_id != article.id:
            incidents = [i.with_changes(article_id=result.article_id) for i in incidents]
        replace_incidents(connection, result.article_id, incidents, run_id=run_id)
        recluster_article(connection, result.article_id)
    setattr(report, result.status, getattr(report, result.status) + 1)
    report.incidents += len(incidents)
    return result.article_id


def ingest_articles(
    engine: Engine,
    articles: Iterable[Article],
    *,
    pipeline: Pipeline | None = None,
    on_article: Callable[[Article], object] | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Store articles with their incidents; one bad article is recorded and skipped."""
    pipeline = pipeline or default_pipeline()
    report = report or IngestReport()
    run_id = start_run(engine, kind="ingest", extractor_version=EXTRACTOR_VERSION)
    for article in articles:
        try:
            store_article(engine, article, pipeline=pipeline, run_id=run_id, report=report)
        except SanctionWatchError as exc:
            report.failed += 1
            report.errors.append(f"{article.id}: {exc}")
        if on_article:
            on_article(article)
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
    on_article: Callable[[str], object] | None = None,
) -> ReextractReport:
    """Run the current extractor again over every stored article, one transaction per article.

    Analysts' reviews are kept: an incident keeps its id when it is found again, and one that is
    no longer found is hidden, not deleted. One article that fails is recorded and skipped.
    """
    pipeline = pipeline or default_pipeline()
    report = ReextractReport()
    run_id = start_run(engine, kind="reextract", extractor_version=EXTRACTOR_VERSION)
    for article_id in iter_article_ids(engine):
        try:
            article = get_article(engine, article_id)
            found = link_for_store(engine, pipeline.extract(article))
            with engine.begin() as connection:
                before = count_current_incidents(connection, article_id)
                added, kept = replace_incidents(connection, article_id, found, run_id=run_id)
                recluster_article(connection, article_id)
            report.articles += 1
            report.added += added
            report.kept += kept
            report.hidden += max(0, before - kept)
        except SanctionWatchError as exc:
            report.failed += 1
            report.errors.append(f"{article_id}: {exc}")
        if on_article:
            on_article(article_id)
    finish_run(engine, run_id, articles=report.articles, incidents=report.added + report.kept, failures=report.failed)
    return report
